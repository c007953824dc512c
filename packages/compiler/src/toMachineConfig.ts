import { buildSopGraph, type GraphNode, type Sop, type SopGraph } from '@sopflow/model';
import { encodeStateKey, endStateKey } from './encodeStateKey.js';
import { hashJson } from './hashConfig.js';
import {
  CompileError, type JsonAction, type JsonTransition, type SopMachineConfig, type SopMeta, type SopStateConfig, type StepMeta,
} from './types.js';

export interface CompileOptions {
  /** the SOPs that `use:` steps run, by SOP id (only those reachable are compiled in) */
  procedures?: Record<string, Sop>;
}

/** The prefix of the actor `src` a `use:` step invokes: `sopflow:<sop id>`. */
export const PROCEDURE_SRC_PREFIX = 'sopflow:';

/**
 * Compiles an SOP to a plain-JSON XState v5 machine config: one state per step keyed by its
 * (encoded) id, `NEXT` / `CHOOSE` / `RECORD` events, `always` for `when` choices, `after` for
 * limits, `invoke` for sub-procedures, final states with `output: { outcome }`. Every
 * procedure it runs (at any depth) is compiled into `meta.sopflow.procedures`, so the JSON
 * alone is enough to run it. Pure: a function of `buildSopGraph(sop)` only.
 * Throws `CompileError` for an SOP that cannot run (no steps, unknown step, missing or
 * recursive procedure): validate first.
 */
export function toMachineConfig(sop: Sop, options: CompileOptions = {}): SopMachineConfig {
  const procedures: Record<string, SopMachineConfig> = {};
  const root = compileOne(sop, options.procedures ?? {}, procedures, [sop.id]);
  const allActions = new Set(root.meta.sopflow.actions);
  for (const p of Object.values(procedures)) for (const a of p.meta.sopflow.actions) allActions.add(a);
  root.meta.sopflow.actions = [...allActions].sort();
  if (Object.keys(procedures).length > 0) root.meta.sopflow.procedures = procedures;
  root.meta.sopflow.hash = hashJson(root);
  return root;
}

