import { assign, setup, type AnyStateMachine } from 'xstate';
import { checkFieldValue, evaluateCondition, type Condition, type FieldDef, type FieldValue } from '@sopflow/model';
import { hooksOf, type SopHookArgs, type SopHookKind } from './hooks.js';
import { PROCEDURE_SRC_PREFIX } from './toMachineConfig.js';
import { CompileError, type SopContext, type SopMachineConfig } from './types.js';

type Params = Record<string, unknown>;
type Args = { context: SopContext; event: { type: string; [k: string]: unknown }; self: any; system: unknown };

const hasAll = (data: Record<string, FieldValue>, required: unknown): boolean =>
  !Array.isArray(required) || required.every((f) => data[f] !== undefined);

/** Why `data` cannot be recorded against `fields`, or undefined when it can. */
export function checkRecord(fields: Record<string, FieldDef>, data: unknown): string | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return 'expected an object of field values';
  for (const [name, value] of Object.entries(data)) {
    const field = Object.prototype.hasOwnProperty.call(fields, name) ? fields[name] : undefined;
    if (!field) return `"${name}" is not a declared field`;
    const problem = checkFieldValue(field, value);
    if (problem) return `field "${name}": ${problem}`;
  }
  return undefined;
}

/**
 * The time on the run's clock. A first step's limit is armed while `createActor` builds the
 * initial state, before the runtime attaches its hooks: then the actor's own clock (a
 * `SimulatedClock` in tests and scripted runs) is read, which XState keeps as `system._clock`.
 */
function clockNow(system: unknown): number {
  const hooks = hooksOf(system);
  if (hooks) return hooks.now();
  const clock = (system as { _clock?: { now?: () => number } } | undefined)?._clock;
  return typeof clock?.now === 'function' ? clock.now() : Date.now();
}

const hook = (kind: SopHookKind) => (args: Args, params: Params) => {
  hooksOf(args.system)?.hook(kind, args as unknown as SopHookArgs, params);
};

const guards = {
  'sopflow.answer': ({ context, event }: Args, p: Params) => event.answer === p.answer && hasAll(context.data, p.required),
  'sopflow.ready': ({ context }: Args, p: Params) => hasAll(context.data, p.required),
  'sopflow.when': ({ context }: Args, p: Params) => evaluateCondition(p.when as Condition, context.data),
  'sopflow.outcome': ({ event }: Args, p: Params) => (event.output as { outcome?: unknown } | undefined)?.outcome === p.outcome,
  'sopflow.recordable': ({ event }: Args, p: Params) => checkRecord(p.fields as Record<string, FieldDef>, event.data) === undefined,
};

const builtinActions = {
  'sopflow.record': assign(({ context, event }: Args) => ({ data: { ...context.data, ...(event.data as Record<string, FieldValue>) } })),
  'sopflow.arm': assign(({ system }: Args, p: Params) => ({
    limit: { step: p.step as string, at: clockNow(system) + (p.ms as number) },
  })),
  'sopflow.disarm': assign({ limit: null }),
  'sopflow.enter': hook('enter'),
  'sopflow.leave': hook('leave'),
  'sopflow.took': hook('took'),
  'sopflow.expired': hook('expired'),
  'sopflow.returned': hook('returned'),
};

const DISPATCH = Symbol('sopflow.dispatch');

/** A named host action: runs the runtime's binding (`attachHooks`), or, in a sub-procedure of a
 *  machine bound with `machine.provide({ actions })`, the root machine's implementation. */
function hostAction(name: string) {
  const dispatch = (args: Args, params: Params) => {
    const hooks = hooksOf(args.system);
    if (hooks) return hooks.action(name, args as unknown as SopHookArgs, params as { step: string });
    let root = args.self;
    while (root?._parent) root = root._parent;
    const provided = root?.logic?.implementations?.actions?.[name];
    if (typeof provided === 'function' && !provided[DISPATCH]) return provided(args, params);
    throw new Error(`sopflow: action "${name}" is not bound: provide it with machine.provide({ actions: { "${name}": … } })`);
  };
  return Object.assign(dispatch, { [DISPATCH]: true });
}

const cache = new WeakMap<object, AnyStateMachine>();

/**
 * Turns a config from `toMachineConfig` (or its JSON, parsed) into a runnable XState machine
 * with sopflow's guards and bookkeeping actions, and each procedure as an invokable child
 * machine. Named host actions dispatch to the host attached with `attachHooks` (the runtime),
 * or can be replaced with `machine.provide({ actions })`; unprovided ones throw when run.
 * Cached per config object. `procedures` is for building one procedure's config on its own:
 * pass the root config's `meta.sopflow.procedures`.
 */
export function createSopMachine(config: SopMachineConfig, procedures: Record<string, SopMachineConfig> = config.meta?.sopflow?.procedures ?? {}): AnyStateMachine {
  const cached = cache.get(config);
  if (cached) return cached;
  const built: Record<string, AnyStateMachine> = {};
  const building = new Set<string>();
  const build = (c: SopMachineConfig): AnyStateMachine => {
    const actors: Record<string, AnyStateMachine> = {};
    for (const id of c.meta.sopflow.uses ?? []) {
      if (!built[id]) {
        const child = procedures[id];
        if (!child) throw new CompileError(`the config has no procedure "${id}"`);
        if (building.has(id)) throw new CompileError(`procedure "${id}" runs itself`);
        building.add(id);
        built[id] = build(child);
        building.delete(id);
      }
      actors[PROCEDURE_SRC_PREFIX + id] = built[id]!;
    }
    const actions: Record<string, unknown> = { ...builtinActions };
    for (const name of c.meta.sopflow.actions ?? []) actions[name] = hostAction(name);
    // The machine's output is the output of the final state it ends in: `{ outcome }`.
    // (A function, so it is added here rather than in the JSON config.)
    const withOutput = { ...c, output: ({ event }: { event: { output?: unknown } }) => event.output };
    return setup({ guards, actions, actors } as any).createMachine(withOutput as any) as unknown as AnyStateMachine;
  };
  const machine = build(config);
  cache.set(config, machine);
  return machine;
}
