import type { Sop } from './sop.js';

/** One procedure and the procedures its `use:` steps run (ids, in step order). */
export interface ProcedureNode {
  id: string;
  uses: readonly string[];
}

/**
 * Which procedures run which: the one place `use:` links are followed. Built once from the
 * SOPs given (or from any `{ id, uses }` records), linear in their size. Every consumer asks it:
 * the `procedure-cycle` rule (cycles), the compiler (what to compile, in which order, and the
 * loop to report), the CLI (which files an SOP needs) and the parallel validator (which files
 * must stay together).
 */
export interface ProcedureGraph {
  /** the ids given, in the order given (the first wins when an id repeats) */
  readonly ids: readonly string[];
  has(id: string): boolean;
  /** the ids `id`'s `use:` steps name, each once, in step order (also ids that are not in the graph) */
  usesOf(id: string): readonly string[];
  /**
   * Every procedure `id` runs, at any depth, breadth first (each once; `id` itself only when
   * it runs itself through a cycle). With `known`, only ids in the graph are listed (and
   * followed); otherwise missing ones are listed too.
   */
  closure(id: string, options?: { known?: boolean }): string[];
  /** true when `id` runs itself, directly or through others */
  inCycle(id: string): boolean;
  /** the strongly connected component of `id` (ids that run each other), or undefined for an unknown id */
  componentOf(id: string): number | undefined;
  /** how many procedures share `id`'s component */
  componentSize(id: string): number;
  /**
   * A shortest loop from `from` back to itself that starts with the step `from -> to`, as ids
   * (`[from, to, …, from]`), or undefined when `to` does not lead back to `from`.
   */
  loopThrough(from: string, to: string): string[] | undefined;
  /**
   * Ids that are linked at all (either way, through uses), each group in first-seen order:
   * procedures in different groups never affect each other's results.
   */
  groups(): string[][];
}

/** The ids an SOP's `use:` steps name, each once, in step order. Tolerates malformed steps. */
export function usesOf(sop: Pick<Sop, 'instructions'>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const steps = Array.isArray(sop?.instructions) ? sop.instructions : [];
  for (const step of steps) {
    const use = step !== null && typeof step === 'object' ? (step as { use?: unknown }).use : undefined;
    if (typeof use === 'string' && !seen.has(use)) {
      seen.add(use);
      out.push(use);
    }
  }
  return out;
}

/** The procedure graph of SOPs (by their `id`; the first SOP wins when ids repeat). */
export function buildProcedureGraph(
  sops: Iterable<Pick<Sop, 'id' | 'instructions'>> | ReadonlyMap<string, Pick<Sop, 'id' | 'instructions'>>,
): ProcedureGraph {
  type Entry = Pick<Sop, 'id' | 'instructions'>;
  const nodes: ProcedureNode[] = [];
  const list =
    sops instanceof Map
      ? [...(sops as ReadonlyMap<string, Entry>).entries()].map(([id, sop]) => ({ id, sop }))
      : [...(sops as Iterable<Entry>)].map((sop) => ({ id: sop?.id, sop }));
  for (const { id, sop } of list) if (typeof id === 'string') nodes.push({ id, uses: usesOf(sop) });
  return procedureGraph(nodes);
}

