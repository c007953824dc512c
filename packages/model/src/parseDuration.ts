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
  const d = Math.floor(rest / 86400);
  rest -= d * 86400;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  rest -= m * 60;
  if (d) parts.push(`${d} d`);
  if (h) parts.push(`${h} h`);
  if (m) parts.push(`${m} min`);
  if (rest) parts.push(`${rest} s`);
  return parts.join(' ');
}

/** Unit words people write, by the unit sopflow reads (`w` weeks become days). */
const UNIT_WORDS: Record<string, string> = {
  ms: 'ms',
  msec: 'ms',
  msecs: 'ms',
  millisecond: 'ms',
  milliseconds: 'ms',
  millis: 'ms',
  s: 's',
  sec: 's',
  secs: 's',
  second: 's',
  seconds: 's',
  m: 'm',
  min: 'm',
  mins: 'm',
  minute: 'm',
  minutes: 'm',
  h: 'h',
  hr: 'h',
  hrs: 'h',
  hour: 'h',
  hours: 'h',
  d: 'd',
  day: 'd',
  days: 'd',
  w: 'w',
  wk: 'w',
  wks: 'w',
  week: 'w',
  weeks: 'w',
};
/** After a part in this unit, a bare number is in the next smaller one (`1h30` -> `1h30m`). */
const NEXT_UNIT: Record<string, string> = { d: 'h', h: 'm', m: 's', s: 'ms' };
const SPOKEN_PART = /(\d+(?:\.\d+)?)[ \t]*([a-z]*)/y;
const SEPARATOR = /(?:[ \t]*,?[ \t]*(?:and[ \t]+)?)/y;

/**
 * A duration as sopflow reads it, for one written the way people say it: `1 minute` -> `1m`,
 * `90 sec` -> `90s`, `60 seconds` -> `60s`, `1min` -> `1m`, `1h30` -> `1h30m`, `2 weeks` -> `14d`,
 * `1 hour and 30 minutes` -> `1h30m`. A bare number is ambiguous: seconds, then minutes. Every
 * suggestion reads back as a duration; none when the text is not a number with units (a fix is
 * never a guess). The first is the one to offer first.
 */
export function suggestDuration(text: string): string[] {
  if (typeof text !== 'string') return [];
  const input = text.trim().toLowerCase();
  if (input === '' || input.length > 64) return [];
  if (/^\d+(?:\.\d+)?$/.test(input)) return [`${input}s`, `${input}m`].filter((d) => parseDuration(d) !== undefined);
  let out = '';
  let at = 0;
  let previous: string | undefined;
  while (at < input.length) {
    SPOKEN_PART.lastIndex = at;
    const m = SPOKEN_PART.exec(input);
    if (!m) return [];
    let unit = m[2] === '' ? (previous !== undefined ? NEXT_UNIT[previous] : undefined) : UNIT_WORDS[m[2]!];
    if (unit === undefined) return [];
    let amount = m[1]!;
    if (unit === 'w') {
      amount = String(Number(amount) * 7);
      unit = 'd';
    }
    out += `${amount}${unit}`;
    previous = unit;
    at = SPOKEN_PART.lastIndex;
    SEPARATOR.lastIndex = at;
    if (SEPARATOR.exec(input)) at = SEPARATOR.lastIndex;
  }
  return out !== '' && out !== input && parseDuration(out) !== undefined ? [out] : [];
}
