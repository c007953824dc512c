import { evaluateCondition, own } from '@sopflow/model';
import type { CompiledProcedure, CompiledSop, StepMeta } from '@sopflow/compiler';
import type { JournalEntry, JournalEntryType } from '../journal.js';
import { RunError } from '../RunError.js';
import type { Actor, Data, Effect, Frame, RunState } from '../types.js';
import { dueLimit } from './deadlines.js';
import { toIso } from './time.js';

/** What a move needs besides the state: the time, and who moves. */
export interface MoveContext {
  /** the time of the move, ms since the epoch */
  now: number;
  /** who makes the move: recorded on every journal entry it causes */
  by?: Actor;
  /** check a step's `role` against `by.roles` (the host or app decides; default off) */
  enforceRoles?: boolean;
}

/** The result of a move: the next state, the journal entries it adds (in order, numbered from
 *  `state.seq`), and the actions to run now that it is recorded. */
export interface Applied {
  state: RunState;
  entries: JournalEntry[];
  effects: Effect[];
}

/** Most automatic steps (decisions taken from data, sub-procedures entered and ended, limits
 *  fired) that one move may cause before it is refused as an endless loop. */
export const MAX_AUTOMATIC = 10_000;

/** Where the run goes next: enter a step at a level, or end a level with an outcome. */
type Next = { enter: number; step: string } | { end: number; outcome: string } | null;

/**
 * One move being applied: a working copy of the state that collects journal entries and
 * effects. Nothing here touches the state it was given; a move that is refused half-way
 * (a RunError) is simply dropped, so a refused move changes nothing.
 */
export class Transition {
  readonly stack: Frame[];
  readonly entries: JournalEntry[] = [];
  readonly effects: Effect[] = [];
  private status: RunState['status'];
  private outcome: string | undefined;
  /** the levels copied in this move (a bit each: stacks are shallow) */
  private copied = 0;
  /** the move's time: never before the run started, so `ms` is never negative */
  readonly now: number;
  private readonly at: string;
  private readonly ms: number;
  private automatic = 0;
  /** who the entries being written are by (nobody while the clock fires limits) */
  private by: string | undefined;
  private readonly visited: string[] = [];

  constructor(
    readonly sop: CompiledSop,
    readonly state: RunState,
    readonly ctx: MoveContext,
  ) {
    this.stack = state.stack.slice();
    this.status = state.status;
    this.outcome = state.outcome;
    this.now = Math.max(ctx.now, state.startedAt);
    this.at = toIso(this.now);
    this.ms = this.now - state.startedAt;
    this.by = ctx.by?.id;
  }

  // ---- reading

  get active(): boolean {
    return this.status === 'active';
  }

  get level(): number {
    return this.stack.length - 1;
  }

  procedureAt(level: number): CompiledProcedure {
    if (level === 0) return this.sop;
    const id = this.stack[level]!.sop;
    const p = this.sop.procedures.get(id);
    if (!p) throw new RunError('invalid-snapshot', `the run is inside procedure "${id}", which this SOP does not run`);
    return p;
  }

  stepAt(level: number): StepMeta {
    const frame = this.stack[level]!;
    const meta = this.procedureAt(level).steps.get(frame.step);
    if (!meta) throw new RunError('invalid-snapshot', `the run is at step "${frame.step}", which SOP "${frame.sop}" does not have`);
    return meta;
  }

  // ---- writing

  /** The frame at `level`, copied before its first change in this move (its data object is
   *  shared: data is never changed in place, only replaced, see `mergeData`). */
  write(level: number): Frame {
    const bit = level < 31 ? 1 << level : 0;
    if (bit === 0 || (this.copied & bit) === 0) {
      const f = this.stack[level]!;
      this.stack[level] = { sop: f.sop, step: f.step, since: f.since, data: f.data };
      this.copied |= bit;
    }
    return this.stack[level]!;
  }

