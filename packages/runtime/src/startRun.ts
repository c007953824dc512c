import { createActor, type AnyActorRef, type AnyStateMachine } from 'xstate';
import {
  attachHooks, checkRecord, compileSop, createSopMachine,
  type SopHookArgs, type SopHookKind, type SopHooks, type SopMachineConfig, type StepMeta,
} from '@sopflow/compiler';
import type { Condition, FieldType, FieldValue, Handoff, Sop, StepKind } from '@sopflow/model';
import type { JournalEntry } from './journal.js';
import { RunError } from './RunError.js';

/** A clock: XState's interface, plus `now()` when the clock is simulated. */
export interface RunClock {
  setTimeout(fn: (...args: any[]) => void, ms: number): any;
  clearTimeout(id: any): void;
  now?(): number;
}

/** What a bound action receives when its step is done. */
export interface ActionCall {
  action: string;
  step: string;
  /** the SOP the step belongs to (a sub-procedure's own id while it runs) */
  sop: string;
  data: Readonly<Record<string, FieldValue>>;
  run: Run;
}
export type BoundAction = (call: ActionCall) => void;

export interface StartRunOptions {
  /** default: the real clock. Pass `new SimulatedClock()` in tests. */
  clock?: RunClock;
  /** an implementation for every named `action:` of the SOP and its procedures */
  actions?: Record<string, BoundAction>;
  /** the SOPs `use:` steps run, by id (only when starting from an SOP object) */
  procedures?: Record<string, Sop>;
  /** a `persist()` result to continue from */
  snapshot?: RunSnapshot;
}

/** The JSON-safe result of `persist()`. */
export interface RunSnapshot {
  sopflow: 'run';
  format: 1;
  sop: { id: string; version?: string; hash: string };
  /** the clock time the run started (ms) */
  startedAt: number;
  journal: JournalEntry[];
  /** XState's persisted snapshot */
  machine: unknown;
}

export interface FieldView {
  name: string;
  type: FieldType;
  label: string;
  required: boolean;
  enum?: FieldValue[];
  value?: FieldValue;
}

/** Everything a UI shows for the current step. */
export interface StepView {
  /** false while the run is active */
  done: boolean;
  /** the current step's id ('' once done, unless the run ended on a bare end step) */
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
  /** the answers the person may pick now (decisions only) */
  choices: string[];
  /** the fields this step records, with their current values */
  fields: FieldView[];
  /** everything recorded so far in this SOP */
  data: Readonly<Record<string, FieldValue>>;
  /** the time limit running on this step */
  limit?: { after: string; ms: number; next: string; deadline: string; remaining: number };
  /** the sub-procedure steps the current step runs inside, outermost first */
  path: { step: string; procedure: string }[];
  /** once done */
  outcome?: string;
}

export interface Run {
  readonly status: 'active' | 'done';
  readonly outcome: string | undefined;
  /** the audit trail (read-only: copy it to keep it) */
  readonly journal: readonly JournalEntry[];
  readonly sop: { id: string; version?: string; hash: string; title: string };
  view(): StepView;
  /** finishes a task or hand-off step */
  complete(): void;
  /** picks an answer at a decision */
  choose(answer: string): void;
  /** records values of declared fields (checked against their types first) */
  record(data: Record<string, FieldValue>): void;
  /** a JSON-safe snapshot: pass it back as `startRun(…, { snapshot })` */
  persist(): RunSnapshot;
  /** stops timers; the run can no longer move */
  stop(): void;
  /** calls `listener` after every change: each move, and each time limit that fires on its own
   *  (re-render the view then). Returns the unsubscribe function. */
  subscribe(listener: (run: Run) => void): () => void;
  /** the underlying XState actor (root) */
  readonly actor: AnyActorRef;
}

export type RunInput = Sop | SopMachineConfig | AnyStateMachine;

