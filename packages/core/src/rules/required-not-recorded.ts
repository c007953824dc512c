import { graphOf } from '../shared/graphOf.js';
import { code } from '../shared/show.js';
import { passedIn } from '../shared/passedIn.js';
import { recordedFields } from '../shared/recordedFields.js';
import { defineProjectRule, type ProjectFinding } from '../registry/defineRule.js';

/** Paths longer than this are shortened in the message. */
const MAX_SHOWN = 8;

/**
 * A field marked `required` ("must be recorded before the run ends") that some way through
 * the SOP never records: the run can end without it. Recorded means: a step that lists it in
 * `record` was finished (the runtime refuses to finish it without the value), a `when` choice
 * that tests it was taken, a sub-procedure took it back (`returns`), or a procedure among the
 * files passes it in (`with`). Reported once per field, with one such way.
 */
export default defineProjectRule({
  code: 'required-not-recorded',
  severity: 'warning',
  description: 'A `required` field is not recorded on every way to an end: some path through the SOP ends without it.',
  check({ files }) {
    const out: ProjectFinding[] = [];
    const given = passedIn(files);
    files.forEach(({ sop }, file) => {
      if (!sop) return;
      const graph = graphOf(sop);
      const required = Object.entries(graph.fields)
        .filter(([, def]) => def && def.required === true)
        .map(([name]) => name);
      if (required.length === 0) return;
      const recorded = recordedFields(graph, given.get(sop.id));
      for (const field of required) {
        const at = graph.nodes.findIndex((_, i) => recorded.endsWithout(i, field));
        if (at === -1) continue;
        const end = graph.nodes[at]!;
        const path = recorded.pathWithout(at, field);
        const shown = path.length > MAX_SHOWN ? [...path.slice(0, 3), '…', ...path.slice(-3)] : path;
        out.push({
          file,
          path: ['fields', field, 'required'],
          message: `field ${code(field)} is required, but a run can end at step ${code(end.id)} (outcome ${code(end.end)}) without recording it: ${shown.join(' → ')}`,
          hint: `list ${code(field)} in the \`record\` of a step on that way, or make the field optional (remove \`required: true\`)`,
        });
      }
    });
    return out;
  },
});
