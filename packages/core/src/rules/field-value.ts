import { checkFieldValue, type FieldDef } from '@sopflow/model';
import { closest } from '../shared/didYouMean.js';
import { code, hasOwn } from '../shared/show.js';
import { defineRule, replaceWith, stepPath, type Finding } from '../registry/defineRule.js';

const COMPARISONS = ['gt', 'gte', 'lt', 'lte'] as const;

export default defineRule({
  code: 'field-value',
  severity: 'error',
  scope: 'node',
  description: "A `when` condition compares a field with a value the field can never hold: a value of the wrong type, one outside the field's `enum`, `minimum` or `maximum`, or `gt`/`gte`/`lt`/`lte` on a field that is not a number.",
  // the field definitions it compares with: when the schema rejects them, nothing here is reliable
  needs: [['fields']],
  check({ sop, graph }) {
    const out: Finding[] = [];
    const fields = sop.fields ?? {};
    for (const node of graph.nodes) {
      (node.step.choices ?? []).forEach((choice, i) => {
        const when = choice.when;
        if (!when || !hasOwn(fields, when.field)) return; // undeclared-field reports it
        const field = fields[when.field] as FieldDef;
        const base = stepPath(node.index, 'choices', i, 'when');
        const check = (value: unknown, path: (string | number)[]) => {
          const problem = checkFieldValue(field, value);
          if (problem === undefined) return;
          const options = Array.isArray(field.enum) && typeof value === 'string' ? field.enum.filter((e): e is string => typeof e === 'string') : [];
          const near = closest(String(value), options);
          out.push({
            path,
            message: `${code(value)} can never be a value of field ${code(when.field)} (${field.type}): ${problem}`,
            hint: near !== undefined ? `did you mean \`${near}\`?` : undefined,
            ...(near !== undefined ? { fixes: [replaceWith(path, near)] } : {}),
          });
        };
        if (hasOwn(when, 'equals')) check(when.equals, [...base, 'equals']);
        if (hasOwn(when, 'not_equals')) check(when.not_equals, [...base, 'not_equals']);
        if (Array.isArray(when.in)) when.in.forEach((v, j) => check(v, [...base, 'in', j]));
        for (const op of COMPARISONS) {
          if (!hasOwn(when, op)) continue;
          if (field.type !== 'number' && field.type !== 'integer') {
            out.push({
              path: [...base, op], target: 'key',
              message: `\`${op}\` compares numbers, but field ${code(when.field)} is a ${field.type}`,
              hint: 'use `equals`, `not_equals` or `in`, or declare the field as a number',
            });
          }
        }
      });
    }
    return out;
  },
});
