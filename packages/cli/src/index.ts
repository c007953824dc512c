export { runCli } from './runCli.js';
export type { CliIo } from './io.js';
export { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from './io.js';
