import type { GraphEdge, SopGraph } from '@sopflow/model';

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
  /**
   * The edges leaving each id (`graph.outgoing`: the first node's with that id) in one list:
   * those of node i are `ownEdges[ownStart[i]]` up to `ownEdges[ownStart[i + 1]]` (none for a
   * node repeating an id), and `ownTo` holds the node each leads to (-1: no such step).
   */
  ownStart: Int32Array;
  ownEdges: GraphEdge[];
  ownTo: Int32Array;
}

const cache = new WeakMap<SopGraph, GraphIndex>();

export function indexGraph(graph: SopGraph): GraphIndex {
  const cached = cache.get(graph);
  if (cached) return cached;
  const nodes = graph.nodes;
  const n = nodes.length;
  const indexOf = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const id = nodes[i]!.id;
    if (!indexOf.has(id)) indexOf.set(id, i);
  }
  const next: number[][] = [];
  const previous: number[][] = [];
  for (let i = 0; i < n; i++) {
    next.push([]);
    previous.push([]);
  }
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
  for (let i = 0; i < n; i++) {
    const first = indexOf.get(nodes[i]!.id)!;
    if (first !== i) reached[i] = reached[first]!;
  }
  const { ownStart, ownEdges } = indexOf.size === n ? edgesByNode(graph, indexOf) : edgesOfFirstNodes(graph, indexOf);
  const ownTo = new Int32Array(ownEdges.length);
  for (let e = 0; e < ownEdges.length; e++) ownTo[e] = indexOf.get(ownEdges[e]!.to) ?? -1;
  const index = { indexOf, next, previous, dangling, reached, ownStart, ownEdges, ownTo };
  cache.set(graph, index);
  return index;
}

/**
 * Each node's edges when every id is used once: those leaving its id, grouped by node (edges
 * are in node order; grouping keeps that order). `graph.outgoing` is not read: it is a
 * dictionary by step id, made only when first read, and slower to make than this.
 */
function edgesByNode(graph: SopGraph, indexOf: Map<string, number>): { ownStart: Int32Array; ownEdges: GraphEdge[] } {
  const n = graph.nodes.length;
  const ownStart = new Int32Array(n + 1);
  const from = new Int32Array(graph.edges.length);
  for (let e = 0; e < graph.edges.length; e++) {
    const i = indexOf.get(graph.edges[e]!.from) ?? -1;
    from[e] = i;
    if (i !== -1) ownStart[i + 1]!++;
  }
  for (let i = 0; i < n; i++) ownStart[i + 1]! += ownStart[i]!;
  const ownEdges = new Array<GraphEdge>(ownStart[n]!);
  const fill = ownStart.slice(0, n);
  for (let e = 0; e < graph.edges.length; e++) if (from[e] !== -1) ownEdges[fill[from[e]!]!++] = graph.edges[e]!;
  return { ownStart, ownEdges };
}

/** Each node's edges when ids repeat: the first node with an id has the edges `outgoing` gives it, later ones none. */
function edgesOfFirstNodes(graph: SopGraph, indexOf: Map<string, number>): { ownStart: Int32Array; ownEdges: GraphEdge[] } {
  const n = graph.nodes.length;
  const ownStart = new Int32Array(n + 1);
  const ownEdges: GraphEdge[] = [];
  for (let i = 0; i < n; i++) {
    ownStart[i] = ownEdges.length;
    const id = graph.nodes[i]!.id;
    if (indexOf.get(id) === i) for (const edge of graph.outgoing[id] ?? []) ownEdges.push(edge);
  }
  ownStart[n] = ownEdges.length;
  return { ownStart, ownEdges };
}
