import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Sop } from '@sopflow/model';
import { findPaths, RunError, SimulatedClock, startRun } from '../src/index.js';

const pingPong = parse(`
sopflow: 1
id: ping-pong
title: Two decisions taken from data that lead to each other
fields:
  vip: { type: boolean }
instructions:
  - id: start
    do: Record whether the customer is a VIP.
    record: [vip]
  - id: a
    ask: VIP?
    choices:
      - { when: { field: vip, equals: true }, next: b }
      - { answer: "Skip", next: done }
  - id: b
    ask: Still VIP?
    choices:
      - { when: { field: vip, equals: true }, next: a }
      - { answer: "Skip", next: done }
  - id: done
    end: ok
`) as Sop;

describe('no hangs: decisions taken from data that lead to each other', () => {
  it('the move is refused with endless-loop, quickly, and nothing changes', () => {
    const run = startRun(pingPong);
    run.complete();
    expect(run.view().step).toBe('a');
    const before = JSON.stringify(run.persist());
    const t0 = Date.now();
    let error: unknown;
    try {
      run.record({ vip: true });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).code).toBe('endless-loop');
    expect((error as RunError).message).toMatch(/a -> b -> a/);
    expect(Date.now() - t0).toBeLessThan(5_000); // not a timing assertion on speed: a guard against a hang
    expect(JSON.stringify(run.persist())).toBe(before);
    run.choose('Skip');
    expect(run.outcome).toBe('ok');
  });

  it('recording it before the loop makes the move that enters it refused', () => {
    const run = startRun(pingPong);
    run.record({ vip: true });
    expect(() => run.complete()).toThrow(expect.objectContaining({ code: 'endless-loop' }));
    expect(run.view().step).toBe('start');
  });

  it('findPaths does not hang on it, and lists the ways that end', () => {
    const paths = findPaths(pingPong);
    expect(paths.map((p) => p.outcome)).toContain('ok');
  });

  it('a run that would loop on its first step cannot start: RunError, not a hang', () => {
    const sop = parse(`
sopflow: 1
id: loop-at-start
title: Loop at start
fields:
  x: { type: boolean }
instructions:
  - id: a
    ask: A?
    choices:
      - { when: { field: x, set: false }, next: b }
      - { answer: "Go", next: c }
  - id: b
    ask: B?
    choices:
      - { when: { field: x, set: false }, next: a }
      - { answer: "Go", next: c }
  - id: c
    end: ok
`) as Sop;
    expect(() => startRun(sop, { clock: new SimulatedClock() })).toThrow(expect.objectContaining({ code: 'endless-loop' }));
  });
});
