import { buildProcedureGraph, buildSopGraph, MAX_DURATION_MS, own, type GraphNode, type Sop, type SopGraph } from '@sopflow/model';
import { encodeStateKey, endStateKey } from './encodeStateKey.js';
import { hashJson } from './hashConfig.js';
import { trustCompiled } from './trustCompiled.js';
import {
  CONFIG_FORMAT,
  CompileError,
  type JsonAction,
  type JsonTransition,
  type SopMachineConfig,
  type SopMeta,
  type SopStateConfig,
  type StepMeta,
} from './types.js';

export interface CompileOptions {
  /** the SOPs that `use:` steps run, by SOP id (only those reachable are compiled in) */
  procedures?: Record<string, Sop>;
}

/** The prefix of the actor `src` a `use:` step invokes: `sopflow:<sop id>`. */
export const PROCEDURE_SRC_PREFIX = 'sopflow:';

/**
 * Compiles an SOP to a plain-JSON XState v5 machine config: one state per step keyed by its
 * (encoded) id, `NEXT` / `CHOOSE` / `RECORD` / `SIGNAL` events, `always` for `when` choices,
 * `after` for limits, `invoke` for sub-procedures, final states with `output: { outcome }`.
 * Every step's `meta.step` says everything the step does (kind, text, where it goes), so
 * `@sopflow/runtime` runs the config from that alone and XState runs it from the transitions.
 * Every procedure it runs (at any depth) is compiled into `meta.sopflow.procedures`, so the
 * JSON alone is enough to run it. Pure: a function of `buildSopGraph(sop)` only.
 * Throws `CompileError` for an SOP that cannot run (no steps, unknown step, missing or
 * recursive procedure, a reserved action name): validate first.
 */
export function toMachineConfig(input: Sop | SopGraph, options: CompileOptions = {}): SopMachineConfig {
  // a graph already built (loadSop's `graph`) is used as it is: one graph, built once
  const graph = isGraph(input) ? input : undefined;
  const sop = graph ? graph.sop : (input as Sop);
  const procedures: Record<string, SopMachineConfig> = {};
  const available = new Map(Object.entries(options.procedures ?? {}));
  // which procedures run which: the one procedure graph (model), asked once for every check
  const calls = buildProcedureGraph(
    new Map<string, Pick<Sop, 'id' | 'instructions'>>([[sop.id, sop], ...[...available].filter(([id]) => id !== sop.id)]),
  );
  for (const id of calls.closure(sop.id)) {
    if (id === sop.id || calls.inCycle(id)) {
      const from = id === sop.id ? sop.id : id;
      const loop = calls
        .usesOf(from)
        .map((to) => calls.loopThrough(from, to))
        .find((l) => l !== undefined) ?? [from, from];
      throw new CompileError(`procedure "${from}" runs itself (${loop.join(' -> ')})`);
    }
    if (!available.has(id)) throw new CompileError(`step uses procedure "${id}", which was not given (pass it in \`procedures\`)`);
  }
  const root = compileOne(sop, available, procedures, graph);
  const allActions = new Set(root.meta.sopflow.actions);
  for (const p of Object.values(procedures)) for (const a of p.meta.sopflow.actions) allActions.add(a);
  root.meta.sopflow.actions = [...allActions].sort();
  if (Object.keys(procedures).length > 0) root.meta.sopflow.procedures = procedures;
  root.meta.sopflow.hash = hashJson(root);
  trustCompiled(root);
  return root;
}

function isGraph(input: Sop | SopGraph): input is SopGraph {
  return (
    typeof input === 'object' &&
    input !== null &&
    Array.isArray((input as SopGraph).nodes) &&
    typeof (input as SopGraph).nodeById === 'object'
  );
}