  /** A new journal entry about the current step of `level` (or the run, for `level` -1). */
  entry(type: JournalEntryType, level: number): JournalEntry {
    const e: JournalEntry = { type, at: this.at, ms: this.ms };
    if (level >= 0) {
      const frame = this.stack[level]!;
      e.step = frame.step;
      e.sop = frame.sop;
      if (level > 0) e.path = this.stack.slice(0, level).map((f) => f.step);
    } else {
      e.sop = this.sop.id;
    }
    if (this.by !== undefined) e.by = this.by;
    this.entries.push(e);
    return e;
  }

  /** `cut`: the step is left unfinished, by a time limit (its own or one above it) */
  private stepEntry(type: 'step-entered' | 'step-left', level: number, meta: StepMeta, cut = false): void {
    const since = this.stack[level]!.since;
    const e = this.entry(type, level);
    e.kind = meta.kind;
    if (meta.segment !== undefined) e.segment = meta.segment;
    // a time goal is met when the step is done within it: one a time limit moved on from is missed
    if (type === 'step-left' && meta.target) measure(e, meta.target, cut ? Infinity : this.now - since);
  }

  /** Records a data change at a level (a move's `record` or a signal's data). */
  mergeData(level: number, data: Data): void {
    const frame = this.write(level);
    frame.data = { ...frame.data, ...data };
  }

  // ---- the flow

  /** Follows the flow from `next` through every automatic step (decisions taken from data,
   *  sub-procedures entered and ended) until it waits for a person, a signal or the clock. */
  drive(next: Next): void {
    while (next) {
      if (++this.automatic > MAX_AUTOMATIC) {
        throw new RunError(
          'endless-loop',
          `the move would go round for ever: decisions taken from the recorded data lead back to each other (${this.visited.slice(-6).join(' -> ')} -> …); nothing was changed. Validate the SOP: sopflow reports this as automatic-loop`,
        );
      }
      if ('enter' in next) {
        if (this.automatic > MAX_AUTOMATIC - 12) this.visited.push(next.step); // the loop, for the message
        next = this.enter(next.enter, next.step);
      } else {
        next = this.end(next.end, next.outcome);
      }
    }
  }

  private enter(level: number, stepId: string): Next {
    const frame = this.write(level);
    frame.step = stepId;
    frame.since = this.now;
    const meta = this.stepAt(level);
    this.stepEntry('step-entered', level, meta);
    switch (meta.kind) {
      case 'end':
        this.requestActions(level, meta);
        return { end: level, outcome: meta.end! };
      case 'subprocedure': {
        const child = this.sop.procedures.get(meta.use!)!;
        const given = pick(frame.data, meta.with);
        const started = this.entry('procedure-started', level);
        started.procedure = meta.use!;
        if (meta.with) started.data = { ...given };
        this.stack.push({ sop: child.id, step: '', since: this.now, data: given });
        if (this.stack.length - 1 < 31) this.copied |= 1 << (this.stack.length - 1);
        return { enter: level + 1, step: child.start };
      }
      case 'decision':
        return this.decide(level);
      default:
        return null;
    }
  }

  /** A decision takes the first `when` choice that holds for the data, or waits for a person. */
  decide(level: number): Next {
    const meta = this.stepAt(level);
    const data = this.stack[level]!.data;
    for (const c of meta.choices ?? []) {
      if (c.when && evaluateCondition(c.when, data)) {
        const e = this.entry('answer', level);
        if (c.answer !== undefined) e.answer = c.answer;
        e.when = c.when;
        return this.finish(level, meta, c.next);
      }
    }
    return null;
  }

  /** The step at `level` is done: its actions are requested, it is left, and the flow goes to
   *  `to`, or (without `to`) ends the level with the step's `end`. */
  finish(level: number, meta: StepMeta, to: string | undefined): Next {
    this.requestActions(level, meta);
    this.stepEntry('step-left', level, meta);
    if (to !== undefined) return { enter: level, step: to };
    if (meta.end === undefined)
      throw new RunError('invalid-input', `step "${meta.id}" of "${this.stack[level]!.sop}" has no way on: compile the SOP again`);
    return { end: level, outcome: meta.end };
  }

