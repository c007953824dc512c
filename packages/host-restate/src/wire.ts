import { HostError, type HostErrorCode, type RunRecord, type SopSummary } from '@sopflow/host';
import type { Actor, Effect, EffectOutcome, JsonValue, RunSnapshot } from '@sopflow/runtime';

/*
 * What the sopflow services take and answer over Restate. A refusal is an answer, not a failed
 * invocation: Restate retries only what went wrong underneath (an endpoint gone, a build that
 * could not be fetched), never a move the run refused.
 */

export type Answer<T> = { ok: T } | { error: { code: HostErrorCode; message: string } };

export interface StartInput {
  sop: string;
  meta?: JsonValue;
  by?: Actor;
}
export interface MoveInput {
  move: unknown;
  expect?: unknown;
  by?: Actor;
  enforceRoles?: boolean;
}
export interface CancelInput {
  reason?: string;
  by?: Actor;
  expect?: unknown;
}
export interface MigrateInput {
  by?: Actor;
  expect?: unknown;
}
export interface GetInput {
  journal?: boolean;
}
/** a limit armed at `revision` for `deadline` (ms) */
export interface FireInput {
  deadline: number;
  revision: number;
}
export interface SettleInput {
  effect: Effect;
  outcome: EffectOutcome;
}
export interface ActionInput {
  runId: string;
  effect: Effect;
  meta?: JsonValue;
}

/** What `list` filters on: the run's status, SOP, current step and role, next deadline. */
export type IndexFields = { status: string; sop: string; step: string | null; role: string | null; deadline: number | null };

/** A run as its virtual object keeps it. */
export interface StoredRun {
  snapshot: RunSnapshot;
  createdAt: number;
  updatedAt: number;
  /** the limit armed now: a delayed `fire` carrying the same deadline and revision is current */
  timer?: { deadline: number; revision: number };
  /** the fields as the index holds them: the index is written only when they change */
  indexed?: IndexFields;
}

/** One row per run in the index objects: what `list` filters and pages on. */
export interface IndexRow {
  id: string;
  createdAt: number;
  fields: IndexFields;
}

/** A checked list query as the index objects take it. */
export interface IndexQuery {
  status?: string;
  sop?: string;
  step?: string;
  role?: string;
  dueBefore?: number;
  /** rows after this key ([createdAt, id]) */
  after?: [number, string];
  /** at most this many rows (the page size + 1, so the caller knows whether there is more) */
  limit: number;
}

export interface CatalogEntry extends Omit<SopSummary, 'newest'> {
  publishedAt: number;
}

export function fail(code: HostErrorCode, message: string): never {
  throw new HostError(code, message);
}

/** Unwraps an answer: the value, or the refusal as a HostError. */
export function unwrap<T>(answer: Answer<T>): T {
  if (answer && typeof answer === 'object' && 'ok' in answer) return answer.ok;
  if (answer && typeof answer === 'object' && 'error' in answer && answer.error && typeof answer.error.code === 'string') {
    throw new HostError(answer.error.code, String(answer.error.message));
  }
  throw new HostError('unavailable', 'the Restate endpoint answered something that is not a sopflow answer');
}

export type { RunRecord };
