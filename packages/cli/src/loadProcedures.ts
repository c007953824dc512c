import path from 'node:path';
import { validateProject } from '@sopflow/core';
import { buildProcedureGraph, hasErrors, type Sop } from '@sopflow/model';
import { CompileError } from '@sopflow/compiler';
import { collectFiles, displayPath } from './collectFiles.js';
import { formatStylish, type FileReport } from './formatters/index.js';
import { CliError, type CliIo } from './io.js';
import { decodeSource, describeIoError, readRegularFile } from './validateFiles.js';

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
 * errors, prints them (stylish) to stderr and returns `undefined` (exit 1). The SOP, or a file
 * given with `--procedures`, that cannot be read (missing, a folder, a FIFO…) is a usage error
 * (CliError, exit 2); an unreadable file that merely sits in the same folder is skipped with a
 * note on stderr. With `given` (the SOP read from stdin), `file` is only the path it stands
 * for: not read, but reported and searched beside.
 */
export async function loadSopWithProcedures(
  file: string,
  procedurePaths: readonly string[] | undefined,
  io: CliIo,
  given?: { text: string },
): Promise<LoadedForRun | undefined> {
  const main = path.resolve(io.cwd, file);
  const read = async (f: string): Promise<string> => decodeSource(await readRegularFile(f));
  const text =
    given !== undefined
      ? given.text
      : await read(main).catch((error: unknown) => {
          throw new CliError(`cannot read ${file}: ${describeIoError(error)}`);
        });
  const explicit = procedurePaths !== undefined && procedurePaths.length > 0;
  let others: string[];
  if (explicit) {
    const collected = await collectFiles(procedurePaths, io.cwd);
    if (collected.errors.length > 0) throw new CliError(collected.errors.join('; '));
    others = collected.files;
  } else {
    others = (await collectFiles([path.dirname(main)], io.cwd)).files;
  }
  others = others.filter((f) => path.normalize(f) !== path.normalize(main));
  const files = [{ file: displayPath(main, io.cwd), text }];
  const unreadable: string[] = [];
  for (const f of others) {
    try {
      files.push({ file: displayPath(f, io.cwd), text: await read(f) });
    } catch (error) {
      unreadable.push(`cannot read ${displayPath(f, io.cwd)}: ${describeIoError(error)}`);
    }
  }
  if (unreadable.length > 0) {
    if (explicit) throw new CliError(unreadable.join('; '));
    for (const message of unreadable) io.stderr(`sopflow: skipped a file beside the SOP: ${message}\n`);
  }

  const { results, procedures: byId } = validateProject(files);
  const first = results[0]!;
  const procedures: Record<string, Sop> = {};
  for (const r of results.slice(1)) if (r.sop && typeof r.sop.id === 'string' && !(r.sop.id in procedures)) procedures[r.sop.id] = r.sop;

  // the SOP and the procedures it runs, at any depth: their errors block, other files' do not
  const relevant = [first];
  if (first.sop) {
    const resultById = new Map<string, (typeof results)[number]>();
    for (const r of results.slice(1)) if (r.sop && !resultById.has(r.sop.id)) resultById.set(r.sop.id, r);
    const graph = buildProcedureGraph([first.sop, ...byId.values()]);
    for (const id of graph.closure(first.sop.id, { known: true })) {
      const r = id === first.sop.id ? undefined : resultById.get(id);
      if (r) relevant.push(r);
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
