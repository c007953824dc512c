import { closest } from '../shared/didYouMean.js';
import { code, hasOwn } from '../shared/show.js';
import { FIELD_NAME, fieldNameFor } from '../shared/slug.js';
import { stepsOf } from '../shared/stepsOf.js';
import { MAX_HINTED, defineRule, replaceWith, stepPath, type Finding } from '../registry/defineRule.js';

export default defineRule({
  code: 'undeclared-field',
  severity: 'error',
  scope: 'node',
  description:
    '`record`, a `when` condition, or the `with` / `returns` of a sub-procedure step names a field that is not declared under `fields`.',
  check({ sop, graph }) {
    const out: Finding[] = [];
    const fields = sop.fields ?? {};
    // names the schema refuses are never suggested; a name one of them will be written as once
    // fixed (`call-notes` -> `call_notes`) is not reported: the declaration is, with that fix
    // (both worked out only once something is to be reported)
    let names: string[] | undefined;
    let pending: Set<string> | undefined;
    const report = (path: (string | number)[], name: string, how: string) => {
      pending ??= new Set(
        Object.keys(fields)
          .map(fieldNameFor)
          .filter((n) => n !== undefined),
      );
      if (pending.has(name)) return;
      const near = out.length < MAX_HINTED ? closest(name, (names ??= Object.keys(fields).filter((n) => FIELD_NAME.test(n)))) : undefined;
      out.push({
        path,
        message: `${how} field ${code(name)}, which is not declared in \`fields\``,
        hint: near !== undefined ? `did you mean \`${near}\`?` : `declare it under \`fields:\`, e.g. \`${name}: { type: string }\``,
        ...(near !== undefined ? { fixes: [replaceWith(path, near)] } : {}),
      });
    };
    const steps = stepsOf(graph);
    for (let k = 0; k < graph.nodes.length; k++) {
      const node = graph.nodes[k]!;
      const step = steps[k]!;
      // `?.forEach`, not a loop: on data the schema rejected, a `record` or `choices` that is
      // not a list makes the rule throw and say nothing, as it always has
      step.record?.forEach((name, i) => {
        if (!hasOwn(fields, name)) report(stepPath(node.index, 'record', i), name, `step ${code(node.id)} records`);
      });
      step.choices?.forEach((choice, i) => {
        const field = choice.when?.field;
        if (field !== undefined && !hasOwn(fields, field))
          report(stepPath(node.index, 'choices', i, 'when', 'field'), field, `choice ${i + 1} of step ${code(node.id)} tests`);
      });
      if (node.kind !== 'subprocedure') continue;
      for (const [childField, parentField] of Object.entries(step.with ?? {})) {
        if (typeof parentField === 'string' && !hasOwn(fields, parentField))
          report(stepPath(node.index, 'with', childField), parentField, `step ${code(node.id)} passes`);
      }
      for (const parentField of Object.keys(step.returns ?? {})) {
        if (!hasOwn(fields, parentField))
          report(stepPath(node.index, 'returns', parentField), parentField, `step ${code(node.id)} takes data back into`);
      }
    }
    return out;
  },
});
