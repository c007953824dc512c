import { own, type Condition, type FieldDef, type FieldValue, type ScalarValue, type Sop } from '@sopflow/model';
import type { CompiledProcedure, CompiledSop, StepMeta } from '@sopflow/compiler';
import type { JournalEntry } from '../journal.js';
import { RunError } from '../RunError.js';
import type { Data, Move, RunState } from '../types.js';
import { applyMove, fireLimits, startState } from '../engine/applyMove.js';
import { armedLimits } from '../engine/deadlines.js';
import type { Applied } from '../engine/Transition.js';
import { readRunInput, type RunInput } from '../readRunInput.js';
import type { ScriptMove } from '../script/playMoves.js';

/** One way through an SOP, from the first step to an end. */
export interface SopPath {
  outcome: string;
  /** the steps entered, in order (steps inside a sub-procedure as `outer/inner`) */
  steps: string[];
  /** how each branch was taken: answers, the `when` that decided, limits, sub-procedure outcomes, signals */
  decisions: { step: string; answer?: string; when?: Condition; limit?: string; outcome?: string; signal?: string }[];
  /** the moves that walk it: replay with `playMoves` (or `sopflow run --script`) on a SimulatedClock */
  moves: ScriptMove[];
}

export interface FindPathsOptions {
  procedures?: Record<string, Sop>;
  /** most moves to try before giving up (default 200,000) */
  limit?: number;
}

/** Most paths listed per SOP (the count can grow exponentially with the decisions). */
export const MAX_PATHS = 10_000;
const MAX_COMBINATIONS = 256;
/** An arbitrary fixed start time: paths do not depend on the clock, only on durations. */
const T0 = Date.UTC(2026, 0, 1);

type Decision = SopPath['decisions'][number];

/** A walk to an end: its moves, the steps it entered, how each branch was taken, its outcome
 *  (the run's, or for a walk of a sub-procedure, the one it ended with), and a hash of its
 *  steps and decisions (kept as the walk goes, so telling routes apart costs no string work). */
interface Found {
  moves: ScriptMove[];
  steps: string[];
  decisions: Decision[];
  outcome: string;
  hash: string;
}

/**
 * Every simple path (no step entered twice) from the first step to each end. Found by walking
 * the run's own step function depth-first, iteratively and with bounded work: `when` choices
 * are driven by recording values drawn from the field's domain (enum, true/false, or the
 * constants the conditions compare with), limits by letting their time pass, waiting steps by
 * their signal, and each sub-procedure (at any depth) by one walk per outcome it can end with.
 * Stops at `MAX_PATHS` paths or after `limit` moves. Throws `RunError('invalid-input')` for
 * an SOP that cannot run.
 */
export function findPaths(input: RunInput, options: FindPathsOptions = {}): SopPath[] {
  const sop = readRunInput(input, options.procedures);
  const walker = new PathWalker(sop, options.limit ?? 200_000);
  const start = startState(sop, { now: T0 });
  const found = walker.walk(start.state, start.entries, T0, 0, MAX_PATHS);
  found.sort((a, b) => a.moves.length - b.moves.length); // shortest first: the kept walk of each route is the most direct
  // one path per route and per way of taking it (an answer and a `when` to the same step differ)
  const seen = new Map<string, Found[]>();
  const out: SopPath[] = [];
  for (const f of found) {
    const key = `${f.outcome}\u0000${f.hash}`;
    const same = seen.get(key);
    if (same?.some((g) => sameRoute(f, g))) continue;
    if (same) same.push(f);
    else seen.set(key, [f]);
    out.push({ outcome: f.outcome, steps: f.steps, decisions: f.decisions, moves: f.moves });
  }
  return out;
}

function sameRoute(a: Found, b: Found): boolean {
  return (
    a.steps.length === b.steps.length &&
    a.decisions.length === b.decisions.length &&
    a.steps.every((s, i) => s === b.steps[i]) &&
    JSON.stringify(a.decisions) === JSON.stringify(b.decisions)
  );
}

/** Mixes a string into a 2 x 32-bit running hash (cyrb53's mixing). */
function mix(h: [number, number], text: string): [number, number] {
  let [h1, h2] = h;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ 0x1f, 2654435761); // a separator, so ["ab", "c"] and ["a", "bc"] differ
  h2 = Math.imul(h2 ^ 0x1f, 1597334677);
  return [h1, h2];
}

