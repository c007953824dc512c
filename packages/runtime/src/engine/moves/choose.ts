import { RunError } from '../../RunError.js';
import type { Transition } from '../Transition.js';
import { answersOf, requireFields } from './checks.js';

/** A person picks one of a decision's answers. */
export function choose(t: Transition, answer: string): void {
  const level = t.level;
  const meta = t.stepAt(level);
  if (meta.kind !== 'decision') throw new RunError('not-a-decision', `step "${meta.id}" is not a decision: complete it`);
  const choice = (meta.choices ?? []).find((c) => c.when === undefined && c.answer === answer);
  if (!choice) {
    const offered = answersOf(meta);
    throw new RunError(
      'not-offered',
      `${JSON.stringify(answer)} is not an answer of step "${meta.id}": choose one of ${offered.map((a) => JSON.stringify(a)).join(', ') || '(none: it is decided by recorded data)'}`,
    );
  }
  requireFields(t, level, meta);
  t.entry('answer', level).answer = answer;
  t.drive(t.finish(level, meta, choice.next));
}
