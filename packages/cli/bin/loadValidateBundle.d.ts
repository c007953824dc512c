/** `runCli` from bundle/validate.cjs (with its V8 code cache), or undefined when it cannot be loaded. */
export declare function loadValidateBundle(): ((argv: string[], io: unknown) => Promise<number>) | undefined;
/** The code cache file of `bundle` for a Node version and a set of flags (default: this process's). */
export declare function cacheFileFor(bundle: string, version?: string, flags?: string): string;