function compileOne(sop: Sop, available: Map<string, Sop>, out: Record<string, SopMachineConfig>, built?: SopGraph): SopMachineConfig {
  const graph = built ?? buildSopGraph(sop);
  if (graph.nodes.length === 0) throw new CompileError(`SOP "${sop.id}" has no steps`);
  const machineId = encodeStateKey(graph.id || 'sop');
  const states: Record<string, SopStateConfig> = {};
  const actions = new Set<string>();
  const uses: string[] = [];

  const ends: Record<string, SopStateConfig> = {};
  // whether a field must be recorded, looked up once per field: every step that records it asks
  const requiredByName = new Map<string, boolean>();
  const isRequired = (name: string): boolean => {
    let required = requiredByName.get(name);
    if (required === undefined) requiredByName.set(name, (required = own(graph.fields, name)?.required === true));
    return required;
  };
  for (const node of graph.nodes) {
    const key = encodeStateKey(node.id);
    if (own(states, key)) continue; // duplicate id: the first wins, as in the graph
    for (const a of node.actions) {
      if (a.startsWith('sopflow.')) throw new CompileError(`step "${node.id}": action names starting with "sopflow." are reserved`);
      actions.add(a);
    }
    if (node.use !== undefined && !uses.includes(node.use)) uses.push(node.use);
    define(states, key, compileStep(graph, node, key, machineId, ends, isRequired));
  }
  for (const [key, state] of Object.entries(ends)) define(states, key, state); // synthetic end states after the steps, for reading order

  // every procedure it runs is there and none runs itself: toMachineConfig asked the procedure graph
  for (const id of uses) {
    if (own(out, id)) continue;
    const config = compileOne(available.get(id)!, available, out);
    config.meta.sopflow.hash = hashJson(config);
    define(out, id, config);
  }

  const meta: SopMeta = {
    format: CONFIG_FORMAT,
    id: graph.id,
    title: graph.title,
    ...(sop.version !== undefined ? { version: String(sop.version) } : {}),
    hash: '',
    start: graph.start,
    fields: graph.fields,
    outcomes: graph.outcomes,
    actions: [...actions].sort(),
    uses,
  };
  if (graph.rules.length > 0) meta.rules = graph.rules;
  if (graph.target) {
    if (graph.target.ms === undefined)
      throw new CompileError(
        `SOP "${graph.id}": cannot read the time target ${JSON.stringify(graph.target.after)} (a duration such as 20s, 5m or 2h)`,
      );
    meta.target = { after: graph.target.after, ms: graph.target.ms };
  }
  return {
    id: machineId,
    initial: encodeStateKey(graph.start),
    context: { data: {} },
    meta: { sopflow: meta },
    on: { RECORD: { guard: { type: 'sopflow.recordable', params: { fields: graph.fields } }, actions: [{ type: 'sopflow.record' }] } },
    states,
  };
}

/** An own property even for a key like `__proto__` (which `obj[key] = v` would not create);
 *  a plain assignment otherwise, which keeps the object fast. */