  private end(level: number, outcome: string): Next {
    if (level === 0) {
      this.status = 'done';
      this.outcome = outcome;
      const ended = this.entry('run-ended', -1);
      ended.outcome = outcome;
      if (this.sop.target) measure(ended, this.sop.target, this.now - this.state.startedAt);
      return null;
    }
    const childSop = this.procedureAt(level);
    const child = this.stack.pop()!;
    if (level < 31) this.copied &= ~(1 << level);
    const meta = this.stepAt(level - 1);
    const returned = pick(child.data, meta.returns);
    if (meta.returns) this.mergeData(level - 1, returned);
    const ended = this.entry('procedure-ended', level - 1);
    ended.procedure = meta.use!;
    ended.outcome = outcome;
    if (meta.returns) ended.data = { ...returned };
    // the sub-procedure started when its `use:` step was entered
    if (childSop.target) measure(ended, childSop.target, this.now - this.stack[level - 1]!.since);
    return this.finish(level - 1, meta, own(meta.outcomes, outcome) ?? meta.next);
  }

  /** Fires every time limit whose deadline has passed, earliest first (of two due at the same
   *  moment, the inner one first). An outer limit cuts the sub-procedures below it short. */
  fireDueLimits(): void {
    const mover = this.by;
    this.by = undefined;
    try {
      this.fireEach();
    } finally {
      this.by = mover;
    }
  }

  private fireEach(): void {
    while (this.status === 'active') {
      const due = dueLimit(this.sop, this.stack, this.now);
      if (!due) return;
      if (++this.automatic > MAX_AUTOMATIC) throw new RunError('endless-loop', 'time limits keep firing: nothing was changed');
      for (let l = this.level; l > due.level; l--) {
        this.stepEntry('step-left', l, this.stepAt(l), true);
        this.stack.pop();
        if (l < 31) this.copied &= ~(1 << l);
      }
      const meta = this.stepAt(due.level);
      const fired = this.entry('limit-fired', due.level);
      fired.after = meta.limit!.after;
      fired.deadline = toIso(due.at);
      this.stepEntry('step-left', due.level, meta, true);
      this.drive({ enter: due.level, step: meta.limit!.next });
    }
  }

  private requestActions(level: number, meta: StepMeta): void {
    for (const action of meta.actions) {
      const index = this.state.seq + this.entries.length;
      const e = this.entry('action-requested', level);
      e.action = action;
      const effect: Effect = {
        index,
        action,
        step: meta.id,
        sop: this.stack[level]!.sop,
        path: e.path ?? [],
        data: { ...this.stack[level]!.data },
      };
      if (e.by !== undefined) effect.by = e.by;
      this.effects.push(effect);
    }
  }

  cancel(reason: string | undefined): void {
    this.status = 'cancelled';
    const e = this.entry('run-cancelled', -1);
    if (reason !== undefined) e.reason = reason;
  }

  result(): Applied {
    const state: RunState = {
      status: this.status,
      stack: this.stack,
      startedAt: this.state.startedAt,
      seq: this.state.seq + this.entries.length,
    };
    if (this.outcome !== undefined) state.outcome = this.outcome;
    return { state, entries: this.entries, effects: this.effects };
  }
}

/** Writes a time goal on an entry: as written, and whether `spent` ms was within it. */
function measure(e: JournalEntry, target: { after: string; ms: number }, spent: number): void {
  e.target = target.after;
  e.met = spent <= target.ms;
}

/** The values a mapping `{ target: source }` takes from `data` (only those recorded): `with:`
 *  is `{ child_field: parent_field }`, `returns:` is `{ parent_field: child_field }`. */
export function pick(data: Data, map: Record<string, string> | undefined): Data {
  const out: Data = {};
  if (!map) return out;
  for (const [target, source] of Object.entries(map)) {
    const value = own(data, source);
    if (value !== undefined) define(out, target, value);
  }
  return out;
}

/** Sets an own property, even one named `__proto__` (which `obj[key] = v` would not create). */
export function define<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}
