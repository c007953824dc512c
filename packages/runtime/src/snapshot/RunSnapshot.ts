import type { JournalEntry } from '../journal.js';
import type { JsonValue, RunState } from '../types.js';

/** The format of snapshots this runtime writes and reads. */
export const SNAPSHOT_FORMAT = 2;

/** Everything a run is, as JSON: what `persist()` returns, what a host stores, what
 *  `startRun(…, { snapshot })` continues. Its schema is `schemas/run-snapshot.schema.json`. */
export interface RunSnapshot {
  sopflow: 'run';
  format: typeof SNAPSHOT_FORMAT;
  /** the run's id (the idempotency keys of its actions are `<id>:<journal index>`) */
  id: string;
  /** the SOP build the run follows */
  sop: { id: string; version?: string; hash: string };
  /** how many changes the run has had (moves, fired limits, action results): a host refuses a
   *  move that expects another revision */
  revision: number;
  /** the app's own data about the run (a ticket id, a customer), given to actions */
  meta?: JsonValue;
  state: RunState;
  /** the audit trail; `state` is exactly what this journal leads to */
  journal: JournalEntry[];
  /** HMAC-SHA256 of the rest (base64url), when persisted with a seal key */
  seal?: string;
}
