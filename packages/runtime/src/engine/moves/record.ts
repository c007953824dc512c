import type { Transition } from '../Transition.js';
import type { Data } from '../../types.js';
import { checkData } from './checks.js';

/** Records values of declared fields at the current level. At a decision, its `when` choices
 *  are tried again with the new data. An empty record changes nothing. */
export function record(t: Transition, data: Data): void {
  const level = t.level;
  const meta = t.stepAt(level);
  checkData(t, level, meta.id, data);
  if (Object.keys(data).length === 0) return;
  t.mergeData(level, data);
  t.entry('recorded', level).data = { ...data };
  if (meta.kind === 'decision') t.drive(t.decide(level));
}