/** How a journal entry of the walk's own level took a branch, if it did. */
function decisionOf(e: JournalEntry): Decision | undefined {
  if (e.type === 'answer')
    return { step: e.step!, ...(e.answer !== undefined ? { answer: e.answer } : {}), ...(e.when ? { when: e.when } : {}) };
  if (e.type === 'limit-fired') return { step: e.step!, limit: e.after! };
  if (e.type === 'procedure-ended') return { step: e.step!, outcome: e.outcome! };
  if (e.type === 'signal') return { step: e.step!, signal: e.signal! };
  return undefined;
}

interface Branch {
  moves: ScriptMove[];
  record: boolean;
  apply: () => Applied & { now: number };
}
interface Node {
  state: RunState;
  now: number;
  branches: Branch[];
  next: number;
  entered: string[];
  movesLen: number;
  stepsLen: number;
  decisionsLen: number;
  hash: [number, number];
}

class PathWalker {
  private budget: number;
  private readonly summaries = new Map<string, Found[]>();

  constructor(
    private readonly sop: CompiledSop,
    limit: number,
  ) {
    this.budget = limit;
  }

  /**
   * The walks from `state` until the procedure running at `base` ends (for base 0: the run),
   * entering no step of that procedure twice. Depth-first with an explicit stack, so a
   * 5,000-step chain is no deeper for the JS stack than one step. `entries` are those that led
   * to `state` (the run's first ones), for the description of each walk.
   */
  walk(state: RunState, entries: readonly JournalEntry[], now: number, base: number, maxPaths: number): Found[] {
    const found: Found[] = [];
    const moves: ScriptMove[] = [];
    const steps: string[] = [];
    const decisions: Decision[] = [];
    let hash: [number, number] = [0xdeadbeef, 0x41c6ce57];
    const describe = (list: readonly JournalEntry[]) => {
      for (const e of list) {
        const depth = e.path?.length ?? 0;
        if (depth < base) continue;
        if (e.type === 'step-entered') {
          const step = depth === 0 ? e.step! : [...e.path!, e.step].join('/');
          steps.push(step);
          hash = mix(hash, step);
        } else if (depth === base) {
          const d = decisionOf(e);
          if (d) {
            decisions.push(d);
            hash = mix(
              hash,
              `\u0001${d.step}\u0001${d.answer ?? ''}\u0001${d.when ? JSON.stringify(d.when) : ''}\u0001${d.limit ?? ''}\u0001${d.outcome ?? ''}\u0001${d.signal ?? ''}`,
            );
          }
        }
      }
    };
    describe(entries);
    const onPath = new Set<string>();
    const first = state.stack[base]!.step;
    onPath.add(first);
    const stack: Node[] = [
      {
        state,
        now,
        branches: this.branches(state, now, base, false),
        next: 0,
        entered: [first],
        movesLen: 0,
        stepsLen: steps.length,
        decisionsLen: decisions.length,
        hash,
      },
    ];
    while (stack.length) {
      const node = stack[stack.length - 1]!;
      if (found.length >= maxPaths || this.budget <= 0 || node.next >= node.branches.length) {
        stack.pop();
        for (const step of node.entered) onPath.delete(step);
        continue;
      }
      const branch = node.branches[node.next++]!;
      this.budget--;
      let result: Applied & { now: number };
      try {
        result = branch.apply();
      } catch (error) {
        if (error instanceof RunError) continue; // a branch the run refuses is no path
        throw error;
      }
      // the steps of this procedure the branch entered: each new, and none twice
      const entered: string[] = [];
      for (const e of result.entries) if (e.type === 'step-entered' && (e.path?.length ?? 0) === base) entered.push(e.step!);
      if (entered.some((step, i) => onPath.has(step) || entered.indexOf(step) !== i)) continue;
      moves.length = node.movesLen;
      steps.length = node.stepsLen;
      decisions.length = node.decisionsLen;
      hash = node.hash;
      moves.push(...branch.moves);
      describe(result.entries);
      const s = result.state;
      if (s.status !== 'active' || s.stack.length <= base) {
        const ended =
          base === 0 ? undefined : result.entries.find((e) => e.type === 'procedure-ended' && (e.path?.length ?? 0) === base - 1);
        found.push({
          moves: moves.slice(),
          steps: steps.slice(),
          decisions: decisions.slice(),
          outcome: ended?.outcome ?? s.outcome ?? '',
          hash: `${hash[0] >>> 0}.${hash[1] >>> 0}`,
        });
        continue;
      }
      for (const step of entered) onPath.add(step);
      // data recorded at a step is recorded once per visit (a second record would only repeat a first)
      const recorded = entered.length === 0 && branch.record;
      stack.push({
        state: s,
        now: result.now,
        branches: this.branches(s, result.now, base, recorded),
        next: 0,
        entered,
        movesLen: moves.length,
        stepsLen: steps.length,
        decisionsLen: decisions.length,
        hash,
      });
    }
    return found;
  }

