import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, serveFails, startServe, type ServeProcess } from './serveProcess.js';

/*
 * `sopflow serve` as a process: killed with SIGKILL in the middle of moves and of actions,
 * restarted on the same database. Nothing lost, nothing applied twice, missed limits fire.
 */
const dir = mkdtempSync(path.join(tmpdir(), 'sopflow-serve-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let live: ServeProcess[] = [];
afterEach(async () => {
  for (const p of live) if (p.child.exitCode === null) await p.kill();
  live = [];
});

const SOPS = path.join(FIXTURES, 'sops');
const CRM = path.join(FIXTURES, 'crm.mjs');
let n = 0;
function files() {
  n++;
  return { db: path.join(dir, `runs-${n}.db`), crm: path.join(dir, `crm-${n}.log`) };
}
async function serve(db: string, crm: string, env: Record<string, string> = {}, extra: string[] = []) {
  const p = await startServe([SOPS, '--db', db, '--port', '0', '--actions', CRM, '--rate-limit', '0', ...extra], { CRM_FILE: crm, ...env });
  live.push(p);
  return p;
}
const crmLines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);
const stable = (r: any) => ({
  revision: r.revision,
  status: r.status,
  step: r.view.step,
  journal: r.journal,
  pendingActions: r.pendingActions,
  meta: r.meta,
});
async function until<T>(check: () => Promise<T>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > end) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe('sopflow serve, killed and restarted', () => {
  it('SIGKILL mid-action: after a restart the action runs again under the same key and completes exactly once', async () => {
    const { db, crm } = files();
    let p = await serve(db, crm, { CRM_DELAY_MS: '60000' }); // the CRM hangs until the kill
    let r = (await p.call('POST', '/runs', { sop: 'desk', meta: { ticket: 'T-1' } })).body;
    r = (await p.call('POST', `/runs/${r.id}/moves`, { record: { customer_id: 'C-1' }, by: 'ana' })).body;
    r = (await p.call('POST', `/runs/${r.id}/moves`, { complete: true, by: 'ana' })).body;
    r = (await p.call('POST', `/runs/${r.id}/moves`, { complete: true, by: 'ana', expect: { revision: r.revision } })).body;
    expect(r).toMatchObject({ view: { step: 'hold' }, pendingActions: 1 });
    await until(async () => expect(crmLines(crm)).toHaveLength(1)); // the CRM call has started
    const before = stable((await p.call('GET', `/runs/${r.id}?journal=true`)).body);
    expect(await p.kill()).toBe(null); // killed, not exited
    expect(crmLines(crm)).toEqual([expect.stringMatching(/^start \S+ 1$/)]);

    p = await serve(db, crm);
    const after = await until(async () => {
      const now = (await p.call('GET', `/runs/${r.id}?journal=true`)).body;
      expect(now.pendingActions).toBe(0);
      return now;
    });
    const key = crmLines(crm)[0]!.split(' ')[1]!;
    expect(crmLines(crm)).toEqual([`start ${key} 1`, `start ${key} 2`, `done ${key}`]);
    expect(after.journal.slice(0, before.journal.length)).toEqual(before.journal);
    expect(after.journal.filter((e: any) => e.type === 'action-done')).toEqual([
      expect.objectContaining({ action: 'crm.save-notes', ref: Number(key.split(':').at(-1)) }),
    ]);
    expect(after.revision).toBe(before.revision + 1);
    // a second restart runs nothing again
    await p.kill();
    p = await serve(db, crm);
    await new Promise((res) => setTimeout(res, 300));
    expect(crmLines(crm).filter((l) => l.startsWith('done'))).toHaveLength(1);
    const actionEntries = (j: any[]) => j.filter((e) => e.type.startsWith('action-'));
    expect(actionEntries((await p.call('GET', `/runs/${r.id}?journal=true`)).body.journal)).toEqual(actionEntries(after.journal));
  }, 60_000);

  it('SIGKILL mid-move: every acknowledged move is there, none twice, and quiet runs come back exactly as they were', async () => {
    const { db, crm } = files();
    let p = await serve(db, crm);
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await p.call('POST', '/runs', { sop: 'desk', id: `run-${i}` })).body.id);
    // half the runs go quiet at a known state
    for (const id of ids.slice(0, 10)) await p.call('POST', `/runs/${id}/moves`, { record: { customer_id: id }, by: 'ana' });
    const quiet = new Map<string, any>();
    for (const id of ids.slice(0, 10)) quiet.set(id, stable((await p.call('GET', `/runs/${id}?journal=true`)).body));
    // the other half are being recorded into, over and over, when the server is killed
    const acknowledged = new Map<string, number>();
    let stop = false;
    const writers = ids.slice(10).map(async (id) => {
      for (let i = 0; !stop; i++) {
        try {
          const answer = await p.call('POST', `/runs/${id}/moves`, { record: { customer_id: `${id}-${i}` }, by: 'ana' });
          if (answer.status === 200) acknowledged.set(id, answer.body.revision);
        } catch {
          return; // the connection died with the server
        }
      }
    });
    await new Promise((res) => setTimeout(res, 400));
    await p.kill();
    stop = true;
    await Promise.all(writers);
    expect([...acknowledged.values()].every((rev) => rev > 1)).toBe(true);

    p = await serve(db, crm);
    for (const [id, before] of quiet) expect(stable((await p.call('GET', `/runs/${id}?journal=true`)).body)).toEqual(before);
    for (const id of ids.slice(10)) {
      const now = (await p.call('GET', `/runs/${id}?journal=true`)).body;
      const acked = acknowledged.get(id) ?? 1;
      // at most the one move in flight when it died landed without its answer
      expect(now.revision === acked || now.revision === acked + 1, `${id}: ${now.revision} vs ${acked}`).toBe(true);
      expect(now.journal.filter((e: any) => e.type === 'recorded')).toHaveLength(now.revision - 1);
      expect(now.view.step).toBe('identify');
    }
  }, 60_000);

  it('a limit that passed while the server was down fires at start-up', async () => {
    const { db, crm } = files();
    let p = await serve(db, crm);
    let r = (await p.call('POST', '/runs', { sop: 'desk' })).body;
    r = (await p.call('POST', `/runs/${r.id}/moves`, { record: { customer_id: 'C-1' } })).body;
    r = (await p.call('POST', `/runs/${r.id}/moves`, { complete: true })).body;
    r = (await p.call('POST', `/runs/${r.id}/moves`, { complete: true })).body;
    expect(r).toMatchObject({ view: { step: 'hold', limit: { after: '2s' } } });
    await p.kill();
    await new Promise((res) => setTimeout(res, 2_500));
    p = await serve(db, crm);
    const now = (await p.call('GET', `/runs/${r.id}?journal=true`)).body; // no waiting: fired before it listened
    expect(now.view.step).toBe('check-back');
    const fired = now.journal.find((e: any) => e.type === 'limit-fired');
    expect(fired).toMatchObject({ step: 'hold', deadline: r.deadline });
    expect(Date.parse(fired.at)).toBeGreaterThan(Date.parse(fired.deadline) + 400);
    // the fired limit, and the action's result (journaled before the kill, or after the restart)
    await until(async () =>
      expect((await p.call('GET', `/runs/${r.id}`)).body).toMatchObject({ pendingActions: 0, revision: r.revision + 2 }),
    );
  }, 60_000);

  it('two concurrent moves expecting the same revision: one 200, one 409, one step moved', async () => {
    const { db, crm } = files();
    const p = await serve(db, crm);
    let r = (await p.call('POST', '/runs', { sop: 'desk' })).body;
    r = (await p.call('POST', `/runs/${r.id}/moves`, { record: { customer_id: 'C-1' } })).body;
    const answers = await Promise.all(
      [1, 2].map(() => p.call('POST', `/runs/${r.id}/moves`, { complete: true, expect: { revision: r.revision } })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)!.body).toMatchObject({ error: { code: 'stale' } });
    const now = (await p.call('GET', `/runs/${r.id}?journal=true`)).body;
    expect(now).toMatchObject({ revision: r.revision + 1, view: { step: 'save' } });
    expect(now.journal.filter((e: any) => e.type === 'step-left')).toHaveLength(1);
  }, 30_000);
});

