import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Sop, Step } from '@sopflow/model';
import { toMachineConfig } from '@sopflow/compiler';
import { findPaths, playMoves, RunError, SimulatedClock, startRun, summarizeJournal } from '../src/index.js';

/** Random SOPs whose branches only go forward (so every path ends), with decisions on answers
 *  and on data, limits, hand-offs, content + `end` steps and bare ends. */
const sopArb = fc.integer({ min: 2, max: 9 }).chain((n) => {
  const ids = Array.from({ length: n }, (_, i) => `s${i}`);
  const forward = (i: number) => fc.constantFrom(...ids.slice(i + 1));
  const step = (i: number): fc.Arbitrary<Step> =>
    (i === n - 1
      ? fc.constantFrom<Step>({ end: 'done' }, { do: 'Last.' })
      : fc.oneof(
          fc.record({
            do: fc.constant('Task.'),
            next: fc.option(forward(i), { nil: undefined }),
            record: fc.option(fc.constant(['level']), { nil: undefined }),
          }),
          fc.record({
            ask: fc.constant('Which?'),
            choices: fc
              .tuple(forward(i), forward(i), forward(i), fc.boolean())
              .map(([a, b, c, when]) => [
                ...(when ? [{ when: { field: 'level', equals: 'high' }, next: c }] : []),
                { answer: 'One', next: a },
                { answer: 'Two', next: b },
              ]),
          }),
          fc.record({
            do: fc.constant('Hold.'),
            limit: fc.record({ after: fc.constantFrom('30s', '2m'), next: forward(i) }),
            next: forward(i),
          }),
          fc.record({ transfer: fc.constant('Billing'), end: fc.constantFrom('transferred', 'done') }),
        )
    ).map((s) => {
      const out: Step = { id: ids[i] };
      for (const [k, v] of Object.entries(s)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
      return out;
    });
  return fc.tuple(...ids.map((_, i) => step(i))).map((instructions): Sop => ({
    sopflow: 1,
    id: 'random',
    title: 'Random',
    version: '1.0.0',
    fields: { level: { type: 'string', enum: ['low', 'high'] } },
    instructions,
  }));
});

describe('runtime (properties)', () => {
  it('every path findPaths lists replays to its outcome, from the JSON config', () => {
    fc.assert(
      fc.property(sopArb, (sop) => {
        const config = JSON.parse(JSON.stringify(toMachineConfig(sop)));
        const paths = findPaths(config);
        expect(paths.length).toBeGreaterThan(0);
        for (const path of paths) {
          expect(config.meta.sopflow.outcomes).toContain(path.outcome);
          const clock = new SimulatedClock();
          const run = startRun(config, { clock });
          playMoves(run, path.moves, clock);
          expect(run.outcome).toBe(path.outcome);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('random moves: only RunErrors, refused moves change nothing, the journal stays balanced', () => {
    const moveArb = fc.array(
      fc.oneof(
        fc.constant({ kind: 'complete' as const }),
        fc.constantFrom('One', 'Two', 'Three').map((answer) => ({ kind: 'choose' as const, answer })),
        fc
          .constantFrom<Record<string, unknown>>({ level: 'high' }, { level: 'low' }, { level: 3 }, { other: 'x' })
          .map((data) => ({ kind: 'record' as const, data })),
        fc.constantFrom(1_000, 30_000, 120_000).map((ms) => ({ kind: 'wait' as const, ms })),
      ),
      { maxLength: 25 },
    );
    fc.assert(
      fc.property(sopArb, moveArb, (sop, moves) => {
        const clock = new SimulatedClock();
        const run = startRun(sop, { clock });
        for (const move of moves) {
          const before = JSON.stringify(run.persist());
          try {
            if (move.kind === 'complete') run.complete();
            else if (move.kind === 'choose') run.choose(move.answer);
            else if (move.kind === 'record') run.record(move.data as never);
            else clock.increment(move.ms);
          } catch (error) {
            expect(error).toBeInstanceOf(RunError);
            expect(JSON.stringify(run.persist())).toBe(before);
          }
        }
        const { visits } = summarizeJournal(run.journal);
        const entered = run.journal.filter((e) => e.type === 'step-entered').length;
        const left = run.journal.filter((e) => e.type === 'step-left').length;
        expect(Object.values(visits).reduce((a, b) => a + b, 0)).toBe(entered);
        // every step left was entered; at most one step is open (or the bare end the run stopped on)
        expect(entered - left).toBeLessThanOrEqual(1);
        expect(entered - left).toBeGreaterThanOrEqual(run.status === 'done' && run.view().kind !== 'end' ? 0 : 1);
        if (run.status === 'done')
          expect(run.journal.filter((e) => !e.type.startsWith('action-')).at(-1)).toMatchObject({
            type: 'run-ended',
            outcome: run.outcome,
          });
      }),
      { numRuns: 150 },
    );
  });
});
