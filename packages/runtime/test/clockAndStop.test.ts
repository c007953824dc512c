import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Sop } from '@sopflow/model';
import { SimulatedClock, startRun } from '../src/index.js';

// The first step's limit is armed while XState builds the initial state, before the run has
// attached itself: its deadline must still come from the run's clock, not the wall clock.
const sop = parse(`
sopflow: 1
id: first-limit
title: A limit on the very first step
instructions:
  - id: hold
    do: Hold
    limit: { after: 60s, next: back }
    next: done
  - id: back
    do: Apologise
    next: done
  - id: done
    end: ok
`) as Sop;

describe('a time limit on the first step', () => {
  it('runs on the given clock: deadline, time left, firing, and after persist/restore', () => {
    const clock = new SimulatedClock();
    const run = startRun(sop, { clock });
    expect(run.view().limit).toMatchObject({ remaining: 60_000, deadline: new Date(60_000).toISOString() });
    clock.increment(45_000);
    expect(run.view().limit?.remaining).toBe(15_000);

    const saved = JSON.parse(JSON.stringify(run.persist()));
    const later = new SimulatedClock();
    later.set(50_000);
    const restored = startRun(sop, { clock: later, snapshot: saved });
    expect(restored.view()).toMatchObject({ step: 'hold', limit: { remaining: 10_000 } });
    later.increment(10_000);
    expect(restored.view().step).toBe('back');

    clock.increment(15_000);
    expect(run.view().step).toBe('back');
  });
});

describe('stop()', () => {
  it('ends the timers without writing an end the SOP never reached', () => {
    const clock = new SimulatedClock();
    const run = startRun(sop, { clock });
    run.stop();
    expect(run.journal.map((e) => e.type)).toEqual(['step-entered']);
    expect(run.outcome).toBeUndefined();
    clock.increment(120_000);
    expect(run.journal.map((e) => e.type)).toEqual(['step-entered']);
  });
});
