import { MAX_DURATION_MS, parseDuration, parseDurationUnbounded } from '@sopflow/model';
import { code } from '../shared/show.js';
import { defineRule, stepPath, type Finding } from '../registry/defineRule.js';

/** A zero duration (`0s`, `PT0S`, `0.0 m`): linear, no two adjacent quantifiers over the same characters. */
const ZERO = /^\s*(?:PT?)?[0.]+\s*(?:[a-z]+\s*)?$/i;

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
      out.push({
        path: stepPath(node.index, 'limit', 'after'),
        message: zero
          ? `the time limit ${code(after)} of step ${code(node.id)} must be longer than zero`
          : tooLong
            ? `the time limit ${code(after)} of step ${code(node.id)} is longer than the longest a limit may be, ${MAX_DURATION_MS / 86_400_000}d (about ten years)`
            : `cannot read the duration ${code(after)} of step ${code(node.id)}`,
        hint: tooLong ? 'a longer wait is a review date, not a time limit: shorten it' : 'write e.g. `45s`, `5m`, `2h`, `3d`, `1m30s` or ISO 8601 `PT60S`',
      });
    }
    return out;
  },
});
