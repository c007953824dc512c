import type { Diagnostic } from '@sopflow/model';
import { code } from '../shared/show.js';
import { stepPath, type Rule } from './RuleContext.js';

export const duplicateId: Rule = {
  code: 'duplicate-id',
  severity: 'error',
  check({ graph, located }) {
    const out: Diagnostic[] = [];
    const first = new Map<string, number>();
    for (const node of graph.nodes) {
      const seen = first.get(node.id);
      if (seen === undefined) { first.set(node.id, node.index); continue; }
      const explicit = typeof node.step.id === 'string';
      const line = located.range(stepPath(seen, 'id'), 'head').line;
      out.push(located.diagnostic({
        code: 'duplicate-id', severity: 'error',
        path: explicit ? stepPath(node.index, 'id') : stepPath(node.index), target: explicit ? 'value' : 'head',
        message: `step id ${code(node.id)} is already used by step ${seen + 1} (line ${line})${explicit ? '' : ` (a step without an id is called \`step-${node.index + 1}\`)`}`,
        hint: 'give each step its own id',
      }));
    }
    return out;
  },
};
