/** A restate-server on loopback for development, tests and benchmarks (`@sopflow/host-restate/server`). */
export { startRestateServer, restateServerBinary, freePort } from './startRestateServer.js';
export type { RestateServerOptions, RestateServerProcess } from './startRestateServer.js';
