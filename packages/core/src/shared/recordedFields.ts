import { own, type GraphEdge, type GraphNode, type SopGraph } from '@sopflow/model';
import { indexGraph } from './indexGraph.js';

/**
 * What the run is sure has been recorded, step by step: a forward "must" analysis over the
 * graph (what holds on every path). A field is certainly recorded after a step that requires
 * it (`required` and in the step's `record`: the runtime refuses to finish the step without
 * it), after a `when` choice that tests it (any test but `set: false` needs a value), after a
 * sub-procedure that takes it back (`returns`, counted as recorded), and from the start when a
 * procedure that runs this one passes it in (`with`). A time limit leaves the step unfinished:
 * nothing the step records is sure then.
 */
export interface RecordedFields {
  /** whether `field` is certainly recorded when step `i` (reading order) is entered; false for a step never reached */
  onEntry(i: number, field: string): boolean;
  /** whether step `i` ends the run (and is reached), and `field` is certainly recorded when it does */
  endsWithout(i: number, field: string): boolean;
  /** one path from the first step to node i, as step ids, along which `field` is not recorded on entry (for messages) */
  pathWithout(i: number, field: string): string[];
}

export function recordedFields(graph: SopGraph, passedIn: ReadonlySet<string> = new Set()): RecordedFields {
  const { indexOf, reached, ownStart, ownEdges, ownTo } = indexGraph(graph);
  const nodes = graph.nodes;
  const n = nodes.length;
  const fields = graph.fields;
  const names = Object.keys(fields);
  // sets of fields as bits, one word per 32 fields: the analysis is a few word operations per edge
  const bit = new Map<string, number>();
  for (let i = 0; i < names.length; i++) bit.set(names[i]!, i);
  const W = Math.max(1, Math.ceil(names.length / 32));
  const set = (row: Uint32Array, name: string) => {
    const i = bit.get(name);
    if (i !== undefined) row[i >>> 5]! |= 1 << (i & 31);
  };
  const has = (row: Uint32Array | undefined, name: string) => {
    const i = bit.get(name);
    return row !== undefined && i !== undefined && (row[i >>> 5]! & (1 << (i & 31))) !== 0;
  };
  // what each edge adds to what holds on entering its step, as bits
  const finished = (node: GraphNode, row: Uint32Array) => {
    for (const f of node.record) if (own(fields, f)?.required === true) set(row, f);
  };
  const addedBy = (node: GraphNode, edge: GraphEdge): Uint32Array => {
    const row = new Uint32Array(W);
    switch (edge.kind) {
      case 'when':
        if (edge.when && edge.when.set !== false) set(row, edge.when.field);
        break;
      case 'outcome':
        for (const f of Object.keys(node.returns ?? {})) set(row, f);
        break;
      case 'answer':
        finished(node, row);
        break;
      case 'next':
        if (node.kind === 'subprocedure') for (const f of Object.keys(node.returns ?? {})) set(row, f);
        else finished(node, row);
        break;
      default: // a limit: the step was not finished
    }
    return row;
  };

  const entry = new Array<Uint32Array | undefined>(n).fill(undefined);
  // per edge (its place in `ownEdges`), what it adds: made when the analysis first takes the edge
  const added = new Array<Uint32Array | undefined>(ownEdges.length).fill(undefined);
  if (n > 0) {
    entry[0] = new Uint32Array(W);
    for (const f of passedIn) set(entry[0], f);
    // iterate to a fixed point: each row only loses bits, so this ends
    const queue: number[] = [0];
    const queued = new Uint8Array(n);
    queued[0] = 1;
    let budget = Math.max(10_000, n * 64);
    const out = new Uint32Array(W);
    for (let q = 0; q < queue.length && budget-- > 0; q++) {
      const i = queue[q]!;
      queued[i] = 0;
      // a node repeating an id has no edges of its own here: the first one's are taken
      const here = entry[i]!;
      for (let e = ownStart[i]!; e < ownStart[i + 1]!; e++) {
        const to = ownTo[e]!;
        if (to === -1) continue;
        const plus = (added[e] ??= addedBy(nodes[i]!, ownEdges[e]!));
        for (let w = 0; w < W; w++) out[w] = here[w]! | plus[w]!;
        const before = entry[to];
        let changed = false;
        if (before === undefined) {
          entry[to] = out.slice();
          changed = true;
        } else {
          for (let w = 0; w < W; w++) {
            const meet = before[w]! & out[w]!;
            if (meet !== before[w]) {
              before[w] = meet;
              changed = true;
            }
          }
        }
        if (changed && !queued[to]) {
          queued[to] = 1;
          queue.push(to);
        }
      }
    }
  }
  // what is recorded when each end is reached, made once per node when first asked
  const ends = new Array<Uint32Array | null | undefined>(n).fill(undefined);
  const atEnd = (i: number): Uint32Array | null => {
    const known = ends[i];
    if (known !== undefined) return known;
    const node = nodes[i];
    const row = entry[i];
    let end: Uint32Array | null = null;
    if (node && row && node.end !== undefined && reached[i]) {
      end = row.slice();
      if (node.kind !== 'end' && node.kind !== 'subprocedure') finished(node, end);
    }
    if (i >= 0 && i < n) ends[i] = end;
    return end;
  };
  const pathWithout = (target: number, field: string): string[] => {
    // breadth-first over steps whose entry lacks the field, from the first step
    const previous = new Int32Array(n).fill(-2);
    previous[0] = -1;
    const q = [0];
    for (let k = 0; k < q.length; k++) {
      const i = q[k]!;
      if (i === target) break;
      const first = indexOf.get(nodes[i]!.id)!;
      for (let e = ownStart[first]!; e < ownStart[first + 1]!; e++) {
        const to = ownTo[e]!;
        if (to === -1 || previous[to] !== -2 || has(added[e], field) || has(entry[to], field)) continue;
        previous[to] = i;
        q.push(to);
      }
    }
    if (n === 0 || previous[target] === -2) return n === 0 ? [] : [nodes[target]!.id];
    const path: string[] = [];
    for (let i = target; i !== -1; i = previous[i]!) path.unshift(nodes[i]!.id);
    return path;
  };
  return {
    onEntry: (i, field) => has(entry[i], field),
    endsWithout: (i, field) => {
      const end = atEnd(i);
      return end !== null && !has(end, field);
    },
    pathWithout,
  };
}
