import { own, type SopGraph } from '@sopflow/model';
import { code } from '../shared/show.js';
import { unlessPassedIn, type FieldFinding } from '../shared/passedIn.js';
import { defineProjectRule, stepPath } from '../registry/defineRule.js';

/** The fields some step of the SOP records or a sub-procedure takes back. */
function recordedIn(graph: SopGraph): Set<string> {
  const recorded = new Set<string>();
  for (const node of graph.nodes) {
    for (const f of node.record) recorded.add(f);
    if (node.returns) for (const f of Object.keys(node.returns)) recorded.add(f);
  }
  return recorded;
}

/**
 * A `when` choice on a field that nothing records: no step lists it in `record` (a waiting
 * step's `record` says what its signal brings), no sub-procedure takes it back (`returns`), and
 * no procedure among the files passes it in (`with`). The choice is a dead branch (or, for
 * `set: false`, one always taken). A project rule: whether a field is passed in depends on the
 * SOPs that run this one. Each file's choices on fields it does not record itself are gathered
 * while it is loaded; the project step drops those whose field some procedure passes in.
 */
export default defineProjectRule<FieldFinding[] | undefined>({
  code: 'unrecorded-field',
  severity: 'warning',
  description:
    'A `when` choice tests a field that no step records (`record`), no sub-procedure takes back (`returns`) and no procedure given passes in (`with`): the branch is dead.',
  gather({ graph }) {
    let out: FieldFinding[] | undefined;
    // what is recorded is worked out only for a SOP with a `when` choice
    let recorded: Set<string> | undefined;
    for (const node of graph.nodes) {
      // only a decision has choices: the other steps' (of many object shapes) are not read
      if (node.kind !== 'decision') continue;
      const choices = node.step.choices;
      if (choices === undefined) continue;
      for (let i = 0; i < choices.length; i++) {
        const choice = choices[i]!;
        const field = choice.when?.field;
        if (field === undefined) continue;
        recorded ??= recordedIn(graph);
        if (recorded.has(field) || !own(graph.fields, field)) continue;
        const always = choice.when!.set === false;
        (out ??= []).push({
          field,
          finding: {
            path: stepPath(node.index, 'choices', i, 'when', 'field'),
            message: `no step records field ${code(field)}, so choice ${i + 1} of step ${code(node.id)} ${always ? 'is always taken (the field is never set)' : 'can never be taken'}`,
            hint: `list ${code(field)} in the \`record\` of the step that records it (for data a signal brings, the waiting step's \`record\`), or remove the choice`,
          },
        });
      }
    }
    return out;
  },
  check: ({ files }, gathered) => unlessPassedIn(files, gathered),
});
