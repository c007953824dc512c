/** The widest time `Date` can show (±8.64e15 ms, about the year 275,760). */
const MAX_DATE_MS = 8.64e15;

/** A time as ISO 8601. Times outside what `Date` can show are clamped to its range, so a
 *  strange clock can never make a journal entry or a view throw. */
export function toIso(ms: number): string {
  if (ms === lastMs) return lastIso; // a move stamps its entries in one ms, and moves come in bursts
  const t = Number.isFinite(ms) ? Math.min(Math.max(ms, -MAX_DATE_MS), MAX_DATE_MS) : 0;
  lastMs = ms;
  lastIso = new Date(t).toISOString();
  return lastIso;
}

/** The last time formatted (formatting a Date costs more than the rest of a move). */
let lastMs = Number.NaN;
let lastIso = '';

/** Whether a clock reading can be used as the time of a move. */
export function isUsableTime(ms: unknown): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS / 2;
}
