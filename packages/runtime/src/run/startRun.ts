import type { CompiledSop } from '@sopflow/compiler';
import type { Sop } from '@sopflow/model';
import type { JournalEntry } from '../journal.js';
import { RunError } from '../RunError.js';
import type { Actor, Data, Effect, JsonValue, Move } from '../types.js';
import { applyMove, cancelRun, fireLimits, startState } from '../engine/applyMove.js';
import { nextDeadline } from '../engine/deadlines.js';
import { recordEffectResult } from '../engine/effectResult.js';
import { parseActor } from '../engine/parseMove.js';
import { isUsableTime } from '../engine/time.js';
import type { Applied } from '../engine/Transition.js';
import { checkSnapshot, migrateSnapshot } from '../snapshot/migrateSnapshot.js';
import { SNAPSHOT_FORMAT, type RunSnapshot } from '../snapshot/RunSnapshot.js';
import { sealSnapshot, verifySeal, type SealKey } from '../snapshot/seal.js';
import { buildStepView, type StepView } from '../view/buildStepView.js';
import { readRunInput, type RunInput } from '../readRunInput.js';
import { LimitScheduler } from './LimitScheduler.js';
import type { RunClock } from './SimulatedClock.js';

/** What a bound action receives when its step is done. */
export interface ActionCall {
  action: string;
  step: string;
  /** the SOP the step belongs to (a sub-procedure's own id while it runs) */
  sop: string;
  /** the sub-procedure steps it runs inside, outermost first */
  path: readonly string[];
  /** the data of its level, after the move */
  data: Readonly<Data>;
  /** the run's own data about itself (`meta` given to startRun) */
  meta: JsonValue | undefined;
  /** who made the move that requested it */
  by?: string;
  /** `<run id>:<journal index>`: the same for every attempt of this one request, so the
   *  system it calls can drop a repeat */
  key: string;
  run: Run;
}
/** An app's implementation of a named `action:`. It may return a Promise: its rejection is
 *  journaled (`action-failed`) and reported to `onError`, never left unhandled. */
export type BoundAction = (call: ActionCall) => unknown;

/** Why a run changed, for subscribers. */
export interface RunChange {
  /** `move`: a move of the app; `limit`: a time limit fired on its own; `effect`: an action
   *  finished later (a Promise); `cancel`: the run was cancelled */
  cause: 'move' | 'limit' | 'effect' | 'cancel';
  /** the journal entries the change added, in order */
  entries: readonly JournalEntry[];
  /** the move, for cause `move` */
  move?: Move;
}
export type RunListener = (run: Run, change: RunChange) => void;

export interface StartRunOptions {
  /** default: the real clock. Pass `new SimulatedClock()` in tests. */
  clock?: RunClock;
  /** an implementation for every named `action:` of the SOP and its procedures */
  actions?: Record<string, BoundAction>;
  /** the SOPs `use:` steps run, by id (only when starting from an SOP object) */
  procedures?: Record<string, Sop>;
  /** a `persist()` result to continue from */
  snapshot?: RunSnapshot;
  /** with `snapshot`: move the run onto this build of its SOP when it was persisted on
   *  another (see `migrateSnapshot`) */
  migrate?: boolean;
  /** with `snapshot`: refuse it unless it carries the seal this key makes (`persist({ seal })`) */
  seal?: SealKey;
  /** a new run's id (default: a random UUID) */
  id?: string;
  /** a new run's own data (a ticket id, a customer): kept in the snapshot, given to actions */
  meta?: JsonValue;
  /** who starts a new run (journaled on its first entries) */
  by?: string | Actor;
  /** refuse moves on a step with a `role` unless `by` has that role */
  enforceRoles?: boolean;
  /** told of what goes wrong outside a move: an action whose Promise rejects, a subscriber
   *  that throws, an action that fails on a run's first step or after a limit. Without it,
   *  such failures are only journaled. */
  onError?: (error: RunError) => void;
}

export interface MoveOptions {
  /** who makes the move: an id, or `{ id, roles }` */
  by?: string | Actor;
  /** asserts the current step (refused with `wrong-step` when the run is elsewhere) */
  step?: string;
}

