/** A review cycle: calendar years, months and days (weeks are counted as 7 days). */
export interface ReviewPeriod {
  years: number;
  months: number;
  days: number;
}

const SHORT = /^(?:\d+(?:y|mo|w|d))+$/;
const PART = /(\d+)(y|mo|w|d)/g;
const ISO = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;

/** The longest review cycle: ten years (a longer one is a typo, not a policy). */
const MAX_MONTHS = 120;

/**
 * Reads a review cycle: `1y`, `6mo`, `2w`, `90d`, parts together (`1y6mo`), or ISO 8601
 * (`P1Y`, `P6M`, `P2W`, `P1Y6M`). `m` alone is refused: it is minutes in a duration, so a
 * month is `mo`. Returns undefined when it cannot be read, is zero or is longer than ten years.
 */
export function parseReviewPeriod(text: string): ReviewPeriod | undefined {
  if (typeof text !== 'string' || text.length > 32) return undefined;
  const t = text.trim();
  const period: ReviewPeriod = { years: 0, months: 0, days: 0 };
  if (SHORT.test(t)) {
    for (const [, n, unit] of t.matchAll(PART)) {
      const v = Number(n);
      if (unit === 'y') period.years += v;
      else if (unit === 'mo') period.months += v;
      else if (unit === 'w') period.days += 7 * v;
      else period.days += v;
    }
  } else {
    const m = ISO.exec(t.toUpperCase());
    if (!m || t.length < 3) return undefined;
    period.years = Number(m[1] ?? 0);
    period.months = Number(m[2] ?? 0);
    period.days = 7 * Number(m[3] ?? 0) + Number(m[4] ?? 0);
  }
  const months = period.years * 12 + period.months + period.days / 30;
  if (!(months > 0) || months > MAX_MONTHS) return undefined;
  return period;
}

/** `date` (YYYY-MM-DD) moved on by `period`, in the calendar: 2026-01-31 + 1mo = 2026-02-28. */
export function addPeriod(date: string, period: ReviewPeriod, times = 1): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const months = y * 12 + (m - 1) + times * (period.years * 12 + period.months);
  const year = Math.floor(months / 12);
  const month = months % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const at = new Date(Date.UTC(year, month, Math.min(d, last)));
  at.setUTCDate(at.getUTCDate() + times * period.days);
  return at.toISOString().slice(0, 10);
}

/** A review cycle for people: `1 year`, `6 months`, `2 weeks`. */
export function formatReviewPeriod(period: ReviewPeriod): string {
  const parts: string[] = [];
  const add = (n: number, unit: string) => {
    if (n > 0) parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`);
  };
  add(period.years, 'year');
  add(period.months, 'month');
  if (period.days % 7 === 0) add(period.days / 7, 'week');
  else add(period.days, 'day');
  return parts.join(' ');
}

const WORDS: Record<string, string> = {
  yearly: '1y',
  annually: '1y',
  annual: '1y',
  'every year': '1y',
  'once a year': '1y',
  'each year': '1y',
  'semi-annually': '6mo',
  semiannually: '6mo',
  'half-yearly': '6mo',
  'every six months': '6mo',
  'twice a year': '6mo',
  quarterly: '3mo',
  'every quarter': '3mo',
  monthly: '1mo',
  'every month': '1mo',
  weekly: '1w',
  'every week': '1w',
};
const UNITS: Record<string, string> = {
  y: 'y',
  yr: 'y',
  yrs: 'y',
  year: 'y',
  years: 'y',
  m: 'mo',
  mo: 'mo',
  mos: 'mo',
  mon: 'mo',
  month: 'mo',
  months: 'mo',
  w: 'w',
  wk: 'w',
  wks: 'w',
  week: 'w',
  weeks: 'w',
  d: 'd',
  day: 'd',
  days: 'd',
};

/** A review cycle as sopflow reads it, for one written in words: `1 year` -> `1y`, `yearly` -> `1y`, `6 months` -> `6mo`, `12m` -> `12mo`. */
export function suggestReviewPeriod(text: string): string | undefined {
  if (typeof text !== 'string' || text.length > 40) return undefined;
  const input = text
    .trim()
    .toLowerCase()
    .replace(/^every\s+(?=\d)/, '');
  if (Object.prototype.hasOwnProperty.call(WORDS, input)) return WORDS[input];
  let out = '';
  const part = /(\d+)\s*([a-z]+)\s*(?:,\s*|and\s+)?/y;
  let at = 0;
  while (at < input.length) {
    part.lastIndex = at;
    const m = part.exec(input);
    if (!m || !Object.prototype.hasOwnProperty.call(UNITS, m[2]!)) return undefined;
    out += `${m[1]}${UNITS[m[2]!]}`;
    at = part.lastIndex;
  }
  return out !== '' && out !== text.trim() && parseReviewPeriod(out) ? out : undefined;
}
