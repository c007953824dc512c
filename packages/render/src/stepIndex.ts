import type { SopGraph } from '@sopflow/model';

/**
 * Where each step id first occurs in the graph's reading order (ids that repeat, an error a
 * valid SOP does not have, resolve to their first step, as in the graph's `nodeById`). Built
 * once per render and shared by the diagram and the checklist: a lookup in a map of 50,000 ids
 * is a cache miss or two, and most edges lead to the step right after theirs, which is tried first.
 */
export interface StepIndex {
  /** per position: whether the step there is the first with its id */
  readonly first: readonly boolean[];
  /** the position of the first step with `id`, undefined for an unknown step; `likely` is tried before the map */
  positionOf(id: string, likely: number): number | undefined;
}

export function stepIndex(graph: SopGraph): StepIndex {
  const nodes = graph.nodes;
  const positions = new Map<string, number>();
  const first: boolean[] = new Array<boolean>(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const id = nodes[i]!.id;
    first[i] = !positions.has(id);
    if (first[i]) positions.set(id, i);
  }
  return {
    first,
    positionOf(id, likely) {
      const node = nodes[likely];
      return node !== undefined && first[likely] && node.id === id ? likely : positions.get(id);
    },
  };
}
