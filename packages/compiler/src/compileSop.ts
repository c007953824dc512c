import type { AnyStateMachine } from 'xstate';
import type { Sop } from '@sopflow/model';
import { createSopMachine } from './createSopMachine.js';
import { toMachineConfig, type CompileOptions } from './toMachineConfig.js';

/** Compiles an SOP to a runnable XState v5 machine: `createSopMachine(toMachineConfig(sop, options))`.
 *  Bind named actions with `machine.provide({ actions })`, or run it with `@sopflow/runtime`. */
export function compileSop(sop: Sop, options: CompileOptions = {}): AnyStateMachine {
  return createSopMachine(toMachineConfig(sop, options));
}
