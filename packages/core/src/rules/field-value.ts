import { checkFieldValue, checkScalar, type FieldDef } from '@sopflow/model';
import { closest } from '../shared/didYouMean.js';
import { code, hasOwn } from '../shared/show.js';
import { stepsOf } from '../shared/stepsOf.js';
import { defineRule, replaceWith, stepPath, type Finding } from '../registry/defineRule.js';

const COMPARISONS = ['gt', 'gte', 'lt', 'lte'] as const;

export default defineRule({
  code: 'field-value',
  severity: 'error',
  scope: 'node',
  description:
    "A `when` condition compares a field with a value the field can never hold: a value of the wrong type, one outside the field's `enum`, `minimum` or `maximum`, `gt`/`gte`/`lt`/`lte` on a field that is not a number, `contains` on a field that is not a list, or one value compared with a list.",
  // the field definitions it compares with: when the schema rejects them, nothing here is reliable
  needs: [['fields']],
  check({ sop, graph }) {
    const out: Finding[] = [];
    const fields = sop.fields ?? {};
    const steps = stepsOf(graph);
    for (let k = 0; k < graph.nodes.length; k++) {
      const node = graph.nodes[k]!;
      // only a decision has choices
      if (node.kind !== 'decision') continue;
      steps[k]!.choices?.forEach((choice, i) => {
        const when = choice.when;
        if (!when || !hasOwn(fields, when.field)) return; // undeclared-field reports it
        const field = fields[when.field] as FieldDef;
        // the condition's path, made only for a finding (most conditions have none)
        const base = () => stepPath(node.index, 'choices', i, 'when');
        const isList = field.type === 'list';
        const itemDef = isList ? (field.items ?? { type: 'string' as const }) : undefined;
        // a list field holds a list: one value is compared with `contains`, and checked against the items
        if (isList && !hasOwn(when, 'contains') && !hasOwn(when, 'set')) {
          const op = ['equals', 'not_equals', 'in', ...COMPARISONS].find((o) => hasOwn(when, o));
          if (op !== undefined) {
            out.push({
              path: [...base(), op],
              target: 'key',
              message: `field ${code(when.field)} is a list: \`${op}\` cannot compare it with one value`,
              hint:
                op === 'equals' || op === 'in'
                  ? `use \`contains\` to test whether the list holds a value, e.g. \`contains: ${itemDef!.enum?.[0] ?? 'value'}\``
                  : 'use `contains` (or `set`) on a list field',
              ...(op === 'equals' ? { fixes: [replaceWith([...base(), op], 'contains', 'key', 'Use `contains`')] } : {}),
            });
            return;
          }
        }
        if (!isList && hasOwn(when, 'contains')) {
          out.push({
            path: [...base(), 'contains'],
            target: 'key',
            message: `\`contains\` tests a list, but field ${code(when.field)} is a ${field.type}`,
            hint: 'use `equals` (or `in` for several values), or declare the field as `type: list`',
            fixes: [replaceWith([...base(), 'contains'], 'equals', 'key', 'Use `equals`')],
          });
          return;
        }
        const check = (value: unknown, op: string, item?: number) => {
          const problem = itemDef ? checkScalar(itemDef, value) : checkFieldValue(field, value);
          if (problem === undefined) return;
          const path = item === undefined ? [...base(), op] : [...base(), op, item];
          const allowed = itemDef ? itemDef.enum : field.enum;
          const options =
            Array.isArray(allowed) && typeof value === 'string' ? allowed.filter((e): e is string => typeof e === 'string') : [];
          const near = closest(String(value), options);
          out.push({
            path,
            message: itemDef
              ? `${code(value)} can never be an item of field ${code(when.field)} (a list of ${itemDef.type}): ${problem}`
              : `${code(value)} can never be a value of field ${code(when.field)} (${field.type}): ${problem}`,
            hint: near !== undefined ? `did you mean \`${near}\`?` : undefined,
            ...(near !== undefined ? { fixes: [replaceWith(path, near)] } : {}),
          });
        };
        if (hasOwn(when, 'equals')) check(when.equals, 'equals');
        if (hasOwn(when, 'not_equals')) check(when.not_equals, 'not_equals');
        if (Array.isArray(when.in)) when.in.forEach((v, j) => check(v, 'in', j));
        if (hasOwn(when, 'contains')) check(when.contains, 'contains');
        for (const op of COMPARISONS) {
          if (!hasOwn(when, op)) continue;
          if (field.type !== 'number' && field.type !== 'integer') {
            out.push({
              path: [...base(), op],
              target: 'key',
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
