import { buildSopGraph, type Sop, type SopGraph } from '@sopflow/model';

/** What every render accepts: a parsed SOP, or the graph already built from it. */
export type SopOrGraph = Sop | SopGraph;

function isGraph(input: SopOrGraph): input is SopGraph {
  return (
    typeof input === 'object' &&
    input !== null &&
    Array.isArray((input as SopGraph).nodes) &&
    typeof (input as SopGraph).nodeById === 'object' &&
    typeof (input as SopGraph).outgoing === 'object'
  );
}

/** The one intermediate graph every render is a pure function of. */
export function toGraph(input: SopOrGraph): SopGraph {
  return isGraph(input) ? input : buildSopGraph(input);
}
