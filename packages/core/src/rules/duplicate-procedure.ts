import { code } from '../shared/show.js';
import { defineProjectRule, type ProjectFinding } from '../registry/defineRule.js';

/** Reported on every file after the first that declares the id. */
export default defineProjectRule({
  code: 'duplicate-procedure',
  severity: 'error',
  description: 'Two files declare the same SOP `id`, so `use:` cannot tell them apart.',
  check({ files }) {
    const out: ProjectFinding[] = [];
    const first = new Map<string, string>();
    files.forEach(({ declaredId: id, file }, index) => {
      if (id === undefined) return;
      const earlier = first.get(id);
      if (earlier === undefined) {
        first.set(id, file);
        return;
      }
      out.push({
        file: index,
        path: ['id'],
        message: `the SOP id ${code(id)} is also declared in ${earlier}`,
        hint: 'give each SOP its own id',
      });
    });
    return out;
  },
});
