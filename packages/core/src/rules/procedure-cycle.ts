import { code } from '../shared/show.js';
import { defineProjectRule, stepPath, type ProjectFinding } from '../registry/defineRule.js';

/** Loops of more procedures than this are summarised, not written out. */
const MAX_SHOWN = 12;

/**
 * A procedure must not run itself, directly (`use:` its own id) or through others (a uses b,
 * b uses a): the run would nest forever. Every `use:` step whose SOP and target run each other
 * (the procedure graph's strongly connected components) is reported, with the loop written out.
 */
export default defineProjectRule({
  code: 'procedure-cycle',
  severity: 'error',
  description: 'A procedure runs itself, directly (`use:` its own id) or through other procedures.',
  check({ files, procedures, graph }) {
    const out: ProjectFinding[] = [];
    files.forEach(({ procedure }, file) => {
      if (!procedure || procedures.get(procedure.id) !== procedure) return;
      const id = procedure.id;
      procedure.uses.forEach(({ step, index }) => {
        const target = step.use;
        if (!procedures.has(target)) return;
        if (target !== id && graph.componentOf(target) !== graph.componentOf(id)) return;
        const size = graph.componentSize(id);
        // the loop written out, while it is short enough to read (and cheap: one search per step)
        const loop = size <= MAX_SHOWN ? (graph.loopThrough(id, target) ?? [id, target]) : [id, target, `… ${size - 2} more …`, id];
        out.push({
          file,
          path: stepPath(index, 'use'),
          message: `step uses the SOP ${code(target)}, which leads back to this one (${loop.join(' -> ')}): a procedure cannot run itself`,
          hint: 'break the loop: end the inner procedure with an outcome and let this SOP decide what comes next',
        });
      });
    });
    return out;
  },
});
