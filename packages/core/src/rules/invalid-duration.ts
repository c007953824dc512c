import { parseDuration } from '@sopflow/model';
import { code } from '../shared/show.js';
import { defineRule, stepPath, type Finding } from '../registry/defineRule.js';

/** A zero duration (`0s`, `PT0S`, `0.0 m`): linear, no two adjacent quantifiers over the same characters. */
const ZERO = /^\s*(?:PT?)?[0.]+\s*(?:[a-z]+\s*)?$/i;

/** The authority on durations (the schema's pattern is deliberately loose). */
export default defineRule({
  code: 'invalid-duration',
  severity: 'error',
  scope: 'node',
  description: "A time limit's `after` cannot be read as a duration, or is zero.",
  check({ graph }) {
    const out: Finding[] = [];
    for (const node of graph.nodes) {
      const after = node.step.limit?.after;
      if (after === undefined || parseDuration(after) !== undefined) continue;
      const zero = ZERO.test(after);
      out.push({
        path: stepPath(node.index, 'limit', 'after'),
        message: zero
          ? `the time limit ${code(after)} of step ${code(node.id)} must be longer than zero`
          : `cannot read the duration ${code(after)} of step ${code(node.id)}`,
        hint: 'write e.g. `45s`, `5m`, `2h`, `3d`, `1m30s` or ISO 8601 `PT60S`',
      });
    }
    return out;
  },
});
