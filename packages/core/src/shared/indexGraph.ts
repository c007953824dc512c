import type { SopGraph } from '@sopflow/model';

/** The graph as integers: node i's successors (existing steps only, all edge kinds) and
 *  predecessors. Built once per graph and shared by the rules; linear in its size. */
export interface GraphIndex {
  /** step id -> index of the (first) node with that id */
  indexOf: Map<string, number>;
  next: number[][];
  previous: number[][];
  /** node i has an edge to a step that does not exist */
  dangling: Uint8Array;
  /** node i is reachable from the first step */
  reached: Uint8Array;
}

const cache = new WeakMap<SopGraph, GraphIndex>();

export function indexGraph(graph: SopGraph): GraphIndex {
  const cached = cache.get(graph);
  if (cached) return cached;
  const n = graph.nodes.length;
  const indexOf = new Map<string, number>();
  graph.nodes.forEach((node, i) => {
    if (!indexOf.has(node.id)) indexOf.set(node.id, i);
  });
  const next: number[][] = Array.from({ length: n }, () => []);
  const previous: number[][] = Array.from({ length: n }, () => []);
  const dangling = new Uint8Array(n);
  for (const edge of graph.edges) {
    const from = indexOf.get(edge.from);
    if (from === undefined) continue;
    const to = indexOf.get(edge.to);
    if (to === undefined) {
      dangling[from] = 1;
      continue;
    }
    next[from]!.push(to);
    previous[to]!.push(from);
  }
  const reached = new Uint8Array(n);
  if (n > 0) {
    const queue = [0];
    reached[0] = 1;
    for (let q = 0; q < queue.length; q++) {
      for (const to of next[queue[q]!]!)
        if (!reached[to]) {
          reached[to] = 1;
          queue.push(to);
        }
    }
  }
  // a later node with a repeated id shares the first one's fate
  graph.nodes.forEach((node, i) => {
    const first = indexOf.get(node.id)!;
    if (first !== i) reached[i] = reached[first]!;
  });
  const index = { indexOf, next, previous, dangling, reached };
  cache.set(graph, index);
  return index;
}
