import { parseActor, RunError, type Actor, type JsonValue } from '@sopflow/runtime';
import { HostError } from './HostError.js';
import type { ListQuery } from './RunHost.js';

/*
 * Arguments come from outside (an HTTP body, a message): each is checked here, once, for every
 * host, and refused with `bad-request` saying what is wrong.
 */

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export function checkRunId(runId: unknown): asserts runId is string {
  if (typeof runId !== 'string' || runId === '' || runId.length > 256)
    throw new HostError('bad-request', 'a run id is a non-empty string of at most 256 characters');
}

export function checkStart(options: unknown): { id?: string; by?: Actor; meta?: JsonValue } {
  if (options === undefined) return {};
  if (!isObject(options)) throw new HostError('bad-request', 'start options are { meta?, by?, id? }');
  const out: { id?: string; by?: Actor; meta?: JsonValue } = {};
  if (options.id !== undefined) {
    checkRunId(options.id);
    out.id = options.id;
  }
  if (options.by !== undefined) out.by = actor(options.by);
  if (options.meta !== undefined) out.meta = json(options.meta, '`meta`') as JsonValue;
  return out;
}

export function actor(value: unknown): Actor {
  try {
    return parseActor(value);
  } catch (error) {
    throw new HostError('bad-request', error instanceof RunError ? error.message : String(error));
  }
}

/** A JSON value (a copy), at most 64 KB of it. */
export function json(value: unknown, what: string): unknown {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new HostError('bad-request', `${what} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (text === undefined) throw new HostError('bad-request', `${what} is not JSON`);
  if (text.length > 65_536) throw new HostError('too-large', `${what} is over 64 KB`);
  return JSON.parse(text);
}

export interface CheckedQuery {
  status?: string;
  sop?: string;
  step?: string;
  role?: string;
  dueBefore?: number;
  limit: number;
  after?: [number, string];
}

export function checkList(query: ListQuery | unknown): CheckedQuery {
  if (query === undefined) return { limit: 100 };
  if (!isObject(query)) throw new HostError('bad-request', 'a list query is { status?, sop?, step?, role?, dueBefore?, limit?, after? }');
  const q: CheckedQuery = { limit: 100 };
  for (const key of ['sop', 'step', 'role'] as const) {
    const v = query[key];
    if (v !== undefined) {
      if (typeof v !== 'string') throw new HostError('bad-request', `\`${key}\` is text`);
      q[key] = v;
    }
  }
  if (query.status !== undefined) {
    if (query.status !== 'active' && query.status !== 'done' && query.status !== 'cancelled')
      throw new HostError('bad-request', '`status` is active, done or cancelled');
    q.status = query.status;
  }
  if (query.dueBefore !== undefined) {
    const t =
      typeof query.dueBefore === 'number'
        ? query.dueBefore
        : typeof query.dueBefore === 'string'
          ? Date.parse(query.dueBefore)
          : Number.NaN;
    if (!Number.isFinite(t)) throw new HostError('bad-request', '`dueBefore` is a time (ISO 8601, or ms since the epoch)');
    q.dueBefore = t;
  }
  if (query.limit !== undefined) {
    const n = Number(query.limit);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new HostError('bad-request', '`limit` is a whole number from 1 to 1000');
    q.limit = n;
  }
  if (query.after !== undefined) q.after = readCursor(query.after);
  return q;
}

/** Runs are listed oldest first (by creation time, then id); a cursor is the last one's key. */
export function writeCursor(key: [number, string]): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

function readCursor(value: unknown): [number, string] {
  try {
    const key: unknown = JSON.parse(Buffer.from(String(value), 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === 2 && Number.isFinite(key[0]) && typeof key[1] === 'string') return key as [number, string];
  } catch {
    // falls through
  }
  throw new HostError('bad-request', '`after` is not a cursor this host gave');
}

const before = (a: [number, string], b: [number, string]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/** One page of rows already filtered: sorted, after the cursor, at most `limit`. */
export function pageOf(rows: { key: [number, string]; id: string }[], q: CheckedQuery): { ids: string[]; next?: string } {
  const sorted = rows
    .filter((r) => !q.after || before(q.after, r.key))
    .sort((a, b) => (before(a.key, b.key) ? -1 : before(b.key, a.key) ? 1 : 0));
  const page = sorted.slice(0, q.limit);
  return { ids: page.map((r) => r.id), ...(sorted.length > q.limit ? { next: writeCursor(page[page.length - 1]!.key) } : {}) };
}
