import { buildSopGraph, type Sop, type SopGraph } from '@sopflow/model';

const graphs = new WeakMap<Sop, SopGraph>();

/**
 * The graph of an SOP, built once per SOP object: loading a file builds it for the file's rules,
 * and the cross-file rules read the same one instead of building every file's graph again.
 * SOP objects are not changed once loaded.
 */
export function graphOf(sop: Sop): SopGraph {
  let graph = graphs.get(sop);
  if (!graph) graphs.set(sop, (graph = buildSopGraph(sop)));
  return graph;
}
