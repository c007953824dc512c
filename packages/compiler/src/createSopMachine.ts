import { assign, setup, type AnyActorRef, type AnyStateMachine } from 'xstate';
import { checkRecord, evaluateCondition, own, type Condition, type FieldDef, type FieldValue } from '@sopflow/model';
import { rememberSource } from './sourceConfigOf.js';
import { PROCEDURE_SRC_PREFIX } from './toMachineConfig.js';
import { CompileError, type SopContext, type SopMachineConfig } from './types.js';

/*
 * The XState adapter: everything that knows how XState runs a compiled config lives in this
 * file (the runtime does not use XState). Two things here lean on XState's internals, pinned
 * to xstate 5.33 by test/xstateAdapter.test.ts:
 * - a sub-procedure's data (`with:`) is handed over by the `use:` step's entry action and read
 *   by the child's context factory through `self._parent`, because an invoke's `input` in a
 *   JSON config cannot be a function of the parent's data;
 * - a named action in a sub-procedure finds the root's binding through `self._parent`.
 */

type Params = Record<string, unknown>;
type Args = { context: SopContext; event: { type: string; [k: string]: unknown }; self: AnyActorRef };
type Data = Record<string, FieldValue>;

/** Every required field recorded (a list with at least one item), as the runtime's requireFields judges it. */
const hasAll = (data: Data, required: unknown): boolean =>
  !Array.isArray(required) ||
  required.every((f) => {
    const value = own(data, f as string);
    return value !== undefined && !(Array.isArray(value) && value.length === 0);
  });

const isData = (v: unknown): v is Data => !!v && typeof v === 'object' && !Array.isArray(v);

/** Data handed to a sub-procedure, by parent actor and invoke id, until the child reads it. */
const handedOver = new WeakMap<object, Map<string, Data>>();

const parentOf = (self: AnyActorRef): AnyActorRef | undefined => (self as unknown as { _parent?: AnyActorRef })._parent;

const guards = {
  'sopflow.answer': ({ context, event }: Args, p: Params) => event.answer === p.answer && hasAll(context.data, p.required),
  'sopflow.ready': ({ context }: Args, p: Params) => hasAll(context.data, p.required),
  'sopflow.when': ({ context }: Args, p: Params) => evaluateCondition(p.when as Condition, context.data),
  'sopflow.outcome': ({ event }: Args, p: Params) => (event.output as { outcome?: unknown } | undefined)?.outcome === p.outcome,
  'sopflow.recordable': ({ event }: Args, p: Params) => checkRecord(p.fields as Record<string, FieldDef>, event.data) === undefined,
  'sopflow.signal': ({ context, event }: Args, p: Params) =>
    event.signal === p.signal &&
    (event.data === undefined || checkRecord(p.fields as Record<string, FieldDef>, event.data) === undefined) &&
    hasAll({ ...context.data, ...(isData(event.data) ? event.data : {}) }, p.required),
};

const builtinActions = {
  'sopflow.record': assign(({ context, event }: Args) => (isData(event.data) ? { data: { ...context.data, ...event.data } } : {})),
  'sopflow.with': assign(({ context, self }: Args, p: Params) => {
    const given: Data = {};
    for (const [childField, parentField] of Object.entries(p.with as Record<string, string>)) {
      const value = own(context.data, parentField);
      if (value !== undefined) Object.defineProperty(given, childField, { value, enumerable: true, writable: true, configurable: true });
    }
    let byId = handedOver.get(self);
    if (!byId) handedOver.set(self, (byId = new Map<string, Data>()));
    byId.set(p.id as string, given);
    return {};
  }),
  'sopflow.returns': assign(({ context, event }: Args, p: Params) => {
    const childData = (event.output as { data?: Data } | undefined)?.data ?? {};
    const data = { ...context.data };
    for (const [parentField, childField] of Object.entries(p.returns as Record<string, string>)) {
      const value = own(childData, childField);
      if (value !== undefined) Object.defineProperty(data, parentField, { value, enumerable: true, writable: true, configurable: true });
    }
    return { data };
  }),
};

const DISPATCH = Symbol('sopflow.dispatch');

/** A named host action of a sub-procedure: runs the root machine's implementation (bound with
 *  `machine.provide({ actions })`); an unbound one throws when it runs, never a silent no-op. */
