import { describe, expect, it } from 'vitest';
import type { Sop } from '@sopflow/model';
import { toMachineConfig } from '@sopflow/compiler';
import {
  checkSnapshotShape,
  findPaths,
  replayJournal,
  SimulatedClock,
  startRun,
  summarizeJournal,
  type RunSnapshot,
} from '../src/index.js';
import { codeOf } from './codeOf.js';
import { readRunInput } from '../src/readRunInput.js';

/** The format's extensions for authors (issue 12) as the runtime runs them: time targets, rules, list fields. */

const call: Sop = {
  sopflow: 1,
  id: 'call',
  title: 'A call',
  target: '5m',
  rules: ['Speak clearly and slowly.'],
  fields: {
    departments: { type: 'list', label: 'Departments', items: { type: 'string', enum: ['billing', 'technical', 'sales'] }, required: true },
    scores: { type: 'list', items: { type: 'integer', minimum: 1, maximum: 5 } },
  },
  instructions: [
    { id: 'answer', do: 'Answer the call.', target: '20s' },
    { id: 'hold', do: 'Research on hold.', target: '60s', limit: { after: '60s', next: 'hold' }, next: 'classify' },
    { id: 'classify', do: 'Choose the departments.', record: ['departments', 'scores'] },
    {
      id: 'route',
      ask: 'Billing?',
      choices: [
        { when: { field: 'departments', contains: 'billing' }, next: 'check' },
        { answer: 'No', next: 'done' },
      ],
    },
    { id: 'check', use: 'child', next: 'done' },
    { id: 'done', end: 'resolved' },
  ],
};
const child: Sop = {
  sopflow: 1,
  id: 'child',
  title: 'Child',
  target: '2m',
  rules: ['Never research in silence.', 'Speak clearly and slowly.'],
  instructions: [{ id: 'confirm', do: 'Confirm the charge.', target: '30s' }],
};
const procedures = { child };

function setUp() {
  const clock = new SimulatedClock();
  clock.set(Date.parse('2026-06-01T09:00:00Z'));
  const run = startRun(call, { procedures, clock, id: 'r1' });
  return { run, clock };
}

