import type { FieldType, FieldValue, Handoff, ListItems, ScalarValue, StepKind } from '@sopflow/model';
import type { CompiledProcedure, CompiledSop, StepMeta } from '@sopflow/compiler';
import type { RunState } from '../types.js';
import { armedLimits } from '../engine/deadlines.js';
import { answersOf } from '../engine/moves/checks.js';
import { toIso } from '../engine/time.js';

export interface FieldView {
  name: string;
  type: FieldType;
  label: string;
  required: boolean;
  description?: string;
  enum?: ScalarValue[];
  minimum?: number;
  maximum?: number;
  /** a `list` field: what each item is (its value is a list of them) */
  items?: ListItems;
  value?: FieldValue;
}

/** A time goal running: the step's own `target`, or the whole run's. It does not move the run. */
export interface TargetView {
  /** as written */
  after: string;
  ms: number;
  /** when it is reached (ISO 8601) */
  deadline: string;
  /** ms left (0 once passed) */
  remaining: number;
  /** false once the time is past it */
  onTime: boolean;
}

/** A time limit running on the stack. */
export interface LimitView {
  /** the step it is on (the current step, or a `use:` step above it) */
  step: string;
  /** the SOP that step belongs to */
  sop: string;
  after: string;
  ms: number;
  /** the step it leads to */
  next: string;
  /** ISO 8601 */
  deadline: string;
  /** ms left (0 once due) */
  remaining: number;
}

/** Everything a UI shows for the current step. */
export interface StepView {
  /** false while the run is active */
  done: boolean;
  /** the run's status: `done` and `cancelled` runs take no moves */
  status: RunState['status'];
  /** the current step's id (once done: the step the run ended on) */
  step: string;
  kind: StepKind;
  text: string;
  /** the SOP the step belongs to (a sub-procedure's id while one runs) */
  sop: string;
  role?: string;
  segment?: string;
  note?: string;
  checks: string[];
  handoff?: Handoff;
  /** a waiting step: the signal that completes it */
  until?: string;
  /** the answers the person may pick now (decisions only) */
  choices: string[];
  /** the fields this step records, with their current values */
  fields: FieldView[];
  /** everything recorded so far at this level (a sub-procedure has its own data) */
  data: Readonly<Record<string, FieldValue>>;
  /** the time limit running on this step */
  limit?: LimitView;
  /** every time limit running, outermost first (a `use:` step's limit runs while its
   *  sub-procedure does) */
  limits: LimitView[];
  /** the sub-procedure steps the current step runs inside, outermost first */
  path: { step: string; procedure: string }[];
  /** conduct that holds at every step: the `rules` of the SOP, then of each sub-procedure running */
  rules: string[];
  /** the current step's time goal (`target`) */
  target?: TargetView;
  /** the whole run's time goal (the SOP's `target`) */
  runTarget?: TargetView;
  /** once done */
  outcome?: string;
}

/** The view of a run's current step at time `now`: a pure function of the state. */
export function buildStepView(sop: CompiledSop, state: RunState, now: number): StepView {
  const level = state.stack.length - 1;
  const frame = state.stack[level]!;
  const procedure = level === 0 ? sop : sop.procedures.get(frame.sop)!;
  const meta = procedure.steps.get(frame.step)!;
  if (state.status !== 'active') {
    const outcome = state.outcome;
    return {
      done: state.status === 'done',
      status: state.status,
      step: frame.step,
      kind: meta.kind === 'end' ? 'end' : meta.kind,
      text: meta.text,
      sop: frame.sop,
      checks: [],
      choices: [],
      fields: [],
      data: { ...frame.data },
      limits: [],
      path: [],
      rules: [],
      ...(outcome !== undefined ? { outcome } : {}),
    };
  }
  const armed = armedLimits(sop, state.stack);
  const limits: LimitView[] = armed.map((armed) => {
    const f = state.stack[armed.level]!;
    const p = armed.level === 0 ? sop : sop.procedures.get(f.sop)!;
    const limit = p.steps.get(f.step)!.limit!;
    return {
      step: f.step,
      sop: f.sop,
      after: limit.after,
      ms: limit.ms,
      next: limit.next,
      deadline: toIso(armed.at),
      remaining: Math.max(0, armed.at - now),
    };
  });
  const view: StepView = {
    done: false,
    status: 'active',
    step: meta.id,
    kind: meta.kind,
    text: meta.text,
    sop: frame.sop,
    checks: meta.checks,
    choices: meta.kind === 'decision' ? answersOf(meta) : [],
    fields: fieldNames(meta).map((name) => fieldView(procedure, name, frame.data)),
    data: { ...frame.data }, // a copy: the state shares its data objects between versions
    limits,
    path: state.stack.slice(0, -1).map((f, l) => ({ step: f.step, procedure: state.stack[l + 1]!.sop })),
    rules: rulesOf(sop, state),
  };
  if (meta.target) view.target = targetView(meta.target, frame.since, now);
  if (sop.target) view.runTarget = targetView(sop.target, state.startedAt, now);
  if (meta.role !== undefined) view.role = meta.role;
  if (meta.segment !== undefined) view.segment = meta.segment;
  if (meta.note !== undefined) view.note = meta.note;
  if (meta.handoff) view.handoff = meta.handoff;
  if (meta.until !== undefined) view.until = meta.until;
  const current = armed.findIndex((a) => a.level === level);
  if (current >= 0) view.limit = limits[current]!;
  return view;
}

function targetView(target: { after: string; ms: number }, since: number, now: number): TargetView {
  const at = since + target.ms;
  return { after: target.after, ms: target.ms, deadline: toIso(at), remaining: Math.max(0, at - now), onTime: now <= at };
}

/** The rules of every SOP on the stack, outermost first, each once. */
function rulesOf(sop: CompiledSop, state: RunState): string[] {
  const out: string[] = [];
  state.stack.forEach((f, level) => {
    const p = level === 0 ? sop : sop.procedures.get(f.sop);
    for (const rule of p?.rules ?? []) if (!out.includes(rule)) out.push(rule);
  });
  return out;
}

function fieldView(procedure: CompiledProcedure, name: string, data: Readonly<Record<string, FieldValue>>): FieldView {
  const f = procedure.fields.get(name);
  const view: FieldView = { name, type: f?.type ?? 'string', label: f?.label ?? name, required: f?.required === true };
  if (f?.description !== undefined) view.description = f.description;
  if (f?.enum) view.enum = f.enum;
  if (f?.minimum !== undefined) view.minimum = f.minimum;
  if (f?.maximum !== undefined) view.maximum = f.maximum;
  if (f?.type === 'list' && f.items) view.items = f.items;
  if (Object.prototype.hasOwnProperty.call(data, name) && data[name] !== undefined) view.value = data[name];
  return view;
}

/** The fields a step shows: its `record` list; for a decision taken only by data, also the
 *  fields its `when` choices test (recording one of them is the way on). */
function fieldNames(meta: StepMeta): string[] {
  const choices = meta.choices ?? [];
  if (meta.kind !== 'decision' || choices.length === 0 || choices.some((c) => !c.when)) return meta.record;
  return [...new Set([...meta.record, ...choices.map((c) => c.when!.field)])];
}
