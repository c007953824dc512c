import { buildSopGraph, type Sop } from '@sopflow/model';
import type { LoadedFile } from '../loadSop.js';
import type { FileDiagnostic } from './FileDiagnostic.js';
import { closest } from '../shared/didYouMean.js';
import { code } from '../shared/show.js';

/** Each `outcomes` key must be an outcome the sub-procedure can end with. */
export function unknownOutcome(files: readonly LoadedFile[], procedures: ReadonlyMap<string, Sop>): FileDiagnostic[] {
  const out: FileDiagnostic[] = [];
  const outcomesOf = new Map<string, string[]>();
  for (const file of files) {
    if (!file.sop) continue;
    file.sop.instructions.forEach((step, index) => {
      if (typeof step.use !== 'string' || !step.outcomes) return;
      const child = procedures.get(step.use);
      if (!child) return; // missing-procedure reports it
      let outcomes = outcomesOf.get(step.use);
      if (!outcomes) { outcomes = buildSopGraph(child).outcomes; outcomesOf.set(step.use, outcomes); }
      for (const outcome of Object.keys(step.outcomes)) {
        if (outcomes.includes(outcome)) continue;
        const near = closest(outcome, outcomes);
        out.push({ owner: file, diagnostic: file.located.diagnostic({
          code: 'unknown-outcome', severity: 'error', path: ['instructions', index, 'outcomes', outcome], target: 'key',
          message: `the SOP ${code(step.use)} never ends with ${code(outcome)}; it ends with ${outcomes.map((o) => code(o)).join(', ') || 'no outcome'}`,
          hint: near !== undefined ? `did you mean \`${near}\`?` : undefined,
        }) });
      }
    });
  }
  return out;
}
