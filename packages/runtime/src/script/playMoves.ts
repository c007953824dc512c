import { parseDuration } from '@sopflow/model';
import type { Run } from '../run/startRun.js';
import { RunError } from '../RunError.js';
import type { Move, MoveCommon } from '../types.js';

/**
 * One line of a scripted walk (`sopflow run --script`, the `moves` of `sopflow paths --json`):
 * a move, a `wait` (let time pass: ms, or a duration like `60s`), or only `step` (assert where
 * the run is).
 */
export type ScriptMove =
  | Move
  | (MoveCommon & { wait: number | string; complete?: never; choose?: never; record?: never; signal?: never; data?: never })
  | (MoveCommon & { step: string; wait?: never; complete?: never; choose?: never; record?: never; signal?: never; data?: never });

/** A clock a script can move on (`SimulatedClock`). */
export interface ManualClock {
  increment(ms: number): void;
}

/** Applies a script in order. Throws `RunError` (with the move's number in the message) on
 *  the first move the run refuses. */
export function playMoves(run: Run, moves: readonly ScriptMove[], clock?: ManualClock): void {
  moves.forEach((move, i) => {
    try {
      playMove(run, move, clock);
    } catch (error) {
      if (error instanceof RunError) throw new RunError(error.code, `move ${i + 1}: ${error.message}`, { cause: error });
      throw error;
    }
  });
}

export function playMove(run: Run, move: ScriptMove, clock?: ManualClock): void {
  if (!move || typeof move !== 'object') throw new RunError('invalid-move', 'a script move is an object');
  const m = move as unknown as Record<string, unknown>;
  if (m.wait !== undefined) {
    if (m.step !== undefined) assertStep(run, m.step as string);
    const ms = typeof m.wait === 'number' ? m.wait : parseDuration(String(m.wait));
    if (ms === undefined || !(ms >= 0) || !Number.isFinite(ms))
      throw new RunError('invalid-move', `cannot read wait ${JSON.stringify(m.wait)} (use ms or a duration like 60s)`);
    if (!clock) throw new RunError('invalid-move', 'a wait needs a clock that can be advanced (SimulatedClock)');
    clock.increment(ms);
    return;
  }
  if (m.complete === undefined && m.choose === undefined && m.record === undefined && m.signal === undefined) {
    if (typeof m.step !== 'string')
      throw new RunError('invalid-move', 'a script move is one of complete, choose, record, signal, wait, or step alone');
    assertStep(run, m.step);
    return;
  }
  if (m.step !== undefined) assertStep(run, m.step as string);
  run.move(move as Move);
}

function assertStep(run: Run, step: string): void {
  const view = run.view();
  if (view.done || view.status !== 'active' || view.step !== step) {
    throw new RunError(
      'wrong-step',
      `expected to be at step "${step}", but ${view.status !== 'active' ? `the run has ${view.status === 'done' ? `ended (${view.outcome})` : 'been cancelled'}` : `the current step is "${view.step}"`}`,
    );
  }
}
