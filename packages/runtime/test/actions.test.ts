import { describe, expect, it } from 'vitest';
import { RunError, SimulatedClock, startRun, type ActionCall, type RunChange } from '../src/index.js';
import { loadFixture } from './loadFixture.js';

const hold = loadFixture('hold.sop.yaml');

/** greet -> identify -> triage: Yes -> research -> resolve (which runs crm.save-notes when done) */
function toResolve(action: (call: ActionCall) => unknown, onError?: (e: RunError) => void) {
  const clock = new SimulatedClock();
  const run = startRun(hold, { clock, actions: { 'crm.save-notes': action }, ...(onError ? { onError } : {}), id: 'r-1' });
  run.complete();
  run.record({ customer_id: 'C-1' });
  run.complete();
  run.choose('Yes');
  run.complete();
  return run;
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('bound actions', () => {
  it('an action may return a Promise: its result is journaled when it settles, and subscribers hear of it', async () => {
    let resolve!: () => void;
    const run = toResolve(
      () =>
        new Promise<void>((r) => {
          resolve = r;
        }),
    );
    const changes: RunChange[] = [];
    run.subscribe((_r, c) => changes.push(c));
    run.complete();
    const requested = run.journal.findIndex((e) => e.type === 'action-requested');
    expect(run.journal.some((e) => e.type === 'action-done')).toBe(false);
    resolve();
    await tick();
    expect(run.journal.at(-1)).toMatchObject({ type: 'action-done', action: 'crm.save-notes', ref: requested });
    expect(changes.map((c) => c.cause)).toEqual(['move', 'effect']);
  });

  it('a rejected Promise is journaled and reported to onError, never an unhandled rejection', async () => {
    const errors: RunError[] = [];
    const run = toResolve(
      () => Promise.reject(new Error('CRM down')),
      (e) => errors.push(e),
    );
    run.complete();
    await tick();
    expect(run.journal.at(-1)).toMatchObject({ type: 'action-failed', error: 'CRM down' });
    expect(errors.map((e) => [e.code, e.message])).toEqual([
      ['action-failed', 'action "crm.save-notes" of step "resolve" failed: CRM down'],
    ]);
    // without onError: journaled only (vitest fails the test on an unhandled rejection)
    const quiet = toResolve(() => Promise.reject(new Error('again')));
    quiet.complete();
    await tick();
    expect(quiet.journal.at(-1)).toMatchObject({ type: 'action-failed', error: 'again' });
    // a thenable that rejects with nothing, and one whose `then` throws
    const odd = toResolve(() => ({
      then: () => {
        throw new Error('bad then');
      },
    }));
    odd.complete();
    await tick();
    expect(odd.journal.at(-1)).toMatchObject({ type: 'action-failed', error: 'bad then' });
  });

  it('a synchronous throw is journaled and thrown from the move as action-failed, after the move happened', () => {
    const run = toResolve(() => {
      throw new Error('CRM down');
    });
    expect(() => run.complete()).toThrow(expect.objectContaining({ code: 'action-failed' }));
    expect(run.outcome).toBe('resolved');
    expect(run.journal.at(-1)).toMatchObject({ type: 'action-failed', error: 'CRM down' });
  });

  it('each request has its own idempotency key: the run id and the journal index', () => {
    const keys: string[] = [];
    const run = toResolve((c) => {
      keys.push(c.key);
    });
    run.complete();
    const index = run.journal.findIndex((e) => e.type === 'action-requested');
    expect(keys).toEqual([`r-1:${index}`]);
  });
});

describe('re-entrancy: a move made while another is applied is refused, never applied to the wrong step', () => {
  it('from inside an action', () => {
    let inner: unknown;
    const run = toResolve(({ run: r }) => {
      try {
        r.complete();
      } catch (e) {
        inner = e;
      }
    });
    run.complete();
    expect(inner).toBeInstanceOf(RunError);
    expect((inner as RunError).code).toBe('re-entrant-move');
    expect(run.outcome).toBe('resolved');
  });

  it('from inside a subscriber; the subscriber can read the run, and a move after it returns works', async () => {
    const run = toResolve(() => {});
    const codes: string[] = [];
    let stepSeen = '';
    run.subscribe((r) => {
      stepSeen = r.view().step;
      try {
        r.complete();
      } catch (e) {
        codes.push((e as RunError).code);
      }
    });
    const clock = new SimulatedClock();
    const other = startRun(hold, { clock, actions: { 'crm.save-notes': () => {} } });
    let once = false;
    other.subscribe((r) => {
      queueMicrotask(() => {
        if (!once && r.view().step === 'identify') {
          once = true;
          r.record({ customer_id: 'C-9' });
        }
      });
    });
    other.complete();
    await tick();
    expect(other.view().data).toEqual({ customer_id: 'C-9' });
    run.complete();
    expect(codes).toEqual(['re-entrant-move']);
    expect(stepSeen).toBe('done');
  });

  it('a subscriber that throws is reported (subscriber-failed); the change stands', () => {
    const errors: RunError[] = [];
    const clock = new SimulatedClock();
    const run = startRun(hold, { clock, actions: { 'crm.save-notes': () => {} }, onError: (e) => errors.push(e) });
    run.subscribe(() => {
      throw new Error('UI broke');
    });
    run.complete();
    expect(run.view().step).toBe('identify');
    expect(errors.map((e) => e.code)).toEqual(['subscriber-failed']);
    clock.increment(1);
  });
});

describe('stop()', () => {
  it('a stopped run object says so and refuses moves with run-stopped; its timers are gone', () => {
    const clock = new SimulatedClock();
    const run = startRun(hold, { clock, actions: { 'crm.save-notes': () => {} } });
    run.stop();
    expect(run.status).toBe('stopped');
    expect(() => run.complete()).toThrow(expect.objectContaining({ code: 'run-stopped' }));
  });
});
