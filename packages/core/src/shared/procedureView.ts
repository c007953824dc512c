import type { SopGraph } from '@sopflow/model';
import type { ProcedureView, UseStep } from '../registry/defineRule.js';

/** What project rules read of a schema-valid SOP, from its graph: its id, fields, outcomes and `use:` steps. */
export function procedureView(graph: SopGraph): ProcedureView {
  const uses: UseStep[] = [];
  for (const node of graph.nodes) if (typeof node.use === 'string') uses.push({ index: node.index, step: node.step as UseStep['step'] });
  return { id: graph.id, fields: graph.fields, outcomes: graph.outcomes, uses };
}
