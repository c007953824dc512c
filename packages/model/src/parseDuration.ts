const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SHORT = /^\s*(?:(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*)+$/;
const PART = /(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/g;
const ISO = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** The longest duration an SOP may give (3,650 days, about ten years): a time limit is a timer
 *  that a host keeps, and a longer one is a typo (`99999999d`), not a procedure. */
export const MAX_DURATION_MS = 3650 * 86_400_000;

/**
 * Reads a duration (`45s`, `5m`, `2h`, `3d`, `1m30s`, `500ms`, ISO 8601 `PT60S`, `P1DT2H`)
 * and returns whole milliseconds, or `undefined` when it cannot be read, is not positive, or
 * is longer than `MAX_DURATION_MS`.
 */
export function parseDuration(text: string): number | undefined {
  const ms = parseDurationUnbounded(text);
  return ms !== undefined && ms <= MAX_DURATION_MS ? ms : undefined;
}

/** `parseDuration` without the upper bound: tells "too long" apart from "unreadable". */
export function parseDurationUnbounded(text: string): number | undefined {
  if (typeof text !== 'string' || text.length > 64) return undefined;
  let ms = 0;
  if (SHORT.test(text)) {
    for (const m of text.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  } else {
    const m = ISO.exec(text.trim());
    if (!m || text.trim() === 'P' || /T$/i.test(text.trim())) return undefined;
    const [, d, h, min, s] = m;
    ms = Number(d ?? 0) * UNIT_MS.d! + Number(h ?? 0) * UNIT_MS.h! + Number(min ?? 0) * UNIT_MS.m! + Number(s ?? 0) * UNIT_MS.s!;
  }
  ms = Math.round(ms);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** Formats milliseconds for people: `45 s`, `60 s`, `90 s`, `5 min`, `1 h 30 min`, `3 d`.
 *  Under two minutes stays in seconds, the way hold limits are spoken ("after 60 s"). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 100) / 10} s`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  const d = Math.floor(rest / 86400); rest -= d * 86400;
  const h = Math.floor(rest / 3600); rest -= h * 3600;
  const m = Math.floor(rest / 60); rest -= m * 60;
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (rest) parts.push(`${rest} s`);
  return parts.join(' ');
}
