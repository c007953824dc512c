import { CompileError, readCompiledSop, sourceConfigOf, toMachineConfig, type CompiledSop, type SopMachineConfig } from '@sopflow/compiler';
import type { Sop } from '@sopflow/model';
import { RunError } from './RunError.js';

/** What a run can start from: a parsed SOP (with its `procedures`), the JSON config of
 *  `toMachineConfig` (or `sopflow compile`), or a machine from `compileSop`. */
export type RunInput = Sop | SopMachineConfig | { config: SopMachineConfig };

const bySop = new WeakMap<object, WeakMap<object, CompiledSop>>();
const NO_PROCEDURES = {};

/** Checks and indexes what a run starts from. Throws `RunError('invalid-input')` naming the
 *  problem, for anything that is not one of the three, or that cannot run. */
export function readRunInput(input: RunInput, procedures?: Record<string, Sop>): CompiledSop {
  // what tells the three apart, before it is known which one the input is
  const obj = input as unknown as {
    provide?: unknown;
    config?: { meta?: { sopflow?: unknown } };
    meta?: { sopflow?: unknown };
    states?: unknown;
    instructions?: unknown;
  } | null;
  try {
    if (obj && typeof obj === 'object') {
      if (typeof obj.provide === 'function' && obj.config?.meta?.sopflow) return readCompiledSop(sourceConfigOf(obj) ?? obj.config);
      if (obj.meta?.sopflow || obj.states) return readCompiledSop(obj);
      if (Array.isArray(obj.instructions)) {
        const key = procedures ?? NO_PROCEDURES;
        let byProcedures = bySop.get(obj);
        if (!byProcedures) bySop.set(obj, (byProcedures = new WeakMap()));
        let compiled = byProcedures.get(key);
        if (!compiled) byProcedures.set(key, (compiled = readCompiledSop(toMachineConfig(input as Sop, procedures ? { procedures } : {}))));
        return compiled;
      }
    }
  } catch (error) {
    if (error instanceof CompileError) throw new RunError('invalid-input', error.message, { cause: error });
    if (error instanceof RunError) throw error;
    throw new RunError('invalid-input', `cannot run this input: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  throw new RunError(
    'invalid-input',
    'startRun needs an SOP, a config from toMachineConfig (sopflow compile), or a machine from compileSop',
  );
}
