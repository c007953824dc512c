import { closest } from '../shared/didYouMean.js';
import { code, show } from '../shared/show.js';
import { defineProjectRule, replaceWith, stepPath, type ProjectFinding } from '../registry/defineRule.js';

export default defineProjectRule({
  code: 'missing-procedure',
  severity: 'error',
  description:
    'A sub-procedure step `use`s an SOP id that no file validated with it declares (the CLI also looks beside the file that uses it).',
  check({ files, ids }) {
    const out: ProjectFinding[] = [];
    files.forEach(({ procedure }, file) => {
      procedure?.uses.forEach(({ step, index }) => {
        if (ids.has(step.use)) return;
        const path = stepPath(index, 'use');
        const near = closest(step.use, ids);
        const name = typeof step.id === 'string' ? step.id : `step-${index + 1}`;
        out.push({
          file,
          path,
          message: `step ${code(name)} uses the SOP ${code(step.use)}, but no file given or beside this one declares \`id: ${show(step.use)}\``,
          hint:
            near !== undefined
              ? `did you mean \`${near}\`?`
              : `put the SOP with \`id: ${show(step.use)}\` beside this file (as \`${show(step.use)}.sop.yaml\`), or validate it together with this one`,
          ...(near !== undefined ? { fixes: [replaceWith(path, near)] } : {}),
        });
      });
    });
    return out;
  },
});
