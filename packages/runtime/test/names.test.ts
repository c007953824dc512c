import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import type { Sop } from '@sopflow/model';
import { sopflowImplementations, toMachineConfig } from '@sopflow/compiler';
import { findPaths, playMoves, RunError, SimulatedClock, startRun } from '../src/index.js';

/** Every name a plain object answers to, `__proto__` included. */
const NAMES = Object.getOwnPropertyNames(Object.prototype);

/** An SOP whose every name (steps, fields, action, answer, outcome, sub-procedure) is `name`. */
function sopNamed(name: string): { sop: Sop; procedures: Record<string, Sop> } {
  const child: Sop = {
    sopflow: 1,
    id: name,
    title: 'Child',
    fields: { [name]: { type: 'string' } },
    instructions: [
      { id: name, do: 'Inside.', record: [name] },
      { id: `${name}-end`, end: name },
    ],
  };
  const sop: Sop = {
    sopflow: 1,
    id: 'named',
    title: `Named ${name}`,
    fields: { [name]: { type: 'string', required: true } },
    instructions: [
      { id: name, do: 'First.', record: [name], action: name },
      {
        id: 'pick',
        ask: 'Which?',
        choices: [
          { answer: name, next: 'sub' },
          { answer: 'other', next: 'sub' },
        ],
      },
      { id: 'sub', use: name, with: { [name]: name }, returns: { [name]: name }, outcomes: { [name]: 'last' } },
      { id: 'last', do: 'Last.', end: name },
    ],
  };
  return { sop, procedures: { [name]: child } };
}

describe('every Object.prototype member name works as a step, field, action, answer, outcome and SOP id', () => {
  it.each(NAMES)('%s', (name) => {
    const { sop, procedures } = sopNamed(name);
    expect(Object.keys(sop.fields!)).toEqual([name]); // an own key, even for __proto__
    // the action must be bound: an object's inherited member does not count
    expect(() => startRun(sop, { procedures })).toThrow(expect.objectContaining({ code: 'unbound-action' }));
    const seen: string[] = [];
    const clock = new SimulatedClock();
    const actions = {
      [name]: () => {
        seen.push(name);
      },
    };
    const run = startRun(sop, { procedures, clock, actions });
    expect(run.view().step).toBe(name);
    // the required field is enforced
    expect(() => run.complete()).toThrow(expect.objectContaining({ code: 'missing-field' }));
    run.record({ [name]: 'value' });
    expect(Object.prototype.hasOwnProperty.call(run.view().data, name)).toBe(true);
    run.complete();
    expect(seen).toEqual([name]);
    run.choose(name);
    expect(run.view()).toMatchObject({ step: name, sop: name, data: { [name]: 'value' } });
    const saved = JSON.parse(JSON.stringify(run.persist()));
    run.stop();
    const again = startRun(sop, { procedures, clock, actions, snapshot: saved });
    expect(again.journal).toEqual(saved.journal);
    again.record({ [name]: 'changed' });
    again.complete();
    expect(again.view()).toMatchObject({ step: 'last', data: { [name]: 'changed' } });
    again.complete();
    expect(again.outcome).toBe(name);
    // an undeclared field of that name is refused
    const other = startRun({ ...sop, fields: {}, instructions: [{ id: 'a', do: 'A.' }] });
    expect(() => other.record({ [name]: 'x' })).toThrow(expect.objectContaining({ code: 'unknown-field' }));

    // paths and plain XState agree
    const paths = findPaths(sop, { procedures });
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) {
      const c = new SimulatedClock();
      const replay = startRun(sop, { procedures, clock: c, actions });
      playMoves(replay, path.moves, c);
      expect(replay.outcome).toBe(name);
    }
    const config = JSON.parse(JSON.stringify(toMachineConfig(sop, { procedures })));
    const actor = createActor(
      createMachine(config)
        .provide(sopflowImplementations(config))
        .provide({ actions: { [name]: () => {} } }),
    ).start();
    actor.send({ type: 'RECORD', data: { [name]: 'v' } });
    actor.send({ type: 'NEXT' });
    actor.send({ type: 'CHOOSE', answer: name });
    const child = Object.values(actor.getSnapshot().children)[0] as any;
    child.send({ type: 'NEXT' });
    actor.send({ type: 'NEXT' });
    expect(actor.getSnapshot().status).toBe('done');
  });

  it('a name is never read from the prototype: an answer "toString" is not offered unless written', () => {
    const run = startRun({
      sopflow: 1,
      id: 'x',
      title: 'X',
      instructions: [
        {
          id: 'a',
          ask: 'Q?',
          choices: [
            { answer: 'Yes', next: 'b' },
            { answer: 'No', next: 'b' },
          ],
        },
        { id: 'b', end: 'done' },
      ],
    });
    for (const name of NAMES) expect(() => run.choose(name)).toThrow(RunError);
  });
});
