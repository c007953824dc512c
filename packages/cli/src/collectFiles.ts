import { stat } from 'node:fs/promises';
import path from 'node:path';

/** Which files in a folder are SOPs. */
export const SOP_FILE_PATTERN = '**/*.sop.{yaml,yml}';

export interface CollectedFiles {
  /** absolute paths, sorted, each once */
  files: string[];
  /** arguments that matched nothing or could not be read: usage / I/O errors (exit 2) */
  errors: string[];
}

/**
 * Expands the CLI's path arguments: a file is taken as is (whatever its name), a folder is
 * searched for `*.sop.yaml` / `*.sop.yml` (skipping node_modules and dot-folders), anything
 * else is a glob. An argument that matches nothing is an error, so a typo in CI fails loudly.
 * The glob library is loaded only when a folder or a glob needs it (cold start of `validate a.sop.yaml`).
 */
export async function collectFiles(args: readonly string[], cwd: string): Promise<CollectedFiles> {
  const files = new Set<string>();
  const errors: string[] = [];
  for (const arg of args) {
    const abs = path.resolve(cwd, arg);
    const info = await stat(abs).catch(() => undefined);
    let found: string[] = [];
    if (info?.isFile()) {
      found = [abs];
    } else {
      const { glob, isDynamicPattern } = await import('tinyglobby');
      if (info?.isDirectory()) {
        found = await glob(SOP_FILE_PATTERN, { cwd: abs, absolute: true, ignore: ['**/node_modules/**'], dot: false });
        if (found.length === 0) errors.push(`no *.sop.yaml files in folder ${arg}`);
      } else if (isDynamicPattern(arg)) {
        found = await glob(arg, { cwd, absolute: true, ignore: ['**/node_modules/**'], onlyFiles: true });
        if (found.length === 0) errors.push(`no files match ${arg}`);
      } else {
        errors.push(`no such file or folder: ${arg}`);
      }
    }
    for (const f of found) files.add(path.normalize(f));
  }
  return { files: [...files].sort(), errors };
}

/** A path as the user should see it: relative to cwd when inside it. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}
