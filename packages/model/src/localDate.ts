/** A date in the local time zone as YYYY-MM-DD: how sopflow writes "today" (`review_by` is compared with it). */
export function localDate(now: Date = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