describe('time targets: measured in the journal, never a branch', () => {
  it('a step left within its target has met it, one left later has missed it, one a limit moved on from has missed it', () => {
    const { run, clock } = setUp();
    expect(run.view().target).toEqual({ after: '20s', ms: 20_000, deadline: '2026-06-01T09:00:20.000Z', remaining: 20_000, onTime: true });
    expect(run.view().runTarget).toMatchObject({ after: '5m', remaining: 300_000, onTime: true });
    clock.increment(15_000);
    run.complete();
    clock.increment(61_000); // the hold's limit fires at 60 s and brings it back: a recurring step
    expect(run.view()).toMatchObject({ step: 'hold', target: { after: '60s', onTime: true } });
    clock.increment(30_000);
    run.complete();
    const left = run.journal.filter((e) => e.type === 'step-left' && e.target !== undefined).map((e) => [e.step, e.target, e.met]);
    expect(left).toEqual([
      ['answer', '20s', true],
      ['hold', '60s', false],
      ['hold', '60s', true],
    ]);
    expect(summarizeJournal(run.journal).stepTargets).toEqual({
      answer: { target: '20s', met: 1, missed: 0 },
      hold: { target: '60s', met: 1, missed: 1 },
    });
  });

  it("the SOP's target on run-ended, a sub-procedure's on procedure-ended (from when its use: step was entered)", () => {
    const { run, clock } = setUp();
    run.complete();
    run.complete();
    run.record({ departments: ['billing'] });
    run.complete();
    expect(run.view()).toMatchObject({ step: 'confirm', sop: 'child', rules: ['Speak clearly and slowly.', 'Never research in silence.'] });
    clock.increment(150_000);
    run.complete();
    const ended = run.journal.find((e) => e.type === 'procedure-ended')!;
    expect(ended).toMatchObject({ procedure: 'child', outcome: 'completed', target: '2m', met: false });
    expect(run.journal.at(-1)).toMatchObject({ type: 'run-ended', outcome: 'resolved', target: '5m', met: true });
    expect(summarizeJournal(run.journal).sopTargets).toEqual({
      child: { target: '2m', met: 0, missed: 1 },
      call: { target: '5m', met: 1, missed: 0 },
    });
  });

  it('snapshots carry targets and lists: restored, checked against the shape and replayed on the build', () => {
    const { run, clock } = setUp();
    run.complete();
    clock.increment(70_000);
    run.complete();
    run.record({ departments: ['technical', 'sales'], scores: [4, 5] });
    const snapshot = run.persist();
    expect(checkSnapshotShape(JSON.parse(JSON.stringify(snapshot)))).toBeTruthy();
    const config = toMachineConfig(call, { procedures });
    const replayed = replayJournal(readRunInput(config), snapshot.journal, snapshot.state.startedAt);
    expect(typeof replayed).not.toBe('string');
    const restored = startRun(config, { snapshot, clock });
    expect(restored.view().data).toEqual({ departments: ['technical', 'sales'], scores: [4, 5] });
    restored.complete();
    expect(restored.view().step).toBe('route');
    // a journal entry edited into something the format does not say is refused
    const edit = (change: (s: RunSnapshot) => void) => {
      const copy = structuredClone(snapshot);
      change(copy);
      return codeOf(() => startRun(config, { snapshot: copy }));
    };
    expect(
      edit((s) => {
        delete s.journal.find((e) => e.target !== undefined)!.met;
      }),
    ).toBe('invalid-snapshot');
    expect(
      edit((s) => {
        s.journal[0]!.target = '20s';
        s.journal[0]!.met = true;
      }),
    ).toBe('invalid-snapshot');
    expect(
      edit((s) => {
        s.state.stack[0]!.data.scores = [4, { x: 1 }] as never;
      }),
    ).toBe('invalid-snapshot');
    expect(
      edit((s) => {
        s.state.stack[0]!.data.scores = [4, 6];
      }),
    ).toBe('invalid-snapshot');
  });
});

describe('list fields', () => {
  it('record a list, each item checked; a required list needs an item; `contains` decides', () => {
    const { run } = setUp();
    run.complete();
    run.complete();
    expect(run.view().fields.map((f) => [f.name, f.type, f.items])).toEqual([
      ['departments', 'list', { type: 'string', enum: ['billing', 'technical', 'sales'] }],
      ['scores', 'list', { type: 'integer', minimum: 1, maximum: 5 }],
    ]);
    expect(codeOf(() => run.record({ departments: 'billing' }))).toBe('invalid-value');
    expect(codeOf(() => run.record({ departments: ['legal'] }))).toBe('invalid-value');
    expect(codeOf(() => run.record({ scores: [1, 7] }))).toBe('invalid-value');
    run.record({ departments: [] });
    expect(codeOf(() => run.complete())).toBe('missing-field');
    run.record({ departments: ['sales'] });
    run.complete();
    expect(run.view()).toMatchObject({ step: 'route', choices: ['No'] });
    run.record({ departments: ['sales', 'billing'] });
    expect(run.view().step).toBe('confirm');
  });

  it('paths draw lists for `contains` and for required list fields', () => {
    const paths = findPaths(call, { procedures });
    expect(paths.map((p) => [p.outcome, p.steps.filter((s) => !s.includes('/')).join(' ')])).toEqual(
      expect.arrayContaining([
        ['resolved', 'answer hold classify route check done'],
        ['resolved', 'answer hold classify route done'],
      ]),
    );
    const decided = paths.find((p) => p.decisions.some((d) => d.when?.contains === 'billing'))!;
    expect(decided.moves.find((m) => m.record)?.record).toEqual({ departments: ['billing'] });
  });
});
