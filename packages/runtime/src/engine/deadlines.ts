import type { CompiledSop } from '@sopflow/compiler';
import type { Frame, RunState } from '../types.js';

/** A time limit armed on the stack: the current step of `level` has a `limit`. */
export interface ArmedLimit {
  level: number;
  step: string;
  /** the deadline, ms since the epoch */
  at: number;
}

/** Every time limit armed on the stack, outermost first (a `use:` step's limit runs while its
 *  sub-procedure does). */
export function armedLimits(sop: CompiledSop, stack: readonly Frame[]): ArmedLimit[] {
  const out: ArmedLimit[] = [];
  stack.forEach((frame, level) => {
    const procedure = level === 0 ? sop : sop.procedures.get(frame.sop);
    const limit = procedure?.steps.get(frame.step)?.limit;
    if (limit) out.push({ level, step: frame.step, at: frame.since + limit.ms });
  });
  return out;
}

/** The limit that falls due first: the earliest deadline, and of two at once the innermost
 *  (the step's own limit before the one on the sub-procedure around it: docs/format.md, "Limits";
 *  plain XState promises no order between a machine's timers and those of an actor it invoked). */
export function nextLimit(sop: CompiledSop, stack: readonly Frame[]): ArmedLimit | undefined {
  let first: ArmedLimit | undefined;
  for (const limit of armedLimits(sop, stack)) if (!first || limit.at <= first.at) first = limit;
  return first;
}

/** The limit that is due at `now`, if any. */
export function dueLimit(sop: CompiledSop, stack: readonly Frame[], now: number): ArmedLimit | undefined {
  const first = nextLimit(sop, stack);
  return first && first.at <= now ? first : undefined;
}

/** When the run next needs the clock (ms since the epoch): its earliest deadline. A host arms
 *  one timer for it; `undefined` when nothing waits on the clock. */
export function nextDeadline(sop: CompiledSop, state: RunState): number | undefined {
  return state.status === 'active' ? nextLimit(sop, state.stack)?.at : undefined;
}
