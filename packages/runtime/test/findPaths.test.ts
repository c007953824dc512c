import { describe, expect, it } from 'vitest';
import { findPaths, playMoves, SimulatedClock, startRun } from '../src/index.js';
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
    for (const [sop, procedures] of [[hold, {}], [parent, { verify }], [verify, {}]] as const) {
      for (const path of findPaths(sop, { procedures })) {
        const clock = new SimulatedClock();
        const run = startRun(sop, { procedures, clock, actions: { 'crm.save-notes': () => {}, 'audit.log': () => {} } });
        playMoves(run, path.moves, clock);
        expect(run.outcome).toBe(path.outcome);
      }
    }
  });
});
