import type { CompiledSop } from '@sopflow/compiler';
import {
  applyMove,
  buildStepView,
  cancelRun,
  fireLimits,
  migrateSnapshot,
  nextDeadline,
  recordEffectResult,
  SNAPSHOT_FORMAT,
  startState,
  type Actor,
  type Applied,
  type Effect,
  type EffectOutcome,
  type JournalEntry,
  type JsonValue,
  type Move,
  type RunSnapshot,
} from '@sopflow/runtime';
import type { HostActionCall, RunRecord } from './RunHost.js';

/*
 * The operations every host performs on a stored run, as pure functions of the snapshot: each
 * returns the next snapshot (revision + 1, journal entries appended), the entries added and the
 * actions to run. A host stores the snapshot and the effects in one write (its outbox), then
 * runs the effects. The run's refusals are thrown as RunError and change nothing.
 */

/** A change to a stored run. */
export interface RunChange {
  snapshot: RunSnapshot;
  entries: JournalEntry[];
  effects: Effect[];
}

function commit(snapshot: RunSnapshot, applied: Pick<Applied, 'state' | 'entries'> & { effects?: Effect[] }): RunChange {
  return {
    snapshot: { ...snapshot, state: applied.state, journal: [...snapshot.journal, ...applied.entries], revision: snapshot.revision + 1 },
    entries: applied.entries,
    effects: applied.effects ?? [],
  };
}

/** A new run at the first step of `compiled`. */
export function newRun(compiled: CompiledSop, options: { id: string; now: number; meta?: JsonValue; by?: Actor }): RunChange {
  const started = startState(compiled, { now: options.now, ...(options.by ? { by: options.by } : {}) });
  const snapshot: RunSnapshot = {
    sopflow: 'run',
    format: SNAPSHOT_FORMAT,
    id: options.id,
    sop: { id: compiled.id, ...(compiled.version !== undefined ? { version: compiled.version } : {}), hash: compiled.hash },
    revision: 1,
    state: started.state,
    journal: [...started.entries],
  };
  if (options.meta !== undefined) snapshot.meta = options.meta;
  return { snapshot, entries: started.entries, effects: started.effects };
}

/** A move; a due limit fires first. `by`, when given, is who moves (from credentials): it
 *  replaces whatever the move says. */
export function moveRun(
  compiled: CompiledSop,
  snapshot: RunSnapshot,
  move: Move,
  ctx: { now: number; by?: Actor; enforceRoles?: boolean },
): RunChange {
  const m = ctx.by ? ({ ...move, by: ctx.by } as Move) : move;
  return commit(snapshot, applyMove(compiled, snapshot.state, m, { now: ctx.now, ...(ctx.enforceRoles ? { enforceRoles: true } : {}) }));
}

/** Fires the limits due at `now`; undefined when none is. */
export function fireDue(compiled: CompiledSop, snapshot: RunSnapshot, now: number): RunChange | undefined {
  const applied = fireLimits(compiled, snapshot.state, { now });
  return applied.entries.length ? commit(snapshot, applied) : undefined;
}

export function cancelStored(compiled: CompiledSop, snapshot: RunSnapshot, ctx: { now: number; reason?: string; by?: Actor }): RunChange {
  return commit(snapshot, cancelRun(compiled, snapshot.state, ctx));
}

/** Moves a run onto another build of its SOP (see `migrateSnapshot`). */
export function migrateStored(to: CompiledSop, snapshot: RunSnapshot, ctx: { now: number; by?: Actor }): RunChange {
  const migrated = migrateSnapshot(to, snapshot, { now: ctx.now, ...(ctx.by ? { by: ctx.by.id } : {}) });
  return { snapshot: migrated, entries: migrated.journal.slice(snapshot.journal.length), effects: [] };
}

/** Journals how an action ended. */
export function settleEffect(snapshot: RunSnapshot, effect: Effect, outcome: EffectOutcome, now: number): RunChange {
  return commit(snapshot, recordEffectResult(snapshot.state, effect, outcome, now));
}

/** `<run id>:<journal index>`: the idempotency key of an action request. */
export function effectKey(runId: string, effect: Effect): string {
  return `${runId}:${effect.index}`;
}

/** What a bound action is called with for one try of `effect`, the action request of run `runId`. */
export function actionCall(runId: string, effect: Effect, meta: JsonValue | undefined, attempt: number): HostActionCall {
  return {
    key: effectKey(runId, effect),
    runId,
    action: effect.action,
    step: effect.step,
    sop: effect.sop,
    path: effect.path,
    data: effect.data,
    meta,
    attempt,
    ...(effect.by !== undefined ? { by: effect.by } : {}),
  };
}

/** How many actions were requested and have no result yet. */
export function pendingActionCount(journal: readonly JournalEntry[]): number {
  const answered = new Set<number>();
  let requested = 0;
  for (const e of journal) {
    if (e.type === 'action-requested') requested++;
    else if ((e.type === 'action-done' || e.type === 'action-failed') && e.ref !== undefined) answered.add(e.ref);
  }
  return requested - answered.size;
}

/** The record a host answers for a stored run. */
export function toRecord(
  compiled: CompiledSop,
  snapshot: RunSnapshot,
  times: { createdAt: number; updatedAt: number; now: number },
  options: { journal?: boolean } = {},
): RunRecord {
  const deadline = nextDeadline(compiled, snapshot.state);
  const record: RunRecord = {
    id: snapshot.id,
    sop: { ...snapshot.sop, title: compiled.title },
    revision: snapshot.revision,
    status: snapshot.state.status,
    view: buildStepView(compiled, snapshot.state, times.now),
    createdAt: new Date(times.createdAt).toISOString(),
    updatedAt: new Date(times.updatedAt).toISOString(),
    pendingActions: pendingActionCount(snapshot.journal),
  };
  if (snapshot.state.outcome !== undefined) record.outcome = snapshot.state.outcome;
  if (snapshot.meta !== undefined) record.meta = snapshot.meta;
  if (deadline !== undefined) record.deadline = new Date(deadline).toISOString();
  if (options.journal) record.journal = snapshot.journal;
  return record;
}

/** The fields `list` filters on, derived from a snapshot (hosts index them). */
/** `step` and `role` are the current step's while the run is active (what waits on whom), null
 *  once it has ended. */
export function listFields(
  compiled: CompiledSop,
  snapshot: RunSnapshot,
): { status: string; sop: string; step: string | null; role: string | null; deadline: number | null } {
  const { stack, status } = snapshot.state;
  const frame = stack[stack.length - 1]!;
  const procedure = stack.length === 1 ? compiled : compiled.procedures.get(frame.sop);
  const active = status === 'active';
  return {
    status,
    sop: snapshot.sop.id,
    step: active ? frame.step : null,
    role: active ? (procedure?.steps.get(frame.step)?.role ?? null) : null,
    deadline: nextDeadline(compiled, snapshot.state) ?? null,
  };
}
