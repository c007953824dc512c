import type { FieldValue } from '@sopflow/model';

/** Recorded data of one SOP level: field name -> value. */
export type Data = Record<string, FieldValue>;

/** A JSON value: what `meta` may hold. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Who makes a move: an id for the journal, and the roles that a step's `role` is checked
 *  against when the run enforces roles. */
export interface Actor {
  id: string;
  roles?: readonly string[];
}

/** What every move may carry besides its kind. */
export interface MoveCommon {
  /** asserts the current step's id: refused with `wrong-step` when the run is elsewhere */
  step?: string;
  /** who makes the move (recorded in the journal); an id, or an actor with roles */
  by?: string | Actor;
}

/**
 * A move on a run: the one vocabulary of the run API, `sopflow run --script`, `sopflow paths
 * --json` and the HTTP API. Exactly one of `complete`, `choose`, `record`, `signal`.
 */
export type Move = MoveCommon &
  (
    | { complete: true; choose?: never; record?: never; signal?: never; data?: never; wait?: never }
    | { choose: string; complete?: never; record?: never; signal?: never; data?: never; wait?: never }
    | { record: Data; complete?: never; choose?: never; signal?: never; data?: never; wait?: never }
    | { signal: string; data?: Data; complete?: never; choose?: never; record?: never; wait?: never }
  );

/** One level of the procedure stack: the root SOP, or a sub-procedure a `use:` step runs. */
export interface Frame {
  /** the SOP this level runs */
  sop: string;
  /** its current step (for a finished run: the step it ended on) */
  step: string;
  /** when that step was entered (ms since the epoch): its time limit counts from here */
  since: number;
  /** what this level has recorded (a sub-procedure has its own, see `with` / `returns`) */
  data: Data;
}

/** The state of a run that `applyMove` reads and returns: plain JSON, owned by sopflow. */
export interface RunState {
  status: 'active' | 'done' | 'cancelled';
  /** once done */
  outcome?: string;
  /** the levels, outermost (the SOP itself) first; the last one holds the current step */
  stack: Frame[];
  /** when the run started (ms since the epoch); journal `ms` count from here */
  startedAt: number;
  /** how many journal entries the run has: the index the next one gets */
  seq: number;
}

/** An action to run because a step was done: the outbox record of a move. */
export interface Effect {
  /** the index of its `action-requested` journal entry: with the run id, its idempotency key */
  index: number;
  action: string;
  step: string;
  /** the SOP the step belongs to */
  sop: string;
  /** the sub-procedure steps it runs inside, outermost first */
  path: string[];
  /** the data of its level after the move */
  data: Data;
  /** who made the move that requested it */
  by?: string;
}
