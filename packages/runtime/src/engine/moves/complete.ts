import { RunError } from '../../RunError.js';
import type { Transition } from '../Transition.js';
import { answersOf, requireFields } from './checks.js';

/** A task, hand-off or any step a person finishes: done, on to `next` (or the run's end). */
export function complete(t: Transition): void {
  const level = t.level;
  const meta = t.stepAt(level);
  if (meta.kind === 'decision') {
    const answers = answersOf(meta);
    throw new RunError(
      'needs-answer',
      `step "${meta.id}" is a decision: choose one of ${answers.map((a) => JSON.stringify(a)).join(', ') || '(no answers: it is decided by recorded data, record it)'}`,
    );
  }
  if (meta.kind === 'wait') {
    throw new RunError('needs-signal', `step "${meta.id}" waits for the signal "${meta.until}": the host sends it when that happens`);
  }
  requireFields(t, level, meta);
  t.drive(t.finish(level, meta, meta.next));
}