interface StepTable { byKey: Record<string, StepMeta>; byId: Record<string, StepMeta> }
const tables = new WeakMap<object, StepTable>();
function stepsOf(config: SopMachineConfig): StepTable {
  let t = tables.get(config.states);
  if (!t) {
    t = { byKey: Object.create(null), byId: Object.create(null) };
    for (const [key, state] of Object.entries(config.states)) {
      const m = state.meta?.step;
      if (m) { t.byKey[key] = m; t.byId[m.id] ??= m; }
    }
    tables.set(config.states, t);
  }
  return t;
}

const sopMachines = new WeakMap<object, WeakMap<object, AnyStateMachine>>();
const NO_PROCEDURES = {};

function resolveMachine(input: RunInput, procedures: Record<string, Sop> | undefined): AnyStateMachine {
  const obj = input as unknown as Record<string, any>;
  if (obj && typeof obj === 'object') {
    if (typeof obj.provide === 'function' && obj.config?.meta?.sopflow) return input as AnyStateMachine;
    if (obj.states && obj.meta?.sopflow) return createSopMachine(input as SopMachineConfig);
    if (Array.isArray(obj.instructions)) {
      const key = procedures ?? NO_PROCEDURES;
      let byProcs = sopMachines.get(obj);
      if (!byProcs) sopMachines.set(obj, (byProcs = new WeakMap()));
      let machine = byProcs.get(key);
      if (!machine) byProcs.set(key, (machine = compileSop(input as Sop, procedures ? { procedures } : {})));
      return machine;
    }
  }
  throw new RunError('invalid-input', 'startRun needs an SOP, a config from toMachineConfig, or a machine from compileSop');
}

/** The ISO time of the last journal stamp. A transition writes two or three entries in the same
 *  millisecond; they share one string instead of formatting the date each time (~1 µs each). */
let lastStampMs = Number.NaN;
let lastStampIso = '';
function isoTime(ms: number): string {
  if (ms !== lastStampMs) {
    lastStampIso = new Date(ms).toISOString();
    lastStampMs = ms;
  }
  return lastStampIso;
}

const realClock: RunClock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id),
  now: () => Date.now(),
};

/**
 * Starts (or, with `snapshot`, continues) a run of an SOP. Throws `RunError` with code
 * `unbound-action` when a named action of the SOP or its procedures has no implementation,
 * `snapshot-mismatch` when the snapshot is of another SOP, version or build.
 */
export function startRun(input: RunInput, options: StartRunOptions = {}): Run {
  return new SopRun(resolveMachine(input, options.procedures), options);
}

interface Level { actor: AnyActorRef; config: SopMachineConfig; meta: StepMeta | undefined; key: string }

class SopRun implements Run, SopHooks {
  readonly actor: AnyActorRef;
  readonly journal: JournalEntry[];
  readonly sop: Run['sop'];
  private readonly config: SopMachineConfig;
  private readonly clock: RunClock;
  private readonly startedAt: number;
  private readonly bound: Record<string, BoundAction>;
  private timers: unknown[] = [];
  private actionError: unknown;
  private failed: unknown;
  private listeners = new Set<(run: Run) => void>();
  private moving = false;
  private notifyQueued = false;

  constructor(machine: AnyStateMachine, options: StartRunOptions) {
    this.config = machine.config as unknown as SopMachineConfig;
    const meta = this.config.meta.sopflow;
    this.sop = { id: meta.id, hash: meta.hash, title: meta.title, ...(meta.version !== undefined ? { version: meta.version } : {}) };
    this.clock = options.clock ?? realClock;
    this.bound = options.actions ?? {};
    const unbound = meta.actions.filter((a) => typeof this.bound[a] !== 'function');
    if (unbound.length) {
      throw new RunError('unbound-action', `SOP "${meta.id}" uses action${unbound.length > 1 ? 's' : ''} ${unbound.map((a) => `"${a}"`).join(', ')} but startRun was given no implementation: pass { actions: { ${unbound.map((a) => `"${a}": …`).join(', ')} } }`);
    }
    const saved = options.snapshot;
    if (saved !== undefined) {
      checkSnapshot(saved, this.sop);
      this.journal = saved.journal.map((e) => ({ ...e }));
      this.startedAt = saved.startedAt;
    } else {
      this.journal = [];
      this.startedAt = this.now();
    }
    this.actor = createActor(machine, { clock: this.clock as any, ...(saved ? { snapshot: saved.machine as any } : {}) });
    attachHooks(this.actor.system, this);
    this.actor.subscribe({ complete: () => this.ended(), error: (e) => { this.failed = e; } });
    this.actor.start();
    if (saved) this.rearm();
  }

