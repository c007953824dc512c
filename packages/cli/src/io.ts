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
  /** for `sopflow serve`: calls `stop` when the process is asked to stop (SIGINT, SIGTERM) */
  onStop?: (stop: () => void) => void;
}

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
