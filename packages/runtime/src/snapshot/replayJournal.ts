import type { CompiledSop } from '@sopflow/compiler';
import type { JournalEntry } from '../journal.js';
import { RunError } from '../RunError.js';
import type { Effect, Move, RunState } from '../types.js';
import { applyMove, cancelRun, fireLimits, startState } from '../engine/applyMove.js';
import { recordEffectResult } from '../engine/effectResult.js';
import type { Applied } from '../engine/Transition.js';
import { canonicalJson } from './seal.js';
import { deriveState } from './deriveState.js';

/**
 * Plays a journal again on a build of its SOP: from its start (or from its last `migrated`
 * entry, before which an earlier build was followed), each group of entries must be exactly
 * what the step function writes for the move, fired limit or action result the group records,
 * at the time it was written. Returns the state the journal leads to, or a sentence saying
 * which entry the run would not have written. This is what makes a snapshot's journal
 * trustworthy: it is not a story, it is the run.
 */
export function replayJournal(sop: CompiledSop, journal: readonly JournalEntry[], startedAt: number): RunState | string {
  let from = 0;
  for (let i = journal.length - 1; i >= 0; i--)
    if (journal[i]!.type === 'migrated') {
      from = i + 1;
      break;
    }
  let state: RunState;
  let i: number;
  if (from > 0) {
    const derived = deriveState(journal.slice(0, from), startedAt);
    if (typeof derived === 'string') return derived;
    state = derived;
    i = from;
  } else {
    if (journal.length === 0) return 'the journal has no step';
    const first = journal[0]!;
    const start = startState(sop, { now: startedAt + first.ms, ...(first.by !== undefined ? { by: { id: first.by } } : {}) });
    if (first.ms !== 0) return 'the journal does not start when the run started';
    const problem = compare(start.entries, journal, 0, 'the start');
    if (problem) return problem;
    state = start.state;
    i = start.entries.length;
  }
  while (i < journal.length) {
    const e = journal[i]!;
    const now = startedAt + e.ms;
    let applied: Pick<Applied, 'state' | 'entries'>;
    try {
      if (e.type === 'action-done' || e.type === 'action-failed') {
        const requested = journal[e.ref ?? -1];
        if (!requested || requested.type !== 'action-requested' || requested.action !== e.action)
          return `journal entry ${i} answers no action request`;
        const effect: Effect = {
          index: e.ref!,
          action: requested.action!,
          step: requested.step!,
          sop: requested.sop!,
          path: requested.path ?? [],
          data: {},
        };
        applied = recordEffectResult(state, effect, e.type === 'action-done' ? { ok: true } : { ok: false, error: e.error ?? '' }, now);
      } else if (e.type === 'run-cancelled') {
        applied = cancelRun(sop, state, {
          now,
          ...(e.by !== undefined ? { by: { id: e.by } } : {}),
          ...(e.reason !== undefined ? { reason: e.reason } : {}),
        });
      } else {
        applied = fireLimits(sop, state, { now });
        if (applied.entries.length === 0) {
          const move = moveOf(e);
          if (!move) return `journal entry ${i} (${e.type}) is not where a move begins`;
          applied = applyMove(sop, state, move, { now });
        }
      }
    } catch (error) {
      if (error instanceof RunError) return `journal entry ${i} records what the run refuses there (${error.message})`;
      throw error;
    }
    const problem = compare(applied.entries, journal, i, `journal entry ${i}`);
    if (problem) return problem;
    state = applied.state;
    i += applied.entries.length;
  }
  return state;
}

/** The move a group of entries begins with, read from its first entry. */
function moveOf(e: JournalEntry): Move | undefined {
  const by = e.by !== undefined ? { by: e.by } : {};
  switch (e.type) {
    case 'recorded':
      return e.data ? { record: e.data, ...by } : undefined;
    case 'answer':
      return e.when === undefined && e.answer !== undefined ? { choose: e.answer, ...by } : undefined;
    case 'signal':
      return e.signal !== undefined ? { signal: e.signal, ...(e.data ? { data: e.data } : {}), ...by } : undefined;
    case 'action-requested':
    case 'step-left':
      return { complete: true, ...by };
    default:
      return undefined;
  }
}

function compare(produced: readonly JournalEntry[], journal: readonly JournalEntry[], at: number, what: string): string | undefined {
  if (produced.length === 0) return `${what}: the run writes nothing there`;
  for (let k = 0; k < produced.length; k++) {
    const actual = journal[at + k];
    if (!actual) return `${what}: the journal ends where the run goes on (${produced[k]!.type} of step "${produced[k]!.step ?? ''}")`;
    if (canonicalJson(actual) !== canonicalJson(produced[k])) {
      return `journal entry ${at + k} (${actual.type} of step "${actual.step ?? ''}") is not what the run writes there (${produced[k]!.type} of step "${produced[k]!.step ?? ''}")`;
    }
  }
  return undefined;
}
