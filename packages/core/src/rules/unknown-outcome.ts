import { closest } from '../shared/didYouMean.js';
import { code } from '../shared/show.js';
import { defineProjectRule, replaceWith, stepPath, type ProjectFinding } from '../registry/defineRule.js';

/** Each `outcomes` key must be an outcome the sub-procedure can end with. */
export default defineProjectRule({
  code: 'unknown-outcome',
  severity: 'error',
  description: 'A sub-procedure step maps an outcome in `outcomes` that the used SOP never ends with.',
  check({ files, procedures }) {
    const out: ProjectFinding[] = [];
    files.forEach(({ procedure }, file) => {
      procedure?.uses.forEach(({ step, index }) => {
        if (!step.outcomes) return;
        const child = procedures.get(step.use);
        if (!child) return; // missing-procedure reports it
        const outcomes = child.outcomes;
        for (const outcome of Object.keys(step.outcomes)) {
          if (outcomes.includes(outcome)) continue;
          const near = closest(outcome, outcomes);
          const path = stepPath(index, 'outcomes', outcome);
          out.push({
            file,
            path,
            target: 'key',
            message: `the SOP ${code(step.use)} never ends with ${code(outcome)}; it ends with ${outcomes.map((o) => code(o)).join(', ') || 'no outcome'}`,
            hint: near !== undefined ? `did you mean \`${near}\`?` : undefined,
            ...(near !== undefined && !Object.prototype.hasOwnProperty.call(step.outcomes, near)
              ? { fixes: [replaceWith(path, near, 'key')] }
              : {}),
          });
        }
      });
    });
    return out;
  },
});
