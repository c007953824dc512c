import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort, startRestateServer, type RestateServerProcess } from '@sopflow/host-restate/server';

const here = path.dirname(fileURLToPath(import.meta.url));
let server: RestateServerProcess;
let baseDir: string;

beforeAll(async () => {
  baseDir = mkdtempSync(path.join(os.tmpdir(), 'sopflow-try-'));
  server = await startRestateServer({ baseDir });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  rmSync(baseDir, { recursive: true, force: true });
});

it('try.mjs takes an inbound call to its end on Restate, as the README says', async () => {
  const port = await freePort();
  const r = spawnSync(
    process.execPath,
    [path.join(here, '../try.mjs'), '--restate', server.ingress, '--admin', server.admin, '--endpoint-port', String(port)],
    { encoding: 'utf8', timeout: 120_000 },
  );
  expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  expect(r.stdout).toContain(`endpoint http://127.0.0.1:${port} registered`);
  expect(r.stdout).toMatch(/^rev 1 {2}answer: /m);
  expect(r.stdout).toMatch(/CRM crm\.find-customer \(key [^)]+:\d+\) for \{"ticket":"T-1042"\}/);
  expect(r.stdout).toMatch(/^outcome: resolved; \d+ journal entries in Restate$/m);
}, 150_000);
