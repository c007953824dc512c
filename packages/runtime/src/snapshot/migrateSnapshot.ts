import type { CompiledSop } from '@sopflow/compiler';
import { RunError } from '../RunError.js';
import type { JournalEntry } from '../journal.js';
import { toIso } from '../engine/time.js';
import { checkSnapshotShape, compareStates, misfits } from './checkSnapshot.js';
import { replayJournal } from './replayJournal.js';
import type { RunSnapshot } from './RunSnapshot.js';

const buildOf = (s: { version?: string; hash: string }) =>
  s.version !== undefined ? { version: s.version, hash: s.hash } : { hash: s.hash };
const name = (s: { id: string; version?: string; hash: string }) =>
  `"${s.id}"${s.version !== undefined ? ` version ${s.version}` : ''} (build ${s.hash})`;

/**
 * Checks a snapshot (see `checkSnapshotShape`) against the SOP build it is to run on. Throws
 * `RunError`: `invalid-snapshot` for anything edited or inconsistent, `snapshot-mismatch` for a
 * snapshot of another SOP or build.
 */
export function checkSnapshot(sop: CompiledSop, value: unknown): RunSnapshot {
  const snapshot = checkSnapshotShape(value);
  if (snapshot.sop.id !== sop.id || snapshot.sop.hash !== sop.hash || snapshot.sop.version !== sop.version) {
    throw new RunError(
      'snapshot-mismatch',
      `the snapshot is of SOP ${name(snapshot.sop)}, but this run is of ${name(sop)}: a run continues on the build it started with (or is migrated: startRun(…, { migrate: true }))`,
    );
  }
  const problems = misfits(sop, snapshot.state);
  if (problems.length) throw new RunError('invalid-snapshot', `the snapshot cannot be restored: ${problems.join('; ')}`);
  const replayed = replayJournal(sop, snapshot.journal, snapshot.state.startedAt);
  if (typeof replayed === 'string') throw new RunError('invalid-snapshot', `the snapshot cannot be restored: ${replayed}`);
  const difference = compareStates(snapshot.state, replayed);
  if (difference)
    throw new RunError(
      'invalid-snapshot',
      `the snapshot cannot be restored: ${difference}, which its journal does not lead to on this build`,
    );
  return snapshot;
}

/**
 * Moves a live run to another build of its SOP (a new version, or an edit of it or of a
 * sub-procedure): it continues where it is, with its data and journal, once every level's
 * current step still exists there (with the same kind, below the same `use:`) and its data
 * still fits the fields. Journaled as `migrated` (with the builds left and joined); the
 * revision goes up by one. Refused with `RunError('cannot-migrate')` listing every reason,
 * and nothing changes. A snapshot already on this build is returned as it is.
 */
export function migrateSnapshot(sop: CompiledSop, value: unknown, ctx: { now: number; by?: string }): RunSnapshot {
  const snapshot = checkSnapshotShape(value);
  if (snapshot.sop.id !== sop.id) {
    throw new RunError(
      'snapshot-mismatch',
      `the snapshot is of SOP "${snapshot.sop.id}", not "${sop.id}": a run migrates only to another build of its own SOP`,
    );
  }
  if (snapshot.sop.hash === sop.hash && snapshot.sop.version === sop.version) return checkSnapshot(sop, snapshot);
  if (snapshot.state.status !== 'active')
    throw new RunError(
      'cannot-migrate',
      `the run has ${snapshot.state.status === 'done' ? 'ended' : 'been cancelled'}: there is nothing left to migrate`,
    );
  const problems = misfits(sop, snapshot.state);
  if (problems.length) {
    throw new RunError('cannot-migrate', `the run cannot move from ${name(snapshot.sop)} to ${name(sop)}: ${problems.join('; ')}`);
  }
  const t = Math.max(ctx.now, snapshot.state.startedAt);
  const entry: JournalEntry = {
    type: 'migrated',
    at: toIso(t),
    ms: t - snapshot.state.startedAt,
    sop: sop.id,
    from: buildOf(snapshot.sop),
    to: buildOf(sop),
  };
  if (ctx.by !== undefined) entry.by = ctx.by;
  const { seal: _dropped, ...unsealed } = snapshot;
  return {
    ...unsealed,
    sop: { id: sop.id, ...(sop.version !== undefined ? { version: sop.version } : {}), hash: sop.hash },
    revision: snapshot.revision + 1,
    state: { ...snapshot.state, seq: snapshot.state.seq + 1 },
    journal: [...snapshot.journal, entry],
  };
}
