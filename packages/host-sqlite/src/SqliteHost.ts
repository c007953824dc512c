import Database from 'better-sqlite3';
import type { CompiledSop, SopMachineConfig } from '@sopflow/compiler';
import {
  HostError,
  SopCatalog,
  DEFAULT_RETRY,
  backoff,
  describeError,
  refusing,
  summary,
  checkList,
  checkRunId,
  checkStart,
  writeCursor,
  newRun,
  moveRun,
  fireDue,
  cancelStored,
  migrateStored,
  settleEffect,
  actionCall,
  toRecord,
  listFields,
  checkBound,
  type HostAction,
  type ListQuery,
  type ListResult,
  type MoveOptions,
  type RetryPolicy,
  type RunChange,
  type RunHost,
  type RunRecord,
  type SopSummary,
  type StartOptions,
} from '@sopflow/host';
import {
  LimitScheduler,
  parseMove,
  RunError,
  type Actor,
  type Effect,
  type JournalEntry,
  type Move,
  type RunClock,
  type RunSnapshot,
} from '@sopflow/runtime';
import { CREATE_TABLES, SCHEMA_VERSION } from './schema.js';

export interface SqliteHostOptions {
  /** the database file (created when missing); `:memory:` for a host that does not outlive the process */
  file: string;
  /** builds to serve (published at open, in order: the last of an SOP id is the newest) */
  sops?: SopMachineConfig[];
  /** an implementation for every named action of the served SOPs */
  actions?: Record<string, HostAction>;
  /** default: the real clock */
  clock?: RunClock;
  retry?: Partial<RetryPolicy>;
  /** refuse moves on a step with a `role` unless `by` has it */
  enforceRoles?: boolean;
  /** told of what goes wrong outside a call (an action that failed for good, a run that cannot fire) */
  onError?: (error: Error) => void;
  /**
   * `normal` (default): a committed change survives the process being killed at any point
   * (SIGKILL, a crash); a power cut may lose the last changes. `full`: it survives a power cut
   * too, at the cost of a sync of the disk per change.
   */
  synchronous?: 'normal' | 'full';
}

interface RunRow {
  snapshot: string;
  hash: string;
  revision: number;
  created_at: number;
  updated_at: number;
}

interface OutboxRow {
  run_id: string;
  idx: number;
  effect: string;
  attempts: number;
}

const realClock: RunClock = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/** How long a try of an action holds its outbox row before another may start (a try that
 *  outlives this is assumed lost: only a restart re-runs it sooner). */
const LEASE_MS = 60 * 60_000;
/** An outbox row whose action has no implementation is looked at again after this. */
const UNBOUND_RECHECK_MS = 60_000;
/** Runs fired per batch when deadlines fall due; between batches the event loop breathes. */
const FIRE_BATCH = 200;
/** How soon a run whose limit was due and did not fire (it cannot: reported) is tried again. */
const STUCK_RETRY_MS = 1_000;

/**
 * The embedded host: every run in one SQLite file. Each change (start, move, fired limit,
 * cancel, migration, action result) is one transaction that writes the run and the actions it
 * requests (the outbox); the actions run after the commit, are retried with backoff, and their
 * result is journaled in another transaction that also deletes the outbox row. So a process
 * killed at any point loses no committed change, and an action runs at most once more than
 * needed (after a crash between the action and its result: same idempotency key).
 *
 * One timer serves the whole file: it waits for the earliest deadline of any run (or the
 * earliest action retry), fires what is due, and waits for the next. At open, limits missed
 * while no process ran fire before the constructor returns.
 *
 * One process at a time: the file is opened in SQLite's exclusive locking mode, so a second
 * host (in this process or another) is refused with `unavailable` until the first closes or
 * dies. For many processes, use the Restate host.
 */
