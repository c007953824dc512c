import { code } from '../shared/show.js';
import { indexGraph } from '../shared/indexGraph.js';
import { defineRule, stepPath, type Finding } from '../registry/defineRule.js';

export default defineRule({
  code: 'duplicate-id',
  severity: 'error',
  scope: 'node',
  description: 'Two steps share an id, so `next` and choices cannot tell them apart.',
  check({ graph }) {
    const out: Finding[] = [];
    if (indexGraph(graph).indexOf.size === graph.nodes.length) return out; // every id used once
    const first = new Map<string, number>();
    for (const node of graph.nodes) {
      const seen = first.get(node.id);
      if (seen === undefined) {
        first.set(node.id, node.index);
        continue;
      }
      const explicit = typeof node.step.id === 'string';
      out.push({
        path: explicit ? stepPath(node.index, 'id') : stepPath(node.index),
        target: explicit ? 'value' : 'head',
        message: `step id ${code(node.id)} is already used by step ${seen + 1} (line {line})${explicit ? '' : ` (a step without an id is called \`step-${node.index + 1}\`)`}`,
        seeAlso: { path: stepPath(seen, 'id'), target: 'head' },
        hint: 'give each step its own id',
      });
    }
    return out;
  },
});
