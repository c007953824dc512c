import { parseDuration, type FieldValue } from '@sopflow/model';
import type { Run } from './startRun.js';
import { RunError } from './RunError.js';

/**
 * One move of a scripted walk (the format of `sopflow run --script` and of `sopflow paths --json`).
 * `step`, when given, asserts the current step's id before the move. Exactly one of
 * `complete`, `choose`, `record`, `wait` (or none, for an assertion alone).
 */
export interface Move {
  step?: string;
  complete?: boolean;
  choose?: string;
  record?: Record<string, FieldValue>;
  /** let time pass: ms, or a duration (`60s`, `5m`); needs a clock with `increment` (SimulatedClock) */
  wait?: number | string;
}

export interface ManualClock {
  increment(ms: number): void;
}

/** Applies moves in order. Throws `RunError` (with the move's index in the message) on the first
 *  move the run refuses. */
export function playMoves(run: Run, moves: readonly Move[], clock?: ManualClock): void {
  moves.forEach((move, i) => {
    try {
      playMove(run, move, clock);
    } catch (error) {
      if (error instanceof RunError) throw new RunError(error.code, `move ${i + 1}: ${error.message}`, { cause: error });
      throw error;
    }
  });
}

export function playMove(run: Run, move: Move, clock?: ManualClock): void {
  if (move.step !== undefined) {
    const view = run.view();
    if (view.done || view.step !== move.step) {
      throw new RunError('wrong-step', `expected to be at step "${move.step}", but ${view.done ? `the run has ended (${view.outcome})` : `the current step is "${view.step}"`}`);
    }
  }
  if (move.record !== undefined) run.record(move.record);
  else if (move.choose !== undefined) run.choose(String(move.choose));
  else if (move.complete) run.complete();
  else if (move.wait !== undefined) {
    const ms = typeof move.wait === 'number' ? move.wait : parseDuration(move.wait);
    if (ms === undefined || !(ms >= 0)) throw new RunError('invalid-input', `cannot read wait ${JSON.stringify(move.wait)} (use ms or a duration like 60s)`);
    if (!clock) throw new RunError('invalid-input', 'a wait needs a clock that can be advanced (SimulatedClock)');
    clock.increment(ms);
  }
}
