import { SimulatedClock, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import { getAdjacencyMap } from 'xstate/graph';
import { createSopMachine, type SopMachineConfig, type StepMeta } from '@sopflow/compiler';
import type { Condition, FieldDef, FieldValue, Sop } from '@sopflow/model';
import { startRun, type BoundAction, type RunInput } from './startRun.js';
import { playMoves, type Move } from './playMoves.js';
import type { JournalEntry } from './journal.js';

/** One way through an SOP, from the first step to an end. */
export interface SopPath {
  outcome: string;
  /** the steps entered, in order (steps inside a sub-procedure as `outer/inner`) */
  steps: string[];
  /** how each branch was taken: answers, the `when` that decided, limits, sub-procedure outcomes */
  decisions: { step: string; answer?: string; when?: Condition; limit?: string; outcome?: string }[];
  /** the moves that walk it: replay with `playMoves` (or `sopflow run --script`) */
  moves: Move[];
}

export interface FindPathsOptions {
  procedures?: Record<string, Sop>;
  /** most states to explore before giving up (default 100,000) */
  limit?: number;
}

type Ev = { type: string; [k: string]: unknown };

/**
 * Every simple path (no step twice) from the first step to each end, found with `xstate/graph`
 * over the compiled machine. `when` choices are driven by recording values drawn from the
 * field's domain (enum, true/false, or the constants the conditions compare with), limits by
 * their delayed events, sub-procedures by each outcome they can end with (walked through the
 * procedure's own first path to that outcome). Each path is replayed through the runtime, so
 * its steps and outcome are what a run really does.
 */
export function findPaths(input: RunInput, options: FindPathsOptions = {}): SopPath[] {
  const probe = startRun(input, { procedures: options.procedures, actions: new Proxy({}, { get: () => () => {} }) as Record<string, BoundAction> });
  const root = (probe.actor as unknown as { logic: AnyStateMachine }).logic;
  probe.stop();
  const rootConfig = root.config as unknown as SopMachineConfig;
  const procedures = rootConfig.meta.sopflow.procedures ?? {};
  const noop: Record<string, BoundAction> = {};
  for (const a of rootConfig.meta.sopflow.actions) noop[a] = () => {};

  const byOutcome = new Map<string, Map<string, Move[]>>();
  const movesFor = (config: SopMachineConfig, machine: AnyStateMachine): Move[][] =>
    eventPaths(config, machine, options.limit ?? 100_000, (procedure) => {
      let m = byOutcome.get(procedure);
      if (!m) {
        m = new Map();
        byOutcome.set(procedure, m);
        const child = procedures[procedure];
        if (child) {
          for (const moves of movesFor(child, createSopMachine(child, procedures))) {
            const outcome = replay(createSopMachine(child, procedures), moves, noop)?.outcome;
            if (outcome !== undefined && !m.has(outcome)) m.set(outcome, moves);
          }
        }
      }
      return m;
    });

  const seen = new Set<string>();
  const out: SopPath[] = [];
  for (const moves of movesFor(rootConfig, root)) {
    const result = replay(root, moves, noop);
    if (!result) continue;
    const top = result.journal.filter((e) => e.type === 'step-entered' && !e.path).map((e) => e.step);
    if (new Set(top).size !== top.length) continue; // a step twice: not a simple path
    const steps = result.journal.filter((e) => e.type === 'step-entered').map((e) => [...(e.path ?? []), e.step].join('/'));
    const decisions: SopPath['decisions'] = [];
    for (const e of result.journal) {
      if (e.path) continue;
      if (e.type === 'answer') decisions.push({ step: e.step!, ...(e.answer !== undefined ? { answer: e.answer } : {}), ...(e.when ? { when: e.when } : {}) });
      else if (e.type === 'limit-fired') decisions.push({ step: e.step!, limit: e.after! });
      else if (e.type === 'procedure-ended') decisions.push({ step: e.step!, outcome: e.outcome! });
    }
    // one path per route and per way of taking it (an answer and a `when` to the same step differ)
    const key = `${result.outcome}|${steps.join(' ')}|${JSON.stringify(decisions)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ outcome: result.outcome, steps, decisions, moves });
  }
  return out;
}

function replay(machine: AnyStateMachine, moves: Move[], actions: Record<string, BoundAction>): { outcome: string; journal: readonly JournalEntry[] } | undefined {
  const clock = new SimulatedClock();
  const run = startRun(machine, { clock, actions });
  try {
    playMoves(run, moves, clock);
  } catch {
    return undefined;
  }
  const result = run.status === 'done' ? { outcome: run.outcome!, journal: run.journal } : undefined;
  run.stop();
  return result;
}

/** Event paths to every final state, as moves. */
function eventPaths(
  config: SopMachineConfig, machine: AnyStateMachine, limit: number,
  childOutcomes: (procedure: string) => Map<string, Move[]>,
): Move[][] {
  const steps = Object.create(null) as Record<string, StepMeta>;
  for (const [key, s] of Object.entries(config.states)) if (s.meta.step) steps[key] = s.meta.step;
  const fields = config.meta.sopflow.fields;
  const conditions = Object.values(steps).flatMap((m) => (m.choices ?? []).flatMap((c) => (c.when ? [c.when] : [])));
  const relevant = new Set(conditions.map((c) => c.field));
  const domain = (name: string): FieldValue[] => fieldDomain(fields[name], conditions.filter((c) => c.field === name));

  const events = (snap: AnyMachineSnapshot): Ev[] => {
    const meta = steps[snap.value as string];
    if (!meta || snap.status !== 'active') return [];
    const data = snap.context.data as Record<string, FieldValue>;
    const evs: Ev[] = [];
    // Record, in one move, every value combination of the fields that decide a `when` later
    // (recorded here or tested here and not yet set), plus a sample for each missing required field.
    const decisive = [...new Set([
      ...meta.record.filter((f) => relevant.has(f)),
      ...(meta.choices ?? []).flatMap((c) => (c.when ? [c.when.field] : [])),
    ])].filter((f) => data[f] === undefined && fields[f]);
    const missing = meta.required.filter((f) => data[f] === undefined && !decisive.includes(f));
    const base = Object.fromEntries(missing.map((f) => [f, sample(fields[f])]));
    for (const combo of combinations(decisive.map((f) => domain(f).map((v) => [f, v] as const)))) {
      const record = { ...base, ...Object.fromEntries(combo) };
      if (Object.keys(record).length) evs.push({ type: 'RECORD', data: record });
    }
    if (meta.kind === 'decision') {
      for (const c of meta.choices ?? []) if (!c.when) evs.push({ type: 'CHOOSE', answer: c.answer ?? '' });
    } else if (meta.kind === 'subprocedure') {
      for (const outcome of childOutcomes(meta.use ?? '').keys()) evs.push({ type: `xstate.done.actor.${meta.key}`, output: { outcome } });
    } else {
      evs.push({ type: 'NEXT' });
    }
    if (meta.limit) evs.push({ type: meta.limit.event });
    return evs;
  };

  const serialize = (st: AnyMachineSnapshot) => `${JSON.stringify(st.value)}|${JSON.stringify(st.context.data)}|${st.status}`;
  const adjacency = getAdjacencyMap(machine, {
    events: events as any,
    serializeState: serialize as any,
    serializeEvent: (e: any) => JSON.stringify(e),
    limit,
  } as any) as Record<string, { state: AnyMachineSnapshot; transitions: Record<string, { event: Ev; state: AnyMachineSnapshot }> }>;

  // Depth-first over the adjacency map, to final states only: a step is never entered twice on
  // a path (recording data at a step may change the state without leaving the step).
  const all: Move[][] = [];
  const initial = Object.keys(adjacency)[0];
  const onPath = new Set<string>();
  const stepsOnPath = new Set<string>();
  const moves: Move[] = [];
  const visit = (serial: string) => {
    const node = adjacency[serial];
    if (!node) return;
    if (node.state.status === 'done') { all.push(moves.slice()); return; }
    if (all.length >= MAX_PATHS) return;
    const meta = steps[node.state.value as string];
    for (const { event, state: next } of Object.values(node.transitions)) {
      const nextSerial = serialize(next);
      if (nextSerial === serial || onPath.has(nextSerial)) continue;
      const nextValue = String(next.value);
      const leaves = nextValue !== String(node.state.value);
      if (leaves && stepsOnPath.has(nextValue)) continue;
      const added = toMoves(event, meta);
      onPath.add(nextSerial);
      if (leaves) stepsOnPath.add(nextValue);
      moves.push(...added);
      visit(nextSerial);
      moves.length -= added.length;
      onPath.delete(nextSerial);
      if (leaves) stepsOnPath.delete(nextValue);
    }
  };
  const toMoves = (ev: Ev, at: StepMeta | undefined): Move[] => {
    const step = at?.id;
    if (ev.type === 'NEXT') return [{ step, complete: true }];
    if (ev.type === 'CHOOSE') return [{ step, choose: ev.answer as string }];
    if (ev.type === 'RECORD') return [{ step, record: ev.data as Record<string, FieldValue> }];
    if (ev.type.startsWith('xstate.after.')) return [{ step, wait: at?.limit?.ms ?? 0 }];
    if (ev.type.startsWith('xstate.done.actor.')) return childOutcomes(at?.use ?? '').get((ev.output as { outcome: string }).outcome) ?? [];
    return [];
  };
  if (initial !== undefined) {
    onPath.add(initial);
    stepsOnPath.add(String(adjacency[initial]!.state.value));
    visit(initial);
  }
  // shortest first, so the path kept for each route is the most direct walk of it
  return all.sort((a, b) => a.length - b.length);
}

const MAX_COMBINATIONS = 256;
/** Most paths listed per SOP (the count can grow exponentially with the decisions). */
export const MAX_PATHS = 10_000;

/** Every combination of one value per field; beyond MAX_COMBINATIONS, each value of each field
 *  once (the other fields at their first value), so every value is still tried. */
function combinations<T>(domains: T[][]): T[][] {
  const live = domains.filter((d) => d.length > 0);
  const size = live.reduce((n, d) => n * d.length, 1);
  if (size <= MAX_COMBINATIONS) return live.reduce<T[][]>((acc, d) => acc.flatMap((c) => d.map((v) => [...c, v])), [[]]);
  const out: T[][] = [];
  live.forEach((d, i) => d.forEach((v) => out.push(live.map((o, j) => (j === i ? v : o[0]!)))));
  return out;
}

/** The values worth trying for a field: its enum, true/false, or what the conditions compare with. */
function fieldDomain(field: FieldDef | undefined, conditions: Condition[]): FieldValue[] {
  if (!field) return [];
  if (field.enum) return field.enum;
  if (field.type === 'boolean') return [true, false];
  const values: FieldValue[] = [];
  const add = (v: unknown) => { if (v !== undefined && !values.includes(v as FieldValue)) values.push(v as FieldValue); };
  for (const c of conditions) {
    add(c.equals); add(c.not_equals); c.in?.forEach(add);
    for (const n of [c.gt, c.gte, c.lt, c.lte]) if (typeof n === 'number') { add(n - 1); add(n); add(n + 1); }
  }
  if (values.length === 0) add(sample(field));
  return values.filter((v) => {
    if (typeof v !== 'number') return true;
    if (field.type === 'integer' && !Number.isInteger(v)) return false;
    return (field.minimum === undefined || v >= field.minimum) && (field.maximum === undefined || v <= field.maximum);
  });
}

function sample(field: FieldDef | undefined): FieldValue {
  if (!field) return '';
  if (field.enum?.length) return field.enum[0]!;
  switch (field.type) {
    case 'boolean': return true;
    case 'number': case 'integer': return field.minimum ?? field.maximum ?? 1;
    case 'date': return '2026-01-01';
    default: return 'example';
  }
}
