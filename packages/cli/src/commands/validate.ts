import { localDate } from '@sopflow/model';
import { collectFiles } from '../collectFiles.js';
import { countProblems, FORMATTERS, isFormatName, type FileReport } from '../formatters/index.js';
import { CliError, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, type CliIo } from '../io.js';
import { threadsFor, validateFiles } from '../validateFiles.js';

export interface ValidateOptions {
  format?: string;
  maxWarnings?: number;
  quiet?: boolean;
  /** false with --no-color */
  color?: boolean;
  today?: string;
}

/**
 * `sopflow validate <paths...>`: exit 0 when clean (warnings allowed up to --max-warnings),
 * 1 on any error or too many warnings, 2 when a path cannot be found or read.
 */
export async function run(args: unknown[], io: CliIo): Promise<number> {
  const paths = (args[0] ?? []) as string[];
  const options = (args[1] ?? {}) as ValidateOptions;
  const format = options.format ?? 'stylish';
  if (!isFormatName(format)) throw new CliError(`unknown format "${format}" (stylish, json, sarif or github)`);
  const today = options.today ?? localDate();
  if (!isIsoDate(today)) throw new CliError(`--today takes a date as YYYY-MM-DD, got "${today}"`);

  const collected = await collectFiles(paths, io.cwd);
  if (collected.errors.length > 0) return usageErrors(collected.errors, io);
  const { reports, readErrors } = await validateFiles(collected.files, { cwd: io.cwd, today, threads: threadsFor(collected.files.length, io.env) });
  if (readErrors.length > 0) return usageErrors(readErrors, io);

  const shown: FileReport[] = options.quiet
    ? reports.map((r) => ({ ...r, diagnostics: r.diagnostics.filter((d) => d.severity === 'error') }))
    : reports;
  const color = format === 'stylish' && useColor(options, io);
  io.stdout(FORMATTERS[format](shown, { color, quiet: options.quiet === true, cwd: io.cwd }));

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

/** Colour on a terminal, unless --no-color or NO_COLOR (https://no-color.org) says otherwise. */
export function useColor(options: Pick<ValidateOptions, 'color'>, io: Pick<CliIo, 'isTTY' | 'env'>): boolean {
  return io.isTTY === true && options.color !== false && !io.env.NO_COLOR;
}

/** A real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10) === text;
}
