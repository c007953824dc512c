import type { JournalEntry, JsonValue, Move, StepView, Actor } from '@sopflow/runtime';
import type { SopMachineConfig } from '@sopflow/compiler';

/** A run as a host answers it: where it is, what it shows, and the revision a move must expect. */
export interface RunRecord {
  id: string;
  /** the build of the SOP the run follows (it keeps it until migrated) */
  sop: { id: string; version?: string; hash: string; title: string };
  /** goes up by one with every accepted move, fired limit and action result */
  revision: number;
  status: 'active' | 'done' | 'cancelled';
  outcome?: string;
  /** what a screen shows now (the run API's StepView) */
  view: StepView;
  /** the app's own data (ticket id, customer), given to actions */
  meta?: JsonValue;
  /** ISO 8601 */
  createdAt: string;
  updatedAt: string;
  /** the next time limit, ISO 8601, while one runs */
  deadline?: string;
  /** actions requested and not yet done or failed */
  pendingActions: number;
  /** with `get(id, { journal: true })` */
  journal?: JournalEntry[];
}

/** A build of an SOP a host serves. */
export interface SopSummary {
  id: string;
  version?: string;
  title: string;
  hash: string;
  /** true for the build new runs start on */
  newest: boolean;
}

export interface StartOptions {
  /** the app's own data, kept with the run */
  meta?: JsonValue;
  /** who starts it */
  by?: string | Actor;
  /** the run's id (default: a random UUID); starting an id that exists is refused (`exists`) */
  id?: string;
}

export interface MoveOptions {
  /** refuse the move (`stale`, HTTP 409) unless the run is at this revision */
  expect?: { revision: number };
  /** who makes it; a host with authentication sets this from the credentials, not the body */
  by?: Actor;
}

export interface ListQuery {
  status?: RunRecord['status'];
  /** an SOP id */
  sop?: string;
  /** the current step's id (the deepest level's) */
  step?: string;
  /** the current step's role: what waits on whom */
  role?: string;
  /** runs whose next deadline is at or before this time (ISO 8601 or ms) */
  dueBefore?: string | number;
  /** at most this many (default 100, at most 1,000) */
  limit?: number;
  /** the `next` cursor of the previous page */
  after?: string;
}

export interface ListResult {
  runs: RunRecord[];
  /** pass as `after` for the next page; absent on the last */
  next?: string;
}

/** What a host's bound action receives. It may run more than once (a crash between the action
 *  and its result being recorded): `key` is the same every time, so the system it calls can
 *  drop a repeat. */
export interface HostActionCall {
  /** `<run id>:<journal index of the request>` */
  key: string;
  runId: string;
  action: string;
  step: string;
  sop: string;
  path: readonly string[];
  data: Readonly<Record<string, unknown>>;
  meta: JsonValue | undefined;
  by?: string;
  /** 1 for the first try */
  attempt: number;
}
export type HostAction = (call: HostActionCall) => unknown;

/**
 * The host contract: runs that outlive a process. Every host (in memory, SQLite, Restate)
 * implements it and passes the one contract suite (`@sopflow/host/contract`). Every method
 * either succeeds or throws `HostError` with a stable code, and a refused call changes nothing.
 */
export interface RunHost {
  /** starts a run on the newest build of an SOP */
  start(sopId: string, options?: StartOptions): Promise<RunRecord>;
  /** applies a move (complete / choose / record / signal) */
  move(runId: string, move: Move, options?: MoveOptions): Promise<RunRecord>;
  get(runId: string, options?: { journal?: boolean }): Promise<RunRecord>;
  list(query?: ListQuery): Promise<ListResult>;
  cancel(runId: string, options?: { reason?: string; by?: Actor; expect?: { revision: number } }): Promise<RunRecord>;
  /** moves a live run onto the newest build of its SOP (or refuses: `cannot-migrate`) */
  migrate(runId: string, options?: { by?: Actor; expect?: { revision: number } }): Promise<RunRecord>;
  /** adds a build (from `toMachineConfig`): new runs of its SOP start on it; runs on older
   *  builds finish on theirs */
  publish(config: SopMachineConfig): Promise<SopSummary>;
  /** the builds served */
  sops(): Promise<SopSummary[]>;
  /** stops timers and action workers; waits for actions under way */
  close(): Promise<void>;
}