describe('sopflow serve, access', () => {
  it('with tokens: 401 without one, 403 without the role, by from the token; each refusal leaves the run unchanged', async () => {
    const { db, crm } = files();
    const p = await serve(db, crm, {}, ['--tokens', path.join(FIXTURES, 'tokens.json')]);
    const ana = { authorization: 'Bearer csr-token-for-the-fault-tests' };
    const gus = { authorization: 'Bearer guest-token-for-the-fault-tests' };
    expect((await p.call('POST', '/runs', { sop: 'desk' })).status).toBe(401);
    const r = (await p.call('POST', '/runs', { sop: 'desk', by: 'mallory' }, ana)).body;
    const before = (await p.call('GET', `/runs/${r.id}?journal=true`, undefined, ana)).body;
    expect(await p.call('POST', `/runs/${r.id}/moves`, { record: { customer_id: 'C-1' } })).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthorized' } },
    });
    expect(await p.call('POST', `/runs/${r.id}/moves`, { record: { customer_id: 'C-1' } }, gus)).toMatchObject({
      status: 403,
      body: { error: { code: 'role-required' } },
    });
    expect((await p.call('GET', `/runs/${r.id}?journal=true`, undefined, ana)).body).toEqual({ ...before, view: { ...before.view } });
    const moved = await p.call('POST', `/runs/${r.id}/moves`, { record: { customer_id: 'C-1' }, by: 'mallory' }, ana);
    expect(moved.status).toBe(200);
    const journal = (await p.call('GET', `/runs/${r.id}?journal=true`, undefined, ana)).body.journal;
    expect(journal.filter((e: any) => e.by).map((e: any) => e.by)).toEqual(['ana', 'ana']);
    expect(p.output()).not.toContain('token-for-the-fault-tests');
  }, 30_000);

  it('does not start: beyond loopback without tokens, a folder with errors, unbound actions, another server on the same database', async () => {
    const { db, crm } = files();
    const wide = await serveFails([SOPS, '--db', db, '--port', '0', '--host', '0.0.0.0', '--actions', CRM]);
    expect(wide.code).toBe(2);
    expect(wide.output).toMatch(/refusing to listen on 0\.0\.0\.0 without credentials/);

    const broken = await serveFails([path.join(FIXTURES, 'broken'), '--db', db, '--port', '0']);
    expect(broken.code).toBe(1);
    expect(broken.output).toMatch(/bad\.sop\.yaml:7:11/);
    expect(broken.output).toMatch(/unknown-step/);
    expect(broken.output).toMatch(/does not start/);

    const unbound = await serveFails([SOPS, '--db', db, '--port', '0']);
    expect(unbound.code).toBe(1);
    expect(unbound.output).toMatch(/desk: crm\.save-notes/);
    expect(unbound.output).toMatch(/--actions/);

    const restate = await serveFails([SOPS, '--db', db, '--port', '0', '--actions', CRM, '--engine', 'restate']);
    expect(restate.code).toBe(2);
    expect(restate.output).toMatch(/--engine restate needs --restate <ingress-url>/); // serveRestate.test.ts runs it for real

    const first = await serve(db, crm);
    const second = await serveFails([SOPS, '--db', db, '--port', '0', '--actions', CRM]);
    expect(second.code).toBe(2);
    expect(second.output).toMatch(/in use by another host/);
    expect((await first.call('GET', '/health')).status).toBe(200);
    writeFileSync(crm, '');
  }, 60_000);

  it('serves examples/customer-service with its actions module', async () => {
    const { db } = files();
    const examples = path.resolve(FIXTURES, '../../../../../examples/customer-service');
    const p = await startServe([examples, '--db', db, '--port', '0', '--actions', path.join(examples, 'actions.mjs')], {
      SOPFLOW_ACTIONS_LOG: path.join(dir, 'actions.jsonl'),
    });
    live.push(p);
    const { body } = await p.call('GET', '/sops');
    expect(body.sops.map((s: any) => s.id)).toEqual(expect.arrayContaining(['inbound-call', 'warm-transfer', 'escalation']));
    const r = (await p.call('POST', '/runs', { sop: 'inbound-call', meta: { call: 'C-42' } })).body;
    expect(r.view).toMatchObject({ step: 'answer', role: 'CSR' });
  }, 30_000);

  it('stops cleanly on SIGTERM', async () => {
    const { db, crm } = files();
    const p = await serve(db, crm);
    const code = await p.kill('SIGTERM');
    expect([code, p.output()]).toEqual([0, expect.stringContaining('stopped')]);
    expect(p.output()).toContain('sopflow serve: stopped');
  }, 30_000);
});
