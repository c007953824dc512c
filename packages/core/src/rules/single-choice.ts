import type { Diagnostic } from '@sopflow/model';
import { code } from '../shared/show.js';
import { stepPath, type Rule } from './RuleContext.js';

export const singleChoice: Rule = {
  code: 'single-choice',
  severity: 'warning',
  check({ graph, located }) {
    const out: Diagnostic[] = [];
    for (const node of graph.nodes) {
      if (node.kind !== 'decision') continue;
      const count = Array.isArray(node.step.choices) ? node.step.choices.length : 0;
      if (count >= 2) continue;
      out.push(located.diagnostic({
        code: 'single-choice', severity: 'warning', path: stepPath(node.index, 'choices'), target: 'key',
        message: `decision ${code(node.id)} has ${count === 0 ? 'no choices' : 'only one choice'}: a decision needs at least two ways out`,
        hint: 'add another choice, or make it a task (`do`) with `next`',
      }));
    }
    return out;
  },
};
