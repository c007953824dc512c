import path from 'node:path';
import { displayPath } from './collectFiles.js';
import { CliError, type CliIo } from './io.js';

/** The path argument that means "read the SOP from standard input". */
export const STDIN_ARG = '-';

/** What `-` stands for when --stdin-filename is not given. */
export const STDIN_NAME = '<stdin>';

/** The SOP read from standard input, and the file it stands for. */
export interface StdinSource {
  /**
   * the absolute path it is reported under and resolved from: `--stdin-filename` resolved
   * against the working folder (`use:` then finds the SOPs beside it), else `<cwd>/<stdin>`
   */
  file: string;
  /** that path as shown in diagnostics */
  display: string;
  /** the raw bytes (validate decodes them as it decodes files) */
  bytes: Uint8Array;
  /** the text: UTF-8, BOM dropped, invalid bytes as U+FFFD */
  text: string;
}

/** Whether the arguments ask for stdin, and at most once. */
export function wantsStdin(args: readonly string[]): boolean {
  const count = args.filter((a) => a === STDIN_ARG).length;
  if (count > 1) throw new CliError('`-` (standard input) can be given only once');
  return count === 1;
}

/** Where `-` is reported and what `use:` is resolved from. */
export function stdinFile(io: Pick<CliIo, 'cwd'>, stdinFilename: string | undefined): string {
  if (stdinFilename !== undefined && stdinFilename.trim() === '') throw new CliError('--stdin-filename needs a file name');
  return path.resolve(io.cwd, stdinFilename ?? STDIN_NAME);
}

/** The options of --stdin-filename without `-`: a mistake worth saying. */
export function checkStdinFilename(args: readonly string[], stdinFilename: string | undefined): void {
  if (stdinFilename !== undefined && !args.includes(STDIN_ARG)) {
    throw new CliError('--stdin-filename names what `-` reads from standard input: pass `-` as the file too');
  }
}

// made on first use: only a run that reads standard input needs it (~0.2 ms of every start)
let utf8: TextDecoder | undefined;

/**
 * Reads all of standard input (the SOP given as `-`). A usage error when there is none to
 * read (no stream was passed in).
 */
export async function readStdin(io: Pick<CliIo, 'stdin' | 'cwd'>, stdinFilename: string | undefined): Promise<StdinSource> {
  const file = stdinFile(io, stdinFilename);
  if (!io.stdin) throw new CliError('`-` reads the SOP from standard input, but there is none');
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Uint8Array));
  } catch (error) {
    throw new CliError(`cannot read standard input: ${error instanceof Error ? error.message : String(error)}`);
  }
  const bytes = Buffer.concat(chunks);
  return {
    file,
    display: displayPath(file, io.cwd),
    bytes,
    text: (utf8 ??= new TextDecoder('utf-8', { fatal: false, ignoreBOM: false })).decode(bytes),
  };
}

/**
 * The one SOP argument of compile, run and paths: a path, or `-` for standard input, which is
 * then read and stands for `--stdin-filename` (reported under that name, `use:` resolved from
 * its folder). `given` holds the text read.
 */
export async function sopArgument(
  arg: string,
  stdinFilename: string | undefined,
  io: Pick<CliIo, 'stdin' | 'cwd'>,
): Promise<{ file: string; given?: { text: string } }> {
  checkStdinFilename([arg], stdinFilename);
  if (arg !== STDIN_ARG) return { file: arg };
  const stdin = await readStdin(io, stdinFilename);
  return { file: stdin.file, given: { text: stdin.text } };
}
