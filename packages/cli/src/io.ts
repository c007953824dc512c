import type { Readable } from 'node:stream';

/** Everything the CLI touches outside itself, passed in so tests run it in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: Record<string, string | undefined>;
  /** for `sopflow run`'s prompts */
  stdin?: Readable;
  /** colour and interactive prompts only on a terminal */
  isTTY?: boolean;
  /**
   * for `sopflow validate`: called once, before the files are read, when there are many of them
   * (MANY_FILES or more). The bin tunes V8's optimising compiler for a long run there (see
   * bin/loadValidateBundle.js); a process embedding runCli can leave it out.
   */
  beforeManyFiles?: () => void;
  /** for `sopflow serve`: calls `stop` when the process is asked to stop (SIGINT, SIGTERM) */
  onStop?: (stop: () => void) => void;
}

/** How many files `validate` must have to call CliIo.beforeManyFiles: from about here the bin's tuning pays for its ~2 ms (measured: 3 files 5 ms slower, 10 files ~4–9 ms faster). */
export const MANY_FILES = 10;

/** Exit codes: 0 clean, 1 problems found, 2 usage or I/O error. */
export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

/** A usage or I/O error a command reports: printed as `sopflow: message`, exit 2. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
  }
}