/** The procedure graph of `{ id, uses }` records (the first wins when ids repeat). */
export function procedureGraph(nodes: Iterable<ProcedureNode>): ProcedureGraph {
  const uses = new Map<string, readonly string[]>();
  for (const node of nodes) {
    if (uses.has(node.id)) continue;
    const own: string[] = [];
    const seen = new Set<string>();
    for (const u of node.uses)
      if (typeof u === 'string' && !seen.has(u)) {
        seen.add(u);
        own.push(u);
      }
    uses.set(node.id, own);
  }
  const ids = [...uses.keys()];
  let components: Map<string, number> | undefined;
  let sizes: Map<number, number> | undefined;
  const scc = () => {
    if (!components) {
      components = stronglyConnected(uses);
      sizes = new Map();
      for (const c of components.values()) sizes.set(c, (sizes.get(c) ?? 0) + 1);
    }
    return components;
  };
  const graph: ProcedureGraph = {
    ids,
    has: (id) => uses.has(id),
    usesOf: (id) => uses.get(id) ?? [],
    closure(id, options = {}) {
      const known = options.known === true;
      const out: string[] = [];
      const seen = new Set<string>();
      const queue = [id];
      for (let q = 0; q < queue.length; q++) {
        for (const next of uses.get(queue[q]!) ?? []) {
          if (seen.has(next) || (known && !uses.has(next))) continue;
          seen.add(next);
          out.push(next);
          if (next !== id) queue.push(next);
        }
      }
      return out;
    },
    inCycle(id) {
      if (!uses.has(id)) return false;
      if (uses.get(id)!.includes(id)) return true;
      return graph.componentSize(id) > 1;
    },
    componentOf: (id) => scc().get(id),
    componentSize(id) {
      const c = scc().get(id);
      return c === undefined ? 0 : (sizes!.get(c) ?? 0);
    },
    loopThrough(from, to) {
      if (!uses.has(from) || !(uses.get(from) ?? []).includes(to)) return undefined;
      if (to === from) return [from, from];
      const c = scc();
      if (c.get(to) === undefined || c.get(to) !== c.get(from)) return undefined;
      const path = shortestPath(uses, to, from, (id) => c.get(id) === c.get(from));
      return path ? [from, ...path] : undefined;
    },
    groups() {
      const parent = new Map<string, string>();
      const find = (x: string): string => {
        let root = x;
        while (parent.get(root) !== root) root = parent.get(root)!;
        for (let y = x; y !== root;) {
          const p = parent.get(y)!;
          parent.set(y, root);
          y = p;
        }
        return root;
      };
      const add = (x: string) => {
        if (!parent.has(x)) parent.set(x, x);
      };
      for (const [id, targets] of uses) {
        add(id);
        for (const t of targets) {
          add(t);
          const a = find(id);
          const b = find(t);
          if (a !== b) parent.set(b, a);
        }
      }
      const out = new Map<string, string[]>();
      for (const id of parent.keys()) {
        const root = find(id);
        let group = out.get(root);
        if (!group) out.set(root, (group = []));
        group.push(id);
      }
      return [...out.values()];
    },
  };
  return graph;
}

/** id -> component number (Tarjan's algorithm, iterative so a long chain cannot overflow the stack). */
function stronglyConnected(graph: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let next = 0;
  let components = 0;
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { id: string; edge: number }[] = [{ id: root, edge: 0 }];
    index.set(root, next);
    low.set(root, next);
    next++;
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const edges = graph.get(frame.id) ?? [];
      if (frame.edge < edges.length) {
        const to = edges[frame.edge++]!;
        if (!graph.has(to)) continue; // a procedure that was not given runs nothing
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next);
          next++;
          stack.push(to);
          onStack.add(to);
          work.push({ id: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!));
      if (low.get(frame.id) === index.get(frame.id)) {
        for (;;) {
          const id = stack.pop()!;
          onStack.delete(id);
          component.set(id, components);
          if (id === frame.id) break;
        }
        components++;
      }
    }
  }
  return component;
}

/** The ids from `from` to `to` (both included) along uses, staying where `inside` holds (breadth first). */
function shortestPath(
  graph: ReadonlyMap<string, readonly string[]>,
  from: string,
  to: string,
  inside: (id: string) => boolean,
): string[] | undefined {
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  for (let q = 0; q < queue.length; q++) {
    const id = queue[q]!;
    if (id === to) break;
    for (const n of graph.get(id) ?? []) {
      if (previous.has(n) || !inside(n)) continue;
      previous.set(n, id);
      queue.push(n);
    }
  }
  if (!previous.has(to)) return undefined;
  const path: string[] = [];
  for (let id: string | null | undefined = to; id != null; id = previous.get(id)) path.push(id);
  return path.reverse();
}
