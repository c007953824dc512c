import { stepPath } from '../registry/defineRule.js';

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
    if (limit && typeof limit === 'object' && typeof limit.next === 'string')
      refs.push({ index, path: stepPath(index, 'limit', 'next'), to: limit.next, what: 'the time limit' });
  });
  return refs;
}
