// fs.promises is loaded on first use; an import of node:fs/promises costs every start ~1 ms
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { localDate } from '@sopflow/model';
import { collectFiles, displayPath } from '../collectFiles.js';
import { useColor } from '../color.js';
import { countProblems, FORMATTERS, isFormatName, type FileReport } from '../formatters/index.js';
import { CliError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, MANY_FILES, type CliIo } from '../io.js';
import { repositoryRoot } from '../repositoryRoot.js';
import { checkStdinFilename, readStdin, wantsStdin, STDIN_ARG } from '../stdinInput.js';
import { readRegularFile, threadsFor, validateFiles } from '../validateFiles.js';

export { useColor } from '../color.js';

export interface ValidateOptions {
  format?: string;
  maxWarnings?: number;
  quiet?: boolean;
  /** true with --color, false with --no-color, undefined: decided by the environment */
  color?: boolean;
  today?: string;
  /** -o, --output-file */
  outputFile?: string;
  /** --ignore (repeatable) */
  ignore?: string[];
  /** false with --no-ignore: .sopflowignore files are not read */
  ignoreFiles?: boolean;
  stdinFilename?: string;
}

/**
 * `sopflow validate <paths...>`: exit 0 when clean (warnings allowed up to --max-warnings),
 * 1 on any error or too many warnings, 2 when a path cannot be found or read. `-` reads one SOP
 * from standard input, reported as --stdin-filename (which also places it among the other files,
 * replacing that file's saved text: what an editor sends for an unsaved buffer).
 */
export async function run(args: unknown[], io: CliIo): Promise<number> {
  const paths = (args[0] ?? []) as string[];
  const options = (args[1] ?? {}) as ValidateOptions;
  const format = options.format ?? 'stylish';
  if (!isFormatName(format)) throw new CliError(`unknown format "${format}" (stylish, json, sarif or github)`);
  const today = options.today ?? localDate();
  if (!isIsoDate(today)) throw new CliError(`--today takes a date as YYYY-MM-DD, got "${today}"`);
  checkStdinFilename(paths, options.stdinFilename);
  const fromStdin = wantsStdin(paths);
  const ignore = { patterns: options.ignore ?? [], useIgnoreFiles: options.ignoreFiles !== false };

  const stdin = fromStdin ? await readStdin(io, options.stdinFilename) : undefined;
  const collected = await collectFiles(
    paths.filter((p) => p !== STDIN_ARG),
    io.cwd,
    { ignore, named: stdin ? [stdin.file] : [] },
  );
  if (collected.errors.length > 0) return usageErrors(collected.errors, io);
  for (const { file, by } of collected.ignored) io.stderr(`sopflow: skipped ${displayPath(file, io.cwd)}: ignored by ${by}\n`);
  const files = collected.files;
  // the text from stdin stands for its file: it replaces the saved one when a folder holds it too
  const readFile = stdin ? (file: string) => (file === stdin.file ? Promise.resolve(stdin.bytes) : readRegularFile(file)) : undefined;

  if (files.length >= MANY_FILES) io.beforeManyFiles?.();
  const { reports, readErrors } = await validateFiles(files, {
    cwd: io.cwd,
    today,
    threads: threadsFor(files.length, io.env),
    ...(readFile ? { readFile } : {}),
  });
  if (readErrors.length > 0) return usageErrors(readErrors, io);

  const shown: FileReport[] = options.quiet
    ? reports.map((r) => ({ ...r, diagnostics: r.diagnostics.filter((d) => d.severity === 'error') }))
    : reports;
  const toFile = options.outputFile !== undefined;
  const color = format === 'stylish' && !toFile && useColor(options, io);
  const root = format === 'sarif' ? repositoryRoot(io.cwd) : undefined;
  const output = FORMATTERS[format](shown, { color, quiet: options.quiet === true, cwd: io.cwd, ...(root !== undefined ? { root } : {}) });
  if (toFile) {
    const target = path.resolve(io.cwd, options.outputFile!);
    await fs.writeFile(target, output).catch((error: NodeJS.ErrnoException) => {
      throw new CliError(
        `cannot write ${options.outputFile}: ${error.code === 'ENOENT' ? 'no such folder' : error.code === 'EISDIR' ? 'it is a folder' : error.message}`,
      );
    });
  } else {
    io.stdout(output);
  }

  const { errors, warnings } = countProblems(shown);
  if (errors > 0) return EXIT_PROBLEMS;
  if (options.maxWarnings !== undefined && warnings > options.maxWarnings) {
    io.stderr(`sopflow: too many warnings: ${warnings}, more than --max-warnings ${options.maxWarnings}\n`);
    return EXIT_PROBLEMS;
  }
  return EXIT_OK;
}

function usageErrors(messages: readonly string[], io: CliIo): number {
  for (const message of messages) io.stderr(`sopflow: ${message}\n`);
  return EXIT_USAGE;
}

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text;
}