export class SqliteHost implements RunHost {
  private readonly db: Database.Database;
  private readonly catalog = new SopCatalog();
  private readonly clock: RunClock;
  private readonly retry: RetryPolicy;
  private readonly timer: LimitScheduler;
  private armedAt: number | undefined;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly unboundReported = new Set<string>();
  private sweeping = false;
  private closed = false;
  private readonly stmt: Statements;

  constructor(private readonly options: SqliteHostOptions) {
    if (!options || typeof options.file !== 'string' || options.file === '')
      throw new HostError('bad-request', 'a SQLite host needs { file }');
    this.clock = options.clock ?? realClock;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.db = openDatabase(options.file, options.synchronous ?? 'normal');
    try {
      this.stmt = prepareStatements(this.db);
      this.loadBuilds();
      for (const config of options.sops ?? []) this.publishSync(config);
      this.timer = new LimitScheduler(
        this.clock,
        () => this.now(),
        () => this.wake(),
      );
      // start-up: limits missed while the host was down fire now; every action left in the outbox is due
      this.fireDueRuns(Number.POSITIVE_INFINITY);
      this.stmt.outboxAllDue.run({ now: this.now() });
      this.dispatchDue();
      this.rearm();
    } catch (error) {
      this.db.close();
      throw error;
    }
  }

  // ---- the contract

  async publish(config: SopMachineConfig): Promise<SopSummary> {
    this.open();
    return summary(this.publishSync(config), true);
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
    if (this.stmt.exists.get(runId)) throw new HostError('exists', `a run with id ${JSON.stringify(runId)} exists`);
    const now = this.now();
    const change = refusing(() => newRun(compiled, { id: runId, now, ...(meta !== undefined ? { meta } : {}), ...(by ? { by } : {}) }));
    this.insertTx(runId, compiled, change, now);
    this.after(change, now);
    return this.record(compiled, change.snapshot, { createdAt: now, updatedAt: now, now });
  }

  async move(runId: string, move: Move, options: MoveOptions = {}): Promise<RunRecord> {
    this.open();
    const m = refusing(() => parseMove(move));
    const by = options.by;
    return this.change(runId, options.expect, (compiled, snapshot, now) =>
      moveRun(compiled, snapshot, m, { now, ...(by ? { by } : {}), ...(this.options.enforceRoles ? { enforceRoles: true } : {}) }),
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
    return this.change(
      runId,
      options.expect,
      (_compiled, snapshot, now) => {
        const to = this.catalog.newest(snapshot.sop.id);
        checkBound(to, this.options.actions ?? {}, 'host');
        return migrateStored(to, snapshot, { now, ...(options.by ? { by: options.by } : {}) });
      },
      true,
    );
  }

  async get(runId: string, options: { journal?: boolean } = {}): Promise<RunRecord> {
    this.open();
    checkRunId(runId);
    const row = this.row(runId);
    const snapshot = this.parse(runId, row);
    const times = { createdAt: row.created_at, updatedAt: row.updated_at, now: this.now() };
    if (options.journal === true)
      return this.record(this.catalog.build(row.hash), { ...snapshot, journal: this.journalOf(runId) }, times, true);
    return this.record(this.catalog.build(row.hash), snapshot, times);
  }

  async list(query: ListQuery = {}): Promise<ListResult> {
    this.open();
    const q = checkList(query);
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: q.limit + 1 };
    if (q.status !== undefined) {
      where.push('status = @status');
      params.status = q.status;
    }
    if (q.sop !== undefined) {
      where.push('sop = @sop');
      params.sop = q.sop;
    }
    if (q.step !== undefined) {
      where.push('step = @step');
      params.step = q.step;
    }
    if (q.role !== undefined) {
      where.push('role = @role');
      params.role = q.role;
    }
    if (q.dueBefore !== undefined) {
      where.push('deadline IS NOT NULL AND deadline <= @due');
      params.due = q.dueBefore;
    }
    if (q.after) {
      where.push('(created_at > @afterAt OR (created_at = @afterAt AND id > @afterId))');
      params.afterAt = q.after[0];
      params.afterId = q.after[1];
    }
    const sql = `SELECT id, snapshot, hash, revision, created_at, updated_at FROM runs${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id LIMIT @limit`;
    const rows = this.db.prepare(sql).all(params) as (RunRow & { id: string })[];
    const page = rows.slice(0, q.limit);
    const now = this.now();
    const runs = page.map((row) =>
      this.record(this.catalog.build(row.hash), this.parse(row.id, row), { createdAt: row.created_at, updatedAt: row.updated_at, now }),
    );
    const last = page[page.length - 1];
    return { runs, ...(rows.length > q.limit && last ? { next: writeCursor([last.created_at, last.id]) } : {}) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.timer.disarm();
    while (this.inFlight.size) await Promise.allSettled([...this.inFlight.values()]);
    // the write-ahead log into the file, so a copy of the file alone is complete
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      /* closing anyway */
    }
    this.db.close();
  }

