import { MAX_DURATION_MS, parseDuration, parseDurationUnbounded } from '@sopflow/model';
import { code } from '../shared/show.js';
import { defineRule, replaceWith, stepPath, type Finding } from '../registry/defineRule.js';

/** A zero duration (`0s`, `PT0S`, `0.0 m`): linear, no two adjacent quantifiers over the same characters. */
const ZERO = /^\s*(?:PT?)?[0.]+\s*(?:[a-z]+\s*)?$/i;

/** Unit words people write, by the unit sopflow reads. */
const UNIT_WORDS: Record<string, string> = {
  ms: 'ms', msec: 'ms', msecs: 'ms', millisecond: 'ms', milliseconds: 'ms',
  s: 's', sec: 's', secs: 's', second: 's', seconds: 's',
  m: 'm', min: 'm', mins: 'm', minute: 'm', minutes: 'm',
  h: 'h', hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
  d: 'd', day: 'd', days: 'd',
};
/** `<number> <unit word>`, then separators (`,`, `and`, blanks); linear: each part consumes its characters once. */
const SPOKEN_PART = /(\d+(?:\.\d+)?)[ \t]*([a-z]+)[ \t]*(?:,[ \t]*|and[ \t]+)?/gy;

/**
 * The same duration written the way sopflow reads it, for a spoken one: `5 minutes` -> `5m`,
 * `1 hour 30 mins` -> `1h30m`, `90 sec` -> `90s`. Only when every part is a number and a unit
 * word and the result reads back as a positive duration; otherwise none (a fix is never a guess).
 */
function spokenDuration(text: string): string | undefined {
  const input = text.trim().toLowerCase();
  if (input === '' || input.length > 64) return undefined;
  let out = '';
  SPOKEN_PART.lastIndex = 0;
  let at = 0;
  for (let m = SPOKEN_PART.exec(input); m; m = SPOKEN_PART.exec(input)) {
    const unit = UNIT_WORDS[m[2]!];
    if (unit === undefined) return undefined;
    out += `${m[1]}${unit}`;
    at = SPOKEN_PART.lastIndex;
    if (at >= input.length) break;
  }
  return at === input.length && out !== '' && parseDuration(out) !== undefined ? out : undefined;
}

/** The authority on durations (the schema's pattern is deliberately loose). */
export default defineRule({
  code: 'invalid-duration',
  severity: 'error',
  scope: 'node',
  description: "A time limit's `after` cannot be read as a duration, is zero, or is longer than 3,650 days.",
  check({ graph }) {
    const out: Finding[] = [];
    for (const node of graph.nodes) {
      const after = node.step.limit?.after;
      if (after === undefined || parseDuration(after) !== undefined) continue;
      const zero = ZERO.test(after);
      const tooLong = (parseDurationUnbounded(after) ?? 0) > MAX_DURATION_MS;
      const path = stepPath(node.index, 'limit', 'after');
      const exact = zero ? undefined : spokenDuration(after);
      out.push({
        path,
        message: zero
          ? `the time limit ${code(after)} of step ${code(node.id)} must be longer than zero`
          : tooLong
            ? `the time limit ${code(after)} of step ${code(node.id)} is longer than the longest a limit may be, ${MAX_DURATION_MS / 86_400_000}d (about ten years)`
            : `cannot read the duration ${code(after)} of step ${code(node.id)}`,
        hint: tooLong ? 'a longer wait is a review date, not a time limit: shorten it' : exact !== undefined ? `write \`${exact}\`` : 'write e.g. `45s`, `5m`, `2h`, `3d`, `1m30s` or ISO 8601 `PT60S`',
        ...(exact !== undefined && !tooLong ? { fixes: [replaceWith(path, exact)] } : {}),
      });
    }
    return out;
  },
});
