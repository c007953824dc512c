import { MAX_DURATION_MS, parseDuration, parseDurationUnbounded, suggestDuration, type DocPath, type Sop } from '@sopflow/model';
import { code } from '../shared/show.js';
import { defineRule, replaceWith, stepPath, type Finding } from '../registry/defineRule.js';

/** A zero duration (`0s`, `PT0S`, `0.0 m`): linear, no two adjacent quantifiers over the same characters. */
const ZERO = /^\s*(?:PT?)?[0.]+\s*(?:[a-z]+\s*)?$/i;

interface Duration {
  path: DocPath;
  text: string;
  noun: string;
  /** the step index, or -1 for the SOP's own target */
  step: number;
}

/** Whose a duration is, as a message says it. */
function ownerOf(sop: Sop, index: number): string {
  if (index === -1) return 'the SOP';
  const step = sop.instructions[index]!;
  return `step ${code(typeof step.id === 'string' ? step.id : `step-${index + 1}`)}`;
}

/** Every duration an SOP gives that cannot be read: time limits and time targets, with what each is and whose it is. */
function unreadableDurations(sop: Sop): Duration[] {
  const out: Duration[] = [];
  if (typeof sop.target === 'string' && parseDuration(sop.target) === undefined)
    out.push({ path: ['target'], text: sop.target, noun: 'time target', step: -1 });
  const steps: unknown[] = Array.isArray(sop.instructions) ? sop.instructions : [];
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index] as Sop['instructions'][number] | undefined;
    if (!step || typeof step !== 'object') continue;
    const after = step.limit && typeof step.limit === 'object' ? step.limit.after : undefined;
    if (typeof after === 'string' && parseDuration(after) === undefined)
      out.push({ path: stepPath(index, 'limit', 'after'), text: after, noun: 'time limit', step: index });
    if (typeof step.target === 'string' && parseDuration(step.target) === undefined)
      out.push({ path: stepPath(index, 'target'), text: step.target, noun: 'time target', step: index });
  }
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
    for (const { path, text, noun, step } of unreadableDurations(sop)) {
      const owner = ownerOf(sop, step);
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
