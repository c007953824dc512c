import type { Sop, SopGraph } from '@sopflow/model';
import type { ProcedureView, UseStep } from '../registry/defineRule.js';

/** What project rules read of a schema-valid SOP: its id, fields, outcomes and `use:` steps. */
export function procedureView(sop: Sop, graph: SopGraph): ProcedureView {
  const uses: UseStep[] = [];
  const steps = sop.instructions;
  for (let index = 0; index < steps.length; index++) {
    const step = steps[index];
    if (step && typeof step.use === 'string') uses.push({ index, step: step as UseStep['step'] });
  }
  return { id: sop.id, fields: sop.fields ?? {}, outcomes: graph.outcomes, uses };
}
