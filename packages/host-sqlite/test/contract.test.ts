import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeRunHost } from '@sopflow/host/contract';
import { SqliteHost } from '../src/index.js';

describeRunHost('SqliteHost', async ({ sops, actions, enforceRoles }) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sopflow-sqlite-'));
  const file = path.join(dir, 'runs.db');
  const make = () => new SqliteHost({ file, sops, actions, enforceRoles, retry: { baseMs: 20, attempts: 5 } });
  let host = make();
  return {
    host,
    reopen: async () => {
      await host.close();
      host = make();
      return host;
    },
    cleanup: async () => {
      await host.close().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
