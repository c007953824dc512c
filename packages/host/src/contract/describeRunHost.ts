import { afterEach, describe, expect, it } from 'vitest';
import { readCompiledSop, toMachineConfig, type SopMachineConfig } from '@sopflow/compiler';
import { replayJournal, type JournalEntry } from '@sopflow/runtime';
import { HostError } from '../HostError.js';
import type { HostAction, HostActionCall, RunHost, RunRecord } from '../RunHost.js';
import { deskSop, ticketSop } from './suiteSops.js';

/** What a host factory is given: the builds to serve, the actions to bind, the options to set. */
export interface HostFactoryContext {
  sops: SopMachineConfig[];
  actions: Record<string, HostAction>;
  /** refuse moves on a step with a `role` unless `by` has it */
  enforceRoles: boolean;
}

export interface HostUnderTest {
  host: RunHost;
  /** a durable host: closes this one and opens another on the same storage */
  reopen?: () => Promise<RunHost>;
  /** removes what the host left (files, processes) */
  cleanup?: () => Promise<void>;
}

export type HostFactory = (context: HostFactoryContext) => Promise<HostUnderTest>;

/** The suite's fake CRM: every call, by idempotency key. `meta.failTimes` makes an action fail
 *  that many tries before it succeeds. */
export class FakeCrm {
  readonly calls: HostActionCall[] = [];
  readonly actions: Record<string, HostAction> = {
    'crm.save-notes': (call) => this.handle(call),
    'crm.open-ticket': (call) => this.handle(call),
  };

  private async handle(call: HostActionCall): Promise<void> {
    this.calls.push(call);
    const failTimes = (call.meta as { failTimes?: number } | undefined)?.failTimes ?? 0;
    if (call.attempt <= failTimes) throw new Error(`CRM unavailable (try ${call.attempt})`);
  }

  /** Successful runs of each request (a key counted once however many tries it took). */
  applied(): Map<string, number> {
    const out = new Map<string, number>();
    for (const c of this.calls) {
      const failTimes = (c.meta as { failTimes?: number } | undefined)?.failTimes ?? 0;
      if (c.attempt > failTimes) out.set(c.key, (out.get(c.key) ?? 0) + 1);
    }
    return out;
  }
}

/** Polls until `check` passes (or fails after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof HostError) return error.code;
    throw error;
  }
  return 'accepted';
}

/**
 * The host contract, as tests: every host (in memory, SQLite, Restate) runs this one suite.
 * Limits in it are 1 s long, so it runs on real time on every host.
 */
