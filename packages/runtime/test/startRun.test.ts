import { describe, expect, it } from 'vitest';
import { toMachineConfig } from '@sopflow/compiler';
import { RunError, SimulatedClock, startRun, summarizeJournal, type ActionCall, type Run, type RunErrorCode } from '../src/index.js';
import { loadFixture } from './loadFixture.js';

const hold = loadFixture('hold.sop.yaml');
const parent = loadFixture('parent.sop.yaml');
const verify = loadFixture('verify.sop.yaml');
const procedures = { verify };

function holdRun(clock = new SimulatedClock(), calls: ActionCall[] = []) {
  return startRun(hold, { clock, actions: { 'crm.save-notes': (c) => calls.push(c) } });
}

/** greet -> identify (record) -> triage: Yes -> research (the 60 s hold) */
function toHold(run: Run) {
  run.complete();
  run.record({ customer_id: 'C-1', issue: 'billing' });
  run.complete();
  run.choose('Yes');
}

describe('startRun', () => {
  it('walks a run: view, record, complete, choose; a bound action gets the data; the run ends with its outcome', () => {
    const calls: ActionCall[] = [];
    const run = holdRun(new SimulatedClock(), calls);
    expect(run.view()).toMatchObject({
      done: false,
      step: 'greet',
      kind: 'task',
      text: 'Greet the caller.',
      segment: 'greeting',
      choices: [],
      path: [],
    });
    run.complete();
    expect(run.view().fields).toEqual([
      { name: 'customer_id', type: 'string', label: 'Customer ID', required: true },
      { name: 'issue', type: 'string', label: 'issue', required: false, enum: ['billing', 'technical', 'other'] },
    ]);
    run.record({ customer_id: 'C-1' });
    expect(run.view().fields[0]!.value).toBe('C-1');
    run.complete();
    expect(run.view()).toMatchObject({ step: 'triage', kind: 'decision', choices: ['Yes', 'No'] });
    run.choose('Yes');
    run.complete();
    expect(run.view()).toMatchObject({ step: 'resolve', checks: ['Summarise the fix'] });
    run.complete();
    expect(run.status).toBe('done');
    expect(run.outcome).toBe('resolved');
    expect(run.view()).toMatchObject({ done: true, outcome: 'resolved', step: 'done' });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ action: 'crm.save-notes', step: 'resolve', sop: 'hold', data: { customer_id: 'C-1' } });
    expect(run.journal.map((e) => e.type).slice(-5)).toEqual(['action-requested', 'step-left', 'step-entered', 'run-ended', 'action-done']);
    expect(run.journal.find((e) => e.type === 'run-ended')).toMatchObject({ type: 'run-ended', outcome: 'resolved' });
    expect(run.journal.at(-1)).toMatchObject({
      type: 'action-done',
      action: 'crm.save-notes',
      step: 'resolve',
      ref: run.journal.length - 5,
    });
  });

  it('a `when` choice is taken from recorded data; a step with content and `end` is completed before the run ends', () => {
    const run = holdRun();
    run.complete();
    run.record({ customer_id: 'C-1', issue: 'technical' });
    run.complete();
    expect(run.view().step).toBe('to-tech');
    expect(run.view().handoff).toEqual({ mode: 'transfer', to: 'Technical Support' });
    expect(run.status).toBe('active');
    run.complete();
    expect(run.outcome).toBe('transferred');
    expect(run.journal.find((e) => e.type === 'answer')).toMatchObject({ step: 'triage', when: { field: 'issue', equals: 'technical' } });
  });

  it('fires a 60-second hold limit on the simulated clock, and shows the time left', () => {
    const clock = new SimulatedClock();
    const run = holdRun(clock);
    toHold(run);
    expect(run.view().limit).toMatchObject({ after: '60s', ms: 60_000, remaining: 60_000, next: 'check-back' });
    clock.increment(59_999);
    expect(run.view()).toMatchObject({ step: 'research', limit: { remaining: 1 } });
    clock.increment(1);
    expect(run.view().step).toBe('check-back');
    const fired = run.journal.filter((e) => e.type === 'limit-fired');
    expect(fired).toEqual([expect.objectContaining({ step: 'research', after: '60s', ms: 60_000 })]);
    expect(summarizeJournal(run.journal).perSegment.hold).toBe(60_000);
  });

  it('runs a sub-procedure: view and moves address its current step, and its outcome picks the next step', () => {
    const calls: ActionCall[] = [];
    const run = startRun(parent, { procedures, clock: new SimulatedClock(), actions: { 'audit.log': (c) => calls.push(c) } });
    run.complete();
    expect(run.view()).toMatchObject({ step: 'ask', sop: 'verify', path: [{ step: 'check#1', procedure: 'verify' }] });
    expect(() => run.record({ note: 'x' })).toThrow(/not a field of SOP "verify"/);
    run.record({ passed: false });
    run.complete();
    expect(calls[0]).toMatchObject({ sop: 'verify', step: 'ask', data: { passed: false } });
    expect(run.view()).toMatchObject({ step: 'refuse', sop: 'parent', path: [] });
    run.complete();
    expect(run.outcome).toBe('refused');
    expect(run.journal.filter((e) => e.type.startsWith('procedure'))).toEqual([
      expect.objectContaining({ type: 'procedure-started', step: 'check#1', procedure: 'verify' }),
      expect.objectContaining({ type: 'procedure-ended', step: 'check#1', procedure: 'verify', outcome: 'failed' }),
    ]);
    expect(run.journal.find((e) => e.step === 'ask')).toMatchObject({ path: ['check#1'], sop: 'verify' });
  });

  it('an unmapped sub-procedure outcome goes to the step after it', () => {
    const run = startRun(parent, { procedures, actions: { 'audit.log': () => {} }, clock: new SimulatedClock() });
    run.complete();
    run.record({ passed: true });
    run.complete();
    expect(run.view().step).toBe('help');
  });

  it('persist/restore mid-run loses nothing, and re-arms the pending limit with the time left', () => {
    const clock = new SimulatedClock();
    const run = holdRun(clock);
    toHold(run);
    clock.increment(20_000);
    const saved = JSON.parse(JSON.stringify(run.persist()));
    run.stop();
    const again = startRun(hold, { clock, snapshot: saved, actions: { 'crm.save-notes': () => {} } });
    expect(again.view()).toMatchObject({ step: 'research', data: { customer_id: 'C-1', issue: 'billing' }, limit: { remaining: 40_000 } });
    expect(again.journal).toEqual(saved.journal);
    clock.increment(39_999);
    expect(again.view().step).toBe('research');
    clock.increment(1);
    expect(again.view().step).toBe('check-back');
    again.complete();
    expect(again.view().limit).toMatchObject({ remaining: 60_000 }); // a new visit arms a fresh limit
    again.complete();
    again.complete();
    expect(again.outcome).toBe('resolved');
    expect(summarizeJournal(again.journal).visits.research).toBe(2);
  });

  it('fires a limit at once on restore when its deadline has passed', () => {
    const clock = new SimulatedClock();
    const run = holdRun(clock);
    toHold(run);
    const saved = run.persist();
    run.stop();
    clock.increment(5 * 60_000);
    const again = startRun(hold, { clock, snapshot: saved, actions: { 'crm.save-notes': () => {} } });
    expect(again.view().step).toBe('check-back');
  });

  it('restores inside a sub-procedure, with its own limit', () => {
    const clock = new SimulatedClock();
    const actions = { 'audit.log': () => {} };
    const run = startRun(parent, { procedures, clock, actions });
    run.complete();
    clock.increment(60_000);
    const saved = JSON.parse(JSON.stringify(run.persist()));
    run.stop();
    const again = startRun(parent, { procedures, clock, actions, snapshot: saved });
    expect(again.view()).toMatchObject({ step: 'ask', path: [{ step: 'check#1' }], limit: { remaining: 60_000 } });
    clock.increment(60_000);
    expect(again.view().step).toBe('refuse'); // the child's limit led to its `failed` end
  });

  it('runs from the compiled JSON alone', () => {
    const json = JSON.parse(JSON.stringify(toMachineConfig(parent, { procedures })));
    const run = startRun(json, { actions: { 'audit.log': () => {} }, clock: new SimulatedClock() });
    run.complete();
    run.record({ passed: true });
    run.complete();
    run.complete();
    expect(run.outcome).toBe('helped');
  });

  describe('refuses invalid moves with a RunError and changes nothing', () => {
    const cases: [string, (run: Run) => void, (run: Run) => void, RunErrorCode][] = [
      ['an answer not offered', toDecision, (r) => r.choose('Maybe'), 'not-offered'],
      ['an answer decided by data only', toDecision, (r) => r.choose('technical'), 'not-offered'],
      ['choose on a task', () => {}, (r) => r.choose('Yes'), 'not-a-decision'],
      ['complete on a decision', toDecision, (r) => r.complete(), 'needs-answer'],
      ['complete before a required field', (r) => r.complete(), (r) => r.complete(), 'missing-field'],
      ['data of the wrong type', () => {}, (r) => r.record({ customer_id: 42 }), 'invalid-value'],
      ['a value outside the enum', () => {}, (r) => r.record({ issue: 'refund' }), 'invalid-value'],
      ['a field not declared', () => {}, (r) => r.record({ colour: 'red' }), 'unknown-field'],
      ['a half-valid record', () => {}, (r) => r.record({ customer_id: 'C-1', vip: 'yes' }), 'invalid-value'],
      ['a move on a finished run', finish, (r) => r.complete(), 'run-finished'],
      ['a record on a finished run', finish, (r) => r.record({ customer_id: 'C-2' }), 'run-finished'],
    ];
    for (const [name, setup, move, code] of cases) {
      it(name, () => {
        const run = holdRun();
        setup(run);
        const before = run.persist();
        let error: unknown;
        try {
          move(run);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(RunError);
        expect((error as RunError).code).toBe(code);
        expect((error as RunError).message.length).toBeGreaterThan(10);
        expect(run.persist()).toEqual(before);
      });
    }
    function toDecision(run: Run) {
      run.complete();
      run.record({ customer_id: 'C-1' });
      run.complete();
    }
    function finish(run: Run) {
      toDecision(run);
      run.choose('No');
      run.complete();
    }
  });

  it("refuses to start when a named action is not bound (including a procedure's)", () => {
    expect(() => startRun(hold)).toThrow(
      expect.objectContaining({ code: 'unbound-action', message: expect.stringMatching(/"crm\.save-notes"/) }),
    );
    expect(() => startRun(parent, { procedures })).toThrow(
      expect.objectContaining({ code: 'unbound-action', message: expect.stringMatching(/"audit\.log"/) }),
    );
  });

  it('refuses a snapshot of another version or build of the SOP', () => {
    const run = holdRun();
    run.complete();
    const saved = run.persist();
    const v2 = { ...structuredClone(hold), version: '1.1.0' };
    expect(() => startRun(v2, { snapshot: saved, actions: { 'crm.save-notes': () => {} } })).toThrow(
      expect.objectContaining({ code: 'snapshot-mismatch', message: expect.stringMatching(/version 1\.0\.0.*version 1\.1\.0/) }),
    );
    const edited = structuredClone(hold);
    edited.instructions[1]!.do = 'Find the customer in the CRM.';
    expect(() => startRun(edited, { snapshot: saved, actions: { 'crm.save-notes': () => {} } })).toThrow(
      expect.objectContaining({ code: 'snapshot-mismatch' }),
    );
    expect(() => startRun(parent, { procedures, snapshot: saved, actions: { 'audit.log': () => {} } })).toThrow(
      expect.objectContaining({ code: 'snapshot-mismatch' }),
    );
    expect(() => startRun(hold, { snapshot: { nope: true } as never, actions: { 'crm.save-notes': () => {} } })).toThrow(
      expect.objectContaining({ code: 'invalid-snapshot' }),
    );
  });

  it('reports a bound action that throws (the move itself happened)', () => {
    const run = startRun(hold, {
      clock: new SimulatedClock(),
      actions: {
        'crm.save-notes': () => {
          throw new Error('CRM down');
        },
      },
    });
    toHold(run);
    run.complete();
    expect(() => run.complete()).toThrow(expect.objectContaining({ code: 'action-failed', message: expect.stringMatching(/CRM down/) }));
    expect(run.outcome).toBe('resolved');
  });

  it('journals every step entered and left, answers, records, with times', () => {
    const clock = new SimulatedClock();
    clock.set(Date.parse('2026-03-01T09:00:00Z'));
    const run = holdRun(clock);
    clock.increment(5_000);
    run.complete();
    run.record({ customer_id: 'C-1' });
    clock.increment(10_000);
    run.complete();
    run.choose('No');
    clock.increment(30_000);
    run.complete();
    expect(run.journal.map((e) => [e.type, e.step ?? e.outcome, e.ms])).toEqual([
      ['step-entered', 'greet', 0],
      ['step-left', 'greet', 5000],
      ['step-entered', 'identify', 5000],
      ['recorded', 'identify', 5000],
      ['step-left', 'identify', 15000],
      ['step-entered', 'triage', 15000],
      ['answer', 'triage', 15000],
      ['step-left', 'triage', 15000],
      ['step-entered', 'to-billing', 15000],
      ['step-left', 'to-billing', 45000],
      ['run-ended', 'transferred', 45000],
    ]);
    expect(run.journal[0]!.at).toBe('2026-03-01T09:00:00.000Z');
    expect(summarizeJournal(run.journal)).toMatchObject({
      total: 45000,
      perStep: { greet: 5000, identify: 10000, triage: 0, 'to-billing': 30000 },
      perSegment: { greeting: 5000, research: 10000 },
    });
  });

  it('tells subscribers about every move and about a limit firing on its own', async () => {
    const clock = new SimulatedClock();
    const run = holdRun(clock);
    const seen: string[] = [];
    const stop = run.subscribe((r) => seen.push(r.view().step));
    toHold(run);
    expect(seen).toEqual(['identify', 'identify', 'triage', 'research']);
    clock.increment(60_000);
    await Promise.resolve();
    expect(seen.at(-1)).toBe('check-back');
    stop();
    run.complete();
    expect(seen).toHaveLength(5);
  });

  it('a decision taken only by data offers its fields to record', () => {
    const sop = {
      sopflow: 1 as const,
      id: 'data-only',
      title: 'Data only',
      fields: { vip: { type: 'boolean' as const, label: 'VIP customer' } },
      instructions: [
        {
          id: 'route',
          ask: 'Is the customer a VIP?',
          choices: [
            { when: { field: 'vip', equals: true }, next: 'vip-desk' },
            { when: { field: 'vip', equals: false }, next: 'queue' },
          ],
        },
        { id: 'vip-desk', end: 'vip' },
        { id: 'queue', end: 'queued' },
      ],
    };
    const run = startRun(sop);
    expect(run.view()).toMatchObject({
      step: 'route',
      choices: [],
      fields: [{ name: 'vip', type: 'boolean', label: 'VIP customer', required: false }],
    });
    run.record({ vip: true });
    expect(run.outcome).toBe('vip');
  });

  it('a limit on a sub-procedure step cuts it short and closes its open steps in the journal', () => {
    const child = {
      sopflow: 1 as const,
      id: 'lookup',
      title: 'Look up',
      instructions: [
        { id: 'search', do: 'Search the knowledge base.' },
        { id: 'found', end: 'found' },
      ],
    };
    const outer = {
      sopflow: 1 as const,
      id: 'outer',
      title: 'Outer',
      instructions: [
        { id: 'research', use: 'lookup', limit: { after: '5m', next: 'give-up' }, outcomes: { found: 'answer' } },
        { id: 'answer', do: 'Give the answer.', end: 'answered' },
        { id: 'give-up', do: 'Offer a call-back.', end: 'call-back' },
      ],
    };
    const clock = new SimulatedClock();
    const run = startRun(outer, { procedures: { lookup: child }, clock });
    expect(run.view()).toMatchObject({ step: 'search', path: [{ step: 'research', procedure: 'lookup' }] });
    expect(run.view().limit).toBeUndefined(); // the limit belongs to the outer step
    clock.increment(5 * 60_000);
    expect(run.view()).toMatchObject({ step: 'give-up', path: [] });
    expect(run.journal.map((e) => [e.type, e.step, e.path?.join('/')])).toEqual([
      ['step-entered', 'research', undefined],
      ['procedure-started', 'research', undefined],
      ['step-entered', 'search', 'research'],
      ['step-left', 'search', 'research'],
      ['limit-fired', 'research', undefined],
      ['step-left', 'research', undefined],
      ['step-entered', 'give-up', undefined],
    ]);
    run.complete();
    expect(run.outcome).toBe('call-back');
  });
});
