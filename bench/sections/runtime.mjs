// Runtime: create a run, one transition, 10,000 live runs; sopflow vs hand-written XState.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, fmtMb, fmtUs, summarize, timeProcess } from '../lib/stats.mjs';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'runtimeChild.mjs');

export async function runtimeRows(ctx) {
  const { root, runs, quick, log } = ctx;
  const live = quick ? 1000 : 10000;
  const { stdout } = timeProcess(process.execPath, ['--expose-gc', CHILD, String(runs), String(live)], { cwd: root, capture: true });
  const out = JSON.parse(stdout);
  const s = (group, name) => summarize(out[group][name]);
  const create = { sopflow: s('create', 'sopflow'), xstate: s('create', 'xstate') };
  const step = { sopflow: s('transition', 'sopflow'), xstate: s('transition', 'xstate') };
  log(describe('create a run: sopflow startRun(machine)', create.sopflow, fmtUs));
  log(describe('create a run: hand-written createActor(machine).start()', create.xstate, fmtUs));
  log(describe('one transition: sopflow complete()/choose()', step.sopflow, fmtUs));
  log(describe('one transition: hand-written actor.send()', step.xstate, fmtUs));
  const journalled = s('transition', 'xstate+journal');
  log(describe('one transition: hand-written with enter/leave/answer journal actions (like for like)', journalled, fmtUs));
  log(`  sopflow vs like-for-like hand-written: ${(step.sopflow.median / journalled.median).toFixed(2)}x`);
  log(
    `${live.toLocaleString('en-US')} live runs, heapUsed after gc: sopflow ${fmtMb(out.memory.sopflow)}, hand-written xstate ${fmtMb(out.memory.xstate)}, hand-written with journal ${fmtMb(out.memory['xstate+journal'])}`,
  );
  const createRatio = create.sopflow.median / create.xstate.median;
  const stepRatio = step.sopflow.median / step.xstate.median;
  const memRatio = out.memory.sopflow / out.memory.xstate;
  return [
    {
      metric: 'Runtime: create a run',
      sopflow: fmtUs(create.sopflow.median),
      peer: `${fmtUs(create.xstate.median)} (XState)`,
      ratio: `${createRatio.toFixed(2)}x`,
      target: '',
      pass: undefined,
      data: create,
    },
    {
      metric: 'Runtime: one transition (complete/choose)',
      sopflow: fmtUs(step.sopflow.median),
      peer: `${fmtUs(step.xstate.median)} (bare XState)`,
      ratio: `${stepRatio.toFixed(2)}x`,
      target: '< 50 µs',
      pass: step.sopflow.median < 50,
      data: step,
    },
    {
      // issue 14's target: like for like, a hand-written machine that keeps the same journal
      metric: 'Runtime: transition vs XState + same journal actions',
      sopflow: fmtUs(step.sopflow.median),
      peer: `${fmtUs(journalled.median)} (XState+journal)`,
      ratio: `${(step.sopflow.median / journalled.median).toFixed(2)}x`,
      target: '<= 1.3x',
      pass: step.sopflow.median / journalled.median <= 1.3,
      data: journalled,
    },
    {
      metric: `Runtime: ${live.toLocaleString('en-US')} live runs (heap)`,
      sopflow: fmtMb(out.memory.sopflow),
      peer: `${fmtMb(out.memory.xstate)} (XState)`,
      ratio: `${memRatio.toFixed(2)}x`,
      target: quick ? '—' : '< 300 MB',
      pass: quick ? undefined : out.memory.sopflow < 300,
      data: out.memory,
    },
  ];
}
