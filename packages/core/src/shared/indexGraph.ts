import type { GraphEdge, SopGraph } from '@sopflow/model';
import { filled } from './filled.js';
import { LastOne } from './LastOne.js';

/**
 * The graph as integers: each node's successors (existing steps only, all edge kinds) and
 * predecessors. Built once per graph and shared by the rules; linear in its size. Lists per
 * node are kept in one array each, by ranges (`next` of node i: `nextList[nextStart[i]]` up to
 * `nextList[nextStart[i + 1]]`): a handful of arrays per graph instead of a few per node.
 */
export interface GraphIndex {
  /** step id -> index of the (first) node with that id */
  indexOf: Map<string, number>;
  /** the nodes each node's edges lead to, in edge order (a repeated id's edges count as its first node's) */
  nextStart: number[];
  nextList: number[];
  /** the nodes with an edge to each node */
  previousStart: number[];
  previousList: number[];
  /** node i has an edge to a step that does not exist */
  dangling: number[];
  /** node i is reachable from the first step */
  reached: number[];
  /**
   * The edges leaving each id (`graph.outgoing`: the first node's with that id) in one list:
   * those of node i are `ownEdges[ownStart[i]]` up to `ownEdges[ownStart[i + 1]]` (none for a
   * node repeating an id), and `ownTo` holds the node each leads to (-1: no such step).
   */
  ownStart: number[];
  ownEdges: GraphEdge[];
  ownTo: number[];
}

/*
 * The rules of one file ask for its graph's index one after another, so the last one is kept. A
 * WeakMap entry would also have done, but V8's young-generation collector keeps the keys (and
 * so the values) of every WeakMap entry alive: each graph, its index and its SOP were then
 * copied and promoted before a full collection could drop them.
 */
const cache = new LastOne<SopGraph, GraphIndex>();

/** Start offsets from counts: `counts[i + 1]` holds the count of item i; on return `counts[i]` is where item i's range starts. */
function toStarts(counts: number[]): number[] {
  for (let i = 1; i < counts.length; i++) counts[i]! += counts[i - 1]!;
  return counts;
}

export function indexGraph(graph: SopGraph): GraphIndex {
  const cached = cache.get(graph);
  if (cached) return cached;
  const { nodes, edges } = graph;
  const n = nodes.length;
  const m = edges.length;
  const indexOf = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const id = nodes[i]!.id;
    if (!indexOf.has(id)) indexOf.set(id, i);
  }
  // each edge as integers (-1: no such step), looked up once
  const edgeFrom = filled(m);
  const edgeTo = filled(m);
  const nextStart = filled(n + 1);
  const previousStart = filled(n + 1);
  const dangling = filled(n);
  for (let e = 0; e < m; e++) {
    const edge = edges[e]!;
    const from = indexOf.get(edge.from) ?? -1;
    const to = indexOf.get(edge.to) ?? -1;
    edgeFrom[e] = from;
    edgeTo[e] = to;
    if (from === -1) continue;
    if (to === -1) dangling[from] = 1;
    else {
      nextStart[from + 1]!++;
      previousStart[to + 1]!++;
    }
  }
  toStarts(nextStart);
  toStarts(previousStart);
  const nextList = filled(nextStart[n]!);
  const previousList = filled(previousStart[n]!);
  const nextFill = nextStart.slice(0, n);
  const previousFill = previousStart.slice(0, n);
  for (let e = 0; e < m; e++) {
    const from = edgeFrom[e]!;
    const to = edgeTo[e]!;
    if (from === -1 || to === -1) continue;
    nextList[nextFill[from]!++] = to;
    previousList[previousFill[to]!++] = from;
  }
  const reached = filled(n);
  if (n > 0) {
    const queue = filled(n);
    let length = 1;
    reached[0] = 1;
    for (let q = 0; q < length; q++) {
      const at = queue[q]!;
      for (let k = nextStart[at]!; k < nextStart[at + 1]!; k++) {
        const to = nextList[k]!;
        if (!reached[to]) {
          reached[to] = 1;
          queue[length++] = to;
        }
      }
    }
  }
  // a later node with a repeated id shares the first one's fate
  for (let i = 0; i < n; i++) {
    const first = indexOf.get(nodes[i]!.id)!;
    if (first !== i) reached[i] = reached[first]!;
  }
  const own = indexOf.size === n ? edgesByNode(graph, edgeFrom, edgeTo) : edgesOfFirstNodes(graph, indexOf);
  const index: GraphIndex = {
    indexOf,
    nextStart,
    nextList,
    previousStart,
    previousList,
    dangling,
    reached,
    ownStart: own.ownStart,
    ownEdges: own.ownEdges,
    ownTo: own.ownTo,
  };
  cache.set(graph, index);
  return index;
}

type OwnEdges = Pick<GraphIndex, 'ownStart' | 'ownEdges' | 'ownTo'>;

/**
 * Each node's edges when every id is used once: those leaving its id, grouped by node (edges
 * are in node order; grouping keeps that order). `graph.outgoing` is not read: it is a
 * dictionary by step id, made only when first read, and slower to make than this.
 */
function edgesByNode(graph: SopGraph, edgeFrom: number[], edgeTo: number[]): OwnEdges {
  const n = graph.nodes.length;
  const m = graph.edges.length;
  const ownStart = filled(n + 1);
  for (let e = 0; e < m; e++) if (edgeFrom[e] !== -1) ownStart[edgeFrom[e]! + 1]!++;
  toStarts(ownStart);
  const ownEdges = new Array<GraphEdge>(ownStart[n]!);
  const ownTo = filled(ownStart[n]!);
  const fill = ownStart.slice(0, n);
  for (let e = 0; e < m; e++) {
    const from = edgeFrom[e]!;
    if (from === -1) continue;
    const at = fill[from]!++;
    ownEdges[at] = graph.edges[e]!;
    ownTo[at] = edgeTo[e]!;
  }
  return { ownStart, ownEdges, ownTo };
}

/** Each node's edges when ids repeat: the first node with an id has the edges `outgoing` gives it, later ones none. */
function edgesOfFirstNodes(graph: SopGraph, indexOf: Map<string, number>): OwnEdges {
  const n = graph.nodes.length;
  const ownStart = filled(n + 1);
  const ownEdges: GraphEdge[] = [];
  const ownTo: number[] = [];
  for (let i = 0; i < n; i++) {
    ownStart[i] = ownEdges.length;
    const id = graph.nodes[i]!.id;
    if (indexOf.get(id) !== i) continue;
    for (const edge of graph.outgoing[id] ?? []) {
      ownEdges.push(edge);
      ownTo.push(indexOf.get(edge.to) ?? -1);
    }
  }
  ownStart[n] = ownEdges.length;
  return { ownStart, ownEdges, ownTo: ownTo };
}