function compileOne(
  sop: Sop, available: Record<string, Sop>, out: Record<string, SopMachineConfig>, stack: string[],
): SopMachineConfig {
  const graph = buildSopGraph(sop);
  if (graph.nodes.length === 0) throw new CompileError(`SOP "${sop.id}" has no steps`);
  const machineId = encodeStateKey(graph.id || 'sop');
  const states: Record<string, SopStateConfig> = {};
  const actions = new Set<string>();
  const uses: string[] = [];

  const ends: Record<string, SopStateConfig> = {};
  for (const node of graph.nodes) {
    if (states[encodeStateKey(node.id)]) continue; // duplicate id: the first wins, as in the graph
    for (const a of node.actions) {
      if (a.startsWith('sopflow.')) throw new CompileError(`step "${node.id}": action names starting with "sopflow." are reserved`);
      actions.add(a);
    }
    if (node.use !== undefined && !uses.includes(node.use)) uses.push(node.use);
    compileStep(graph, node, machineId, states, ends);
  }
  Object.assign(states, ends); // synthetic end states after the steps, for reading order

  for (const id of uses) {
    if (stack.includes(id)) throw new CompileError(`procedure "${id}" runs itself (${[...stack, id].join(' -> ')})`);
    if (out[id]) continue;
    const child = available[id];
    if (!child) throw new CompileError(`step uses procedure "${id}", which was not given (pass it in \`procedures\`)`);
    const config = compileOne(child, available, out, [...stack, id]);
    config.meta.sopflow.hash = hashJson(config);
    out[id] = config;
  }

  const meta: SopMeta = {
    format: 1,
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
  return {
    id: machineId,
    initial: encodeStateKey(graph.start),
    context: { data: {}, limit: null },
    meta: { sopflow: meta },
    on: { RECORD: { guard: { type: 'sopflow.recordable', params: { fields: graph.fields } }, actions: [{ type: 'sopflow.record' }] } },
    states,
  };
}

function compileStep(
  graph: SopGraph, node: GraphNode, machineId: string, states: Record<string, SopStateConfig>, ends: Record<string, SopStateConfig>,
): void {
  const key = encodeStateKey(node.id);
  const required = node.record.filter((f) => graph.fields[f]?.required === true);
  const target = (id: string): string => {
    if (!graph.nodeById[id]) throw new CompileError(`step "${node.id}" leads to unknown step "${id}"`);
    return encodeStateKey(id);
  };
  const hostActions: JsonAction[] = node.actions.map((a) => ({ type: a, params: { step: node.id } }));
  const meta: StepMeta = {
    id: node.id, key, index: node.index, kind: node.kind, text: node.text, checks: node.checks, record: node.record, required, actions: node.actions,
  };
  if (node.role !== undefined) meta.role = node.role;
  if (node.segment !== undefined) meta.segment = node.segment;
  if (node.note !== undefined) meta.note = node.note;
  if (node.handoff) meta.handoff = node.handoff;
  if (node.end !== undefined) meta.end = node.end;

  const state: SopStateConfig = { meta: { step: meta }, description: node.text };
  const enter: JsonAction = { type: 'sopflow.enter', params: { step: node.id } };

  // A bare end: the step is the final state itself.
  if (node.kind === 'end') {
    state.type = 'final';
    state.output = { outcome: node.end ?? '' };
    state.entry = [enter, ...hostActions];
    states[key] = state;
    return;
  }

  state.entry = [enter];
  state.exit = [{ type: 'sopflow.leave', params: { step: node.id } }];
  const ready: JsonAction | undefined = required.length > 0 ? { type: 'sopflow.ready', params: { required } } : undefined;
  const edges = graph.outgoing[node.id] ?? [];
  // Where the step goes once done, when no choice or outcome says otherwise.
  const nextEdge = edges.find((e) => e.kind === 'next');
  let doneTarget: string | undefined;
  if (nextEdge) doneTarget = target(nextEdge.to);
  else if (node.end !== undefined && node.kind !== 'decision') {
    doneTarget = endStateKey(node.end);
    ends[doneTarget] ??= { type: 'final', meta: { end: node.end }, output: { outcome: node.end }, description: `End: ${node.end}` };
  }

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
          actions: [{ type: 'sopflow.took', params: { step: node.id, choice: e.choice ?? 0, when: e.when } }, ...hostActions],
        });
      } else if (e.kind === 'answer') {
        meta.choices.push({ answer: e.label ?? '', next: e.to });
        choose.push({
          target: target(e.to),
          guard: { type: 'sopflow.answer', params: { answer: e.label ?? '', ...(required.length ? { required } : {}) } },
          actions: [{ type: 'sopflow.took', params: { step: node.id, choice: e.choice ?? 0, answer: e.label ?? '' } }, ...hostActions],
        });
      }
    }
    if (always.length) state.always = always;
    if (choose.length) state.on = { CHOOSE: choose };
  } else if (node.kind === 'subprocedure') {
    meta.use = node.use ?? '';
    const onDone: JsonTransition[] = [];
    const outcomes: Record<string, string> = {};
    const returned: JsonAction = { type: 'sopflow.returned', params: { step: node.id } };
    for (const e of edges) {
      if (e.kind !== 'outcome') continue;
      outcomes[e.label ?? ''] = e.to;
      onDone.push({
        target: target(e.to),
        guard: { type: 'sopflow.outcome', params: { outcome: e.label ?? '' } },
        actions: [returned, ...hostActions],
      });
    }
    meta.outcomes = outcomes;
    if (doneTarget !== undefined) onDone.push({ target: doneTarget, actions: [returned, ...hostActions] });
    state.invoke = { id: key, src: PROCEDURE_SRC_PREFIX + meta.use, onDone };
  } else if (doneTarget !== undefined) {
    state.on = { NEXT: { target: doneTarget, ...(ready ? { guard: ready } : {}), ...(hostActions.length ? { actions: hostActions } : {}) } };
  }

  if (node.limit && node.limit.ms !== undefined) {
    const { ms, after, next } = node.limit;
    meta.limit = { after, ms, next, event: `xstate.after.${ms}.${machineId}.${key}` };
    state.entry.push({ type: 'sopflow.arm', params: { step: node.id, ms } });
    state.exit.push({ type: 'sopflow.disarm' });
    state.after = { [String(ms)]: { target: target(next), actions: [{ type: 'sopflow.expired', params: { step: node.id, after } }] } };
  }
  states[key] = state;
}
