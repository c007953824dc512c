/** `runCli` from bundle/validate.cjs (with its V8 code cache), or undefined when it cannot be loaded. */
export declare function loadValidateBundle(): ((argv: string[], io: unknown) => Promise<number>) | undefined;
