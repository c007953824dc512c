import { closest } from '../shared/didYouMean.js';
import { code } from '../shared/show.js';
import { indexGraph } from '../shared/indexGraph.js';
import { stepReferences } from '../shared/stepReferences.js';
import { MAX_HINTED, defineRule, replaceWith, type Finding } from '../registry/defineRule.js';

export default defineRule({
  code: 'unknown-step',
  severity: 'error',
  scope: 'node',
  description: "`next`, a choice's `next`, an `outcomes` target or a `limit`'s `next` names a step id that no step has.",
  check({ graph }) {
    const out: Finding[] = [];
    const { indexOf } = indexGraph(graph);
    let ids: string[] | undefined;
    for (const ref of stepReferences(graph, (id) => indexOf.has(id))) {
      const near = out.length < MAX_HINTED ? closest(ref.to, (ids ??= Object.keys(graph.nodeById))) : undefined;
      out.push({
        path: ref.path,
        message: `${ref.what} of step ${code(graph.nodes[ref.index]?.id)} leads to ${code(ref.to)}, but there is no step with that id`,
        hint: near !== undefined ? `did you mean \`${near}\`?` : undefined,
        ...(near !== undefined ? { fixes: [replaceWith(ref.path, near)] } : {}),
      });
    }
    return out;
  },
});
