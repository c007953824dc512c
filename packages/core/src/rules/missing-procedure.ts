import { closest } from '../shared/didYouMean.js';
import { code } from '../shared/show.js';
import { defineProjectRule, replaceWith, stepPath, type ProjectFinding } from '../registry/defineRule.js';

export default defineProjectRule({
  code: 'missing-procedure',
  severity: 'error',
  description: 'A sub-procedure step `use`s an SOP id that is not among the files validated together.',
  check({ files, ids }) {
    const out: ProjectFinding[] = [];
    files.forEach(({ sop }, file) => {
      sop?.instructions.forEach((step, index) => {
        if (typeof step.use !== 'string' || ids.has(step.use)) return;
        const path = stepPath(index, 'use');
        const near = closest(step.use, ids);
        out.push({
          file, path,
          message: `step uses the SOP ${code(step.use)}, which is not among the files given`,
          hint: near !== undefined ? `did you mean \`${near}\`?` : 'validate it together with the file that declares that id',
          ...(near !== undefined ? { fixes: [replaceWith(path, near)] } : {}),
        });
      });
    });
    return out;
  },
});
