import { createRequire } from 'node:module';

/**
 * Loads a Node built-in module synchronously where it is first needed, instead of an import at the
 * top of a file: `validate` of one file starts in some 110 ms, and node:crypto (SARIF fingerprints)
 * or node:worker_threads (parallel validation) loaded up front cost several milliseconds of it
 * for runs that never use them. Import the module's types with `import type` beside the call.
 */
export const requireBuiltin = createRequire(import.meta.url);