  /** The ways on from a state: what a person, the data, a signal or the clock can do. */
  private branches(state: RunState, now: number, base: number, recorded: boolean): Branch[] {
    const level = state.stack.length - 1;
    const out: Branch[] = [];
    const move = (m: Move) => (): Applied & { now: number } => ({ ...applyMove(this.sop, state, m, { now }), now });
    // the clock: a limit on the base level's step (inner limits belong to the inner walk)
    for (const armed of armedLimits(this.sop, state.stack)) {
      if (armed.level !== base) continue;
      const wait = Math.max(0, armed.at - now);
      out.push({
        moves: [{ step: state.stack[level]!.step, wait }],
        record: false,
        apply: () => ({ ...fireLimits(this.sop, state, { now: armed.at }), now: armed.at }),
      });
    }
    if (level > base) {
      // inside a sub-procedure: one walk per outcome it can end with
      for (const walk of this.summary(state, now, base + 1)) {
        out.push({ moves: walk.moves, record: false, apply: () => this.replay(state, now, walk.moves) });
      }
      return out;
    }
    const procedure = level === 0 ? this.sop : this.sop.procedures.get(state.stack[level]!.sop)!;
    const frame = state.stack[level]!;
    const meta = procedure.steps.get(frame.step)!;
    const step = meta.id;
    if (!recorded) {
      for (const data of recordings(procedure, meta, frame.data))
        out.push({ moves: [{ step, record: data }], record: true, apply: move({ record: data }) });
    }
    const missing = requiredSamples(procedure, meta, frame.data);
    const withMissing = (m: ScriptMove): ScriptMove[] => (Object.keys(missing).length ? [{ step, record: missing }, m] : [m]);
    const chain = (list: ScriptMove[]) => () => this.replay(state, now, list);
    const person = (m: ScriptMove) => {
      const list = withMissing(m);
      out.push({ moves: list, record: false, apply: chain(list) });
    };
    if (meta.kind === 'decision') {
      for (const c of meta.choices ?? []) if (c.when === undefined) person({ step, choose: c.answer ?? '' });
    } else if (meta.kind === 'wait') {
      person({ step, signal: meta.until! });
    } else if (meta.kind !== 'end' && meta.kind !== 'subprocedure') {
      person({ step, complete: true });
    }
    return out;
  }

  /** Applies a list of script moves (waits included) from a state. */
  private replay(state: RunState, now: number, list: readonly ScriptMove[]): Applied & { now: number } {
    let s = state;
    let t = now;
    const entries: JournalEntry[] = [];
    for (const m of list) {
      const r: Applied =
        'wait' in m ? fireLimits(this.sop, s, { now: (t += m.wait as number) }) : applyMove(this.sop, s, m as Move, { now: t });
      s = r.state;
      entries.push(...r.entries);
    }
    return { state: s, entries, effects: [], now: t };
  }

  /** For the sub-procedure just started at `level`: its shortest walk to each outcome (cached by
   *  procedure, step and the data it started with). A walk that the outer step's own limit would cut
   *  short when replayed is dropped by the replay itself (it ends elsewhere). */
  private summary(state: RunState, now: number, level: number): Found[] {
    const frame = state.stack[level]!;
    const key = `${frame.sop}\u0000${frame.step}\u0000${JSON.stringify(frame.data)}`;
    let walks = this.summaries.get(key);
    if (!walks) {
      const all = this.walk(state, [], now, level, MAX_PATHS);
      all.sort((a, b) => a.moves.length - b.moves.length);
      const byOutcome = new Map<string, Found>();
      for (const f of all) if (!byOutcome.has(f.outcome)) byOutcome.set(f.outcome, f);
      walks = [...byOutcome.values()];
      this.summaries.set(key, walks);
    }
    return walks;
  }
}

