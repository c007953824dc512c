import { evaluateCondition, own, type Condition, type FieldDef, type FieldValue, type ScalarValue } from '@sopflow/model';
import { code, show } from '../shared/show.js';
import { indexGraph } from '../shared/indexGraph.js';
import { recordedFields } from '../shared/recordedFields.js';
import { defineRule, stepPath, type Finding } from '../registry/defineRule.js';

/** A value no condition names: "any other text". */
const OTHER = '\u0000other';

/**
 * A decision with only `when` choices (no `answer` a person can pick, no time limit) that the
 * data can leave with no choice holding: a field it tests may not be recorded yet (it is
 * optional, or not recorded on every way there), or may hold a value no choice covers. The run
 * then waits at the decision for someone to record a value one of the choices accepts. The
 * conditions each test one field, so it is enough to find, field by field, a value (or no
 * value) that makes every condition on that field fail.
 */
export default defineRule({
  code: 'stuck-decision',
  severity: 'warning',
  scope: 'flow',
  description:
    'A decision has only `when` choices (no `answer`, no `limit`), and the data can reach it with none of them holding, so the run stops there.',
  check({ graph }) {
    const out: Finding[] = [];
    const { reached } = indexGraph(graph);
    let recorded: ReturnType<typeof recordedFields> | undefined;
    graph.nodes.forEach((node, i) => {
      if (node.kind !== 'decision' || node.limit || !reached[i]) return;
      const choices = Array.isArray(node.step.choices) ? node.step.choices : [];
      if (choices.length === 0 || choices.some((c) => !c || c.when === undefined)) return;
      const conditions = choices.map((c) => c.when!);
      if (conditions.some((c) => !c || typeof c.field !== 'string' || !own(graph.fields, c.field))) return;
      recorded ??= recordedFields(graph);
      const sure = recorded;
      const byField = new Map<string, Condition[]>();
      for (const c of conditions) byField.set(c.field, [...(byField.get(c.field) ?? []), c]);
      const escape: { field: string; value: FieldValue | undefined }[] = [];
      for (const [field, list] of byField) {
        const def = own(graph.fields, field)!;
        const candidates: (FieldValue | undefined)[] = sure.onEntry(i, field) ? [] : [undefined];
        candidates.push(...valuesOf(def, list));
        const value = candidates.find((v) => list.every((c) => !evaluateCondition(c, v === undefined ? {} : { [field]: v })));
        if (value === undefined && !candidates.some((v) => v === undefined && list.every((c) => !evaluateCondition(c, {})))) return;
        escape.push({ field, value });
      }
      const when = escape
        .map(
          ({ field, value }) =>
            `${code(field)} ${value === undefined ? `is not recorded${own(graph.fields, field)?.required ? '' : ' (it is optional)'}` : value === OTHER ? 'holds another value' : `is ${describe(value)}`}`,
        )
        .join(' and ');
      out.push({
        path: stepPath(node.index, 'choices'),
        target: 'key',
        message: `decision ${code(node.id)} is taken from recorded data only, and none of its choices holds when ${when}: the run would stop there until a value one of them accepts is recorded`,
        hint: 'add an `answer` choice for the other cases (e.g. `- { answer: Something else, next: … }`), a `when` that covers them, or a `limit` that moves on',
      });
    });
    return out;
  },
});

function describe(value: FieldValue): string {
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `the list ${code(value.map((v) => show(v)).join(', '))}`;
  return code(value);
}

/** Values worth trying for a field against its conditions: its enum, true/false, the constants compared with and their neighbours, and one value none of them names. */
function valuesOf(def: FieldDef, conditions: readonly Condition[]): FieldValue[] {
  const constants: ScalarValue[] = [];
  for (const c of conditions) for (const v of [c.equals, c.not_equals, c.contains, ...(c.in ?? [])]) if (v !== undefined) constants.push(v);
  const numbers = conditions.flatMap((c) => [c.gt, c.gte, c.lt, c.lte]).filter((n): n is number => typeof n === 'number');
  const scalars = (type: string, enumValues: readonly ScalarValue[] | undefined, min?: number, max?: number): ScalarValue[] => {
    if (enumValues) return [...enumValues];
    if (type === 'boolean') return [true, false];
    if (type === 'number' || type === 'integer') {
      const out = [
        0,
        ...constants.filter((v): v is number => typeof v === 'number'),
        ...numbers.flatMap((n) => [n - 1, n, n + 1, n - 0.5, n + 0.5]),
      ];
      if (min !== undefined) out.push(min);
      if (max !== undefined) out.push(max);
      return out.filter(
        (n) => (type !== 'integer' || Number.isInteger(n)) && (min === undefined || n >= min) && (max === undefined || n <= max),
      );
    }
    if (type === 'date') return [...constants.filter((v) => typeof v === 'string'), '1970-01-01', '2999-12-31'];
    return [...constants.filter((v) => typeof v === 'string'), OTHER];
  };
  if (def.type === 'list') {
    const items = def.items ?? { type: 'string' as const };
    return [[], ...scalars(items.type, items.enum, items.minimum, items.maximum).map((v) => [v])];
  }
  return scalars(def.type, def.enum, def.minimum, def.maximum);
}
