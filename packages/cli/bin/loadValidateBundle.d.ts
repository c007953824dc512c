/**
 * `runCli` from bundle/validate.cjs (with its V8 code cache), and the `beforeManyFiles` hook for
 * CliIo (only in a run that read the cache); undefined when the bundle cannot be loaded.
 */
export declare function loadValidateBundle():
  | { runCli: (argv: string[], io: unknown) => Promise<number>; beforeManyFiles: (() => void) | undefined }
  | undefined;
/** The code cache file of `bundle` for a Node version and a set of flags (default: this process's). */
export declare function cacheFileFor(bundle: string, version?: string, flags?: string): string;
/** The V8 flag a run over many files sets, or undefined when the user's own flags (`execArgv`, NODE_OPTIONS) set inlining themselves. */
export declare function manyFilesV8Flag(execArgv?: string[], nodeOptions?: string): string | undefined;