  /** Writes a consistent copy of the database to `file` while the host runs (SQLite's online
   *  backup). */
  async backup(file: string): Promise<void> {
    this.open();
    try {
      await this.db.backup(file);
    } catch (error) {
      throw new HostError('unavailable', `cannot back up to ${file}: ${describeError(error)}`);
    }
  }

  // ---- internals

  private now(): number {
    return this.clock.now ? this.clock.now() : Date.now();
  }

  private open(): void {
    if (this.closed) throw new HostError('unavailable', 'the host is closed');
  }

  private loadBuilds(): void {
    for (const row of this.stmt.allBuilds.all() as { hash: string; config: string }[]) {
      try {
        this.catalog.publish(JSON.parse(row.config));
      } catch (error) {
        this.report(new HostError('unavailable', `build ${row.hash} in ${this.options.file} cannot be read: ${describeError(error)}`));
      }
    }
  }

  private publishSync(config: SopMachineConfig): CompiledSop {
    const compiled = this.catalog.publish(config);
    this.db.transaction(() => {
      this.stmt.insertBuild.run(compiled.hash, compiled.id, compiled.version ?? null, JSON.stringify(compiled.config));
      const newest = this.stmt.newestSeq.get(compiled.id) as { hash: string } | undefined;
      if (newest?.hash !== compiled.hash) this.stmt.bumpBuild.run(compiled.hash);
    })();
    return compiled;
  }

  private row(runId: string): RunRow {
    const row = this.stmt.getRun.get(runId) as RunRow | undefined;
    if (!row) throw new HostError('not-found', `no run with id ${JSON.stringify(runId)}`);
    return row;
  }

  /** The stored snapshot, without its journal (`journal: []`; see `journalOf`). */
  private parse(runId: string, row: RunRow): RunSnapshot {
    try {
      return { ...(JSON.parse(row.snapshot) as RunSnapshot), journal: [] };
    } catch {
      throw new HostError('unavailable', `run ${runId} in ${this.options.file} cannot be read (not JSON)`);
    }
  }

  private journalOf(runId: string): JournalEntry[] {
    return (this.stmt.journal.all(runId) as { entry: string }[]).map((r) => JSON.parse(r.entry) as JournalEntry);
  }

  /** The record of a run; `snapshot.journal` is all of it when `withJournal`, else empty. */
  private record(
    compiled: CompiledSop,
    snapshot: RunSnapshot,
    times: { createdAt: number; updatedAt: number; now: number },
    withJournal = false,
  ): RunRecord {
    const record = toRecord(compiled, snapshot, times, { journal: withJournal });
    record.pendingActions = (this.stmt.pending.get(snapshot.id) as { n: number }).n;
    return record;
  }

