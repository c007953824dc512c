import type { CompiledSop, SopMachineConfig } from '@sopflow/compiler';
import {
  LimitScheduler,
  nextDeadline,
  parseMove,
  RunError,
  type Actor,
  type Effect,
  type Move,
  type RunClock,
  type RunSnapshot,
} from '@sopflow/runtime';
import { checkBound } from './checkBound.js';
import { HostError } from './HostError.js';
import { DEFAULT_RETRY, backoff, describeError, type RetryPolicy } from './retry.js';
import type { HostAction, ListQuery, ListResult, MoveOptions, RunHost, RunRecord, SopSummary, StartOptions } from './RunHost.js';
import {
  cancelStored,
  actionCall,
  fireDue,
  listFields,
  migrateStored,
  moveRun,
  newRun,
  settleEffect,
  toRecord,
  type RunChange,
} from './runOps.js';
import { refusing, SopCatalog, summary } from './SopCatalog.js';
import { checkList, checkRunId, checkStart, pageOf } from './checkArgs.js';

export interface MemoryHostOptions {
  /** builds to serve (more with `publish`) */
  sops?: SopMachineConfig[];
  /** an implementation for every named action of the served SOPs */
  actions?: Record<string, HostAction>;
  /** default: the real clock */
  clock?: RunClock;
  retry?: Partial<RetryPolicy>;
  /** refuse moves on a step with a `role` unless `by` has it */
  enforceRoles?: boolean;
  /** told of what goes wrong outside a call (an action that failed for good) */
  onError?: (error: Error) => void;
}

interface Stored {
  snapshot: RunSnapshot;
  createdAt: number;
  updatedAt: number;
}

const realClock: RunClock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/**
 * The reference host: the whole contract, in memory. Runs do not outlive the process (use the
 * SQLite host for that); everything else is as a durable host does it — revisions, deadlines
 * that fire with no one holding the run, an outbox of actions run after each change and retried
 * with backoff, builds kept by hash, migration.
 */
export class MemoryHost implements RunHost {
  private readonly catalog = new SopCatalog();
  private readonly runs = new Map<string, Stored>();
  private readonly timers = new Map<string, LimitScheduler>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly clock: RunClock;
  private readonly retry: RetryPolicy;
  private closed = false;

  constructor(private readonly options: MemoryHostOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    for (const config of options.sops ?? []) this.catalog.publish(config);
  }

  private now(): number {
    return this.clock.now ? this.clock.now() : Date.now();
  }

  private open(): void {
    if (this.closed) throw new HostError('unavailable', 'the host is closed');
  }

  async publish(config: SopMachineConfig): Promise<SopSummary> {
    this.open();
    const compiled = this.catalog.publish(config);
    return summary(compiled, true);
  }

  async sops(): Promise<SopSummary[]> {
    return this.catalog.summaries();
  }

  async start(sopId: string, options: StartOptions = {}): Promise<RunRecord> {
    this.open();
    const { id, by, meta } = checkStart(options);
    const compiled = this.catalog.newest(sopId);
    checkBound(compiled, this.options.actions ?? {}, 'host');
    const runId = id ?? globalThis.crypto.randomUUID();
    if (this.runs.has(runId)) throw new HostError('exists', `a run with id ${JSON.stringify(runId)} exists`);
    const now = this.now();
    const change = refusing(() => newRun(compiled, { id: runId, now, ...(meta !== undefined ? { meta } : {}), ...(by ? { by } : {}) }));
    this.runs.set(runId, { snapshot: change.snapshot, createdAt: now, updatedAt: now });
    this.after(runId, compiled, change);
    return this.record(runId);
  }

  async move(runId: string, move: Move, options: MoveOptions = {}): Promise<RunRecord> {
    this.open();
    const m = refusing(() => parseMove(move));
    return this.change(runId, options.expect, (compiled, snapshot, now) =>
      moveRun(compiled, snapshot, m, {
        now,
        ...(options.by ? { by: options.by } : {}),
        ...(this.options.enforceRoles ? { enforceRoles: true } : {}),
      }),
    );
  }

  async cancel(runId: string, options: { reason?: string; by?: Actor; expect?: { revision: number } } = {}): Promise<RunRecord> {
    this.open();
    if (options.reason !== undefined && typeof options.reason !== 'string') throw new HostError('bad-request', 'a reason is text');
    return this.change(runId, options.expect, (compiled, snapshot, now) =>
      cancelStored(compiled, snapshot, {
        now,
        ...(options.reason !== undefined ? { reason: options.reason } : {}),
        ...(options.by ? { by: options.by } : {}),
      }),
    );
  }

  async migrate(runId: string, options: { by?: Actor; expect?: { revision: number } } = {}): Promise<RunRecord> {
    this.open();
    return this.change(runId, options.expect, (_compiled, snapshot, now) => {
      const to = this.catalog.newest(snapshot.sop.id);
      checkBound(to, this.options.actions ?? {}, 'host');
      return migrateStored(to, snapshot, { now, ...(options.by ? { by: options.by } : {}) });
    });
  }

  async get(runId: string, options: { journal?: boolean } = {}): Promise<RunRecord> {
    checkRunId(runId);
    return this.record(runId, options.journal === true);
  }

