import { code } from '../shared/show.js';
import { indexGraph } from '../shared/indexGraph.js';
import { defineRule, stepPath, type Finding } from '../registry/defineRule.js';

export default defineRule({
  code: 'unreachable-step',
  severity: 'error',
  scope: 'flow',
  description:
    'No path from the first step reaches this step: the step before it ends (or jumps elsewhere with `next`) and nothing points at it.',
  check({ graph }) {
    const out: Finding[] = [];
    const { reached, previousStart, indexOf } = indexGraph(graph);
    graph.nodes.forEach((node, i) => {
      if (reached[i] || indexOf.get(node.id) !== i) return; // repeated ids: duplicate-id reports them
      const explicit = typeof node.step.id === 'string';
      out.push({
        path: explicit ? stepPath(node.index, 'id') : stepPath(node.index),
        target: explicit ? 'value' : 'head',
        message:
          previousStart[i + 1]! > previousStart[i]!
            ? `step ${code(node.id)} can never be reached: only steps that are themselves unreachable lead to it`
            : `step ${code(node.id)} can never be reached: no step leads to it (the step before it ends or jumps elsewhere)`,
        hint: `point a \`next\` or a choice at \`${node.id}\`, or remove the step`,
      });
    });
    return out;
  },
});