function define<T>(record: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

/** `key`: the step's state key (`encodeStateKey(node.id)`, which the caller has); `isRequired`: whether a field must be recorded. */
function compileStep(
  graph: SopGraph,
  node: GraphNode,
  key: string,
  machineId: string,
  ends: Record<string, SopStateConfig>,
  isRequired: (field: string) => boolean,
): SopStateConfig {
  const required = node.record.filter(isRequired);
  const target = (id: string): string => {
    if (!own(graph.nodeById, id)) throw new CompileError(`step "${node.id}" leads to unknown step "${id}"`);
    return encodeStateKey(id);
  };
  const hostActions: JsonAction[] = node.actions.map((a) => ({ type: a, params: { step: node.id } }));
  const meta: StepMeta = {
    id: node.id,
    key,
    index: node.index,
    kind: node.kind,
    text: node.text,
    checks: node.checks,
    record: node.record,
    required,
    actions: node.actions,
  };
  if (node.role !== undefined) meta.role = node.role;
  if (node.segment !== undefined) meta.segment = node.segment;
  if (node.note !== undefined) meta.note = node.note;
  if (node.handoff) meta.handoff = node.handoff;
  if (node.end !== undefined) meta.end = node.end;
  if (node.target) {
    if (node.target.ms === undefined)
      throw new CompileError(
        `step "${node.id}": cannot read the time target ${JSON.stringify(node.target.after)} (a duration such as 20s, 5m or 2h)`,
      );
    meta.target = { after: node.target.after, ms: node.target.ms };
  }

  const state: SopStateConfig = { meta: { step: meta }, description: node.text };

  // A bare end: the step is the final state itself.
  if (node.kind === 'end') {
    state.type = 'final';
    state.output = { outcome: node.end ?? '' };
    if (hostActions.length) state.entry = hostActions;
    return state;
  }

  const edges = graph.outgoing[node.id] ?? [];
  // Where the step goes once done, when no choice or outcome says otherwise.
  const nextEdge = edges.find((e) => e.kind === 'next');
  let doneTarget: string | undefined;
  if (nextEdge) {
    doneTarget = target(nextEdge.to);
    meta.next = nextEdge.to;
  } else if (node.end !== undefined && node.kind !== 'decision') {
    doneTarget = endStateKey(node.end);
    if (!own(ends, doneTarget))
      define(ends, doneTarget, { type: 'final', meta: { end: node.end }, output: { outcome: node.end }, description: `End: ${node.end}` });
  }
  const ready: JsonAction | undefined = required.length > 0 ? { type: 'sopflow.ready', params: { required } } : undefined;

  if (node.kind === 'decision') {
    meta.choices = [];
    const always: JsonTransition[] = [];
    const choose: JsonTransition[] = [];
    for (const e of edges) {
      if (e.kind === 'when' && e.when) {
        meta.choices.push({ ...(e.label !== undefined ? { answer: e.label } : {}), when: e.when, next: e.to });
        always.push({
          target: target(e.to),
          guard: { type: 'sopflow.when', params: { when: e.when } },
          ...(hostActions.length ? { actions: hostActions } : {}),
        });
      } else if (e.kind === 'answer') {
        meta.choices.push({ answer: e.label ?? '', next: e.to });
        choose.push({
          target: target(e.to),
          guard: { type: 'sopflow.answer', params: { answer: e.label ?? '', ...(required.length ? { required } : {}) } },
          ...(hostActions.length ? { actions: hostActions } : {}),
        });
      }
    }
    if (always.length) state.always = always;
    if (choose.length) state.on = { CHOOSE: choose };
  } else if (node.kind === 'subprocedure') {
    meta.use = node.use ?? '';
    if (node.with) meta.with = node.with;
    if (node.returns) meta.returns = node.returns;
    const onDone: JsonTransition[] = [];
    const outcomes: Record<string, string> = {};
    const returned: JsonAction[] = node.returns ? [{ type: 'sopflow.returns', params: { returns: node.returns } }] : [];
    for (const e of edges) {
      if (e.kind !== 'outcome') continue;
      define(outcomes, e.label ?? '', e.to);
      onDone.push({
        target: target(e.to),
        guard: { type: 'sopflow.outcome', params: { outcome: e.label ?? '' } },
        ...(returned.length || hostActions.length ? { actions: [...returned, ...hostActions] } : {}),
      });
    }
    meta.outcomes = outcomes;
    if (doneTarget !== undefined)
      onDone.push({ target: doneTarget, ...(returned.length || hostActions.length ? { actions: [...returned, ...hostActions] } : {}) });
    // the data a sub-procedure starts with is handed over by the step's entry action
    state.entry = [{ type: 'sopflow.with', params: { id: key, with: node.with ?? {} } }];
    state.invoke = { id: key, src: PROCEDURE_SRC_PREFIX + meta.use, onDone };
  } else if (node.kind === 'wait') {
    meta.until = node.until ?? '';
    if (doneTarget !== undefined) {
      state.on = {
        SIGNAL: {
          target: doneTarget,
          guard: { type: 'sopflow.signal', params: { signal: meta.until, fields: graph.fields, ...(required.length ? { required } : {}) } },
          actions: [{ type: 'sopflow.record' }, ...hostActions],
        },
      };
    }
  } else if (doneTarget !== undefined) {
    state.on = {
      NEXT: { target: doneTarget, ...(ready ? { guard: ready } : {}), ...(hostActions.length ? { actions: hostActions } : {}) },
    };
  }

  if (node.limit) {
    const { ms, after, next } = node.limit;
    if (ms === undefined) {
      throw new CompileError(
        `step "${node.id}": cannot read the time limit ${JSON.stringify(after)} (a duration such as 60s, 5m, 2h or 3d, at most ${MAX_DURATION_MS / 86_400_000}d)`,
      );
    }
    meta.limit = { after, ms, next, event: `xstate.after.${ms}.${machineId}.${key}` };
    state.after = { [String(ms)]: { target: target(next) } };
  }
  return state;
}
