import type { SopGraph } from '@sopflow/model';

/** Step id -> ids of the steps it leads to (existing steps only), over every edge kind. */
export function successors(graph: SopGraph): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const node of graph.nodes) if (!next.has(node.id)) next.set(node.id, []);
  for (const edge of graph.edges) {
    if (!Object.prototype.hasOwnProperty.call(graph.nodeById, edge.to)) continue;
    next.get(edge.from)?.push(edge.to);
  }
  return next;
}

/** Ids reachable from the first step (breadth-first, linear). */
export function reachableFromStart(graph: SopGraph, next = successors(graph)): Set<string> {
  const seen = new Set<string>();
  if (!graph.start) return seen;
  const queue = [graph.start];
  seen.add(graph.start);
  for (let i = 0; i < queue.length; i++) {
    for (const to of next.get(queue[i]!) ?? []) {
      if (!seen.has(to)) { seen.add(to); queue.push(to); }
    }
  }
  return seen;
}
