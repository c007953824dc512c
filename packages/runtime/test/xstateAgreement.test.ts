import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createActor, createMachine, SimulatedClock as XStateClock } from 'xstate';
import { deepest, runtimePosition, xstateOutcome, xstatePosition } from './xstateDriver.js';
import { createSopMachine, sopflowImplementations, toMachineConfig, type SopMachineConfig } from '@sopflow/compiler';
import type { Sop } from '@sopflow/model';
import { findPaths, SimulatedClock, startRun, type ScriptMove } from '../src/index.js';

/**
 * XState is the compile target: the same JSON config, run by plain XState (`createMachine(json)`
 * with `sopflowImplementations`) and by `startRun`, must reach the same steps, after every move,
 * and the same outcome, on every path of every example SOP and fixture.
 */
function load(dir: URL): Sop[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sop.yaml'))
    .map((f) => parse(readFileSync(new URL(f, dir), 'utf8')) as Sop);
}
const examples = load(new URL('../../../examples/customer-service/', import.meta.url));
const fixtures = load(new URL('./fixtures/', import.meta.url));
const byId = (list: Sop[]) => Object.fromEntries(list.map((s) => [s.id, s]));

const noop = () => {};

describe('plain XState and startRun agree on every path of every example', () => {
  const cases = [...examples.map((s) => [s, byId(examples)] as const), ...fixtures.map((s) => [s, byId(fixtures)] as const)];
  it.each(cases.map(([s, p]) => [s.id, s, p] as const))('%s', (_id, sop, procedures) => {
    const config = JSON.parse(JSON.stringify(toMachineConfig(sop, { procedures }))) as SopMachineConfig;
    const actions = Object.fromEntries(config.meta.sopflow.actions.map((a) => [a, noop]));
    const paths = findPaths(config);
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) {
      const clock = new SimulatedClock();
      const run = startRun(config, { clock, actions });
      const xclock = new XStateClock();
      const machine = createMachine(config as any)
        .provide(sopflowImplementations(config))
        .provide({ actions });
      const actor = createActor(machine, { clock: xclock }).start();
      const withOutput = createActor(createSopMachine(config).provide({ actions } as any), { clock: new XStateClock() });
      expect(xstatePosition(actor, config)).toEqual(runtimePosition(run));
      path.moves.forEach((move: ScriptMove, i) => {
        if (move.wait !== undefined) {
          clock.increment(move.wait as number);
          xclock.increment(move.wait as number);
        } else {
          run.move(move as never);
          const target = deepest(actor, config);
          if (move.complete) target.send({ type: 'NEXT' });
          else if (move.choose !== undefined) target.send({ type: 'CHOOSE', answer: move.choose });
          else if (move.record) target.send({ type: 'RECORD', data: move.record });
          else if (move.signal !== undefined)
            target.send({ type: 'SIGNAL', signal: move.signal, ...(move.data ? { data: move.data } : {}) });
        }
        expect(xstatePosition(actor, config), `${sop.id}, path to ${path.outcome}, after move ${i + 1}`).toEqual(runtimePosition(run));
      });
      expect(run.outcome).toBe(path.outcome);
      expect(xstateOutcome(actor, config)).toBe(path.outcome);
      // the machine of createSopMachine gives its output as { outcome, data }
      withOutput.start();
      const xc = new XStateClock();
      const a2 = createActor(createSopMachine(config).provide({ actions } as any), { clock: xc }).start();
      for (const move of path.moves) {
        if (move.wait !== undefined) {
          xc.increment(move.wait as number);
          continue;
        }
        const target = deepest(a2, config);
        if (move.complete) target.send({ type: 'NEXT' });
        else if (move.choose !== undefined) target.send({ type: 'CHOOSE', answer: move.choose });
        else if (move.record) target.send({ type: 'RECORD', data: move.record });
        else if (move.signal !== undefined) target.send({ type: 'SIGNAL', signal: move.signal, ...(move.data ? { data: move.data } : {}) });
      }
      expect((a2.getSnapshot().output as { outcome?: string } | undefined)?.outcome).toBe(path.outcome);
      expect((a2.getSnapshot().output as { data?: unknown }).data).toEqual(run.view().data);
      withOutput.stop();
      run.stop();
    }
  });
});
