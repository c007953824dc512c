import type { Diagnostic } from '@sopflow/model';
import { code } from '../shared/show.js';
import { reachableFromStart, successors } from './reachability.js';
import { stepPath, type Rule } from './RuleContext.js';

/**
 * Steps (reachable from the start) from which no end can be reached: a trapped loop.
 * Reverse breadth-first search from every end, linear in the graph; each trapped set is
 * reported once, at its first step in reading order.
 */
export const noWayOut: Rule = {
  code: 'no-way-out',
  severity: 'error',
  check({ graph, located }) {
    const next = successors(graph);
    const reached = reachableFromStart(graph, next);
    const previous = new Map<string, string[]>();
    for (const [from, targets] of next) for (const to of targets) {
      const list = previous.get(to);
      if (list) list.push(from); else previous.set(to, [from]);
    }
    const canEnd = new Set<string>();
    const queue: string[] = [];
    for (const node of graph.nodes) {
      if (node.end !== undefined && !canEnd.has(node.id)) { canEnd.add(node.id); queue.push(node.id); }
    }
    // a way out to a step that does not exist counts as a way out (unknown-step reports it)
    for (const edge of graph.edges) {
      if (!Object.prototype.hasOwnProperty.call(graph.nodeById, edge.to) && !canEnd.has(edge.from)) { canEnd.add(edge.from); queue.push(edge.from); }
    }
    for (let i = 0; i < queue.length; i++) {
      for (const from of previous.get(queue[i]!) ?? []) if (!canEnd.has(from)) { canEnd.add(from); queue.push(from); }
    }
    const out: Diagnostic[] = [];
    const assigned = new Set<string>();
    for (const node of graph.nodes) {
      if (canEnd.has(node.id) || !reached.has(node.id) || assigned.has(node.id)) continue;
      // the trapped set: everything this step leads to (all trapped as well)
      const group = [node.id];
      assigned.add(node.id);
      for (let i = 0; i < group.length; i++) {
        for (const to of next.get(group[i]!) ?? []) if (!assigned.has(to)) { assigned.add(to); group.push(to); }
      }
      const others = group.slice(1);
      const listed = others.slice(0, 5).map((id) => code(id)).join(', ') + (others.length > 5 ? `, … (${others.length} steps)` : '');
      const explicit = typeof node.step.id === 'string';
      out.push(located.diagnostic({
        code: 'no-way-out', severity: 'error',
        path: explicit ? stepPath(node.index, 'id') : stepPath(node.index), target: explicit ? 'value' : 'head',
        message: others.length === 0
          ? `no end can be reached from step ${code(node.id)}: it only leads back to itself`
          : `no end can be reached from step ${code(node.id)}: its paths only go through ${listed}, never to a step that ends`,
        hint: 'add a way out: a choice, a `next` or a time limit leading towards a step that ends',
      }));
    }
    return out;
  },
};
