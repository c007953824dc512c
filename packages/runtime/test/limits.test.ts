import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Sop } from '@sopflow/model';
import { MAX_TIMER_MS, RunError, SimulatedClock, startRun, type RunClock } from '../src/index.js';

const sop = (limit: string, next = 'back') =>
  parse(`
sopflow: 1
id: limited
title: A long limit
instructions:
  - id: wait-here
    do: Wait for the customer's documents.
    limit: { after: ${limit}, next: ${next} }
    next: done
  - id: back
    do: Chase the customer.
    next: done
  - id: done
    end: ok
`) as Sop;

/** A clock that records every timer it is asked for, and fires them on demand. */
function recordingClock(start = 0) {
  let now = start;
  const timers = new Map<number, { at: number; fn: () => void; ms: number }>();
  let id = 0;
  const clock: RunClock & { advance(ms: number): void; delays: number[] } = {
    delays: [],
    now: () => now,
    setTimeout(fn, ms) {
      clock.delays.push(ms);
      timers.set(++id, { at: now + ms, fn, ms });
      return id;
    },
    clearTimeout(t: number) {
      timers.delete(t);
    },
    advance(ms: number) {
      const target = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = target;
    },
  };
  return clock;
}

describe('time limits of any length', () => {
  it('a 30-day limit is reached in timer steps no longer than setTimeout takes, and fires at its deadline', () => {
    const clock = recordingClock(Date.parse('2026-01-01T00:00:00Z'));
    const run = startRun(sop('30d'), { clock });
    expect(Math.max(...clock.delays)).toBeLessThanOrEqual(MAX_TIMER_MS);
    clock.advance(MAX_TIMER_MS + 1);
    expect(run.view().step).toBe('wait-here'); // 24.8 days: the first timer step ran, the limit has not fired
    clock.advance(30 * 86_400_000 - MAX_TIMER_MS - 2);
    expect(run.view().step).toBe('wait-here');
    clock.advance(1);
    expect(run.view().step).toBe('back');
    expect(run.journal.find((e) => e.type === 'limit-fired')).toMatchObject({
      deadline: '2026-01-31T00:00:00.000Z',
      at: '2026-01-31T00:00:00.000Z',
    });
  });

  it('a 30-day limit on the real clock does not fire early (nor after a restore)', async () => {
    const run = startRun(sop('30d'));
    await new Promise((r) => setTimeout(r, 30));
    expect(run.view().step).toBe('wait-here');
    const again = startRun(sop('30d'), { snapshot: run.persist() });
    run.stop();
    await new Promise((r) => setTimeout(r, 30));
    expect(again.view().step).toBe('wait-here');
    expect(again.view().limit!.remaining).toBeGreaterThan(29 * 86_400_000);
    again.stop();
  });

  it('a duration beyond the maximum (3,650 days) cannot run: a clear RunError, never a RangeError', () => {
    expect(() => startRun(sop('99999999d'))).toThrow(RunError);
    expect(() => startRun(sop('99999999d'))).toThrow(
      expect.objectContaining({
        code: 'invalid-input',
        message: expect.stringMatching(/cannot read the time limit "99999999d".*at most 3650d/),
      }),
    );
  });

  it('a limit that leads back to its own step re-arms, fires once per period, and restore adds nothing', () => {
    const loop = parse(`
sopflow: 1
id: hold-loop
title: Hold and apologise every minute
instructions:
  - id: hold
    do: Keep researching; apologise every minute.
    limit: { after: 60s, next: hold }
    next: done
  - id: done
    end: ok
`) as Sop;
    const clock = new SimulatedClock();
    const run = startRun(loop, { clock });
    for (let minute = 0; minute < 5; minute++) clock.increment(60_000);
    const fired = run.journal.filter((e) => e.type === 'limit-fired');
    expect(fired.map((e) => e.ms)).toEqual([60_000, 120_000, 180_000, 240_000, 300_000]);
    clock.increment(10 * 60_000); // a long jump (a host that was down) fires it once, late
    expect(run.journal.filter((e) => e.type === 'limit-fired').at(-1)).toMatchObject({
      ms: 900_000,
      deadline: new Date(360_000).toISOString(),
    });
    expect(run.view().limit!.remaining).toBe(60_000);
    const saved = JSON.parse(JSON.stringify(run.persist()));
    expect(run.view().limit!.remaining).toBe(60_000);
    for (let i = 0; i < 3; i++) {
      const again = startRun(loop, { clock, snapshot: saved });
      expect(again.journal).toEqual(saved.journal);
      expect(again.view()).toEqual(run.view());
      again.stop();
    }
    run.stop();
  });

  it('after a restore, a missed deadline fires at once, journaled with the deadline it served', () => {
    const clock = new SimulatedClock();
    clock.set(Date.parse('2026-01-01T00:00:00Z'));
    const run = startRun(sop('5m'), { clock });
    const saved = run.persist();
    run.stop();
    clock.set(Date.parse('2026-01-01T02:00:00Z'));
    const again = startRun(sop('5m'), { clock, snapshot: saved });
    expect(again.view().step).toBe('back');
    expect(again.journal.find((e) => e.type === 'limit-fired')).toMatchObject({
      deadline: '2026-01-01T00:05:00.000Z',
      at: '2026-01-01T02:00:00.000Z',
    });
  });

  it('a clock that says something that is not a time is refused at start', () => {
    expect(() => startRun(sop('5m'), { clock: { setTimeout: () => 0, clearTimeout: () => {}, now: () => Number.NaN } })).toThrow(
      expect.objectContaining({ code: 'invalid-input' }),
    );
  });
});
