import type { SopGraph } from '@sopflow/model';
import { stepPath } from '../registry/defineRule.js';
import { stepsOf } from './stepsOf.js';

export interface StepReference {
  index: number;
  path: (string | number)[];
  to: string;
  what: string;
}

/**
 * Every place a step of the graph names another step: `next`, each choice's `next`, each
 * outcome, the limit's `next`; those naming a step for which `isStep` holds left out (by default
 * none). Only the references returned are made into objects (with their paths): most name a step
 * that exists.
 */
export function stepReferences(graph: SopGraph, isStep: (id: string) => boolean = () => false): StepReference[] {
  const refs: StepReference[] = [];
  const nodes = graph.nodes;
  const steps = stepsOf(graph);
  for (let k = 0; k < nodes.length; k++) {
    const index = nodes[k]!.index;
    const step = steps[k] as Record<string, unknown>;
    if (typeof step.next === 'string' && !isStep(step.next))
      refs.push({ index, path: stepPath(index, 'next'), to: step.next, what: '`next`' });
    if (Array.isArray(step.choices)) {
      const choices: unknown[] = step.choices;
      for (let i = 0; i < choices.length; i++) {
        const c = choices[i];
        if (!c || typeof c !== 'object') continue;
        const to = (c as { next?: unknown }).next;
        if (typeof to === 'string' && !isStep(to))
          refs.push({ index, path: stepPath(index, 'choices', i, 'next'), to, what: `choice ${i + 1}` });
      }
    }
    if (step.outcomes && typeof step.outcomes === 'object') {
      for (const [outcome, to] of Object.entries(step.outcomes as Record<string, unknown>)) {
        if (typeof to === 'string' && !isStep(to))
          refs.push({ index, path: stepPath(index, 'outcomes', outcome), to, what: `outcome \`${outcome}\`` });
      }
    }
    const limit = step.limit as { next?: unknown } | undefined;
    if (limit && typeof limit === 'object' && typeof limit.next === 'string' && !isStep(limit.next))
      refs.push({ index, path: stepPath(index, 'limit', 'next'), to: limit.next, what: 'the time limit' });
  }
  return refs;
}