  // ---- SopHooks: called by the compiled machine's bookkeeping actions
  now(): number {
    return this.clock.now ? this.clock.now() : Date.now();
  }

  hook(kind: SopHookKind, args: SopHookArgs, params: Record<string, unknown>): void {
    const self = args.self;
    const config = configOf(self, this.config);
    const step = params.step as string;
    const meta = stepsOf(config).byId[step];
    const sop = config.meta.sopflow.id;
    switch (kind) {
      case 'enter': {
        const entered = this.entry('step-entered', step, sop, self);
        if (meta) { entered.kind = meta.kind; if (meta.segment !== undefined) entered.segment = meta.segment; }
        if (meta?.kind === 'subprocedure') {
          const started = this.entry('procedure-started', step, sop, self);
          started.procedure = meta.use ?? '';
          // On the run's very first step XState starts the child before the parent's entry
          // actions run: keep the parent's entries first.
          const inner = [...(entered.path ?? []), step].join('/');
          const within = (e: JournalEntry) => { const p = (e.path ?? []).join('/'); return p === inner || p.startsWith(`${inner}/`); };
          let at = this.journal.length;
          while (at > 0 && within(this.journal[at - 1]!)) at--;
          this.journal.splice(at, 0, entered, started);
        } else {
          this.journal.push(entered);
        }
        break;
      }
      case 'leave': {
        if (meta?.kind === 'subprocedure' && !args.event.type.startsWith('xstate.done.actor.')) this.closeNested(self, meta);
        const left = this.entry('step-left', step, sop, self);
        if (meta) { left.kind = meta.kind; if (meta.segment !== undefined) left.segment = meta.segment; }
        this.journal.push(left);
        break;
      }
      case 'took': {
        const e = this.entry('answer', step, sop, self);
        if (params.answer !== undefined) e.answer = params.answer as string;
        if (params.when) e.when = params.when as Condition;
        this.beforeLeave(e);
        break;
      }
      case 'expired': {
        const e = this.entry('limit-fired', step, sop, self);
        e.after = params.after as string;
        this.beforeLeave(e);
        if (!this.moving && this.listeners.size && !this.notifyQueued) {
          // fired by a timer: tell listeners once the transition is over
          this.notifyQueued = true;
          queueMicrotask(() => { this.notifyQueued = false; this.notify(); });
        }
        break;
      }
      case 'returned': {
        const e = this.entry('procedure-ended', step, sop, self);
        e.procedure = meta?.use ?? '';
        e.outcome = (args.event.output as { outcome?: string } | undefined)?.outcome ?? '';
        this.beforeLeave(e);
        break;
      }
    }
  }