/** The data worth recording at a step: every combination of values of the fields that decide
 *  a `when` (recorded here, or tested here and not yet set), plus a sample of each required one. */
const conditionsOf = new WeakMap<CompiledProcedure, { conditions: Condition[]; relevant: Set<string> }>();

function recordings(procedure: CompiledProcedure, meta: StepMeta, data: Data): Data[] {
  let known = conditionsOf.get(procedure);
  if (!known) {
    const conditions: Condition[] = [];
    for (const s of procedure.steps.values()) for (const c of s.choices ?? []) if (c.when) conditions.push(c.when);
    known = { conditions, relevant: new Set(conditions.map((c) => c.field)) };
    conditionsOf.set(procedure, known);
  }
  const { conditions, relevant } = known;
  const decisive = [
    ...new Set([...meta.record.filter((f) => relevant.has(f)), ...(meta.choices ?? []).flatMap((c) => (c.when ? [c.when.field] : []))]),
  ].filter((f) => own(data, f) === undefined && procedure.fields.has(f));
  if (decisive.length === 0) return [];
  const base = requiredSamples(procedure, meta, data);
  const out: Data[] = [];
  for (const combo of combinations(
    decisive.map((f) =>
      fieldDomain(
        procedure.fields.get(f),
        conditions.filter((c) => c.field === f),
      ).map((v) => [f, v] as const),
    ),
  )) {
    const record: Data = { ...base };
    for (const [f, v] of combo) Object.defineProperty(record, f, { value: v, enumerable: true, writable: true, configurable: true });
    if (Object.keys(record).length) out.push(record);
  }
  return out;
}

function requiredSamples(procedure: CompiledProcedure, meta: StepMeta, data: Data): Data {
  const out: Data = {};
  for (const f of meta.required) {
    if (own(data, f) === undefined)
      Object.defineProperty(out, f, { value: sample(procedure.fields.get(f)), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

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
  if (field.type === 'list') {
    // a list: empty, and each item value worth trying on its own (enough for `contains` and `set`)
    const items = field.items ?? { type: 'string' as const };
    const values = items.enum ?? [...new Set(conditions.map((c) => c.contains).filter((v): v is ScalarValue => v !== undefined))];
    return [[], ...(values.length > 0 ? values : [sample(items) as ScalarValue]).map((v) => [v])];
  }
  if (field.enum) return field.enum;
  if (field.type === 'boolean') return [true, false];
  const values: FieldValue[] = [];
  const add = (v: unknown) => {
    if (v !== undefined && !values.includes(v as FieldValue)) values.push(v as FieldValue);
  };
  for (const c of conditions) {
    add(c.equals);
    add(c.not_equals);
    c.in?.forEach(add);
    for (const n of [c.gt, c.gte, c.lt, c.lte])
      if (typeof n === 'number') {
        add(n - 1);
        add(n);
        add(n + 1);
      }
  }
  if (values.length === 0) add(sample(field));
  return values.filter((v) => {
    if (field.type === 'date') return typeof v === 'string';
    if (typeof v !== 'number') return field.type !== 'number' && field.type !== 'integer';
    if (field.type === 'integer' && !Number.isInteger(v)) return false;
    return (field.minimum === undefined || v >= field.minimum) && (field.maximum === undefined || v <= field.maximum);
  });
}

function sample(field: Pick<FieldDef, 'type' | 'enum' | 'minimum' | 'maximum' | 'items'> | undefined): FieldValue {
  if (!field) return '';
  if (field.type === 'list') return [sample(field.items ?? { type: 'string' }) as ScalarValue];
  if (field.enum?.length) return field.enum[0]!;
  switch (field.type) {
    case 'boolean':
      return true;
    case 'number':
    case 'integer':
      return field.minimum ?? field.maximum ?? 1;
    case 'date':
      return '2026-01-01';
    default:
      return 'example';
  }
}
