import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkFieldValue, type Sop } from '@sopflow/model';
import { RunError, SimulatedClock, startRun, type Run } from '../src/index.js';
import { boundActions, familyArb, stepArb, type Family, type WalkStep as Step } from './fuzz/arbitraries.mjs';

const RUNS = Math.ceil(Number(process.env.SOPFLOW_FUZZ_RUNS ?? 10_000) / 5);

/** A run of a random family after a random walk (or undefined when it cannot start). */
function walked({ sop, procedures }: Family, steps: Step[]): { run: Run; clock: SimulatedClock } | undefined {
  const clock = new SimulatedClock();
  clock.set(Date.UTC(2026, 0, 1));
  let run: Run;
  try {
    run = startRun(sop, { procedures, clock, actions: boundActions('ok') });
  } catch {
    return undefined;
  }
  for (const s of steps) {
    try {
      if (s.kind === 'complete') run.complete();
      else if (s.kind === 'choose') run.choose(s.answer!);
      else if (s.kind === 'record') run.record(s.data as never);
      else if (s.kind === 'signal') run.signal(s.signal!);
      else if (s.kind === 'wait') clock.increment(s.ms!);
    } catch (error) {
      if (!(error instanceof RunError)) throw error;
    }
  }
  return { run, clock };
}

/** An edit of an SOP: a text changed, a step removed (its references moved on), a field retyped. */
const editArb = fc.record({ kind: fc.constantFrom('text', 'remove', 'retype', 'version'), at: fc.nat() });
function edited(sop: Sop, edit: { kind: string; at: number }): Sop {
  const copy = structuredClone(sop);
  const i = edit.at % copy.instructions.length;
  const step = copy.instructions[i]!;
  if (edit.kind === 'text') {
    if (step.do !== undefined) step.do = `${step.do} (revised)`;
    else step.note = 'revised';
  } else if (edit.kind === 'remove' && copy.instructions.length > 1) {
    const gone = step.id!;
    copy.instructions.splice(i, 1);
    const to = copy.instructions[0]!.id!;
    const json = JSON.stringify(copy).replaceAll(`"${gone}"`, `"${to}"`);
    return JSON.parse(json);
  } else if (edit.kind === 'retype') {
    copy.fields = { ...copy.fields, level: { type: 'integer' } };
  }
  copy.version = '2.0.0';
  return copy;
}

describe('run features (properties)', () => {
  it(`migration either continues the run as it was (plus one migrated entry) or refuses with reasons, never half-moves it (${RUNS})`, () => {
    fc.assert(
      fc.property(familyArb, fc.array(stepArb, { maxLength: 20 }), editArb, (family: Family, steps: Step[], edit) => {
        const w = walked(family, steps);
        if (!w) return;
        const { run, clock } = w;
        const saved = JSON.parse(JSON.stringify(run.persist()));
        const copy = JSON.stringify(saved);
        const next = edited(family.sop, edit);
        let moved: Run;
        try {
          moved = startRun(next, { procedures: family.procedures, clock, actions: boundActions('ok'), snapshot: saved, migrate: true });
        } catch (error) {
          expect(error).toBeInstanceOf(RunError);
          expect(['cannot-migrate', 'invalid-input', 'endless-loop']).toContain((error as RunError).code);
          expect(JSON.stringify(saved)).toBe(copy); // the snapshot given is untouched
          return;
        }
        const before = run.view();
        const after = moved.view();
        expect(after.step).toBe(before.step);
        expect(after.path).toEqual(before.path);
        expect(after.data).toEqual(before.data);
        expect(after.status).toBe(before.status);
        const grew = moved.journal.length - saved.journal.length;
        if (saved.state.status === 'active' && run.sop.hash !== moved.sop.hash) {
          expect(moved.journal.slice(0, saved.journal.length)).toEqual(saved.journal);
          expect(moved.journal[saved.journal.length]).toMatchObject({
            type: 'migrated',
            from: { hash: run.sop.hash },
            to: { hash: moved.sop.hash },
          });
          expect(grew).toBeGreaterThanOrEqual(1);
        }
        moved.stop();
        run.stop();
      }),
      { numRuns: RUNS },
    );
  }, 600_000);

  it(`data passed into a sub-procedure and taken back keeps its types on every path (${RUNS})`, () => {
    fc.assert(
      fc.property(familyArb, fc.array(stepArb, { maxLength: 30 }), (family: Family, steps: Step[]) => {
        const w = walked(family, steps);
        if (!w) return;
        const all: Record<string, Sop> = { [family.sop.id]: family.sop, ...family.procedures };
        for (const e of w.run.journal) {
          if ((e.type === 'procedure-started' || e.type === 'procedure-ended' || e.type === 'recorded' || e.type === 'signal') && e.data) {
            const sop = all[e.type === 'procedure-started' ? e.procedure! : e.sop!]!;
            for (const [name, value] of Object.entries(e.data)) {
              expect(sop.fields![name], `${e.type}: ${name}`).toBeDefined();
              expect(checkFieldValue(sop.fields![name]!, value)).toBeUndefined();
            }
          }
        }
        w.run.stop();
      }),
      { numRuns: RUNS },
    );
  }, 600_000);

  it(`a signal that no step waits for is refused with a RunError and changes nothing (${RUNS})`, () => {
    fc.assert(
      fc.property(familyArb, fc.array(stepArb, { maxLength: 20 }), (family: Family, steps: Step[]) => {
        const w = walked(family, steps);
        if (!w) return;
        const before = JSON.stringify(w.run.persist());
        let code = 'accepted';
        try {
          w.run.signal('never-awaited');
        } catch (error) {
          code = (error as RunError).code;
        }
        expect(['not-awaited', 'run-finished', 'endless-loop']).toContain(code); // endless-loop: a due limit leads into a loop the SOP should not have (validate: automatic-loop)
        expect(JSON.stringify(w.run.persist())).toBe(before);
        w.run.stop();
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});
