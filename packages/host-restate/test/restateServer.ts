import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startRestateServer, type RestateServerProcess } from '../src/server/index.js';

/**
 * A restate-server of this test file's own: its ports, its data directory; started before the
 * file's tests and stopped after them. The binary comes from the npm package (a devDependency).
 */
export function useRestateServer(): { readonly server: RestateServerProcess; readonly baseDir: string } {
  let server: RestateServerProcess | undefined;
  let baseDir: string | undefined;
  beforeAll(async () => {
    baseDir = mkdtempSync(path.join(os.tmpdir(), 'sopflow-restate-'));
    server = await startRestateServer({ baseDir });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    if (baseDir && !process.env.SOPFLOW_KEEP_RESTATE) rmSync(baseDir, { recursive: true, force: true });
  }, 60_000);
  return {
    get server() {
      if (!server) throw new Error('restate-server is not started');
      return server;
    },
    get baseDir() {
      if (!baseDir) throw new Error('restate-server is not started');
      return baseDir;
    },
  };
}

let counter = 0;
/** A namespace no other test of this process uses. */
export function freshNamespace(prefix = 't'): string {
  return `${prefix}${process.pid}_${++counter}_${Math.random().toString(36).slice(2, 8)}`;
}
