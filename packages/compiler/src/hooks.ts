import type { AnyActorRef } from 'xstate';
import type { SopContext } from './types.js';

/** What the built-in bookkeeping actions tell a host (the runtime) about a running machine. */
export type SopHookKind = 'enter' | 'leave' | 'took' | 'expired' | 'returned';

export interface SopHookArgs {
  /** the actor (root or sub-procedure) the step belongs to */
  self: AnyActorRef;
  context: SopContext;
  event: { type: string; [key: string]: unknown };
}

/** Implemented by a host that drives compiled machines (the runtime does). */
export interface SopHooks {
  /** the current time in ms (deadlines of time limits are stored as absolute times) */
  now(): number;
  hook(kind: SopHookKind, args: SopHookArgs, params: Record<string, unknown>): void;
  /** runs the host's implementation of a named `action:` */
  action(name: string, args: SopHookArgs, params: { step: string }): void;
}

const bySystem = new WeakMap<object, SopHooks>();

/** Attaches hooks to an actor system (`createActor(machine).system`): every machine in that
 *  system (the root and its sub-procedures) reports to them. */
export function attachHooks(system: object, hooks: SopHooks): void {
  bySystem.set(system, hooks);
}

export function hooksOf(system: unknown): SopHooks | undefined {
  return system && typeof system === 'object' ? bySystem.get(system) : undefined;
}
