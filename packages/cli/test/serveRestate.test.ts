import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRestateServer, type RestateServerProcess } from '@sopflow/host-restate/server';
import { FIXTURES, serveFails, startServe, type ServeProcess } from './serveProcess.js';

/*
 * `sopflow serve --engine restate`: the same HTTP API on Restate. A real restate-server (the
 * binary inside the npm package) is started here; two serve processes share it.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'sopflow-serve-restate-'));
let restate: RestateServerProcess;
const live: ServeProcess[] = [];
beforeAll(async () => {
  restate = await startRestateServer({ baseDir: path.join(dir, 'restate') });
}, 60_000);
afterAll(async () => {
  for (const p of live) if (p.child.exitCode === null) await p.kill();
  await restate?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const SOPS = path.join(FIXTURES, 'sops');
const CRM = path.join(FIXTURES, 'crm.mjs');
const crm = path.join(dir, 'crm.log');
const crmLines = () => (existsSync(crm) ? readFileSync(crm, 'utf8').trim().split('\n').filter(Boolean) : []);
async function until<T>(check: () => Promise<T>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
async function serve(extra: string[] = []) {
  const endpointPort = await freePort();
  const p = await startServe(
    [
      SOPS,
      '--port',
      '0',
      '--actions',
      CRM,
      '--rate-limit',
      '0',
      '--engine',
      'restate',
      '--restate',
      restate.ingress,
      '--admin',
      restate.admin,
      '--endpoint-port',
      String(endpointPort),
      ...extra,
    ],
    { CRM_FILE: crm },
  );
  live.push(p);
  return p;
}

describe('sopflow serve --engine restate', () => {
  it('takes moves over HTTP on Restate: revisions, a stale move refused, an action once, a limit firing; a second process sees the same runs', async () => {
    const a = await serve();
    expect(a.output()).toMatch(/restate engine, runs on Restate at http:\/\/127\.0\.0\.1:\d+/);
    let r = (await a.call('POST', '/runs', { sop: 'desk', meta: { ticket: 'T-1' }, by: 'ana' })).body;
    expect(r).toMatchObject({ revision: 1, view: { step: 'identify' }, meta: { ticket: 'T-1' } });
    r = (await a.call('POST', `/runs/${r.id}/moves`, { record: { customer_id: 'C-1' }, expect: { revision: 1 } })).body;
    const stale = await a.call('POST', `/runs/${r.id}/moves`, { complete: true, expect: { revision: 1 } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale');
    r = (await a.call('POST', `/runs/${r.id}/moves`, { complete: true, expect: { revision: 2 } })).body;
    r = (await a.call('POST', `/runs/${r.id}/moves`, { complete: true })).body; // save: crm.save-notes requested
    expect(r.view.step).toBe('hold');
    await until(async () => expect(crmLines().filter((l) => l.startsWith('done'))).toHaveLength(1));
    // the 2 s hold limit fires on Restate with no one calling
    const fired = await until(async () => {
      const now = (await a.call('GET', `/runs/${r.id}?journal=true`)).body;
      expect(now.view.step).toBe('check-back');
      return now;
    });
    expect(fired.journal.filter((e: { type: string }) => e.type === 'limit-fired')).toHaveLength(1);

    // a second serve process on the same Restate: the same run, same revision and journal
    const b = await serve();
    const seen = (await b.call('GET', `/runs/${r.id}?journal=true`)).body;
    expect(seen).toMatchObject({ revision: fired.revision, journal: fired.journal });
    expect((await b.call('GET', '/runs?step=check-back')).body.runs.map((x: { id: string }) => x.id)).toContain(r.id);
    // the first one killed: the second goes on
    await a.kill();
    const moved = (await b.call('POST', `/runs/${r.id}/moves`, { complete: true, expect: { revision: fired.revision } })).body;
    expect(moved.view.step).toBe('hold');
    expect(crmLines().filter((l) => l.startsWith('start'))).toHaveLength(1); // the action ran once
  }, 120_000);

  it('refuses to start without the Restate options it needs (exit 2, saying which)', async () => {
    const noIngress = await serveFails([SOPS, '--actions', CRM, '--engine', 'restate']);
    expect(noIngress.code).toBe(2);
    expect(noIngress.output).toMatch(/--restate <ingress-url>/);
    const noAdmin = await serveFails([SOPS, '--actions', CRM, '--engine', 'restate', '--restate', restate.ingress]);
    expect(noAdmin.code).toBe(2);
    expect(noAdmin.output).toMatch(/--admin/);
  }, 60_000);
});
