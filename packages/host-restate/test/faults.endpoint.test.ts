import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '@sopflow/host/contract';
import { RestateHost, registerDeployment } from '../src/index.js';
import { freePort } from '../src/server/index.js';
import { startCrm, type Crm } from './crm.js';
import { expectWholeJournal, saver } from './faultSops.js';
import { spawnFixture, type Child } from './processes.js';
import { freshNamespace, useRestateServer } from './restateServer.js';

/*
 * The sopflow endpoint killed with SIGKILL in the middle of a move and in the middle of an
 * action, then started again on the same address: every move is applied once, every action
 * request is applied once (by its key) and journaled once, and nothing is lost.
 */

const restate = useRestateServer();
let children: Child[] = [];
let crm: Crm | undefined;
let host: RestateHost | undefined;

afterEach(async () => {
  for (const child of children) await child.kill();
  children = [];
  await host?.close();
  await crm?.close();
  host = undefined;
  crm = undefined;
});

async function setUp() {
  crm = await startCrm();
  const namespace = freshNamespace('kill');
  const port = await freePort();
  const endpoint = async (extra: Record<string, unknown> = {}) => {
    const child = await spawnFixture('endpointProcess', {
      ingress: restate.server.ingress,
      namespace,
      port,
      crm: crm!.url,
      actions: ['crm.save'],
      ...extra,
    });
    children.push(child);
    await child.waitFor(/^ready /);
    return child;
  };
  const first = await endpoint();
  await registerDeployment(restate.server.admin, `http://127.0.0.1:${port}`);
  host = new RestateHost({ ingress: restate.server.ingress, namespace, timeoutMs: 120_000 });
  await host.publish(saver);
  return { host, crm, first, endpoint };
}

