export { SqliteHost } from './SqliteHost.js';
export type { SqliteHostOptions } from './SqliteHost.js';