  action(name: string, args: SopHookArgs, params: { step: string }): void {
    const fn = this.bound[name];
    try {
      fn!({ action: name, step: params.step, sop: configOf(args.self, this.config).meta.sopflow.id, data: args.context.data, run: this });
    } catch (error) {
      this.actionError ??= new RunError('action-failed', `action "${name}" of step "${params.step}" failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  // ---- state
  get status(): 'active' | 'done' {
    return this.actor.getSnapshot().status === 'done' ? 'done' : 'active';
  }

  get outcome(): string | undefined {
    const s = this.actor.getSnapshot();
    return s.status === 'done' ? (s.output as { outcome: string }).outcome : undefined;
  }

  view(): StepView {
    if (this.status === 'done') {
      const snap = this.actor.getSnapshot();
      const meta = stepsOf(this.config).byKey[snap.value as string];
      const outcome = this.outcome ?? '';
      return {
        done: true, step: meta?.id ?? '', kind: 'end', text: meta?.text ?? `End: ${outcome}`, sop: this.sop.id,
        checks: [], choices: [], fields: [], data: snap.context.data, path: [], outcome,
      };
    }
    const levels = this.levels();
    const { actor, config, meta } = levels[levels.length - 1]!;
    const snap = actor.getSnapshot();
    const data = snap.context.data as Record<string, FieldValue>;
    const fields = config.meta.sopflow.fields;
    if (!meta) throw new RunError('run-finished', 'the run is between steps');
    const view: StepView = {
      done: false, step: meta.id, kind: meta.kind, text: meta.text, sop: config.meta.sopflow.id, checks: meta.checks,
      choices: meta.choices ? meta.choices.filter((c) => c.when === undefined).map((c) => c.answer ?? '') : [],
      fields: fieldNames(meta).map((name) => {
        const f = fields[name];
        const fv: FieldView = { name, type: f?.type ?? 'string', label: f?.label ?? name, required: f?.required === true };
        if (f?.enum) fv.enum = f.enum;
        if (data[name] !== undefined) fv.value = data[name];
        return fv;
      }),
      data,
      path: levels.slice(0, -1).map((l) => ({ step: l.meta!.id, procedure: l.meta!.use ?? '' })),
    };
    if (meta.role !== undefined) view.role = meta.role;
    if (meta.segment !== undefined) view.segment = meta.segment;
    if (meta.note !== undefined) view.note = meta.note;
    if (meta.handoff) view.handoff = meta.handoff;
    const limit = snap.context.limit as { step: string; at: number } | null;
    if (meta.limit && limit && limit.step === meta.id) {
      view.limit = {
        after: meta.limit.after, ms: meta.limit.ms, next: meta.limit.next,
        deadline: new Date(limit.at).toISOString(), remaining: Math.max(0, limit.at - this.now()),
      };
    }
    return view;
  }

  // ---- moves
  complete(): void {
    const { actor, config, meta } = this.currentLevel();
    if (meta.kind === 'decision') {
      throw new RunError('needs-answer', `step "${meta.id}" is a decision: choose one of ${this.answers(meta).map((a) => JSON.stringify(a)).join(', ') || '(no answers: record data)'}`);
    }
    this.requireFields(actor, config, meta);
    this.send(actor, { type: 'NEXT' });
  }

  choose(answer: string): void {
    const { actor, config, meta } = this.currentLevel();
    if (meta.kind !== 'decision') throw new RunError('not-a-decision', `step "${meta.id}" is not a decision: complete() it`);
    const offered = this.answers(meta);
    if (!offered.includes(answer)) {
      throw new RunError('not-offered', `${JSON.stringify(answer)} is not an answer of step "${meta.id}": choose one of ${offered.map((a) => JSON.stringify(a)).join(', ') || '(none)'}`);
    }
    this.requireFields(actor, config, meta);
    this.send(actor, { type: 'CHOOSE', answer });
  }

  record(data: Record<string, FieldValue>): void {
    const { actor, config, meta } = this.currentLevel();
    const fields = config.meta.sopflow.fields;
    if (data && typeof data === 'object' && !Array.isArray(data)) {
      const unknown = Object.keys(data).find((k) => !Object.prototype.hasOwnProperty.call(fields, k));
      if (unknown !== undefined) {
        throw new RunError('unknown-field', `"${unknown}" is not a field of SOP "${config.meta.sopflow.id}" (fields: ${Object.keys(fields).join(', ') || 'none'})`);
      }
    }
    const problem = checkRecord(fields, data);
    if (problem) throw new RunError('invalid-value', `cannot record at step "${meta.id}": ${problem}`);
    if (Object.keys(data).length === 0) return;
    const e = this.entry('recorded', meta.id, config.meta.sopflow.id, actor);
    e.data = { ...data };
    this.journal.push(e);
    this.send(actor, { type: 'RECORD', data: { ...data } });
  }

  persist(): RunSnapshot {
    return JSON.parse(JSON.stringify({
      sopflow: 'run', format: 1, sop: { id: this.sop.id, ...(this.sop.version !== undefined ? { version: this.sop.version } : {}), hash: this.sop.hash },
      startedAt: this.startedAt, journal: this.journal, machine: this.actor.getPersistedSnapshot(),
    }));
  }

  subscribe(listener: (run: Run) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener(this);
  }

  stop(): void {
    this.listeners.clear();
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers = [];
    this.actor.stop();
  }

  // ---- internals
  private isoAt = NaN;
  private iso = '';

  /** A new journal entry stamped with the time (and the sub-procedure path of `self`). */
  private entry(type: JournalEntry['type'], step: string | undefined, sop: string, self?: AnyActorRef): JournalEntry {
    const now = this.now();
    if (now !== this.isoAt) { this.isoAt = now; this.iso = new Date(now).toISOString(); } // one move stamps many entries
    const e: JournalEntry = step === undefined ? { type, at: this.iso, ms: now - this.startedAt, sop } : { type, at: this.iso, ms: now - this.startedAt, step, sop };
    if (self && self !== this.actor) e.path = this.pathOf(self);
    return e;
  }

  /** answer / limit-fired / procedure-ended come from transition actions, which XState runs
   *  after the exit actions: put them before the step-left they caused. */
  private beforeLeave(e: JournalEntry): void {
    const last = this.journal[this.journal.length - 1];
    if (last && last.type === 'step-left' && last.step === e.step && last.sop === e.sop) this.journal.splice(this.journal.length - 1, 0, e);
    else this.journal.push(e);
  }

  /** The sub-procedure steps an actor runs inside, outermost first (from its invoke ids). */
  private pathOf(self: AnyActorRef): string[] {
    const path: string[] = [];
    for (let a: any = self; a && a._parent; a = a._parent) {
      path.unshift(stepsOf(configOf(a._parent, this.config)).byKey[a.id]?.id ?? a.id);
    }
    return path;
  }

  /** A sub-procedure cut short (its step's limit fired): close the steps still open inside it. */
  private closeNested(parent: AnyActorRef, meta: StepMeta): void {
    const child = (parent.getSnapshot().children as Record<string, AnyActorRef | undefined>)[meta.key];
    const childConfig = child && this.config.meta.sopflow.procedures?.[meta.use ?? ''];
    if (!child || !childConfig || child.getSnapshot().status !== 'active') return;
    const childMeta = stepsOf(childConfig).byKey[child.getSnapshot().value as string];
    if (!childMeta) return;
    if (childMeta.kind === 'subprocedure') this.closeNested(child, childMeta);
    const left = this.entry('step-left', childMeta.id, childConfig.meta.sopflow.id, child);
    left.kind = childMeta.kind;
    if (childMeta.segment !== undefined) left.segment = childMeta.segment;
    this.journal.push(left);
  }

  private ended(): void {
    // the actor also completes when stop() is called: that is no end of the SOP
    if (this.actor.getSnapshot().status !== 'done') return;
    const last = this.journal[this.journal.length - 1];
    if (last?.type === 'run-ended') return;
    const e = this.entry('run-ended', undefined, this.sop.id);
    e.outcome = this.outcome ?? '';
    this.journal.push(e);
  }

  /** root first, the deepest (current) level last */
  private levels(): Level[] {
    const out: Level[] = [];
    let actor: AnyActorRef = this.actor;
    let config = this.config;
    for (;;) {
      const snap = actor.getSnapshot();
      const key = snap.value as string;
      const meta = stepsOf(config).byKey[key];
      out.push({ actor, config, meta, key });
      if (meta?.kind !== 'subprocedure' || snap.status !== 'active') return out;
      const child = (snap.children as Record<string, AnyActorRef | undefined>)[key];
      const childConfig = this.config.meta.sopflow.procedures?.[meta.use ?? ''];
      if (!child || !childConfig || child.getSnapshot().status !== 'active') return out;
      actor = child;
      config = childConfig;
    }
  }

  private currentLevel(): Level & { meta: StepMeta } {
    if (this.status === 'done') throw new RunError('run-finished', `the run has ended with outcome "${this.outcome}": no more moves`);
    if (this.failed !== undefined || this.actor.getSnapshot().status !== 'active') throw new RunError('run-finished', 'the run has stopped');
    const levels = this.levels();
    const level = levels[levels.length - 1]!;
    if (!level.meta) throw new RunError('run-finished', 'the run is not on a step');
    return level as Level & { meta: StepMeta };
  }

  private answers(meta: StepMeta): string[] {
    return (meta.choices ?? []).filter((c) => c.when === undefined).map((c) => c.answer ?? '');
  }

  private requireFields(actor: AnyActorRef, config: SopMachineConfig, meta: StepMeta): void {
    const data = actor.getSnapshot().context.data as Record<string, FieldValue>;
    const missing = meta.required.filter((f) => data[f] === undefined);
    if (missing.length) {
      const fields = config.meta.sopflow.fields;
      throw new RunError('missing-field', `step "${meta.id}" needs ${missing.map((f) => `"${fields[f]?.label ?? f}" (${f})`).join(', ')} recorded first`);
    }
  }

  private send(actor: AnyActorRef, event: { type: string; [k: string]: unknown }): void {
    this.actionError = undefined;
    this.moving = true;
    try {
      actor.send(event);
    } finally {
      this.moving = false;
    }
    const error = this.actionError;
    this.actionError = undefined;
    if (this.listeners.size) this.notify();
    if (error) throw error;
  }

  /** Pending limits are not restored by XState: schedule each from its saved deadline. */
  private rearm(): void {
    const pending: { actor: AnyActorRef; at: number; event: string }[] = [];
    for (const { actor, meta } of this.levels()) {
      const limit = actor.getSnapshot().context.limit as { step: string; at: number } | null;
      if (meta?.limit && limit && limit.step === meta.id) pending.push({ actor, at: limit.at, event: meta.limit.event });
    }
    pending.sort((a, b) => a.at - b.at);
    const fire = (p: (typeof pending)[number]) => {
      const snap = p.actor.getSnapshot();
      if (snap.status === 'active' && (snap.context.limit as { at: number } | null)?.at === p.at) p.actor.send({ type: p.event });
    };
    for (const p of pending) {
      const remaining = p.at - this.now();
      if (remaining <= 0) fire(p);
      else this.timers.push(this.clock.setTimeout(() => fire(p), remaining));
    }
  }
}

/** The fields a step shows: its `record` list; for a decision taken only by data, also the
 *  fields its `when` choices test (recording one of them is the way on). */
function fieldNames(meta: StepMeta): string[] {
  const choices = meta.choices ?? [];
  if (meta.kind !== 'decision' || choices.length === 0 || choices.some((c) => !c.when)) return meta.record;
  return [...new Set([...meta.record, ...choices.map((c) => c.when!.field)])];
}

function configOf(self: AnyActorRef, fallback: SopMachineConfig): SopMachineConfig {
  const config = (self as unknown as { logic?: { config?: SopMachineConfig } }).logic?.config;
  return config?.meta?.sopflow ? config : fallback;
}

function checkSnapshot(saved: RunSnapshot, sop: Run['sop']): void {
  if (!saved || typeof saved !== 'object' || saved.sopflow !== 'run' || !saved.sop || !Array.isArray(saved.journal) || !saved.machine) {
    throw new RunError('invalid-snapshot', 'the snapshot was not made by run.persist()');
  }
  const { id, version, hash } = saved.sop;
  const name = (s: { id: string; version?: string; hash: string }) => `"${s.id}"${s.version !== undefined ? ` version ${s.version}` : ''} (build ${s.hash})`;
  if (id !== sop.id || version !== sop.version || hash !== sop.hash) {
    throw new RunError('snapshot-mismatch', `the snapshot is of SOP ${name(saved.sop)}, but this run is of ${name(sop)}: a run cannot continue on another SOP or version`);
  }
}
