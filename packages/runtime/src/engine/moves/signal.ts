import { RunError } from '../../RunError.js';
import type { Transition } from '../Transition.js';
import type { Data } from '../../types.js';
import { checkData, requireFields } from './checks.js';

/** Something outside happened: a waiting step whose `until` names this signal is done. The
 *  signal's data is recorded first (declared fields only). */
export function signal(t: Transition, name: string, data: Data | undefined): void {
  const level = t.level;
  const meta = t.stepAt(level);
  if (meta.kind !== 'wait' || meta.until !== name) {
    throw new RunError(
      'not-awaited',
      meta.kind === 'wait'
        ? `step "${meta.id}" waits for the signal "${meta.until}", not "${name}"`
        : `the run is at step "${meta.id}", which waits for no signal: "${name}" was not expected now`,
    );
  }
  if (data !== undefined) checkData(t, level, meta.id, data);
  const e = t.entry('signal', level);
  e.signal = name;
  if (data !== undefined && Object.keys(data).length > 0) {
    t.mergeData(level, data);
    e.data = { ...data };
  }
  requireFields(t, level, meta);
  t.drive(t.finish(level, meta, meta.next));
}