  /** One change: checked against the expected revision, applied, written with its outbox in one
   *  transaction, then its actions run and the timer is moved if it must wake sooner. */
  private change(
    runId: string,
    expect: { revision: number } | undefined,
    op: (compiled: CompiledSop, snapshot: RunSnapshot, now: number) => RunChange,
    needsJournal = false,
  ): RunRecord {
    checkRunId(runId);
    const row = this.row(runId);
    if (expect !== undefined) {
      if (!expect || typeof expect !== 'object' || !Number.isSafeInteger(expect.revision))
        throw new HostError('bad-request', '`expect` is { revision: <integer> }');
      if (expect.revision !== row.revision) {
        throw new HostError(
          'stale',
          `the run is at revision ${row.revision}, not ${expect.revision}: someone else moved it; reload it and try again`,
        );
      }
    }
    const snapshot = this.parse(runId, row);
    if (needsJournal) snapshot.journal = this.journalOf(runId);
    const now = this.now();
    const change = refusing(() => op(this.catalog.build(row.hash), snapshot, now));
    const compiled = this.write(runId, row.revision, change, now);
    this.after(change, now);
    return this.record(compiled, change.snapshot, { createdAt: row.created_at, updatedAt: now, now });
  }

  /** Writes a changed run, the journal entries it adds and the actions it requests, in one
   *  transaction. */
  private write(runId: string, expected: number, change: RunChange, now: number, settled?: Effect): CompiledSop {
    const compiled = this.catalog.build(change.snapshot.sop.hash);
    this.updateTx(runId, expected, compiled, change, now, settled);
    return compiled;
  }

  private readonly insertTx = this.dbTransaction((runId: string, compiled: CompiledSop, change: RunChange, now: number) => {
    const f = listFields(compiled, change.snapshot);
    this.stmt.insertRun.run({
      id: runId,
      sop: compiled.id,
      hash: compiled.hash,
      revision: change.snapshot.revision,
      status: f.status,
      step: f.step,
      role: f.role,
      deadline: f.deadline,
      created_at: now,
      updated_at: now,
      snapshot: stored(change.snapshot),
    });
    this.append(runId, change);
    this.enqueue(runId, change.effects, now);
  });

  private readonly updateTx = this.dbTransaction(
    (runId: string, expected: number, compiled: CompiledSop, change: RunChange, now: number, settled?: Effect) => {
      const f = listFields(compiled, change.snapshot);
      const result = this.stmt.updateRun.run({
        id: runId,
        hash: compiled.hash,
        revision: change.snapshot.revision,
        status: f.status,
        step: f.step,
        role: f.role,
        deadline: f.deadline,
        updated_at: now,
        snapshot: stored(change.snapshot),
        expected,
      });
      if (result.changes !== 1) throw new HostError('stale', `run ${runId} changed while this change was made; reload it and try again`);
      this.append(runId, change);
      this.enqueue(runId, change.effects, now);
      if (settled) this.stmt.deleteEffect.run(runId, settled.index);
    },
  );

