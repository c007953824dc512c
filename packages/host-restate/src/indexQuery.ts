import { HostError } from '@sopflow/host';
import type { IndexFields, IndexQuery, IndexRow } from './wire.js';

/** Whether a row passes a query's filters and comes after its cursor. */
export function matches(row: IndexRow, q: IndexQuery): boolean {
  const f = row.fields;
  if (q.status !== undefined && f.status !== q.status) return false;
  if (q.sop !== undefined && f.sop !== q.sop) return false;
  if (q.step !== undefined && f.step !== q.step) return false;
  if (q.role !== undefined && f.role !== q.role) return false;
  if (q.dueBefore !== undefined && (f.deadline === null || f.deadline > q.dueBefore)) return false;
  if (q.after && !(q.after[0] < row.createdAt || (q.after[0] === row.createdAt && q.after[1] < row.id))) return false;
  return true;
}

export function sameFields(a: IndexFields, b: IndexFields): boolean {
  return a.status === b.status && a.sop === b.sop && a.step === b.step && a.role === b.role && a.deadline === b.deadline;
}

export function byKey(a: IndexRow, b: IndexRow): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A query as an index object takes it from outside (the ingress): checked, or `bad-request`. */
export function checkIndexQuery(value: unknown): IndexQuery {
  const q = value as Record<string, unknown> | null;
  const bad = (what: string): never => {
    throw new HostError('bad-request', `an index query ${what}`);
  };
  if (!q || typeof q !== 'object' || Array.isArray(q)) bad('is { limit, status?, sop?, step?, role?, dueBefore?, after? }');
  if (typeof q!.limit !== 'number' || !Number.isInteger(q!.limit) || q!.limit < 1 || q!.limit > 1001) bad('needs a limit from 1 to 1001');
  for (const key of ['status', 'sop', 'step', 'role'] as const)
    if (q![key] !== undefined && typeof q![key] !== 'string') bad(`takes \`${key}\` as text`);
  if (q!.dueBefore !== undefined && !Number.isFinite(q!.dueBefore)) bad('takes `dueBefore` as ms since the epoch');
  const after = q!.after;
  if (after !== undefined && !(Array.isArray(after) && after.length === 2 && Number.isFinite(after[0]) && typeof after[1] === 'string'))
    bad('takes `after` as [createdAt, id]');
  return q as unknown as IndexQuery;
}
