export { createSopServer } from './createSopServer.js';
export type { SopServer, SopServerOptions, ListenOptions, ServerErrorCode } from './createSopServer.js';
export { parseTokens, TokensError, isLoopback, sha256 } from './auth.js';
export type { TokenEntry } from './auth.js';
