import { describe, expect, it } from 'vitest';
import { SimulatedClock, startRun, type ActionCall, type RunChange } from '../src/index.js';
import { codeOf } from './codeOf.js';
import { loadFixture } from './loadFixture.js';

const escalate = loadFixture('escalate.sop.yaml');
const procedures = { 'open-ticket': loadFixture('open-ticket.sop.yaml') };

function setUp(calls: ActionCall[] = []) {
  const clock = new SimulatedClock();
  clock.set(Date.parse('2026-06-01T09:00:00Z'));
  const actions = {
    'crm.open-ticket': (c: ActionCall) => {
      calls.push(c);
    },
    'crm.save-notes': (c: ActionCall) => {
      calls.push(c);
    },
  };
  const run = startRun(escalate, { procedures, clock, actions, meta: { ticket: 'T-9' }, id: 'run-1' });
  return { run, clock, calls };
}

describe('sub-procedure data: `with` passes fields in, `returns` takes them back', () => {
  it("the child starts with the parent's values, and its result comes back typed", () => {
    const { run, calls } = setUp();
    run.record({ customer_id: 'C-42', severity: 2 }, { by: 'ana' });
    run.complete({ by: 'ana' });
    // the child's `when` saw the number passed in and went straight to `create`
    expect(run.view()).toMatchObject({
      step: 'create',
      sop: 'open-ticket',
      data: { customer_number: 'C-42', priority: 2 },
      path: [{ step: 'open-case', procedure: 'open-ticket' }],
    });
    run.record({ case_no: 'K-7' });
    run.complete();
    expect(calls[0]).toMatchObject({
      action: 'crm.open-ticket',
      sop: 'open-ticket',
      data: { customer_number: 'C-42', priority: 2, case_no: 'K-7' },
      meta: { ticket: 'T-9' },
      key: expect.stringMatching(/^run-1:\d+$/),
    });
    expect(run.view()).toMatchObject({
      step: 'wait-queue',
      sop: 'escalate',
      data: { customer_id: 'C-42', severity: 2, case_number: 'K-7' },
    });
    const started = run.journal.find((e) => e.type === 'procedure-started')!;
    const ended = run.journal.find((e) => e.type === 'procedure-ended')!;
    expect(started.data).toEqual({ customer_number: 'C-42', priority: 2 });
    expect(ended).toMatchObject({ outcome: 'opened', data: { case_number: 'K-7' } });
  });

  it('a value the parent never recorded is not passed; the child decides without it', () => {
    const { run } = setUp();
    run.record({ customer_id: 'C-1' });
    run.complete();
    expect(run.view().data).toEqual({ customer_number: 'C-1' }); // severity was never recorded
  });

  it('a time limit on the `use:` step is in the view while the child runs', () => {
    const { run, clock } = setUp();
    run.record({ customer_id: 'C-1' });
    run.complete();
    expect(run.view().limit).toBeUndefined();
    expect(run.view().limits).toEqual([
      expect.objectContaining({ step: 'open-case', sop: 'escalate', after: '10m', remaining: 600_000, next: 'give-up' }),
    ]);
    clock.increment(600_000);
    expect(run.view()).toMatchObject({ step: 'give-up', path: [] });
  });
});

