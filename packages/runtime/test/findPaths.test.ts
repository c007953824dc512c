import { describe, expect, it } from 'vitest';
import { findPaths, MAX_PATHS, playMoves, SimulatedClock, startRun } from '../src/index.js';
import { loadFixture } from './loadFixture.js';

const hold = loadFixture('hold.sop.yaml');
const parent = loadFixture('parent.sop.yaml');
const verify = loadFixture('verify.sop.yaml');

describe('findPaths', () => {
  it('lists every simple path to each end, with the data that decides each `when`', () => {
    const paths = findPaths(hold);
    expect(paths.map((p) => [p.outcome, p.steps.join(' > ')]).sort()).toEqual([
      ['resolved', 'greet > identify > triage > research > resolve > done'],
      ['transferred', 'greet > identify > triage > to-billing'],
      ['transferred', 'greet > identify > triage > to-tech'],
    ]);
    const tech = paths.find((p) => p.steps.includes('to-tech'))!;
    expect(tech.decisions).toEqual([{ step: 'triage', when: { field: 'issue', equals: 'technical' } }]);
    expect(tech.moves).toContainEqual({ step: 'identify', record: { customer_id: 'example', issue: 'technical' } });
  });

  it('walks through sub-procedures, one way per outcome, and through limits', () => {
    const paths = findPaths(parent, { procedures: { verify } });
    expect(paths.map((p) => [p.outcome, p.steps.join(' > ')]).sort()).toEqual([
      ['helped', 'start.here > check#1 > check#1/ask > check#1/result > check#1/ok > help'],
      ['refused', 'start.here > check#1 > check#1/ask > check#1/bad > refuse'], // the shortest way to `failed`: its 2m limit
    ]);
    const limited = findPaths(verify);
    expect(limited.map((p) => p.decisions)).toContainEqual([{ step: 'ask', limit: '2m' }]);
  });

  it('every path replays through the runtime to its outcome', () => {
    for (const [sop, procedures] of [
      [hold, {}],
      [parent, { verify }],
      [verify, {}],
    ] as const) {
      for (const path of findPaths(sop, { procedures })) {
        const clock = new SimulatedClock();
        const run = startRun(sop, { procedures, clock, actions: { 'crm.save-notes': () => {}, 'audit.log': () => {} } });
        playMoves(run, path.moves, clock);
        expect(run.outcome).toBe(path.outcome);
      }
    }
  });
});

describe('findPaths at any depth and size', () => {
  const level = (id: string, inner?: string) => ({
    sopflow: 1 as const,
    id,
    title: id,
    instructions: [
      inner
        ? { id: `${id}-in`, use: inner, outcomes: { ok: `${id}-ok`, no: `${id}-no` } }
        : {
            id: `${id}-ask`,
            ask: 'OK?',
            choices: [
              { answer: 'Yes', next: `${id}-ok` },
              { answer: 'No', next: `${id}-no` },
            ],
          },
      { id: `${id}-ok`, end: 'ok' },
      { id: `${id}-no`, end: 'no' },
    ],
  });

  it('walks use: nested three levels deep, one way per outcome of each', () => {
    const procedures = { b: level('b', 'c'), c: level('c', 'd'), d: level('d') };
    const paths = findPaths(level('a', 'b'), { procedures });
    expect(paths.map((p) => [p.outcome, p.steps.join(' > ')]).sort()).toEqual([
      ['no', 'a-in > a-in/b-in > a-in/b-in/c-in > a-in/b-in/c-in/d-ask > a-in/b-in/c-in/d-no > a-in/b-in/c-no > a-in/b-no > a-no'],
      ['ok', 'a-in > a-in/b-in > a-in/b-in/c-in > a-in/b-in/c-in/d-ask > a-in/b-in/c-in/d-ok > a-in/b-in/c-ok > a-in/b-ok > a-ok'],
    ]);
  });

  it('a 5,000-step chain: one path, without overflowing the stack', () => {
    const instructions = Array.from({ length: 5000 }, (_, i) => ({ id: `s${i}`, do: `Step ${i}.` }));
    const paths = findPaths({ sopflow: 1, id: 'chain', title: 'Chain', instructions });
    expect(paths).toHaveLength(1);
    expect(paths[0]!.steps).toHaveLength(5000);
    expect(paths[0]!.moves).toHaveLength(5000);
  });

  it('200 steps with a two-way decision every 10 stops at MAX_PATHS', () => {
    const instructions = Array.from({ length: 200 }, (_, i) =>
      i % 10 === 9
        ? {
            id: `s${i}`,
            ask: 'Which way?',
            choices: [
              { answer: 'Left', next: `s${i + 1}` },
              { answer: 'Right', next: `s${i + 1}` },
            ],
          }
        : { id: `s${i}`, do: `Step ${i}.` },
    );
    instructions.push({ id: 's200', end: 'done' } as never);
    const paths = findPaths({ sopflow: 1, id: 'branches', title: 'Branches', instructions });
    expect(paths).toHaveLength(MAX_PATHS);
  });
});