export interface Run {
  readonly id: string;
  /** `stopped` once stop() was called on this object (the stored run is unaffected) */
  readonly status: 'active' | 'done' | 'cancelled' | 'stopped';
  readonly outcome: string | undefined;
  /** goes up by one with every change: moves, limits that fire, action results */
  readonly revision: number;
  readonly meta: JsonValue | undefined;
  /** the audit trail (read-only: copy it to keep it) */
  readonly journal: readonly JournalEntry[];
  readonly sop: { id: string; version?: string; hash: string; title: string };
  view(): StepView;
  /** finishes a task, hand-off or any step a person completes */
  complete(options?: MoveOptions): void;
  /** picks an answer at a decision */
  choose(answer: string, options?: MoveOptions): void;
  /** records values of declared fields (checked against their types first) */
  record(data: Data, options?: MoveOptions): void;
  /** something outside happened: completes a waiting step whose `until` names it */
  signal(name: string, data?: Data, options?: MoveOptions): void;
  /** any move, as data (`{ complete: true }`, `{ choose }`, `{ record }`, `{ signal, data? }`) */
  move(move: Move): void;
  /** ends the run without an outcome (journaled with the reason) */
  cancel(options?: { reason?: string; by?: string | Actor }): void;
  /** a JSON-safe snapshot: pass it back as `startRun(…, { snapshot })` */
  persist(options?: { seal?: SealKey }): RunSnapshot;
  /** stops this object's timer; it takes no more moves (status `stopped`) */
  stop(): void;
  /** calls `listener` after every change, with what changed and why. Returns the
   *  unsubscribe function. A listener may read the run but not move it (`re-entrant-move`). */
  subscribe(listener: RunListener): () => void;
}

const realClock: RunClock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/**
 * Starts (or, with `snapshot`, continues) a run of an SOP. Throws `RunError`, and only that:
 * `invalid-input` (not something a run can start from), `unbound-action` (a named action with
 * no implementation), `invalid-snapshot` / `snapshot-mismatch` / `invalid-seal` /
 * `cannot-migrate` for a snapshot that cannot continue here. A restored run whose time limit
 * passed while it was stored fires it at once, journaled with the deadline it served.
 */
export function startRun(input: RunInput, options: StartRunOptions = {}): Run {
  const sop = readRunInput(input, options.procedures);
  const bound = options.actions ?? {};
  if (!bound || typeof bound !== 'object') throw new RunError('invalid-input', '`actions` is an object of functions by action name');
  const unbound = sop.allActions.filter(
    (a) => typeof (Object.prototype.hasOwnProperty.call(bound, a) ? bound[a] : undefined) !== 'function',
  );
  if (unbound.length) {
    throw new RunError(
      'unbound-action',
      `SOP "${sop.id}" uses action${unbound.length > 1 ? 's' : ''} ${unbound.map((a) => `"${a}"`).join(', ')} but startRun was given no implementation: pass { actions: { ${unbound.map((a) => `"${a}": …`).join(', ')} } }`,
    );
  }
  const clock = options.clock ?? realClock;
  const now = () => {
    const t = typeof clock.now === 'function' ? clock.now() : Date.now();
    if (!isUsableTime(t)) throw new RunError('invalid-input', `the clock says ${String(t)}, which is not a time`);
    return t;
  };
  const by = options.by !== undefined ? parseActor(options.by) : undefined;
  let snapshot: RunSnapshot;
  let started: Applied | undefined;
  if (options.snapshot !== undefined) {
    const given = copyJson(options.snapshot, 'the snapshot', 'invalid-snapshot');
    if (options.seal !== undefined) verifySeal(given as RunSnapshot, options.seal);
    snapshot = options.migrate ? migrateSnapshot(sop, given, { now: now(), ...(by ? { by: by.id } : {}) }) : checkSnapshot(sop, given);
    delete snapshot.seal;
  } else {
    const id = options.id ?? randomId();
    if (typeof id !== 'string' || id === '' || id.length > 256)
      throw new RunError('invalid-input', 'a run id is a non-empty string of at most 256 characters');
    started = startState(sop, { now: now(), ...(by ? { by } : {}) });
    snapshot = {
      sopflow: 'run',
      format: SNAPSHOT_FORMAT,
      id,
      sop: { id: sop.id, ...(sop.version !== undefined ? { version: sop.version } : {}), hash: sop.hash },
      revision: 1,
      state: started.state,
      journal: [...started.entries],
    };
    if (options.meta !== undefined) snapshot.meta = copyJson(options.meta, '`meta`') as JsonValue;
  }
  const run = new SopRun(sop, snapshot, bound, clock, now, options);
  if (started) run.runEffects(started.effects, false);
  run.wake();
  return run;
}

