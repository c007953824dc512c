import { stepValuesOf, type SopGraph, type Step } from '@sopflow/model';

/**
 * The step of each graph node (node `k`: `graph.nodes[k].step`) for rules that read several of
 * its keys: as the graph builder read it (`stepValuesOf`: every step key, one object shape) when
 * it kept that, else the step itself. Steps straight from YAML come in as many shapes as sets and
 * orders of keys, so named reads of them are megamorphic lookups; the values hold the same.
 */
export function stepsOf(graph: SopGraph): readonly Step[] {
  return stepValuesOf(graph) ?? graph.nodes.map((node) => node.step);
}
