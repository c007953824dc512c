import type { Diagnostic } from '@sopflow/model';
import { code } from '../shared/show.js';
import { indexGraph } from './reachability.js';
import { stepPath, type Rule } from './RuleContext.js';

export const unreachableStep: Rule = {
  code: 'unreachable-step',
  severity: 'error',
  check({ graph, located }) {
    const out: Diagnostic[] = [];
    const { reached, previous, indexOf } = indexGraph(graph);
    graph.nodes.forEach((node, i) => {
      if (reached[i] || indexOf.get(node.id) !== i) return; // repeated ids: duplicate-id reports them
      const explicit = typeof node.step.id === 'string';
      out.push(located.diagnostic({
        code: 'unreachable-step', severity: 'error',
        path: explicit ? stepPath(node.index, 'id') : stepPath(node.index), target: explicit ? 'value' : 'head',
        message: previous[i]!.length > 0
          ? `step ${code(node.id)} can never be reached: only steps that are themselves unreachable lead to it`
          : `step ${code(node.id)} can never be reached: no step leads to it (the step before it ends or jumps elsewhere)`,
        hint: `point a \`next\` or a choice at \`${node.id}\`, or remove the step`,
      }));
    });
    return out;
  },
};