describe('the endpoint killed with SIGKILL', () => {
  it('mid-action: the action runs again under the same key, is applied once and journaled once', async () => {
    const { host, crm, first, endpoint } = await setUp();
    const runs = await Promise.all(
      Array.from({ length: 6 }, (_, i) => host.start('saver', { id: `act-${i}`, meta: { ticket: `T-${i}` } })),
    );
    crm.hold = true;
    const moved = await Promise.all(runs.map((r) => host.move(r.id, { complete: true, by: 'ana' }, { expect: { revision: 1 } })));
    for (const r of moved) expect(r).toMatchObject({ revision: 2, pendingActions: 1, view: { step: 'confirm' } });
    // every action has reached the CRM, which applied it; none has heard back
    await eventually(async () => expect(crm.waiting).toBe(runs.length));
    await first.kill('SIGKILL');
    crm.release();
    crm.hold = false;
    await endpoint();
    for (const r of runs) {
      const done = await eventually(async () => {
        const now = await host.get(r.id, { journal: true });
        expect(now.pendingActions).toBe(0);
        return now;
      }, 60_000);
      expect(done.revision).toBe(3);
      expect(done.journal!.filter((e) => e.type === 'action-done')).toHaveLength(1);
      expectWholeJournal(done, saver);
      const key = `${r.id}:${done.journal!.findIndex((e) => e.type === 'action-requested')}`;
      const received = crm.calls.filter((c) => c.key === key);
      expect(received).toHaveLength(2); // the first try, before the kill, and once more after it
      expect(received.every((c) => c.attempt === 1 && c.meta !== undefined)).toBe(true);
      expect(crm.applied.get(key)).toBe(1);
    }
    expect(crm.applied.size).toBe(runs.length);
  }, 120_000);

  it('mid-move: every move waiting on the dead endpoint is applied once when it is back, and its action once', async () => {
    const { host, crm, first, endpoint } = await setUp();
    const runs = await Promise.all(Array.from({ length: 8 }, (_, i) => host.start('saver', { id: `move-${i}` })));
    await first.kill('SIGKILL');
    // this endpoint writes each run's state, then holds the index write: the moves hang half done
    const stalling = await endpoint({ stall: 'index-put' });
    // each move leaves a step (so it writes the index) and requests an action
    const moves = runs.map((r) => host.move(r.id, { complete: true, by: 'bo' }, { expect: { revision: 1 } }));
    const settled = Promise.allSettled(moves);
    let answered = 0;
    for (const m of moves)
      void m.then(
        () => answered++,
        () => answered++,
      );
    await stalling.waitFor(/^stalled /);
    await new Promise((r) => setTimeout(r, 500)); // let the other moves get as far as they can
    expect(answered).toBe(0); // every move is under way, none has answered
    await stalling.kill('SIGKILL');
    await endpoint();
    const results = await settled;
    for (const [i, result] of results.entries()) {
      expect(result.status, `move ${i}: ${result.status === 'rejected' ? String(result.reason) : ''}`).toBe('fulfilled');
      const record = (result as PromiseFulfilledResult<Awaited<(typeof moves)[number]>>).value;
      expect(record.revision).toBe(2);
    }
    for (const r of runs) {
      const now = await eventually(async () => {
        const got = await host.get(r.id, { journal: true });
        expect(got.pendingActions).toBe(0);
        return got;
      }, 60_000);
      expectWholeJournal(now, saver);
      expect(now.revision).toBe(3); // the move, then its action's result
      expect(now.journal!.filter((e) => e.type === 'step-left')).toHaveLength(1);
      expect(now.journal!.filter((e) => e.type === 'action-requested')).toHaveLength(1);
    }
    // the index holds every run at the step it is at now
    const listed = await host.list({ step: 'confirm', limit: 100 });
    expect(listed.runs.map((r) => r.id).sort()).toEqual(runs.map((r) => r.id).sort());
    expect((await host.list({ step: 'note' })).runs).toEqual([]);
    // each action was applied once
    expect([...crm.applied.values()].every((n) => n === 1)).toBe(true);
    expect(crm.applied.size).toBe(runs.length);
  }, 120_000);

  it('under load, killed at random moments three times: every move taken once, every action applied once', async () => {
    const { host, crm, first, endpoint } = await setUp();
    const runs = await Promise.all(Array.from({ length: 10 }, (_, i) => host.start('saver', { id: `load-${i}` })));
    const taken = new Map<string, string[]>();
    let stop = false;
    let inFlightAtKill = 0;
    const inFlight = new Set<string>();
    // every run takes moves without a pause until the kills are over, so each kill lands among them
    const work = Promise.all(
      runs.map(async (r) => {
        let revision = 1;
        for (let k = 0; !stop; k++) {
          const note = `${r.id}-${k}`;
          inFlight.add(r.id);
          revision = (await host.move(r.id, { record: { note } }, { expect: { revision } })).revision;
          inFlight.delete(r.id);
          taken.set(r.id, [...(taken.get(r.id) ?? []), note]);
        }
        await host.move(r.id, { complete: true }, { expect: { revision } });
      }),
    );
    let current = first;
    for (let kill = 0; kill < 3; kill++) {
      await new Promise((res) => setTimeout(res, 150 + Math.random() * 400));
      inFlightAtKill += inFlight.size;
      await current.kill('SIGKILL');
      current = await endpoint();
    }
    await new Promise((res) => setTimeout(res, 300));
    stop = true;
    await work;
    expect(inFlightAtKill).toBeGreaterThan(0);
    for (const r of runs) {
      const now = await eventually(async () => {
        const got = await host.get(r.id, { journal: true });
        expect(got.pendingActions).toBe(0);
        return got;
      }, 60_000);
      expectWholeJournal(now, saver);
      const notes = taken.get(r.id)!;
      expect(now).toMatchObject({ revision: 1 + notes.length + 1 + 1, view: { step: 'confirm' } });
      expect(now.journal!.filter((e) => e.type === 'recorded').map((e) => (e.data as { note: string }).note)).toEqual(notes);
      expect(now.journal!.filter((e) => e.type === 'action-done')).toHaveLength(1);
    }
    expect(crm.applied.size).toBe(runs.length);
    expect([...crm.applied.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);
});
