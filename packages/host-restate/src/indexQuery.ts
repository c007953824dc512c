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