  /** A transaction function, made once (better-sqlite3 wraps `fn` in BEGIN / COMMIT). */
  private dbTransaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
    let tx: ((...args: A) => void) | undefined;
    return (...args: A) => (tx ??= this.db.transaction(fn))(...args);
  }

  /** The entries a change adds, at their journal indexes (the last is `state.seq - 1`). */
  private append(runId: string, change: RunChange): void {
    const first = change.snapshot.state.seq - change.entries.length;
    change.entries.forEach((entry, i) => this.stmt.insertEntry.run(runId, first + i, JSON.stringify(entry)));
  }

  private enqueue(runId: string, effects: readonly Effect[], now: number): void {
    for (const effect of effects) this.stmt.insertEffect.run(runId, effect.index, JSON.stringify(effect), now);
  }

  /** After a commit: the new actions start, and the timer is moved if this run's deadline comes first. */
  private after(change: RunChange, now: number): void {
    if (change.effects.length) this.dispatchDue();
    const deadline = listFields(this.catalog.build(change.snapshot.sop.hash), change.snapshot).deadline;
    if (deadline !== null) this.armFor(Math.max(deadline, now));
  }

  private armFor(at: number): void {
    if (this.closed) return;
    if (this.armedAt !== undefined && this.armedAt <= at) return;
    this.armedAt = at;
    this.timer.arm(at);
  }

  /** Arms the one timer for what comes next: the earliest deadline or action retry. A deadline
   *  that passed after the sweep looked (a slow sweep) is armed at once; one that was already
   *  due when the sweep looked and did not fire (a run that cannot fire) is tried again after
   *  STUCK_RETRY_MS, not in a loop. */
  private rearm(sweptAt = Number.NEGATIVE_INFINITY): void {
    if (this.closed) return;
    const now = this.now();
    const run = (this.stmt.nextDeadline.get(sweptAt) as { at: number | null }).at;
    const effect = (this.stmt.nextEffect.get() as { at: number | null }).at;
    let at = [run, effect].filter((x): x is number => x !== null).reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
    const stuck = (this.stmt.stuckRun.get(sweptAt) as { at: number | null }).at;
    if (stuck !== null) at = Math.min(at, now + STUCK_RETRY_MS);
    this.timer.disarm();
    this.armedAt = undefined;
    if (Number.isFinite(at)) this.armFor(Math.max(at, now));
  }

  private wake(): void {
    this.armedAt = undefined;
    if (this.closed || this.sweeping) return;
    this.sweeping = true;
    let sweptAt = Number.NEGATIVE_INFINITY;
    const sweep = () => {
      if (this.closed) {
        this.sweeping = false;
        return;
      }
      let more = false;
      try {
        sweptAt = this.now();
        more = this.fireDueRuns(FIRE_BATCH, sweptAt);
        this.dispatchDue();
      } catch (error) {
        this.report(error);
      }
      if (more) {
        setImmediate(sweep);
        return;
      }
      this.sweeping = false;
      try {
        this.rearm(sweptAt);
      } catch (error) {
        this.report(error);
      }
    };
    sweep();
  }

  /** Fires the limits due now, at most `max` runs; true when more may be due. */
  private fireDueRuns(max: number, now = this.now()): boolean {
    const seen = new Set<string>();
    let fired = 0;
    for (;;) {
      const batch = (this.stmt.dueRuns.all(now, Math.min(FIRE_BATCH, max - fired)) as { id: string }[]).filter((r) => !seen.has(r.id));
      if (batch.length === 0) return false;
      for (const { id } of batch) {
        seen.add(id);
        fired++;
        try {
          this.fireOne(id, now);
        } catch (error) {
          this.report(
            error instanceof Error
              ? new HostError('unavailable', `run ${id}: its time limit could not fire: ${describeError(error)}`, { cause: error })
              : error,
          );
        }
      }
      if (fired >= max) return true;
    }
  }

  private fireOne(runId: string, now: number): void {
    const row = this.stmt.getRun.get(runId) as RunRow | undefined;
    if (!row) return;
    const snapshot = this.parse(runId, row);
    const compiled = this.catalog.build(row.hash);
    const change = fireDue(compiled, snapshot, now);
    if (!change) {
      // nothing due after all (the column was ahead of the run): write the true deadline
      const f = listFields(compiled, snapshot);
      if (f.deadline !== null && f.deadline <= now)
        throw new RunError('invalid-snapshot', `a limit is due at ${new Date(f.deadline).toISOString()} but does not fire`);
      this.db.prepare('UPDATE runs SET deadline = ? WHERE id = ?').run(f.deadline, runId);
      return;
    }
    this.write(runId, row.revision, change, now);
    if (change.effects.length) this.dispatchDue();
  }

  /** Starts every action that is due and not already running. */
  private dispatchDue(): void {
    if (this.closed) return;
    const now = this.now();
    for (const row of this.stmt.dueEffects.all(now) as OutboxRow[]) this.tryEffect(row, now);
  }

  private tryEffect(row: OutboxRow, now: number): void {
    const key = `${row.run_id}:${row.idx}`;
    if (this.inFlight.has(key) || this.closed) return;
    let effect: Effect;
    try {
      effect = JSON.parse(row.effect) as Effect;
    } catch {
      this.report(new HostError('unavailable', `outbox row ${key} cannot be read (not JSON)`));
      this.stmt.postpone.run(now + UNBOUND_RECHECK_MS, row.run_id, row.idx);
      return;
    }
    const actions = this.options.actions ?? {};
    const fn = Object.prototype.hasOwnProperty.call(actions, effect.action) ? actions[effect.action] : undefined;
    if (typeof fn !== 'function') {
      // kept, never dropped: it runs once the host is given an implementation
      if (!this.unboundReported.has(key)) {
        this.unboundReported.add(key);
        this.report(
          new RunError(
            'unbound-action',
            `action "${effect.action}" of run ${row.run_id} waits in the outbox: the host has no implementation for it`,
          ),
        );
      }
      this.stmt.postpone.run(now + UNBOUND_RECHECK_MS, row.run_id, row.idx);
      return;
    }
    const attempt = row.attempts + 1;
    this.stmt.startTry.run(attempt, now + LEASE_MS, row.run_id, row.idx);
    const runRow = this.stmt.getRun.get(row.run_id) as RunRow | undefined;
    const meta = runRow ? this.parse(row.run_id, runRow).meta : undefined;
    const call = actionCall(row.run_id, effect, meta, attempt);
    const task = (async () => {
      let outcome: { ok: true } | { ok: false; error: string };
      try {
        await fn(call);
        outcome = { ok: true };
      } catch (error) {
        if (attempt < this.retry.attempts) {
          if (!this.closed) {
            this.stmt.postpone.run(this.now() + backoff(this.retry, attempt + 1), row.run_id, row.idx);
            this.rearm();
          }
          return;
        }
        outcome = { ok: false, error: describeError(error) };
        this.report(
          new RunError(
            'action-failed',
            `action "${effect.action}" of run ${row.run_id} failed ${attempt} time${attempt > 1 ? 's' : ''}: ${outcome.error}`,
            { cause: error },
          ),
        );
      }
      this.settle(row.run_id, effect, outcome);
    })()
      .catch((error) => this.report(error))
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, task);
  }

  /** Journals an action's result and deletes its outbox row, in one transaction. */
  private settle(runId: string, effect: Effect, outcome: { ok: true } | { ok: false; error: string }): void {
    for (let tries = 0; tries < 3; tries++) {
      const row = this.stmt.getRun.get(runId) as RunRow | undefined;
      if (!row) return;
      const now = this.now();
      const change = settleEffect(this.parse(runId, row), effect, outcome, now);
      try {
        this.write(runId, row.revision, change, now, effect);
        return;
      } catch (error) {
        if (!(error instanceof HostError && error.code === 'stale')) throw error;
      }
    }
  }

  private report(error: unknown): void {
    try {
      this.options.onError?.(error instanceof Error ? error : new Error(String(error)));
    } catch {
      // a failing error handler must not take the host down
    }
  }
}

