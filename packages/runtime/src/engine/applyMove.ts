import type { CompiledSop } from '@sopflow/compiler';
import { RunError } from '../RunError.js';
import type { Move, RunState } from '../types.js';
import { parseActor, parseMove } from './parseMove.js';
import { Transition, type Applied, type MoveContext } from './Transition.js';
import { choose } from './moves/choose.js';
import { complete } from './moves/complete.js';
import { record } from './moves/record.js';
import { signal } from './moves/signal.js';

/**
 * The run's step function: applies one move to a state and returns the next state, the journal
 * entries it adds and the actions to run. Pure: the state given is never changed, the clock is
 * `ctx.now`, and nothing runs. A refused move throws `RunError` (and so changes nothing):
 * `run-finished`, `wrong-step`, `role-required`, `invalid-move`, or the move's own code.
 * A time limit that is due is fired before the move, so a late move meets the run where the
 * clock has taken it.
 */
export function applyMove(sop: CompiledSop, state: RunState, move: Move, ctx: MoveContext): Applied {
  const m = parseMove(move);
  const by = m.by !== undefined ? parseActor(m.by) : ctx.by;
  checkActive(state);
  const t = new Transition(sop, state, by ? { ...ctx, by } : ctx);
  t.fireDueLimits();
  if (!t.active) throw new RunError('run-finished', 'the run ended when a time limit ran out, before this move');
  if (m.step !== undefined && t.stack[t.level]!.step !== m.step) {
    throw new RunError('wrong-step', `the move is for step "${m.step}", but the run is at step "${t.stack[t.level]!.step}"`);
  }
  if (m.signal !== undefined) {
    signal(t, m.signal, m.data);
    return t.result();
  }
  const meta = t.stepAt(t.level);
  if (ctx.enforceRoles && meta.role !== undefined && !(by?.roles ?? []).includes(meta.role)) {
    throw new RunError(
      'role-required',
      `step "${meta.id}" is for the role "${meta.role}": ${by ? `"${by.id}" has ${by.roles?.length ? `the roles ${by.roles.map((r) => `"${r}"`).join(', ')}` : 'no roles'}` : 'the move names no one (by)'}`,
    );
  }
  if (m.complete !== undefined) complete(t);
  else if (m.choose !== undefined) choose(t, m.choose);
  else record(t, m.record);
  return t.result();
}

/** Fires the time limits that are due at `ctx.now` (earliest first; a limit that leads back to
 *  its own step re-arms). Returns the state unchanged, with no entries, when none is due. */
export function fireLimits(sop: CompiledSop, state: RunState, ctx: MoveContext): Applied {
  if (state.status !== 'active') return { state, entries: [], effects: [] };
  const t = new Transition(sop, state, { now: ctx.now });
  t.fireDueLimits();
  return t.result();
}

/** A new run at the SOP's first step (and through whatever that step decides at once). */
export function startState(sop: CompiledSop, ctx: MoveContext): Applied {
  const empty: RunState = {
    status: 'active',
    stack: [{ sop: sop.id, step: sop.start, since: ctx.now, data: {} }],
    startedAt: ctx.now,
    seq: 0,
  };
  const t = new Transition(sop, empty, ctx);
  t.drive({ enter: 0, step: sop.start });
  return t.result();
}

/** Ends an active run without an outcome: journaled as `run-cancelled`; no move is taken after. */
export function cancelRun(sop: CompiledSop, state: RunState, ctx: MoveContext & { reason?: string }): Applied {
  checkActive(state);
  const t = new Transition(sop, state, ctx);
  t.cancel(ctx.reason);
  return t.result();
}

function checkActive(state: RunState): void {
  if (state.status === 'done') throw new RunError('run-finished', `the run has ended with outcome "${state.outcome}": no more moves`);
  if (state.status === 'cancelled') throw new RunError('run-finished', 'the run was cancelled: no more moves');
}