function hostAction(name: string) {
  const dispatch = (args: Args, params: Params): unknown => {
    let root = args.self;
    for (let up = parentOf(root); up; up = parentOf(root)) root = up;
    const { logic } = root as unknown as { logic?: { implementations?: { actions?: Record<string, unknown> } } };
    const provided = own(logic?.implementations?.actions ?? {}, name) as
      (((args: Args, params: Params) => unknown) & { [DISPATCH]?: true }) | undefined;
    if (typeof provided === 'function' && !provided[DISPATCH]) return provided(args, params);
    throw new Error(`sopflow: action "${name}" is not bound: provide it with machine.provide({ actions: { "${name}": … } })`);
  };
  return Object.assign(dispatch, { [DISPATCH]: true });
}

/** A guard or action as sopflowImplementations returns it: handed to XState's machine.provide(),
 *  whose parameter type is derived from the machine's generics; `any` lets it fit any machine made from a config. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: public API shaped by XState's generics
type XStateImplementation = any;

/** What plain XState needs to run a compiled config (or its JSON, parsed):
 *  `createMachine(config).provide(sopflowImplementations(config))`, then bind your named
 *  actions with another `.provide({ actions })`. Sub-procedures are provided as actors. */
export function sopflowImplementations(config: SopMachineConfig): {
  guards: Record<string, XStateImplementation>;
  actions: Record<string, XStateImplementation>;
  actors: Record<string, AnyStateMachine>;
} {
  const procedures = config.meta?.sopflow?.procedures ?? {};
  const actors: Record<string, AnyStateMachine> = {};
  for (const id of config.meta.sopflow.uses ?? [])
    actors[PROCEDURE_SRC_PREFIX + id] = createSopMachine(procedureConfig(procedures, id), procedures);
  const actions: Record<string, unknown> = { ...builtinActions };
  for (const name of config.meta.sopflow.actions ?? []) actions[name] = hostAction(name);
  return { guards, actions, actors };
}

function procedureConfig(procedures: Record<string, SopMachineConfig>, id: string): SopMachineConfig {
  const child = own(procedures, id);
  if (!child) throw new CompileError(`the config has no procedure "${id}"`);
  return child;
}

const cache = new WeakMap<object, AnyStateMachine>();

/**
 * Turns a config from `toMachineConfig` (or its JSON, parsed) into a runnable XState machine
 * with sopflow's guards and actions, each procedure as an invokable child machine, and the
 * machine's output `{ outcome, data }`. Named host actions are bound with
 * `machine.provide({ actions })`; unprovided ones throw when run. Cached per config object.
 * `procedures` is for building one procedure's config on its own: pass the root config's
 * `meta.sopflow.procedures`.
 */
export function createSopMachine(
  config: SopMachineConfig,
  procedures: Record<string, SopMachineConfig> = config.meta?.sopflow?.procedures ?? {},
): AnyStateMachine {
  const cached = cache.get(config);
  if (cached) return cached;
  const built = new Map<string, AnyStateMachine>();
  const building = new Set<string>();
  const build = (c: SopMachineConfig): AnyStateMachine => {
    const actors: Record<string, AnyStateMachine> = {};
    for (const id of c.meta.sopflow.uses ?? []) {
      if (!built.has(id)) {
        if (building.has(id)) throw new CompileError(`procedure "${id}" runs itself`);
        building.add(id);
        built.set(id, build(procedureConfig(procedures, id)));
        building.delete(id);
      }
      actors[PROCEDURE_SRC_PREFIX + id] = built.get(id)!;
    }
    const actions: Record<string, unknown> = { ...builtinActions };
    for (const name of c.meta.sopflow.actions ?? []) actions[name] = hostAction(name);
    const withFunctions = {
      ...c,
      // a sub-procedure starts with the data its `use:` step handed over
      context: ({ self }: { self: AnyActorRef }) => {
        const parent = parentOf(self);
        const given = parent ? handedOver.get(parent)?.get(self.id) : undefined;
        if (parent && given) handedOver.get(parent)!.delete(self.id);
        return { data: { ...(given ?? {}) } };
      },
      // the output of the final state it ends in, with the data (for `returns:`)
      output: ({ event, context }: { event: { output?: { outcome?: string } }; context: SopContext }) => ({
        outcome: event.output?.outcome,
        data: context.data,
      }),
    };
    // XState's setup() infers its types from literal implementations and a literal config; one built at
    // run time from JSON cannot satisfy them, so the adapter hands both over untyped
    // eslint-disable-next-line @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-argument
    const machine = setup({ guards, actions, actors } as any).createMachine(withFunctions as any) as unknown as AnyStateMachine;
    rememberSource(machine.config, c); // setup() copies the config: key by the one the machine keeps
    return machine;
  };
  const machine = build(config);
  cache.set(config, machine);
  return machine;
}
