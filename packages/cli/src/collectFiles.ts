import { statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { normalizedPath, relativeInside } from './normalizedPath.js';
import { IGNORE_FILE, IgnoreRules, readIgnoreFile, type IgnoreOptions, type IgnoreSource } from './ignoreRules.js';

/** Which files in a folder are SOPs. */
export const SOP_FILE_PATTERN = '**/*.sop.{yaml,yml}';

export interface CollectedFiles {
  /** absolute paths, sorted, each once */
  files: string[];
  /** arguments that matched nothing or could not be read: usage / I/O errors (exit 2) */
  errors: string[];
  /** files named explicitly that an ignore pattern skips, with the pattern's origin (a note, not an error) */
  ignored: { file: string; by: string }[];
}

export interface CollectOptions {
  /** apply `--ignore` patterns and `.sopflowignore` files (validate, render); without it nothing is ignored */
  ignore?: IgnoreOptions;
  /**
   * absolute paths taken as named files without looking at the disk: what `-` (stdin) stands
   * for. They are kept or ignored like any named file.
   */
  named?: readonly string[];
}

/**
 * Expands the CLI's path arguments: a file is taken as is (whatever its name), a folder is
 * searched for `*.sop.yaml` / `*.sop.yml` (skipping node_modules and dot-folders), anything
 * else is a glob. An argument that matches nothing is an error, so a typo in CI fails loudly.
 * With `options.ignore`, files matched by `--ignore` patterns or by `.sopflowignore` files are
 * left out. The `.sopflowignore` files read are those in the working folder, in every folder
 * searched (and below), and in the folders between the working folder and a file named
 * explicitly. A folder or glob whose every file is ignored is an error too; a file named
 * explicitly that is ignored is listed in `ignored` (the command says it skipped it).
 * The glob library is loaded only when a folder or a glob needs it (cold start of `validate a.sop.yaml`).
 */
export async function collectFiles(args: readonly string[], cwd: string, options: CollectOptions = {}): Promise<CollectedFiles> {
  const files = new Set<string>();
  const errors: string[] = [];
  const ignored: { file: string; by: string }[] = [];
  const useIgnoreFiles = options.ignore !== undefined && options.ignore.useIgnoreFiles !== false;
  const sources: IgnoreSource[] = [];
  if (options.ignore?.patterns?.length) sources.push({ base: cwd, patterns: [...options.ignore.patterns], origin: '--ignore' });
  const read = new Set<string>();
  /** reads `<folder>/.sopflowignore` once */
  const readFolder = async (folder: string): Promise<void> => {
    const file = path.join(folder, IGNORE_FILE);
    if (!useIgnoreFiles || read.has(file)) return;
    read.add(file);
    const source = await readIgnoreFile(file, cwd);
    if (source) sources.push(source);
  };
  await readFolder(cwd);
  /** the folders from the working folder down to a named file's own */
  const readFoldersAbove = async (file: string): Promise<void> => {
    const rel = path.relative(cwd, path.dirname(file));
    if (rel.startsWith('..') || path.isAbsolute(rel)) return;
    let folder = cwd;
    for (const part of rel.split(path.sep).filter(Boolean)) await readFolder((folder = path.join(folder, part)));
  };

  // expand every argument first: the .sopflowignore files found in folders apply to all of them
  const expanded: { arg: string; kind: 'file' | 'folder' | 'glob'; found: string[] }[] = [];
  for (const file of options.named ?? []) {
    await readFoldersAbove(file);
    expanded.push({ arg: file, kind: 'file', found: [file] });
  }
  for (const arg of args) {
    const abs = path.resolve(cwd, arg);
    const info = statIfAny(abs);
    if (info?.isFile()) {
      await readFoldersAbove(abs);
      expanded.push({ arg, kind: 'file', found: [abs] });
      continue;
    }
    const { glob, isDynamicPattern } = await import('tinyglobby');
    if (info?.isDirectory()) {
      const patterns = useIgnoreFiles ? [SOP_FILE_PATTERN, `**/${IGNORE_FILE}`] : [SOP_FILE_PATTERN];
      const matches = await glob(patterns, { cwd: abs, absolute: true, ignore: ['**/node_modules/**'], dot: false });
      const found: string[] = [];
      for (const match of matches) {
        if (path.basename(match) === IGNORE_FILE) await readFolder(path.dirname(path.normalize(match)));
        else found.push(match);
      }
      if (found.length === 0) errors.push(`no *.sop.yaml files in folder ${arg}`);
      expanded.push({ arg, kind: 'folder', found });
    } else if (isDynamicPattern(arg)) {
      const found = await glob(arg, { cwd, absolute: true, ignore: ['**/node_modules/**'], onlyFiles: true });
      if (found.length === 0) errors.push(`no files match ${arg}`);
      expanded.push({ arg, kind: 'glob', found });
    } else {
      errors.push(`no such file or folder: ${arg}`);
    }
  }

  const rules = sources.length > 0 ? await IgnoreRules.create(sources) : undefined;
  for (const { arg, kind, found } of expanded) {
    let kept = 0;
    for (const f of found) {
      const file = normalizedPath(f);
      const by = rules?.ignoredBy(file);
      if (by === undefined) {
        files.add(file);
        kept++;
      } else if (kind === 'file') {
        ignored.push({ file, by });
      }
    }
    if (kept === 0 && found.length > 0 && kind !== 'file') {
      errors.push(
        `every file ${kind === 'folder' ? `in folder ${arg}` : `matching ${arg}`} is ignored (by --ignore or .sopflowignore; --no-ignore-files reads no .sopflowignore)`,
      );
    }
  }
  return { files: [...files].sort(), errors, ignored };
}

/** A path as the user should see it: relative to cwd when inside it. */
export function displayPath(file: string, cwd: string): string {
  const inside = relativeInside(cwd, file);
  if (inside !== undefined) return inside;
  const rel = path.relative(cwd, file);
  // outside: `..` or `../…` (a file named `..x` inside is inside)
  const outside = rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
  return rel && !outside ? rel.split(path.sep).join('/') : file;
}

/**
 * The file or folder at `file`, or undefined when there is none or it cannot be read. Synchronously,
 * as the SOP files are read: node:fs/promises costs a one-file `validate` ~2 ms of its start.
 */
function statIfAny(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}
