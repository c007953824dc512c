import { code } from '../shared/show.js';
import { filled } from '../shared/filled.js';
import { indexGraph } from '../shared/indexGraph.js';
import { defineRule, stepPath, type Finding } from '../registry/defineRule.js';

/**
 * Steps (reachable from the start) from which no end can be reached: a trapped loop.
 * Reverse breadth-first search from every end, linear in the graph; each trapped set is
 * reported once, at its first step in reading order.
 */
export default defineRule({
  code: 'no-way-out',
  severity: 'error',
  scope: 'flow',
  description: 'No end can be reached from this step: every path from it loops forever (a trapped loop).',
  check({ graph }) {
    const { nextStart, nextList, previousStart, previousList, dangling, reached, indexOf } = indexGraph(graph);
    const nodes = graph.nodes;
    const n = nodes.length;
    const canEnd = filled(n);
    const queue = filled(n);
    let queued = 0;
    for (let i = 0; i < n; i++) {
      // an end, or a way out to a step that does not exist (unknown-step reports that)
      // (steps that repeat an id count as one: duplicate-id reports them)
      const at = indexOf.get(nodes[i]!.id)!;
      if ((nodes[i]!.end !== undefined || dangling[at]) && !canEnd[at]) {
        canEnd[at] = 1;
        queue[queued++] = at;
      }
    }
    for (let q = 0; q < queued; q++) {
      const to = queue[q]!;
      for (let k = previousStart[to]!; k < previousStart[to + 1]!; k++) {
        const from = previousList[k]!;
        if (!canEnd[from]) {
          canEnd[from] = 1;
          queue[queued++] = from;
        }
      }
    }
    const out: Finding[] = [];
    let assigned: number[] | undefined;
    for (let i = 0; i < n; i++) {
      if (canEnd[i] || !reached[i] || assigned?.[i] || indexOf.get(nodes[i]!.id) !== i) continue;
      const node = nodes[i]!;
      // the trapped set: everything this step leads to (all trapped as well)
      assigned ??= filled(n);
      const group = [i];
      assigned[i] = 1;
      for (let g = 0; g < group.length; g++) {
        const at = group[g]!;
        for (let k = nextStart[at]!; k < nextStart[at + 1]!; k++) {
          const to = nextList[k]!;
          if (!assigned[to]) {
            assigned[to] = 1;
            group.push(to);
          }
        }
      }
      const others = group.slice(1).map((j) => nodes[j]!.id);
      const listed =
        others
          .slice(0, 5)
          .map((id) => code(id))
          .join(', ') + (others.length > 5 ? `, … (${others.length} steps)` : '');
      const explicit = typeof node.step.id === 'string';
      out.push({
        path: explicit ? stepPath(node.index, 'id') : stepPath(node.index),
        target: explicit ? 'value' : 'head',
        message:
          others.length === 0
            ? `no end can be reached from step ${code(node.id)}: it only leads back to itself`
            : `no end can be reached from step ${code(node.id)}: its paths only go through ${listed}, never to a step that ends`,
        hint: 'add a way out: a choice, a `next` or a time limit leading towards a step that ends',
      });
    }
    return out;
  },
});