function copyJson(value: unknown, what: string, code: 'invalid-input' | 'invalid-snapshot' = 'invalid-input'): unknown {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : JSON.parse(text);
  } catch (error) {
    throw new RunError(code, `${what} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function randomId(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

class SopRun implements Run {
  readonly id: string;
  readonly sop: Run['sop'];
  readonly journal: JournalEntry[];
  private snapshot: RunSnapshot;
  private stopped = false;
  private busy = false;
  private firePending = false;
  private readonly listeners = new Set<RunListener>();
  private readonly scheduler: LimitScheduler;

  constructor(
    private readonly compiled: CompiledSop,
    snapshot: RunSnapshot,
    private readonly bound: Record<string, BoundAction>,
    clock: RunClock,
    private readonly now: () => number,
    private readonly options: StartRunOptions,
  ) {
    this.snapshot = snapshot;
    this.id = snapshot.id;
    this.journal = snapshot.journal;
    this.sop = {
      id: compiled.id,
      hash: compiled.hash,
      title: compiled.title,
      ...(compiled.version !== undefined ? { version: compiled.version } : {}),
    };
    this.scheduler = new LimitScheduler(clock, now, () => this.limitDue());
  }

  get status(): Run['status'] {
    return this.stopped ? 'stopped' : this.snapshot.state.status;
  }

  get outcome(): string | undefined {
    return this.snapshot.state.outcome;
  }

  get revision(): number {
    return this.snapshot.revision;
  }

  get meta(): JsonValue | undefined {
    return this.snapshot.meta;
  }

  view(): StepView {
    return buildStepView(this.compiled, this.snapshot.state, this.now());
  }

  complete(options: MoveOptions = {}): void {
    this.move({ complete: true, ...moveOptions(options) });
  }

  choose(answer: string, options: MoveOptions = {}): void {
    this.move({ choose: answer, ...moveOptions(options) });
  }

  record(data: Data, options: MoveOptions = {}): void {
    this.move({ record: data, ...moveOptions(options) });
  }

  signal(name: string, data?: Data, options: MoveOptions = {}): void {
    this.move({ signal: name, ...(data !== undefined ? { data } : {}), ...moveOptions(options) });
  }

  move(move: Move): void {
    this.guard();
    const applied = applyMove(this.compiled, this.snapshot.state, move, {
      now: this.now(),
      ...(this.options.enforceRoles ? { enforceRoles: true } : {}),
    });
    this.commit(applied, { cause: 'move', move }, true);
  }

  cancel(options: { reason?: string; by?: string | Actor } = {}): void {
    this.guard();
    const by = options.by !== undefined ? parseActor(options.by) : undefined;
    if (options.reason !== undefined && typeof options.reason !== 'string') throw new RunError('invalid-move', 'a reason is text');
    const applied = cancelRun(this.compiled, this.snapshot.state, {
      now: this.now(),
      ...(by ? { by } : {}),
      ...(options.reason !== undefined ? { reason: options.reason } : {}),
    });
    this.commit(applied, { cause: 'cancel' }, false);
  }

  persist(options: { seal?: SealKey } = {}): RunSnapshot {
    const copy = JSON.parse(JSON.stringify(this.snapshot)) as RunSnapshot;
    return options.seal !== undefined ? sealSnapshot(copy, options.seal) : copy;
  }

  stop(): void {
    this.stopped = true;
    this.listeners.clear();
    this.scheduler.disarm();
  }

  subscribe(listener: RunListener): () => void {
    if (typeof listener !== 'function') throw new RunError('invalid-input', 'subscribe takes a function');
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  // ---- internals

  /** After start or restore: fires what is overdue, then arms the timer. */
  wake(): void {
    this.limitDue();
  }

  private guard(): void {
    if (this.stopped) throw new RunError('run-stopped', 'this run object was stopped: restore the run from a snapshot to move it');
    if (this.busy)
      throw new RunError(
        're-entrant-move',
        'a move was made while another is being applied (from inside a bound action or a subscriber): make it after the current move returns, e.g. in queueMicrotask',
      );
  }

  /** Applies a change: the new state and entries, then the actions it requested, then the
   *  subscribers; a synchronous action failure is thrown from the move when `throwActionError`. */
  private commit(applied: Applied, change: Omit<RunChange, 'entries'>, throwActionError: boolean): void {
    if (applied.entries.length === 0) return;
    const from = this.journal.length;
    this.busy = true;
    let actionError: RunError | undefined;
    try {
      this.accept(applied.state, applied.entries);
      actionError = this.runEffects(applied.effects, throwActionError);
      if (this.listeners.size) this.notify({ ...change, entries: this.journal.slice(from) });
    } finally {
      this.busy = false;
    }
    this.scheduler.arm(nextDeadline(this.compiled, this.snapshot.state));
    if (this.firePending) {
      this.firePending = false;
      this.limitDue();
    }
    if (actionError) throw actionError;
  }

  private accept(state: RunSnapshot['state'], entries: readonly JournalEntry[]): void {
    this.snapshot.state = state;
    for (const e of entries) this.journal.push(e);
    this.snapshot.revision += 1;
  }

  /** Runs requested actions in order; each result is journaled. Returns the first synchronous
   *  failure (to throw from the move), having reported it to `onError` when not thrown. */
  runEffects(effects: readonly Effect[], returnFailure: boolean): RunError | undefined {
    let first: RunError | undefined;
    for (const effect of effects) {
      const fn = this.bound[effect.action]!;
      const call: ActionCall = {
        action: effect.action,
        step: effect.step,
        sop: effect.sop,
        path: effect.path,
        data: effect.data,
        meta: this.snapshot.meta,
        key: `${this.id}:${effect.index}`,
        run: this,
        ...(effect.by !== undefined ? { by: effect.by } : {}),
      };
      let result: unknown;
      let later: boolean;
      try {
        result = fn(call);
        later = !!result && typeof (result as PromiseLike<unknown>).then === 'function';
      } catch (error) {
        const failure = this.actionFailed(effect, error);
        if (returnFailure) first ??= failure;
        else this.report(failure);
        continue;
      }
      if (later) {
        Promise.resolve(result).then(
          () => this.effectSettled(effect, undefined),
          (error: unknown) => this.effectSettled(effect, error === undefined ? new Error('rejected') : error),
        );
      } else {
        this.settle(effect, { ok: true });
      }
    }
    return first;
  }

  private actionFailed(effect: Effect, error: unknown): RunError {
    const message = error instanceof Error ? error.message : String(error);
    this.settle(effect, { ok: false, error: message });
    return new RunError('action-failed', `action "${effect.action}" of step "${effect.step}" failed: ${message}`, { cause: error });
  }

  private settle(effect: Effect, outcome: { ok: true } | { ok: false; error: string }): readonly JournalEntry[] {
    const result = recordEffectResult(this.snapshot.state, effect, outcome, this.now());
    this.accept(result.state, result.entries);
    return result.entries;
  }

  /** A Promise an action returned has settled: journaled, reported, subscribers told. */
  private effectSettled(effect: Effect, error: unknown): void {
    try {
      const from = this.journal.length;
      if (error === undefined) this.settle(effect, { ok: true });
      else this.report(this.actionFailed(effect, error));
      if (this.stopped || this.listeners.size === 0) return;
      const wasBusy = this.busy;
      this.busy = true;
      try {
        this.notify({ cause: 'effect', entries: this.journal.slice(from) });
      } finally {
        this.busy = wasBusy;
      }
    } catch (failure) {
      this.report(failure instanceof RunError ? failure : new RunError('action-failed', String(failure)));
    }
  }

  /** The timer says a deadline has come: fire what is due. */
  private limitDue(): void {
    if (this.stopped) return;
    if (this.busy) {
      this.firePending = true;
      return;
    }
    try {
      const applied = fireLimits(this.compiled, this.snapshot.state, { now: this.now() });
      if (applied.entries.length) this.commit(applied, { cause: 'limit' }, false);
      else this.scheduler.arm(nextDeadline(this.compiled, this.snapshot.state));
    } catch (error) {
      // a limit that cannot fire (an endless loop of decisions after it) leaves the run as it
      // was; it is reported, and the timer is not re-armed for the same deadline
      this.report(error instanceof RunError ? error : new RunError('invalid-input', String(error)));
    }
  }

  private notify(change: RunChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(this, change);
      } catch (error) {
        this.report(
          new RunError('subscriber-failed', `a subscriber threw: ${error instanceof Error ? error.message : String(error)}`, {
            cause: error,
          }),
        );
      }
    }
  }

  private report(error: RunError): void {
    const onError = this.options.onError;
    if (typeof onError !== 'function') return;
    try {
      onError(error);
    } catch {
      // the app's error handler failed too: nothing sensible is left to tell
    }
  }
}

function moveOptions(options: MoveOptions): { by?: string | Actor; step?: string } {
  if (!options || typeof options !== 'object') return {};
  return { ...(options.by !== undefined ? { by: options.by } : {}), ...(options.step !== undefined ? { step: options.step } : {}) };
}
