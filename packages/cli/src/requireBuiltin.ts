import { createRequire } from 'node:module';

/**
 * Loads a Node built-in module synchronously where it is first needed, instead of an import at the
 * top of a file: `validate` of one file starts in some 110 ms, and node:crypto (SARIF fingerprints)
 * or node:worker_threads (parallel validation) loaded up front cost several milliseconds of it
 * for runs that never use them. Import the module's types with `import type` beside the call.
 */
let required: NodeRequire | undefined;
// the require function itself is made on first use too (createRequire: ~0.2 ms of every start)
export const requireBuiltin = (id: string): unknown => (required ??= createRequire(import.meta.url))(id);