export function describeRunHost(name: string, factory: HostFactory): void {
  const desk = toMachineConfig(deskSop(), { procedures: { ticket: ticketSop } });
  const ticket = toMachineConfig(ticketSop);
  let live: HostUnderTest[] = [];

  async function setUp(options: { enforceRoles?: boolean } = {}) {
    const crm = new FakeCrm();
    const made = await factory({ sops: [desk, ticket], actions: crm.actions, enforceRoles: options.enforceRoles === true });
    live.push(made);
    return { ...made, crm };
  }

  afterEach(async () => {
    for (const made of live) await made.host.close().catch(() => {});
    for (const made of live) await made.cleanup?.();
    live = [];
  });

  /** identify -> triage: Yes -> hold */
  async function toHold(host: RunHost, record: RunRecord): Promise<RunRecord> {
    let r = await host.move(record.id, { record: { customer_id: 'C-1', issue: 'billing' }, by: 'ana' });
    r = await host.move(r.id, { complete: true, by: 'ana' });
    return host.move(r.id, { choose: 'Yes', by: 'ana' });
  }

  describe(`${name}: the run host contract`, () => {
    it('serves its SOPs, newest build first for new runs', async () => {
      const { host } = await setUp();
      const sops = await host.sops();
      expect(sops).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ id: 'desk', version: '1.0.0', title: 'Help desk call', hash: desk.meta.sopflow.hash, newest: true }),
          expect.objectContaining({ id: 'ticket', newest: true }),
        ]),
      );
    });

    it('start: a run at the first step, revision 1, with its meta; unknown SOPs, taken ids and bad options refused', async () => {
      const { host } = await setUp();
      const r = await host.start('desk', { meta: { ticket: 'T-1' }, by: 'ana' });
      expect(r).toMatchObject({
        sop: { id: 'desk', version: '1.0.0', hash: desk.meta.sopflow.hash, title: 'Help desk call' },
        revision: 1,
        status: 'active',
        meta: { ticket: 'T-1' },
        pendingActions: 0,
        view: { step: 'identify', kind: 'task', role: 'CSR' },
      });
      expect(Date.parse(r.createdAt)).toBeGreaterThan(0);
      expect((await host.get(r.id)).revision).toBe(1);
      expect(await codeOf(host.start('nope'))).toBe('unknown-sop');
      const named = await host.start('desk', { id: 'call-1' });
      expect(named.id).toBe('call-1');
      expect(await codeOf(host.start('desk', { id: 'call-1' }))).toBe('exists');
      expect(await codeOf(host.start('desk', { by: 42 } as never))).toBe('bad-request');
      expect(await codeOf(host.start('desk', 'x' as never))).toBe('bad-request');
    });

    it('move: each accepted move is one revision; who moved is journaled', async () => {
      const { host } = await setUp();
      const r0 = await host.start('desk');
      const r1 = await host.move(r0.id, { record: { customer_id: 'C-1' }, by: 'ana' }, { expect: { revision: 1 } });
      expect(r1.revision).toBe(2);
      const r2 = await host.move(r0.id, { complete: true, by: 'ana' }, { expect: { revision: 2 } });
      expect(r2).toMatchObject({ revision: 3, view: { step: 'triage', choices: ['Yes', 'No'] } });
      const { journal } = await host.get(r0.id, { journal: true });
      expect(journal!.filter((e) => e.by === 'ana').map((e) => e.type)).toEqual(['recorded', 'step-left', 'step-entered']);
    });

    it('a refused move says its code and changes nothing; so does a stale one', async () => {
      const { host } = await setUp();
      const r = await host.start('desk');
      const before = await host.get(r.id, { journal: true });
      expect(await codeOf(host.move(r.id, { complete: true }))).toBe('missing-field');
      expect(await codeOf(host.move(r.id, { choose: 'Yes' }))).toBe('not-a-decision');
      expect(await codeOf(host.move(r.id, { record: { customer_id: 7 } }))).toBe('invalid-value');
      expect(await codeOf(host.move(r.id, { jump: true } as never))).toBe('invalid-move');
      expect(await codeOf(host.move(r.id, { record: { customer_id: 'C-1' } }, { expect: { revision: 7 } }))).toBe('stale');
      expect(await codeOf(host.move(r.id, { record: { customer_id: 'C-1' } }, { expect: 'x' } as never))).toBe('bad-request');
      expect(await host.get(r.id, { journal: true })).toEqual(before);
      expect((await host.get(r.id)).revision).toBe(1);
    });

    it('two moves expecting the same revision: one is taken, the other is stale', async () => {
      const { host } = await setUp();
      const r = await host.start('desk');
      await host.move(r.id, { record: { customer_id: 'C-1' } });
      const results = await Promise.allSettled([
        host.move(r.id, { complete: true, by: 'ana' }, { expect: { revision: 2 } }),
        host.move(r.id, { complete: true, by: 'bo' }, { expect: { revision: 2 } }),
      ]);
      expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
      expect(rejected).toHaveLength(1);
      expect((rejected[0]!.reason as HostError).code).toBe('stale');
      const after = await host.get(r.id, { journal: true });
      expect(after).toMatchObject({ revision: 3, view: { step: 'triage' } });
      expect(after.journal!.filter((e) => e.type === 'step-left')).toHaveLength(1);
    });

    it('not-found for a run that does not exist; bad-request for a malformed id', async () => {
      const { host } = await setUp();
      expect(await codeOf(host.get('no-such-run'))).toBe('not-found');
      expect(await codeOf(host.move('no-such-run', { complete: true }))).toBe('not-found');
      expect(await codeOf(host.cancel('no-such-run'))).toBe('not-found');
      expect(await codeOf(host.get(''))).toBe('bad-request');
      expect(await codeOf(host.get(42 as never))).toBe('bad-request');
    });

    it('list: what waits on whom, filtered and paged', async () => {
      const { host } = await setUp();
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) ids.push((await host.start('desk', { id: `run-${i}` })).id);
      await host.move('run-0', { record: { customer_id: 'C-0' } });
      await host.move('run-0', { complete: true });
      await host.cancel('run-4', { reason: 'test' });
      const atIdentify = await host.list({ step: 'identify' });
      expect(atIdentify.runs.map((r) => r.id).sort()).toEqual(['run-1', 'run-2', 'run-3']);
      expect((await host.list({ role: 'CSR' })).runs.map((r) => r.id).sort()).toEqual(['run-1', 'run-2', 'run-3']);
      expect((await host.list({ status: 'cancelled' })).runs.map((r) => r.id)).toEqual(['run-4']);
      expect((await host.list({ sop: 'ticket' })).runs).toEqual([]);
      const seen: string[] = [];
      let page = await host.list({ limit: 2 });
      for (;;) {
        expect(page.runs.length).toBeLessThanOrEqual(2);
        seen.push(...page.runs.map((r) => r.id));
        if (!page.next) break;
        page = await host.list({ limit: 2, after: page.next });
      }
      expect(seen.sort()).toEqual(ids.sort());
      expect(await codeOf(host.list({ limit: 0 }))).toBe('bad-request');
      expect(await codeOf(host.list({ status: 'lost' } as never))).toBe('bad-request');
      expect(await codeOf(host.list({ after: 'not-a-cursor' }))).toBe('bad-request');
    });

    it('a time limit fires at its deadline with no one holding the run, journaled with the deadline it served', async () => {
      const { host } = await setUp();
      const r = await toHold(host, await host.start('desk'));
      expect(r.view).toMatchObject({ step: 'hold', limit: { after: '1s' } });
      expect(r.deadline).toBeDefined();
      expect((await host.list({ dueBefore: Date.now() + 5_000 })).runs.map((x) => x.id)).toContain(r.id);
      const fired = await eventually(async () => {
        const now = await host.get(r.id, { journal: true });
        expect(now.view.step).toBe('check-back');
        return now;
      });
      const entry = fired.journal!.find((e) => e.type === 'limit-fired')!;
      expect(entry).toMatchObject({ step: 'hold', after: '1s', deadline: r.deadline });
      expect(entry.by).toBeUndefined();
      expect(fired.revision).toBe(r.revision + 1);
    });

    it('a limit the run has moved past never fires; a limit entered again is armed again, for its new deadline', async () => {
      const { host } = await setUp();
      // moved past: hold -> resolve before the second is up
      const past = await toHold(host, await host.start('desk'));
      const moved = await host.move(past.id, { complete: true }, { expect: { revision: past.revision } });
      expect(moved.view.step).toBe('resolve');
      expect(moved.deadline).toBeUndefined();
      // round the loop: hold -> (fires) check-back -> hold again -> (fires again)
      const loop = await toHold(host, await host.start('desk'));
      await eventually(async () => expect((await host.get(loop.id)).view.step).toBe('check-back'));
      const again = await host.move(loop.id, { complete: true });
      expect(again.view.step).toBe('hold');
      expect(Date.parse(again.deadline!)).toBeGreaterThan(Date.parse(loop.deadline!));
      const twice = await eventually(async () => {
        const now = await host.get(loop.id, { journal: true });
        expect(now.view.step).toBe('check-back');
        return now;
      });
      expect(twice.journal!.filter((e) => e.type === 'limit-fired').map((e) => e.deadline)).toEqual([loop.deadline, again.deadline]);
      // by now the first run's limit is long past: it did not fire
      const still = await host.get(past.id, { journal: true });
      expect(still).toMatchObject({ revision: moved.revision, view: { step: 'resolve' } });
      expect(still.journal!.filter((e) => e.type === 'limit-fired')).toEqual([]);
    });

    it('an action runs once per request, after the move, with its idempotency key, the data and the meta', async () => {
      const { host, crm } = await setUp();
      let r = await toHold(host, await host.start('desk', { meta: { ticket: 'T-9' } }));
      r = await host.move(r.id, { complete: true }, { expect: { revision: r.revision } });
      r = await host.move(r.id, { complete: true, by: 'ana' });
      expect(r).toMatchObject({ status: 'done', outcome: 'resolved' });
      const done = await eventually(async () => {
        const now = await host.get(r.id, { journal: true });
        expect(now.pendingActions).toBe(0);
        return now;
      });
      const requested = done.journal!.findIndex((e) => e.type === 'action-requested');
      expect(done.journal!.at(-1)).toMatchObject({ type: 'action-done', action: 'crm.save-notes', ref: requested });
      expect(crm.calls).toEqual([
        expect.objectContaining({
          key: `${r.id}:${requested}`,
          runId: r.id,
          action: 'crm.save-notes',
          step: 'resolve',
          sop: 'desk',
          attempt: 1,
          by: 'ana',
          data: { customer_id: 'C-1', issue: 'billing' },
          meta: { ticket: 'T-9' },
        }),
      ]);
      expect(done.revision).toBe(r.revision + 1);
    });

    it('a failing action is retried with backoff under the same key; one that keeps failing is journaled as failed', async () => {
      const { host, crm } = await setUp();
      const flaky = await toHold(host, await host.start('desk', { meta: { failTimes: 2 } }));
      await host.move(flaky.id, { complete: true });
      await host.move(flaky.id, { complete: true });
      const recovered = await eventually(async () => {
        const now = await host.get(flaky.id, { journal: true });
        expect(now.journal!.at(-1)!.type).toBe('action-done');
        return now;
      });
      const keys = crm.calls.filter((c) => c.runId === flaky.id).map((c) => [c.key, c.attempt]);
      expect(keys.map(([, a]) => a)).toEqual([1, 2, 3]);
      expect(new Set(keys.map(([k]) => k)).size).toBe(1);
      expect(recovered.pendingActions).toBe(0);

      const broken = await toHold(host, await host.start('desk', { meta: { failTimes: 1_000 } }));
      await host.move(broken.id, { complete: true });
      const done = await host.move(broken.id, { complete: true });
      expect(done.outcome).toBe('resolved'); // the move stands
      const failed = await eventually(async () => {
        const now = await host.get(broken.id, { journal: true });
        expect(now.journal!.at(-1)!.type).toBe('action-failed');
        return now;
      }, 60_000);
      expect(failed.journal!.at(-1)!.error).toMatch(/CRM unavailable/);
      expect(failed.pendingActions).toBe(0);
    }, 90_000);

    it('a sub-procedure gets its data and gives data back; a waiting step moves on its signal', async () => {
      const { host, crm } = await setUp();
      let r = await host.start('desk');
      r = await host.move(r.id, { record: { customer_id: 'C-5', issue: 'technical' } });
      r = await host.move(r.id, { complete: true });
      expect(r.view).toMatchObject({ step: 'create', sop: 'ticket', data: { customer_number: 'C-5' } });
      r = await host.move(r.id, { record: { case_no: 'K-1' } });
      r = await host.move(r.id, { complete: true });
      expect(r.view).toMatchObject({ step: 'wait-ack', kind: 'wait', until: 'acknowledged', data: { case_number: 'K-1' } });
      expect(await codeOf(host.move(r.id, { complete: true }))).toBe('needs-signal');
      expect(await codeOf(host.move(r.id, { signal: 'closed' }))).toBe('not-awaited');
      r = await host.move(r.id, { signal: 'acknowledged', by: 'queue' });
      expect(r.view.step).toBe('approve');
      await eventually(async () => expect(crm.calls.map((c) => c.action)).toEqual(['crm.open-ticket']));
      expect(crm.calls[0]!.data).toMatchObject({ customer_number: 'C-5', case_no: 'K-1' });
    });

    it('cancel: the run stops without an outcome and takes no more moves', async () => {
      const { host } = await setUp();
      const r = await host.start('desk');
      expect(await codeOf(host.cancel(r.id, { expect: { revision: 5 } }))).toBe('stale');
      const c = await host.cancel(r.id, { reason: 'caller hung up', by: { id: 'ana' } });
      expect(c).toMatchObject({ status: 'cancelled', revision: 2 });
      expect(await codeOf(host.move(r.id, { record: { customer_id: 'C-1' } }))).toBe('run-finished');
      expect(await codeOf(host.cancel(r.id))).toBe('run-finished');
      const { journal } = await host.get(r.id, { journal: true });
      expect(journal!.at(-1)).toMatchObject({ type: 'run-cancelled', reason: 'caller hung up', by: 'ana' });
    });

    it('a run finishes on the build it started with; new runs start on the newest; a live run migrates when it can', async () => {
      const { host } = await setUp();
      const old = await host.start('desk');
      const v2 = toMachineConfig(deskSop('1.1.0', 'Return to the caller, apologise and thank them.'), {
        procedures: { ticket: ticketSop },
      });
      const published = await host.publish(v2);
      expect(published).toMatchObject({ id: 'desk', version: '1.1.0', newest: true });
      expect((await host.sops()).filter((s) => s.id === 'desk')).toHaveLength(2);
      expect((await host.get(old.id)).sop.version).toBe('1.0.0');
      const fresh = await host.start('desk');
      expect(fresh.sop).toMatchObject({ version: '1.1.0', hash: v2.meta.sopflow.hash });
      const moved = await host.migrate(old.id, { by: { id: 'ops' } });
      expect(moved).toMatchObject({ sop: { version: '1.1.0' }, revision: old.revision + 1, view: { step: 'identify' } });
      const { journal } = await host.get(old.id, { journal: true });
      expect(journal!.at(-1)).toMatchObject({ type: 'migrated', by: 'ops', from: { version: '1.0.0' }, to: { version: '1.1.0' } });
      // a build without the step the run is at: refused with reasons, nothing changes
      const stuck = await toHold(host, await host.start('desk'));
      const v3sop = deskSop('2.0.0');
      v3sop.instructions = v3sop.instructions
        .filter((s) => s.id !== 'hold' && s.id !== 'check-back')
        .map((s) =>
          s.id === 'triage'
            ? {
                ...s,
                choices: [
                  { answer: 'Yes', next: 'resolve' },
                  { answer: 'No', next: 'hand-off' },
                  { when: { field: 'issue', equals: 'technical' }, next: 'escalate-case' },
                ],
              }
            : s,
        );
      await host.publish(toMachineConfig(v3sop, { procedures: { ticket: ticketSop } }));
      expect(await codeOf(host.migrate(stuck.id))).toBe('cannot-migrate');
      expect((await host.get(stuck.id)).revision).toBe(stuck.revision);
      expect(await codeOf(host.publish({ not: 'a config' } as never))).toBe('invalid-input');
    });

    it('the journal of a finished run replays to the same outcome on its build', async () => {
      const { host } = await setUp();
      const r = await host.start('desk');
      await host.move(r.id, { record: { customer_id: 'C-1' } });
      await host.move(r.id, { complete: true });
      const done = await host.move(r.id, { choose: 'No' });
      const finished = await host.move(done.id, { complete: true });
      expect(finished.outcome).toBe('transferred');
      const { journal, sop } = await host.get(r.id, { journal: true });
      const compiled = readCompiledSop(sop.hash === desk.meta.sopflow.hash ? desk : ticket);
      const startedAt = Date.parse(journal![0]!.at);
      const replayed = replayJournal(compiled, journal as JournalEntry[], startedAt);
      expect(typeof replayed).not.toBe('string');
      expect(replayed).toMatchObject({ status: 'done', outcome: 'transferred' });
    });

    it('with roles enforced, a step with a role refuses an actor without it', async () => {
      const { host } = await setUp({ enforceRoles: true });
      const r = await host.start('desk');
      expect(await codeOf(host.move(r.id, { record: { customer_id: 'C-1' } }, { by: { id: 'bo', roles: ['Team lead'] } }))).toBe(
        'role-required',
      );
      expect((await host.move(r.id, { record: { customer_id: 'C-1' } }, { by: { id: 'ana', roles: ['CSR'] } })).revision).toBe(2);
      // credentials win over what the move says
      expect(await codeOf(host.move(r.id, { complete: true, by: { id: 'ana', roles: ['CSR'] } }, { by: { id: 'eve', roles: [] } }))).toBe(
        'role-required',
      );
    });

    it('a durable host: after a restart, every run is as it was, and a limit that passed meanwhile fires at once', async () => {
      const made = await setUp();
      if (!made.reopen) return; // an in-memory host has nothing to reopen
      const r = await toHold(made.host, await made.host.start('desk', { meta: { ticket: 'T-2' } }));
      const before = await made.host.get(r.id, { journal: true });
      await made.host.close();
      await new Promise((res) => setTimeout(res, 1_300)); // the hold limit passes while the host is down
      const host = await made.reopen();
      live.push({ host });
      const after = await eventually(async () => {
        const now = await host.get(r.id, { journal: true });
        expect(now.view.step).toBe('check-back');
        return now;
      });
      expect(after.journal!.slice(0, before.journal!.length)).toEqual(before.journal);
      const fired = after.journal!.find((e) => e.type === 'limit-fired')!;
      expect(Date.parse(fired.at)).toBeGreaterThan(Date.parse(fired.deadline!));
      expect(after.meta).toEqual({ ticket: 'T-2' });
    });
  });
}
