import type { Diagnostic } from '@sopflow/model';
import { code } from '../shared/show.js';
import { reachableFromStart, successors } from './reachability.js';
import { stepPath, type Rule } from './RuleContext.js';

export const unreachableStep: Rule = {
  code: 'unreachable-step',
  severity: 'error',
  check({ graph, located }) {
    const out: Diagnostic[] = [];
    const next = successors(graph);
    const reached = reachableFromStart(graph, next);
    const incoming = new Set<string>();
    for (const targets of next.values()) for (const t of targets) incoming.add(t);
    const reported = new Set<string>();
    for (const node of graph.nodes) {
      if (reached.has(node.id) || reported.has(node.id)) continue;
      reported.add(node.id);
      const explicit = typeof node.step.id === 'string';
      out.push(located.diagnostic({
        code: 'unreachable-step', severity: 'error',
        path: explicit ? stepPath(node.index, 'id') : stepPath(node.index), target: explicit ? 'value' : 'head',
        message: incoming.has(node.id)
          ? `step ${code(node.id)} can never be reached: only steps that are themselves unreachable lead to it`
          : `step ${code(node.id)} can never be reached: no step leads to it (the step before it ends or jumps elsewhere)`,
        hint: `point a \`next\` or a choice at \`${node.id}\`, or remove the step`,
      }));
    }
    return out;
  },
};