describe('waiting steps and signals', () => {
  function toWait() {
    const s = setUp();
    s.run.record({ customer_id: 'C-1' });
    s.run.complete();
    s.run.record({ case_no: 'K-1' });
    s.run.complete();
    return s;
  }

  it('a waiting step is completed by its signal, with data recorded first, and journaled with who sent it', () => {
    const { run } = toWait();
    expect(run.view()).toMatchObject({
      step: 'wait-queue',
      kind: 'wait',
      until: 'acknowledged',
      text: 'The escalation queue acknowledges the case.',
    });
    run.signal('acknowledged', { case_number: 'K-1b' }, { by: 'queue-bot' });
    expect(run.view().step).toBe('approve');
    expect(run.view().data.case_number).toBe('K-1b');
    expect(run.journal.find((e) => e.type === 'signal')).toMatchObject({
      signal: 'acknowledged',
      data: { case_number: 'K-1b' },
      by: 'queue-bot',
      step: 'wait-queue',
    });
  });

  it('refuses what does not fit, and changes nothing', () => {
    const { run } = toWait();
    const before = JSON.stringify(run.persist());
    expect(codeOf(() => run.complete())).toBe('needs-signal');
    expect(codeOf(() => run.signal('escalated'))).toBe('not-awaited');
    expect(codeOf(() => run.signal('acknowledged', { colour: 'red' }))).toBe('unknown-field');
    expect(codeOf(() => run.signal('acknowledged', { case_number: 7 }))).toBe('invalid-value');
    expect(codeOf(() => run.move({ signal: '' }))).toBe('invalid-move');
    expect(JSON.stringify(run.persist())).toBe(before);
    const fresh = setUp().run;
    expect(codeOf(() => fresh.signal('acknowledged'))).toBe('not-awaited'); // not awaited yet
  });

  it('a 30-day limit on a wait fires at its deadline and journals it', () => {
    const { run, clock } = toWait();
    clock.increment(30 * 86_400_000 - 1);
    expect(run.view().step).toBe('wait-queue');
    clock.increment(1);
    expect(run.view().step).toBe('chase');
    const fired = run.journal.find((e) => e.type === 'limit-fired')!;
    expect(fired).toMatchObject({ step: 'wait-queue', after: '30d', deadline: '2026-07-01T09:00:00.000Z', at: '2026-07-01T09:00:00.000Z' });
  });
});

describe("who moves, roles, and the app's own data", () => {
  it('journals `by` on every entry a move causes, none on what the clock does', () => {
    const { run, clock } = setUp();
    run.record({ customer_id: 'C-1' }, { by: 'ana' });
    run.complete({ by: 'ana' });
    expect(run.journal.filter((e) => e.by === 'ana').map((e) => e.type)).toEqual(
      expect.arrayContaining(['recorded', 'step-left', 'step-entered', 'procedure-started']),
    );
    clock.increment(600_000);
    expect(run.journal.find((e) => e.type === 'limit-fired')!.by).toBeUndefined();
  });

  it('with enforceRoles, a step with a role refuses an actor without it (role-required), and nothing changes', () => {
    const clock = new SimulatedClock();
    const actions = { 'crm.open-ticket': () => {}, 'crm.save-notes': () => {} };
    const run = startRun(escalate, { procedures, clock, actions, enforceRoles: true });
    expect(codeOf(() => run.record({ customer_id: 'C-1' }))).toBe('role-required');
    expect(codeOf(() => run.record({ customer_id: 'C-1' }, { by: { id: 'bo', roles: ['Team lead'] } }))).toBe('role-required');
    run.record({ customer_id: 'C-1' }, { by: { id: 'ana', roles: ['CSR'] } });
    expect(run.view().data).toEqual({ customer_id: 'C-1' });
  });

  it('keeps meta in the snapshot and gives it to actions; subscribers see why a change came', () => {
    const calls: ActionCall[] = [];
    const { run, clock } = setUp(calls);
    const changes: RunChange[] = [];
    run.subscribe((_r, change) => changes.push(change));
    run.record({ customer_id: 'C-1' });
    expect(run.persist().meta).toEqual({ ticket: 'T-9' });
    expect(changes.at(-1)).toMatchObject({
      cause: 'move',
      move: { record: { customer_id: 'C-1' } },
      entries: [expect.objectContaining({ type: 'recorded' })],
    });
    run.complete();
    clock.increment(600_000);
    expect(changes.at(-1)).toMatchObject({
      cause: 'limit',
      entries: expect.arrayContaining([expect.objectContaining({ type: 'limit-fired', step: 'open-case' })]),
    });
  });
});
