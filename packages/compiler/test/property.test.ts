import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMachine } from 'xstate';
import type { Sop, Step } from '@sopflow/model';
import { createSopMachine, encodeStateKey, toMachineConfig } from '../src/index.js';

const idChar = fc.constantFrom(...'abcxyz019_-.#~ :/éß'.split(''));
const stepIdArb = fc.string({ unit: idChar, minLength: 1, maxLength: 8 });

/** A random SOP whose references all resolve (what `validate` would let through to compile). */
const sopArb = fc.uniqueArray(stepIdArb, { minLength: 1, maxLength: 12 }).chain((ids) => {
  const target = fc.constantFrom(...ids);
  const stepArb = (id: string): fc.Arbitrary<Step> =>
    fc
      .oneof(
        fc.record({
          do: fc.string(),
          next: fc.option(target, { nil: undefined }),
          segment: fc.option(fc.constantFrom('greeting', 'hold'), { nil: undefined }),
        }),
        fc.record({
          ask: fc.string(),
          choices: fc.array(
            fc.oneof(
              fc.record({ answer: fc.string({ minLength: 1 }), next: target }),
              fc.record({
                when: fc.record({ field: fc.constant('issue'), equals: fc.constantFrom('billing', 'technical') }),
                next: target,
              }),
            ),
            { minLength: 1, maxLength: 4 },
          ),
        }),
        fc.record({
          do: fc.string(),
          limit: fc.record({ after: fc.constantFrom('45s', '5m', 'PT60S'), next: target }),
          next: fc.option(target, { nil: undefined }),
        }),
        fc.record({ transfer: fc.string({ minLength: 1 }), end: fc.constantFrom('transferred', 'handed.off') }),
        fc.record({ end: fc.constantFrom('resolved', 'failed #2') }),
      )
      .map((s) => {
        const step: Step = { id };
        for (const [k, v] of Object.entries(s)) if (v !== undefined) (step as Record<string, unknown>)[k] = v;
        return step;
      });
  return fc.tuple(...ids.map(stepArb)).map((instructions): Sop => ({
    sopflow: 1,
    id: 'random',
    title: 'Random',
    version: '1.0.0',
    fields: { issue: { type: 'string', enum: ['billing', 'technical'] } },
    instructions,
  }));
});

describe('toMachineConfig (properties)', () => {
  it('for any valid SOP graph: JSON round-trips, every step is a state, keys are safe, XState accepts it', () => {
    fc.assert(
      fc.property(sopArb, (sop) => {
        const config = toMachineConfig(sop);
        const copy = JSON.parse(JSON.stringify(config));
        expect(copy).toEqual(config);
        const stepIds = Object.values(config.states)
          .flatMap((s) => (s.meta.step ? [s.meta.step] : []))
          .sort((a, b) => a.index - b.index)
          .map((m) => m.id);
        expect(stepIds).toEqual(sop.instructions.map((s) => s.id));
        for (const [key, state] of Object.entries(config.states)) {
          expect(key).not.toMatch(/[.#]/);
          if (state.meta.step) expect(key).toBe(encodeStateKey(state.meta.step.id));
        }
        expect(() => createMachine(copy)).not.toThrow();
        expect(() => createSopMachine(copy)).not.toThrow();
        expect(toMachineConfig(structuredClone(sop)).meta.sopflow.hash).toBe(config.meta.sopflow.hash);
      }),
      { numRuns: 200 },
    );
  });

  it('encodeStateKey is injective and yields safe keys', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        expect(encodeStateKey(a)).toMatch(/^[A-Za-z0-9_~-]*$/);
        if (a !== b) expect(encodeStateKey(a)).not.toBe(encodeStateKey(b));
      }),
      { numRuns: 500 },
    );
  });
});
