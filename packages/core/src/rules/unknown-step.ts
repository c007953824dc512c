import type { Diagnostic } from '@sopflow/model';
import { didYouMean } from '../shared/didYouMean.js';
import { code } from '../shared/show.js';
import { MAX_HINTED, stepPath, type Rule } from './RuleContext.js';

/** Every place a step names another step: `next`, each choice's `next`, each outcome, the limit's `next`. */
export function stepReferences(steps: readonly unknown[]): { index: number; path: (string | number)[]; to: string; what: string }[] {
  const refs: { index: number; path: (string | number)[]; to: string; what: string }[] = [];
  steps.forEach((raw, index) => {
    if (!raw || typeof raw !== 'object') return;
    const step = raw as Record<string, unknown>;
    if (typeof step.next === 'string') refs.push({ index, path: stepPath(index, 'next'), to: step.next, what: '`next`' });
    if (Array.isArray(step.choices)) {
      step.choices.forEach((c, i) => {
        if (c && typeof c === 'object' && typeof (c as { next?: unknown }).next === 'string') {
          refs.push({ index, path: stepPath(index, 'choices', i, 'next'), to: (c as { next: string }).next, what: `choice ${i + 1}` });
        }
      });
    }
    if (step.outcomes && typeof step.outcomes === 'object') {
      for (const [outcome, to] of Object.entries(step.outcomes as Record<string, unknown>)) {
        if (typeof to === 'string') refs.push({ index, path: stepPath(index, 'outcomes', outcome), to, what: `outcome \`${outcome}\`` });
      }
    }
    const limit = step.limit as { next?: unknown } | undefined;
    if (limit && typeof limit === 'object' && typeof limit.next === 'string') refs.push({ index, path: stepPath(index, 'limit', 'next'), to: limit.next, what: 'the time limit' });
  });
  return refs;
}

export const unknownStep: Rule = {
  code: 'unknown-step',
  severity: 'error',
  check({ sop, graph, located }) {
    const out: Diagnostic[] = [];
    const ids = Object.keys(graph.nodeById);
    for (const ref of stepReferences(sop.instructions)) {
      if (Object.prototype.hasOwnProperty.call(graph.nodeById, ref.to)) continue;
      const hint = out.length < MAX_HINTED ? didYouMean(ref.to, ids) : undefined;
      out.push(located.diagnostic({
        code: 'unknown-step', severity: 'error', path: ref.path,
        message: `${ref.what} of step ${code(graph.nodes[ref.index]?.id)} leads to ${code(ref.to)}, but there is no step with that id`,
        hint,
      }));
    }
    return out;
  },
};
