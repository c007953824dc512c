import type { JournalEntry } from '../journal.js';
import type { Effect, RunState } from '../types.js';
import { toIso } from './time.js';

/** How an action ended. */
export type EffectOutcome = { ok: true } | { ok: false; error: string };

/** Journals how a requested action ended (`action-done` / `action-failed`, with `ref` = the
 *  index of its `action-requested` entry). Allowed whatever the run's status: an action may
 *  finish after the run did. */
export function recordEffectResult(
  state: RunState,
  effect: Effect,
  outcome: EffectOutcome,
  now: number,
): { state: RunState; entries: JournalEntry[] } {
  const t = Math.max(now, state.startedAt);
  const e: JournalEntry = {
    type: outcome.ok ? 'action-done' : 'action-failed',
    at: toIso(t),
    ms: t - state.startedAt,
    step: effect.step,
    sop: effect.sop,
  };
  if (effect.path.length) e.path = [...effect.path];
  e.action = effect.action;
  e.ref = effect.index;
  if (!outcome.ok) e.error = outcome.error;
  return { state: { ...state, seq: state.seq + 1 }, entries: [e] };
}
