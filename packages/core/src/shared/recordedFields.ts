import { own, type GraphNode, type SopGraph } from '@sopflow/model';
import { filled } from './filled.js';
import { indexGraph } from './indexGraph.js';

/** Fields per word of a bit set. */
const BITS = 30;

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
  const m = ownEdges.length;
  const fields = graph.fields;
  const names = Object.keys(fields);
  // Sets of fields as bits, one word per 30 fields (small integers for the engine): the analysis
  // is a few word operations per edge. Each table keeps its rows (W words each) in one array,
  // row r from r * W: a handful of allocations per graph rather than one per node and edge.
  const bit = new Map<string, number>();
  for (let i = 0; i < names.length; i++) bit.set(names[i]!, i);
  const W = Math.max(1, Math.ceil(names.length / BITS));
  const set = (rows: number[], row: number, name: string) => {
    const i = bit.get(name);
    if (i !== undefined) rows[row * W + Math.floor(i / BITS)]! |= 1 << (i % BITS);
  };
  const has = (rows: number[], row: number, name: string) => {
    const i = bit.get(name);
    return i !== undefined && (rows[row * W + Math.floor(i / BITS)]! & (1 << (i % BITS))) !== 0;
  };
  // what each edge adds to what holds on entering its step, as bits
  const finished = (node: GraphNode, rows: number[], row: number) => {
    for (const f of node.record) if (own(fields, f)?.required === true) set(rows, row, f);
  };
  const takenBack = (node: GraphNode, rows: number[], row: number) => {
    if (node.returns) for (const f of Object.keys(node.returns)) set(rows, row, f);
  };
  /** per edge (its place in `ownEdges`): what it adds, made when the analysis first takes it */
  const added = filled(m * W);
  const addedKnown = filled(m);
  const addBy = (node: GraphNode, e: number) => {
    addedKnown[e] = 1;
    const edge = ownEdges[e]!;
    switch (edge.kind) {
      case 'when':
        if (edge.when && edge.when.set !== false) set(added, e, edge.when.field);
        break;
      case 'outcome':
        takenBack(node, added, e);
        break;
      case 'answer':
        finished(node, added, e);
        break;
      case 'next':
        if (node.kind === 'subprocedure') takenBack(node, added, e);
        else finished(node, added, e);
        break;
      default: // a limit: the step was not finished
    }
  };

  /** per node: what is certainly recorded on entering it, once some way there was found */
  const entry = filled(n * W);
  const entered = filled(n);
  if (n > 0) {
    entered[0] = 1;
    for (const f of passedIn) set(entry, 0, f);
    // iterate to a fixed point: each row only loses bits, so this ends
    const queue: number[] = [0];
    const queued = filled(n);
    queued[0] = 1;
    let budget = Math.max(10_000, n * 64);
    for (let q = 0; q < queue.length && budget-- > 0; q++) {
      const i = queue[q]!;
      queued[i] = 0;
      // a node repeating an id has no edges of its own here: the first one's are taken
      for (let e = ownStart[i]!; e < ownStart[i + 1]!; e++) {
        const to = ownTo[e]!;
        if (to === -1) continue;
        if (!addedKnown[e]) addBy(nodes[i]!, e);
        let changed = false;
        if (!entered[to]) {
          entered[to] = 1;
          for (let w = 0; w < W; w++) entry[to * W + w] = entry[i * W + w]! | added[e * W + w]!;
          changed = true;
        } else {
          for (let w = 0; w < W; w++) {
            const before = entry[to * W + w]!;
            const meet = before & (entry[i * W + w]! | added[e * W + w]!);
            if (meet !== before) {
              entry[to * W + w] = meet;
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
  /** per node: what is certainly recorded when the run ends there (made when first asked) */
  const atEnd = filled(n * W);
  // 0: not worked out yet, 1: the run does not end here (or never gets here), 2: in `atEnd`
  const endState = filled(n);
  const endsHere = (i: number): boolean => {
    if (endState[i] === 0) {
      const node = nodes[i]!;
      if (node.end === undefined || !entered[i] || !reached[i]) endState[i] = 1;
      else {
        endState[i] = 2;
        for (let w = 0; w < W; w++) atEnd[i * W + w] = entry[i * W + w]!;
        if (node.kind !== 'end' && node.kind !== 'subprocedure') finished(node, atEnd, i);
      }
    }
    return endState[i] === 2;
  };
  const pathWithout = (target: number, field: string): string[] => {
    // breadth-first over steps whose entry lacks the field, from the first step
    const previous = filled(n, -2);
    previous[0] = -1;
    const q = [0];
    for (let k = 0; k < q.length; k++) {
      const i = q[k]!;
      if (i === target) break;
      const first = indexOf.get(nodes[i]!.id)!;
      for (let e = ownStart[first]!; e < ownStart[first + 1]!; e++) {
        const to = ownTo[e]!;
        if (to === -1 || previous[to] !== -2) continue;
        if ((addedKnown[e] && has(added, e, field)) || (entered[to] && has(entry, to, field))) continue;
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
    onEntry: (i, field) => i >= 0 && i < n && entered[i] === 1 && has(entry, i, field),
    endsWithout: (i, field) => i >= 0 && i < n && endsHere(i) && !has(atEnd, i, field),
    pathWithout,
  };
}