  async list(query: ListQuery = {}): Promise<ListResult> {
    const q = checkList(query);
    const rows = [...this.runs.values()]
      .map((stored) => {
        const compiled = this.catalog.build(stored.snapshot.sop.hash);
        return { stored, fields: listFields(compiled, stored.snapshot) };
      })
      .filter(
        ({ fields }) =>
          (q.status === undefined || fields.status === q.status) &&
          (q.sop === undefined || fields.sop === q.sop) &&
          (q.step === undefined || fields.step === q.step) &&
          (q.role === undefined || fields.role === q.role) &&
          (q.dueBefore === undefined || (fields.deadline !== null && fields.deadline <= q.dueBefore)),
      )
      .map(({ stored }) => ({ key: [stored.createdAt, stored.snapshot.id] as [number, string], id: stored.snapshot.id }));
    const page = pageOf(rows, q);
    return { runs: page.ids.map((id) => this.record(id)), ...(page.next !== undefined ? { next: page.next } : {}) };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) timer.disarm();
    this.timers.clear();
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight]);
  }

  // ---- internals

  private stored(runId: string): Stored {
    checkRunId(runId);
    const stored = this.runs.get(runId);
    if (!stored) throw new HostError('not-found', `no run with id ${JSON.stringify(runId)}`);
    return stored;
  }

  private record(runId: string, journal = false): RunRecord {
    const stored = this.stored(runId);
    return toRecord(
      this.catalog.build(stored.snapshot.sop.hash),
      stored.snapshot,
      { createdAt: stored.createdAt, updatedAt: stored.updatedAt, now: this.now() },
      { journal },
    );
  }

  /** One change: checked against the expected revision, applied, stored, then its effects run. */
  private change(
    runId: string,
    expect: { revision: number } | undefined,
    op: (compiled: CompiledSop, snapshot: RunSnapshot, now: number) => RunChange,
  ): RunRecord {
    const stored = this.stored(runId);
    if (expect !== undefined) {
      if (!expect || typeof expect !== 'object' || !Number.isSafeInteger(expect.revision))
        throw new HostError('bad-request', '`expect` is { revision: <integer> }');
      if (expect.revision !== stored.snapshot.revision) {
        throw new HostError(
          'stale',
          `the run is at revision ${stored.snapshot.revision}, not ${expect.revision}: someone else moved it; reload it and try again`,
        );
      }
    }
    const now = this.now();
    const change = refusing(() => op(this.catalog.build(stored.snapshot.sop.hash), stored.snapshot, now));
    this.runs.set(runId, { ...stored, snapshot: change.snapshot, updatedAt: now });
    this.after(runId, this.catalog.build(change.snapshot.sop.hash), change);
    return this.record(runId);
  }

  /** After a change is stored: its actions run, and the run's timer is armed for its next deadline. */
  private after(runId: string, compiled: CompiledSop, change: RunChange): void {
    for (const effect of change.effects) this.dispatch(runId, effect, 1);
    this.arm(runId, compiled, change.snapshot);
  }

  private arm(runId: string, compiled: CompiledSop, snapshot: RunSnapshot): void {
    let timer = this.timers.get(runId);
    const deadline = nextDeadline(compiled, snapshot.state);
    if (deadline === undefined) {
      timer?.disarm();
      this.timers.delete(runId);
      return;
    }
    if (!timer) {
      timer = new LimitScheduler(
        this.clock,
        () => this.now(),
        () => this.fire(runId),
      );
      this.timers.set(runId, timer);
    }
    timer.arm(deadline);
  }

  private fire(runId: string): void {
    if (this.closed) return;
    const stored = this.runs.get(runId);
    if (!stored) return;
    try {
      const compiled = this.catalog.build(stored.snapshot.sop.hash);
      const now = this.now();
      const change = fireDue(compiled, stored.snapshot, now);
      if (!change) {
        this.arm(runId, compiled, stored.snapshot);
        return;
      }
      this.runs.set(runId, { ...stored, snapshot: change.snapshot, updatedAt: now });
      this.after(runId, compiled, change);
    } catch (error) {
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Runs one action request; retries with backoff; journals the result. */
  private dispatch(runId: string, effect: Effect, attempt: number): void {
    const stored = this.runs.get(runId);
    if (!stored || this.closed) return;
    const fn = (this.options.actions ?? {})[effect.action]!;
    const call = actionCall(runId, effect, stored.snapshot.meta, attempt);
    const task = (async () => {
      try {
        await fn(call);
      } catch (error) {
        if (attempt < this.retry.attempts && !this.closed) {
          await new Promise<void>((resolve) => this.clock.setTimeout(resolve, backoff(this.retry, attempt + 1)));
          if (!this.closed) this.dispatch(runId, effect, attempt + 1);
          return;
        }
        this.settle(runId, effect, { ok: false, error: describeError(error) });
        this.options.onError?.(
          new RunError(
            'action-failed',
            `action "${effect.action}" of run ${runId} failed ${attempt} time${attempt > 1 ? 's' : ''}: ${describeError(error)}`,
            { cause: error },
          ),
        );
        return;
      }
      this.settle(runId, effect, { ok: true });
    })();
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
  }

  private settle(runId: string, effect: Effect, outcome: { ok: true } | { ok: false; error: string }): void {
    const stored = this.runs.get(runId);
    if (!stored) return;
    const now = this.now();
    const change = settleEffect(stored.snapshot, effect, outcome, now);
    this.runs.set(runId, { ...stored, snapshot: change.snapshot, updatedAt: now });
  }
}
