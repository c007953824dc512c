import { parseDuration, type Diagnostic } from '@sopflow/model';
import { code } from '../shared/show.js';
import { stepPath, type Rule } from './RuleContext.js';

/** The authority on durations (the schema's pattern is deliberately loose). */
export const invalidDuration: Rule = {
  code: 'invalid-duration',
  severity: 'error',
  check({ graph, located }) {
    const out: Diagnostic[] = [];
    for (const node of graph.nodes) {
      const after = node.step.limit?.after;
      if (after === undefined || parseDuration(after) !== undefined) continue;
      const zero = /^\s*(P|PT)?[0.]+\s*[a-z]*\s*$/i.test(after);
      out.push(located.diagnostic({
        code: 'invalid-duration', severity: 'error', path: stepPath(node.index, 'limit', 'after'),
        message: zero
          ? `the time limit ${code(after)} of step ${code(node.id)} must be longer than zero`
          : `cannot read the duration ${code(after)} of step ${code(node.id)}`,
        hint: 'write e.g. `45s`, `5m`, `2h`, `3d`, `1m30s` or ISO 8601 `PT60S`',
      }));
    }
    return out;
  },
};
