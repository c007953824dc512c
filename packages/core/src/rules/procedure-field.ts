import { closest } from '../shared/didYouMean.js';
import { code, hasOwn } from '../shared/show.js';
import { defineProjectRule, replaceWith, stepPath, type ProjectFinding } from '../registry/defineRule.js';

/** `with` keys and `returns` values name fields of the sub-procedure: each must be declared there. */
export default defineProjectRule({
  code: 'procedure-field',
  severity: 'error',
  description: 'A sub-procedure step passes data in (`with`) or takes it back (`returns`) through a field the used SOP does not declare.',
  check({ files, procedures }) {
    const out: ProjectFinding[] = [];
    files.forEach(({ procedure }, file) => {
      procedure?.uses.forEach(({ step, index }) => {
        const child = procedures.get(step.use);
        if (!child) return; // missing-procedure reports it
        const fields = child.fields;
        const names = Object.keys(fields);
        const report = (path: (string | number)[], name: string, how: string, target: 'key' | 'value') => {
          const near = closest(name, names);
          out.push({
            file,
            path,
            target,
            message: `${how} ${code(name)}, which the SOP ${code(step.use)} does not declare in \`fields\` (it declares ${names.map((n) => code(n)).join(', ') || 'no field'})`,
            hint: near !== undefined ? `did you mean \`${near}\`?` : `declare ${code(name)} in the fields of ${code(step.use)}`,
            ...(near !== undefined ? { fixes: [replaceWith(path, near, target)] } : {}),
          });
        };
        for (const childField of Object.keys(step.with ?? {})) {
          if (!hasOwn(fields, childField))
            report(stepPath(index, 'with', childField), childField, `step ${code(step.id ?? `step-${index + 1}`)} passes data into`, 'key');
        }
        for (const [parentField, childField] of Object.entries(step.returns ?? {})) {
          if (typeof childField === 'string' && !hasOwn(fields, childField))
            report(
              stepPath(index, 'returns', parentField),
              childField,
              `step ${code(step.id ?? `step-${index + 1}`)} takes data back from`,
              'value',
            );
        }
      });
    });
    return out;
  },
});
