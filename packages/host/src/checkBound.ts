import type { CompiledSop } from '@sopflow/compiler';
import { HostError } from './HostError.js';
import type { HostAction } from './RunHost.js';

/**
 * Refuses, before any run starts or migrates on `compiled`, an SOP whose named actions (its own
 * and its sub-procedures') are not all bound: a run would otherwise stop at the first one.
 * `who` names the process in the message ("host", "endpoint").
 */
export function checkBound(compiled: CompiledSop, bound: Readonly<Record<string, HostAction>>, who: string): void {
  const missing = compiled.allActions.filter(
    (a) => typeof (Object.prototype.hasOwnProperty.call(bound, a) ? bound[a] : undefined) !== 'function',
  );
  if (missing.length)
    throw new HostError(
      'unbound-action',
      `SOP "${compiled.id}" uses action${missing.length > 1 ? 's' : ''} ${missing.map((a) => `"${a}"`).join(', ')}, which the ${who} has no implementation for`,
    );
}
