import type { Diagnostic } from '@sopflow/model';
import { didYouMean } from '../shared/didYouMean.js';
import { code, hasOwn } from '../shared/show.js';
import { MAX_HINTED, stepPath, type Rule } from './RuleContext.js';

export const undeclaredField: Rule = {
  code: 'undeclared-field',
  severity: 'error',
  check({ sop, graph, located }) {
    const out: Diagnostic[] = [];
    const fields = sop.fields ?? {};
    const names = Object.keys(fields);
    const report = (path: (string | number)[], name: string, how: string) => {
      const hint = (out.length < MAX_HINTED ? didYouMean(name, names) : undefined)
        ?? `declare it under \`fields:\`, e.g. \`${name}: { type: string }\``;
      out.push(located.diagnostic({
        code: 'undeclared-field', severity: 'error', path,
        message: `${how} field ${code(name)}, which is not declared in \`fields\``, hint,
      }));
    };
    for (const node of graph.nodes) {
      const { step } = node;
      (step.record ?? []).forEach((name, i) => {
        if (!hasOwn(fields, name)) report(stepPath(node.index, 'record', i), name, `step ${code(node.id)} records`);
      });
      (step.choices ?? []).forEach((choice, i) => {
        const field = choice.when?.field;
        if (field !== undefined && !hasOwn(fields, field)) report(stepPath(node.index, 'choices', i, 'when', 'field'), field, `choice ${i + 1} of step ${code(node.id)} tests`);
      });
    }
    return out;
  },
};
