import { MAX_DURATION_MS, parseDuration, parseDurationUnbounded, suggestDuration, type DocPath, type Sop } from '@sopflow/model';
import { code } from '../shared/show.js';
import { defineRule, replaceWith, stepPath, type Finding } from '../registry/defineRule.js';

/** A zero duration (`0s`, `PT0S`, `0.0 m`): linear, no two adjacent quantifiers over the same characters. */
const ZERO = /^\s*(?:PT?)?[0.]+\s*(?:[a-z]+\s*)?$/i;

/** Every duration an SOP gives: time limits and time targets, with what each is and whose it is. */
function durationsOf(sop: Sop): { path: DocPath; text: string; noun: string; owner: string }[] {
  const out: { path: DocPath; text: string; noun: string; owner: string }[] = [];
  if (typeof sop.target === 'string') out.push({ path: ['target'], text: sop.target, noun: 'time target', owner: 'the SOP' });
  (Array.isArray(sop.instructions) ? sop.instructions : []).forEach((step, index) => {
    if (!step || typeof step !== 'object') return;
    const owner = `step ${code(typeof step.id === 'string' ? step.id : `step-${index + 1}`)}`;
    const after = step.limit && typeof step.limit === 'object' ? step.limit.after : undefined;
    if (typeof after === 'string') out.push({ path: stepPath(index, 'limit', 'after'), text: after, noun: 'time limit', owner });
    if (typeof step.target === 'string') out.push({ path: stepPath(index, 'target'), text: step.target, noun: 'time target', owner });
  });
  return out;
}

/** The authority on durations (the schema's pattern is deliberately loose). */
export default defineRule({
  code: 'invalid-duration',
  severity: 'error',
  scope: 'node',
  description: "A duration (a time limit's `after`, a `target`) cannot be read, is zero, or is longer than 3,650 days.",
  check({ sop }) {
    const out: Finding[] = [];
    for (const { path, text, noun, owner } of durationsOf(sop)) {
      if (parseDuration(text) !== undefined) continue;
      const zero = ZERO.test(text);
      const tooLong = (parseDurationUnbounded(text) ?? 0) > MAX_DURATION_MS;
      const exact = zero || tooLong ? [] : suggestDuration(text);
      out.push({
        path,
        message: zero
          ? `the ${noun} ${code(text)} of ${owner} must be longer than zero`
          : tooLong
            ? `the ${noun} ${code(text)} of ${owner} is longer than the longest a duration may be, ${MAX_DURATION_MS / 86_400_000}d (about ten years)`
            : `cannot read the ${noun === 'time limit' ? 'duration' : noun} ${code(text)} of ${owner}`,
        hint: tooLong
          ? 'a longer wait is a review date, not a time limit: shorten it'
          : exact.length > 1
            ? `write \`${exact[0]}\` (seconds) or \`${exact[1]}\` (minutes): a duration needs its unit`
            : exact.length === 1
              ? `write \`${exact[0]}\``
              : 'write e.g. `45s`, `5m`, `2h`, `3d`, `1m30s` or ISO 8601 `PT60S`',
        ...(exact.length > 0 ? { fixes: exact.map((d: string) => replaceWith(path, d)) } : {}),
      });
    }
    return out;
  },
});
