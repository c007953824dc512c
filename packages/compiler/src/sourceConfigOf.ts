import type { SopMachineConfig } from './types.js';

/** The JSON config each machine was built from, by the (function-holding) config XState keeps;
 *  `machine.provide()` keeps that config object, so provided machines are found too. Kept apart
 *  from createSopMachine so that reading it does not load XState (the browser runtime). */
const sources = new WeakMap<object, SopMachineConfig>();

export function rememberSource(machineConfig: object, source: SopMachineConfig): void {
  sources.set(machineConfig, source);
}

/** The compiled config a machine from `createSopMachine` / `compileSop` runs, or undefined. */
export function sourceConfigOf(machine: unknown): SopMachineConfig | undefined {
  const config = (machine as { config?: unknown } | null)?.config;
  return config && typeof config === 'object' ? sources.get(config) : undefined;
}
