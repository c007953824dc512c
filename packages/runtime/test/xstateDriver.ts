import type { AnyActorRef } from 'xstate';
import type { SopMachineConfig } from '@sopflow/compiler';
import type { Run } from '../src/index.js';

/** Where plain XState is: the step id of each level, outermost first (empty once done). */
export function xstatePosition(root: AnyActorRef, config: SopMachineConfig): string[] {
  const procedures = config.meta.sopflow.procedures ?? {};
  const out: string[] = [];
  let actor: AnyActorRef | undefined = root;
  let c: SopMachineConfig = config;
  while (actor) {
    const snap = actor.getSnapshot();
    if (snap.status !== 'active') break;
    const step = c.states[snap.value as string]?.meta.step;
    if (!step) break;
    out.push(step.id);
    if (step.kind !== 'subprocedure') break;
    actor = (snap.children as Record<string, AnyActorRef>)[step.key];
    c = procedures[step.use!]!;
  }
  return out;
}

export function deepest(root: AnyActorRef, config: SopMachineConfig): AnyActorRef {
  const procedures = config.meta.sopflow.procedures ?? {};
  let actor = root;
  let c = config;
  for (;;) {
    const snap = actor.getSnapshot();
    const step = c.states[snap.value as string]?.meta.step;
    const child = step?.kind === 'subprocedure' ? (snap.children as Record<string, AnyActorRef>)[step.key] : undefined;
    if (!child || child.getSnapshot().status !== 'active') return actor;
    actor = child;
    c = procedures[step!.use!]!;
  }
}

export function runtimePosition(run: Run): string[] {
  if (run.status !== 'active') return [];
  const view = run.view();
  return [...view.path.map((p) => p.step), view.step];
}

export function xstateOutcome(root: AnyActorRef, config: SopMachineConfig): string | undefined {
  const snap = root.getSnapshot();
  return snap.status === 'done' ? config.states[snap.value as string]?.output?.outcome : undefined;
}

/** Sends one script move to plain XState (a wait advances its clock). */
export function sendToXState(root: AnyActorRef, config: SopMachineConfig, move: Record<string, any>, advance: (ms: number) => void): void {
  if (move.wait !== undefined) {
    advance(move.wait as number);
    return;
  }
  const target = deepest(root, config);
  if (move.complete) target.send({ type: 'NEXT' });
  else if (move.choose !== undefined) target.send({ type: 'CHOOSE', answer: move.choose });
  else if (move.record) target.send({ type: 'RECORD', data: move.record });
  else if (move.signal !== undefined) target.send({ type: 'SIGNAL', signal: move.signal, ...(move.data ? { data: move.data } : {}) });
}