function prepareStatements(db: Database.Database) {
  return {
    exists: db.prepare('SELECT 1 FROM runs WHERE id = ?'),
    getRun: db.prepare('SELECT snapshot, hash, revision, created_at, updated_at FROM runs WHERE id = ?'),
    journal: db.prepare('SELECT entry FROM journal WHERE run_id = ? ORDER BY idx'),
    insertEntry: db.prepare('INSERT INTO journal (run_id, idx, entry) VALUES (?, ?, ?)'),
    pending: db.prepare('SELECT COUNT(*) AS n FROM outbox WHERE run_id = ?'),
    insertRun: db.prepare(`INSERT INTO runs (id, sop, hash, revision, status, step, role, deadline, created_at, updated_at, snapshot)
      VALUES (@id, @sop, @hash, @revision, @status, @step, @role, @deadline, @created_at, @updated_at, @snapshot)`),
    updateRun:
      db.prepare(`UPDATE runs SET hash = @hash, revision = @revision, status = @status, step = @step, role = @role, deadline = @deadline,
      updated_at = @updated_at, snapshot = @snapshot WHERE id = @id AND revision = @expected`),
    dueRuns: db.prepare('SELECT id FROM runs WHERE deadline IS NOT NULL AND deadline <= ? ORDER BY deadline LIMIT ?'),
    nextDeadline: db.prepare('SELECT MIN(deadline) AS at FROM runs WHERE deadline IS NOT NULL AND deadline > ?'),
    stuckRun: db.prepare('SELECT MIN(deadline) AS at FROM runs WHERE deadline IS NOT NULL AND deadline <= ?'),
    insertEffect: db.prepare('INSERT INTO outbox (run_id, idx, effect, attempts, due_at) VALUES (?, ?, ?, 0, ?)'),
    dueEffects: db.prepare('SELECT run_id, idx, effect, attempts FROM outbox WHERE due_at <= ? ORDER BY due_at LIMIT 500'),
    nextEffect: db.prepare('SELECT MIN(due_at) AS at FROM outbox'),
    outboxAllDue: db.prepare('UPDATE outbox SET due_at = @now WHERE due_at > @now'),
    startTry: db.prepare('UPDATE outbox SET attempts = ?, due_at = ? WHERE run_id = ? AND idx = ?'),
    postpone: db.prepare('UPDATE outbox SET due_at = ? WHERE run_id = ? AND idx = ?'),
    deleteEffect: db.prepare('DELETE FROM outbox WHERE run_id = ? AND idx = ?'),
    insertBuild: db.prepare('INSERT OR IGNORE INTO builds (hash, sop, version, config, seq) VALUES (?, ?, ?, ?, 0)'),
    bumpBuild: db.prepare('UPDATE builds SET seq = (SELECT COALESCE(MAX(seq), 0) + 1 FROM builds) WHERE hash = ?'),
    newestSeq: db.prepare('SELECT hash FROM builds WHERE sop = ? ORDER BY seq DESC LIMIT 1'),
    allBuilds: db.prepare('SELECT hash, config FROM builds ORDER BY seq'),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/** A snapshot as `runs.snapshot` holds it: without the journal (it has its own table). */
function stored(snapshot: RunSnapshot): string {
  return JSON.stringify({ ...snapshot, journal: [] });
}

/** Opens the file alone (exclusive locking mode), in WAL mode, with the tables. */
function openDatabase(file: string, synchronous: 'normal' | 'full'): Database.Database {
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: 0 });
  } catch (error) {
    throw new HostError('unavailable', `cannot open ${file}: ${describeError(error)}`, { cause: error });
  }
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
    // the first write takes the file's lock, held until close (or the process dies)
    db.exec('BEGIN IMMEDIATE');
    db.exec(CREATE_TABLES);
    const version = db.prepare("SELECT value FROM sopflow_meta WHERE key = 'schema'").get() as { value: string } | undefined;
    if (version && Number(version.value) > SCHEMA_VERSION) {
      db.exec('ROLLBACK');
      throw new HostError(
        'unavailable',
        `${file} was written by a newer sopflow (tables version ${version.value}; this one reads ${SCHEMA_VERSION})`,
      );
    }
    db.prepare("INSERT OR REPLACE INTO sopflow_meta (key, value) VALUES ('schema', ?)").run(String(SCHEMA_VERSION));
    db.exec('COMMIT');
    return db;
  } catch (error) {
    try {
      db.close();
    } catch {
      /* already failing */
    }
    if (error instanceof HostError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      throw new HostError(
        'unavailable',
        `${file} is in use by another host (a SQLite host holds its file alone; stop the other process, or use the Restate engine for many processes)`,
        { cause: error },
      );
    }
    throw new HostError('unavailable', `cannot use ${file} as a sopflow database: ${describeError(error)}`, { cause: error });
  }
}
