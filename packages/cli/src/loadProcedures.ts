import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { validateProject } from '@sopflow/core';
import { hasErrors, type Sop } from '@sopflow/model';
import { CompileError } from '@sopflow/compiler';
import { collectFiles, displayPath } from './collectFiles.js';
import { formatStylish, type FileReport } from './formatters/index.js';
import { CliError, type CliIo } from './io.js';

export interface LoadedForRun {
  sop: Sop;
  /** every SOP given (by id) that `use:` steps may run */
  procedures: Record<string, Sop>;
  /** the file as shown to the user */
  display: string;
}

/**
 * Loads one SOP for `compile` / `run` / `paths`, with the SOPs its `use:` steps run: from
 * `--procedures` (files, folders, globs), or, without it, the `*.sop.yaml` files in the same
 * folder. Validates them together; when the SOP or a procedure it runs (at any depth) has
 * errors, prints them (stylish) to stderr and returns `undefined` (exit 1). Unreadable
 * files are usage errors (CliError, exit 2). With `given` (the SOP read from stdin), `file` is
 * only the path it stands for: not read, but reported and searched beside.
 */
export async function loadSopWithProcedures(file: string, procedurePaths: readonly string[] | undefined, io: CliIo, given?: { text: string }): Promise<LoadedForRun | undefined> {
  const main = path.resolve(io.cwd, file);
  const text = given !== undefined ? given.text : await readFile(main, 'utf8').catch(() => {
    throw new CliError(`cannot read ${file}`);
  });
  let others: string[];
  if (procedurePaths && procedurePaths.length > 0) {
    const collected = await collectFiles(procedurePaths, io.cwd);
    if (collected.errors.length > 0) throw new CliError(collected.errors.join('; '));
    others = collected.files;
  } else {
    others = (await collectFiles([path.dirname(main)], io.cwd)).files;
  }
  others = others.filter((f) => path.normalize(f) !== path.normalize(main));
  const files = [{ file: displayPath(main, io.cwd), text: stripBom(text) }];
  for (const f of others) {
    const t = await readFile(f, 'utf8').catch(() => undefined);
    if (t !== undefined) files.push({ file: displayPath(f, io.cwd), text: stripBom(t) });
  }

  const { results } = validateProject(files);
  const first = results[0]!;
  const procedures: Record<string, Sop> = {};
  for (const r of results.slice(1)) if (r.sop && typeof r.sop.id === 'string' && !(r.sop.id in procedures)) procedures[r.sop.id] = r.sop;

  // the SOP and the procedures it runs, at any depth: their errors block, other files' do not
  const relevant = [first];
  if (first.sop) {
    const seen = new Set<string>([first.sop.id]);
    const queue = [first.sop];
    while (queue.length) {
      const sop = queue.shift()!;
      for (const step of Array.isArray(sop.instructions) ? sop.instructions : []) {
        const id = step && typeof step === 'object' ? step.use : undefined;
        if (typeof id !== 'string' || seen.has(id)) continue;
        seen.add(id);
        const r = results.slice(1).find((x) => x.sop?.id === id);
        if (r) { relevant.push(r); queue.push(r.sop!); }
      }
    }
  }
  const failing = relevant.filter((r) => !r.sop || hasErrors(r.diagnostics));
  if (failing.length > 0 || !first.sop) {
    const reports: FileReport[] = failing.map((r) => ({
      file: r.file,
      text: files.find((f) => f.file === r.file)?.text ?? '',
      diagnostics: r.diagnostics.filter((d) => d.severity === 'error'),
    }));
    io.stderr(formatStylish(reports, { color: false }));
    return undefined;
  }
  return { sop: first.sop, procedures, display: first.file };
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Runs a step that compiles the loaded SOP (compile, paths, run). A `CompileError` (e.g. a
 * sub-procedure cycle) is a problem in the SOP, not a crash: it is printed as
 * `file: error message` and gives `undefined` (exit 1). Anything else propagates.
 */
export function compileOrReport<T>(loaded: LoadedForRun, io: CliIo, compile: () => T): T | undefined {
  try {
    return compile();
  } catch (error) {
    if (!(error instanceof CompileError)) throw error;
    io.stderr(`${loaded.display}: error ${error.message}\n`);
    return undefined;
  }
}
