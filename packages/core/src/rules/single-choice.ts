import { code } from '../shared/show.js';
import { defineRule, stepPath, type Finding } from '../registry/defineRule.js';

export default defineRule({
  code: 'single-choice',
  severity: 'warning',
  scope: 'flow',
  description: 'A decision has fewer than two choices, so there is nothing to decide.',
  check({ graph }) {
    const out: Finding[] = [];
    for (const node of graph.nodes) {
      if (node.kind !== 'decision') continue;
      const count = Array.isArray(node.step.choices) ? node.step.choices.length : 0;
      if (count >= 2) continue;
      out.push({
        path: stepPath(node.index, 'choices'),
        target: 'key',
        message: `decision ${code(node.id)} has ${count === 0 ? 'no choices' : 'only one choice'}: a decision needs at least two ways out`,
        hint: 'add another choice, or make it a task (`do`) with `next`',
      });
    }
    return out;
  },
});
