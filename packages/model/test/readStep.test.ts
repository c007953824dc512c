import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildSopGraph, readStep, stepValuesOf, STEP_KEYS, type Sop, type Step } from '../src/index.js';

const KEYS = Object.keys(STEP_KEYS) as (keyof Step)[];

/** What named reads give: the reference readStep must match. */
const byName = (step: Step) => Object.fromEntries(KEYS.map((k) => [k, step[k]]));

describe('readStep', () => {
  it('has every step key, the step value or undefined, in one shape', () => {
    const v = readStep({ id: 'a', do: 'Greet', next: 'b', extra: 1 } as Step);
    expect(Object.keys(v).sort()).toEqual([...KEYS].sort());
    expect(v).toEqual({ ...byName({ id: 'a', do: 'Greet', next: 'b' }) });
    expect(Object.keys(readStep({ ask: 'Q' }))).toEqual(Object.keys(readStep({ use: 'x', with: {} })));
    expect('extra' in v).toBe(false);
  });

  it('reads what named reads give, for any plain step: own keys in any order, unknown keys, odd values (property)', () => {
    const value = fc.oneof(fc.string(), fc.integer(), fc.constant(undefined), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }));
    const key = fc.oneof(fc.constantFrom(...KEYS), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { maxLength: 12 }), (entries) => {
        const step = Object.fromEntries(entries) as Step;
        expect(readStep(step)).toEqual(byName(step));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads objects that are not plain (class instances, getters, null prototype) by name', () => {
    class Task {
      readonly do = 'Work';
      get next() {
        return 'b';
      }
    }
    expect(readStep(new Task() as Step)).toMatchObject({ do: 'Work', next: 'b' });
    const bare = Object.assign(Object.create(null) as object, { ask: 'Q?', choices: [] }) as Step;
    expect(readStep(bare)).toMatchObject({ ask: 'Q?', choices: [] });
  });
});

describe('stepValuesOf', () => {
  it('holds, per graph node, what readStep reads of its step; nothing for a graph buildSopGraph did not make', () => {
    const sop = {
      sopflow: 1,
      id: 's',
      title: 'S',
      instructions: [
        { next: 'b', do: 'A', id: 'a' },
        { id: 'b', ask: 'Q?', choices: [{ answer: 'Yes', end: 'done' }] },
        { end: 'done', id: 'c' },
      ],
    } as unknown as Sop;
    const graph = buildSopGraph(sop);
    const values = stepValuesOf(graph)!;
    expect(values).toHaveLength(graph.nodes.length);
    graph.nodes.forEach((node, k) => expect(values[k]).toEqual(readStep(node.step)));
    expect(stepValuesOf({ ...graph })).toBeUndefined();
    // a node list replaced or changed since: the values no longer match it
    const replaced = buildSopGraph(sop);
    replaced.nodes = replaced.nodes.slice(1);
    expect(stepValuesOf(replaced)).toBeUndefined();
    const changed = buildSopGraph(sop);
    changed.nodes.pop();
    expect(stepValuesOf(changed)).toBeUndefined();
  });
});
