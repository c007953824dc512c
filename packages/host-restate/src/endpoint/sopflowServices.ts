import '../polyfill.js';
import * as restate from '@restatedev/restate-sdk';
import { readCompiledSop, type CompiledSop } from '@sopflow/compiler';
import {
  actor,
  backoff,
  cancelStored,
  checkBound,
  checkRunId,
  checkStart,
  DEFAULT_RETRY,
  describeError,
  fireDue,
  HostError,
  listFields,
  migrateStored,
  moveRun,
  newRun,
  refusing,
  settleEffect,
  summary,
  toRecord,
  actionCall,
  type HostAction,
  type RetryPolicy,
  type RunChange,
  type RunRecord,
  type SopSummary,
} from '@sopflow/host';
import { checkSnapshotShape, nextDeadline, parseMove, RunError, type Actor, type EffectOutcome } from '@sopflow/runtime';
import { BuildCache } from '../BuildCache.js';
import { IngressClient } from '../http/IngressClient.js';
import { CATALOG_KEY, indexKey, serviceNames, type IndexGroup, type ServiceNames } from '../names.js';
import {
  unwrap,
  type ActionInput,
  type Answer,
  type CancelInput,
  type CatalogEntry,
  type FireInput,
  type GetInput,
  type IndexRow,
  type MigrateInput,
  type MoveInput,
  type SettleInput,
  type StartInput,
  type StoredRun,
} from '../wire.js';
import { answer, Transient } from './answer.js';
import { byKey, checkIndexQuery, matches, sameFields } from '../indexQuery.js';

export interface SopflowServicesOptions {
  /** the services' name prefix (default `sopflow`); clients of the namespace use the same */
  namespace?: string;
  /** where this endpoint reaches Restate's ingress: it fetches the builds its runs follow from
   *  there (a build is fetched once per process and kept) */
  ingress: string | URL | IngressClient;
  /** an implementation for every named action of the SOPs served; every endpoint process of a
   *  namespace binds the same ones */
  actions?: Record<string, HostAction>;
  /** how actions are retried (default 5 tries, 200 ms doubling, jittered) */
  retry?: Partial<RetryPolicy>;
  /** told of an action that failed for good */
  onError?: (error: Error) => void;
  /** Restate SDK hooks for every handler of every service (tracing, metrics, or a test that
   *  stops an endpoint at a chosen point) */
  hooks?: restate.HooksProvider[];
}

export interface SopflowServices {
  names: ServiceNames;
  /** the Restate service definitions, to bind to an endpoint */
  services: (restate.VirtualObjectDefinition<string, unknown> | restate.ServiceDefinition<string, unknown>)[];
  builds: BuildCache;
  /** closes the ingress client made from a URL */
  close(): void;
}

const json = restate.serde.json;

/** Restate retries what fails underneath (an endpoint down, Restate restarting) every 100 ms at
 *  first, then at most every 10 s, for about four months before it pauses an invocation. */
const RETRY: restate.RetryPolicy = {
  initialInterval: 100,
  exponentiationFactor: 2,
  maxInterval: 10_000,
  maxAttempts: 1_000_000,
  onMaxAttempts: 'pause',
};

/**
 * The sopflow services on Restate, for one namespace:
 *
 * - `<ns>.Run`, a virtual object per run id. Exclusive handlers (`start`, `move`, `cancel`,
 *   `migrate`, `fire`, `settle`) run one at a time per run; `get` is shared. Its state is the
 *   run snapshot (state + journal + revision + meta) with its times and the armed limit.
 * - `<ns>.Build`, a virtual object per build hash: the compiled config, so any endpoint can
 *   run any run's build.
 * - `<ns>.Catalog` (key `catalog`): the builds served and the newest of each SOP id.
 * - `<ns>.Index`, virtual objects `active.<n>` and `ended.<n>`: one row per run, what `list`
 *   reads.
 * - `<ns>.Actions`: runs one action request in `ctx.run` (journaled), retried with backoff,
 *   then records the result on the run.
 */
export function sopflowServices(options: SopflowServicesOptions): SopflowServices {
  const names = serviceNames(options.namespace);
  const common = options.hooks?.length ? { hooks: options.hooks } : {};
  const ownIngress = !(options.ingress instanceof IngressClient);
  const ingress = options.ingress instanceof IngressClient ? options.ingress : new IngressClient(options.ingress);
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const bound = options.actions ?? {};
  const builds = new BuildCache(async (hash) => {
    try {
      return unwrap(await ingress.call<Answer<unknown>>({ service: names.build, key: hash, handler: 'get' }, null));
    } catch (error) {
      if (error instanceof HostError && error.code !== 'unavailable') throw error;
      throw new Transient(`cannot fetch build ${hash}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  const call = <T>(ctx: restate.Context, service: string, key: string | undefined, method: string, parameter: unknown) =>
    ctx.genericCall<unknown, T>({ service, method, parameter, ...(key !== undefined ? { key } : {}), inputSerde: json, outputSerde: json });
  const send = (ctx: restate.Context, service: string, key: string | undefined, method: string, parameter: unknown, delay?: number) =>
    ctx.genericSend<unknown>({
      service,
      method,
      parameter,
      ...(key !== undefined ? { key } : {}),
      inputSerde: json,
      ...(delay !== undefined ? { delay } : {}),
    });

  // ---- the run object

  async function load(ctx: restate.ObjectSharedContext): Promise<StoredRun | undefined> {
    const stored = await ctx.get<StoredRun>('run');
    if (stored === null || stored === undefined) return undefined;
    if (typeof stored !== 'object' || !Number.isFinite(stored.createdAt) || !Number.isFinite(stored.updatedAt)) {
      throw new RunError('invalid-snapshot', `the run ${JSON.stringify(ctx.key)} as Restate holds it is not a sopflow run`);
    }
    checkSnapshotShape(stored.snapshot);
    return stored;
  }

  async function mustLoad(ctx: restate.ObjectSharedContext): Promise<StoredRun> {
    const stored = await load(ctx);
    if (!stored) throw new HostError('not-found', `no run with id ${JSON.stringify(ctx.key)}`);
    return stored;
  }

  function checkExpect(expect: unknown, stored: StoredRun): void {
    if (expect === undefined || expect === null) return;
    const revision = (expect as { revision?: unknown }).revision;
    if (typeof expect !== 'object' || typeof revision !== 'number' || !Number.isSafeInteger(revision))
      throw new HostError('bad-request', '`expect` is { revision: <integer> }');
    if (revision !== stored.snapshot.revision) {
      throw new HostError(
        'stale',
        `the run is at revision ${stored.snapshot.revision}, not ${revision}: someone else moved it; reload it and try again`,
      );
    }
  }

  const optionalActor = (value: unknown): Actor | undefined => (value === undefined || value === null ? undefined : actor(value));

  async function build(hash: string): Promise<CompiledSop> {
    return builds.get(hash);
  }

  async function newest(ctx: restate.ObjectContext, sopId: string): Promise<CompiledSop> {
    const entry = unwrap(await call<Answer<{ hash: string }>>(ctx, names.catalog, CATALOG_KEY, 'newest', sopId));
    return build(entry.hash);
  }

  const group = (status: string): IndexGroup => (status === 'active' ? 'active' : 'ended');

  /** Stores a change, arms the run's next limit, sends its actions, and updates the index; then
   *  answers the run as it is now. */
  async function commit(
    ctx: restate.ObjectContext,
    before: StoredRun | undefined,
    compiled: CompiledSop,
    change: RunChange,
    now: number,
  ): Promise<RunRecord> {
    const runId = ctx.key;
    const { snapshot } = change;
    const next: StoredRun = { snapshot, createdAt: before?.createdAt ?? now, updatedAt: now };
    const deadline = nextDeadline(compiled, snapshot.state);
    if (deadline !== undefined) {
      if (before?.timer && before.timer.deadline === deadline) {
        next.timer = before.timer;
      } else {
        next.timer = { deadline, revision: snapshot.revision };
        send(ctx, names.run, runId, 'fire', next.timer satisfies FireInput, Math.max(0, deadline - now));
      }
    }
    for (const effect of change.effects) {
      send(ctx, names.actions, undefined, 'run', {
        runId,
        effect,
        ...(snapshot.meta !== undefined ? { meta: snapshot.meta } : {}),
      } satisfies ActionInput);
    }
    const fields = listFields(compiled, snapshot);
    const was = before?.indexed;
    next.indexed = fields;
    ctx.set('run', next);
    // the index: only when what `list` filters on has changed (a new step, status or deadline)
    if (!was || !sameFields(was, fields)) {
      const to = group(fields.status);
      await call(ctx, names.index, indexKey(to, runId), 'put', { id: runId, createdAt: next.createdAt, fields } satisfies IndexRow);
      if (was && group(was.status) !== to) await call(ctx, names.index, indexKey(group(was.status), runId), 'remove', runId);
    }
    return toRecord(compiled, snapshot, { createdAt: next.createdAt, updatedAt: now, now });
  }

  const runObject = restate.object({
    name: names.run,
    options: { ...common, retryPolicy: RETRY, journalRetention: 0, idempotencyRetention: { hours: 1 } },
    handlers: {
      start: async (ctx: restate.ObjectContext, input: StartInput): Promise<Answer<RunRecord>> =>
        answer(async () => {
          checkRunId(ctx.key);
          if (!input || typeof input !== 'object' || typeof input.sop !== 'string')
            throw new HostError('bad-request', 'start takes { sop, meta?, by? }');
          const { by, meta } = checkStart({
            ...(input.by !== undefined ? { by: input.by } : {}),
            ...(input.meta !== undefined ? { meta: input.meta } : {}),
          });
          if (await load(ctx)) throw new HostError('exists', `a run with id ${JSON.stringify(ctx.key)} exists`);
          const compiled = await newest(ctx, input.sop);
          checkBound(compiled, bound, 'endpoint');
          const now = await ctx.date.now();
          const change = refusing(() =>
            newRun(compiled, { id: ctx.key, now, ...(meta !== undefined ? { meta } : {}), ...(by ? { by } : {}) }),
          );
          return commit(ctx, undefined, compiled, change, now);
        }),

      move: async (ctx: restate.ObjectContext, input: MoveInput): Promise<Answer<RunRecord>> =>
        answer(async () => {
          if (!input || typeof input !== 'object') throw new HostError('bad-request', 'move takes { move, expect?, by? }');
          const move = refusing(() => parseMove(input.move));
          const by = optionalActor(input.by);
          const stored = await mustLoad(ctx);
          checkExpect(input.expect, stored);
          const compiled = await build(stored.snapshot.sop.hash);
          const now = await ctx.date.now();
          const change = refusing(() =>
            moveRun(compiled, stored.snapshot, move, {
              now,
              ...(by ? { by } : {}),
              ...(input.enforceRoles === true ? { enforceRoles: true } : {}),
            }),
          );
          return commit(ctx, stored, compiled, change, now);
        }),

      cancel: async (ctx: restate.ObjectContext, input: CancelInput): Promise<Answer<RunRecord>> =>
        answer(async () => {
          const options = input ?? {};
          if (typeof options !== 'object') throw new HostError('bad-request', 'cancel takes { reason?, by?, expect? }');
          if (options.reason !== undefined && typeof options.reason !== 'string') throw new HostError('bad-request', 'a reason is text');
          const by = optionalActor(options.by);
          const stored = await mustLoad(ctx);
          checkExpect(options.expect, stored);
          const compiled = await build(stored.snapshot.sop.hash);
          const now = await ctx.date.now();
          const change = refusing(() =>
            cancelStored(compiled, stored.snapshot, {
              now,
              ...(options.reason !== undefined ? { reason: options.reason } : {}),
              ...(by ? { by } : {}),
            }),
          );
          return commit(ctx, stored, compiled, change, now);
        }),

      migrate: async (ctx: restate.ObjectContext, input: MigrateInput): Promise<Answer<RunRecord>> =>
        answer(async () => {
          const options = input ?? {};
          if (typeof options !== 'object') throw new HostError('bad-request', 'migrate takes { by?, expect? }');
          const by = optionalActor(options.by);
          const stored = await mustLoad(ctx);
          checkExpect(options.expect, stored);
          const to = await newest(ctx, stored.snapshot.sop.id);
          checkBound(to, bound, 'endpoint');
          const now = await ctx.date.now();
          const change = refusing(() => migrateStored(to, stored.snapshot, { now, ...(by ? { by } : {}) }));
          return commit(ctx, stored, to, change, now);
        }),

      /** A limit's delayed call: fires the run's due limits if the run still waits on the limit
       *  this call was armed for (same deadline and revision); a stale call does nothing. */
      fire: restate.handlers.object.exclusive(
        { ingressPrivate: true },
        async (ctx: restate.ObjectContext, input: FireInput): Promise<string> => {
          const result = await answer(async () => {
            const stored = await load(ctx);
            const timer = stored?.timer;
            if (!stored || !timer || !input || timer.deadline !== input.deadline || timer.revision !== input.revision) return 'stale';
            const compiled = await build(stored.snapshot.sop.hash);
            const now = await ctx.date.now();
            const change = fireDue(compiled, stored.snapshot, now);
            if (change) {
              await commit(ctx, stored, compiled, change, now);
              return 'fired';
            }
            // early (the clocks of Restate and this endpoint differ): wait for the rest
            if (timer.deadline > now) {
              send(ctx, names.run, ctx.key, 'fire', timer, timer.deadline - now);
              return 'early';
            }
            return 'none-due';
          });
          if ('error' in result) {
            options.onError?.(new HostError(result.error.code, `the limit of run ${ctx.key} could not fire: ${result.error.message}`));
            return result.error.code;
          }
          return result.ok;
        },
      ),

      /** An action's result, as its own change (revision + 1); a repeat is ignored. */
      settle: restate.handlers.object.exclusive(
        { ingressPrivate: true },
        async (ctx: restate.ObjectContext, input: SettleInput): Promise<string> => {
          const result = await answer(async () => {
            const stored = await load(ctx);
            if (!stored || !input?.effect) return 'unknown-run';
            const index = input.effect.index;
            const journal = stored.snapshot.journal;
            if (journal[index]?.type !== 'action-requested') return 'unknown-request';
            if (journal.some((e) => (e.type === 'action-done' || e.type === 'action-failed') && e.ref === index)) return 'settled-before';
            const compiled = await build(stored.snapshot.sop.hash);
            const now = await ctx.date.now();
            await commit(ctx, stored, compiled, settleEffect(stored.snapshot, input.effect, input.outcome, now), now);
            return 'settled';
          });
          if ('error' in result) {
            options.onError?.(
              new HostError(result.error.code, `the action result of run ${ctx.key} could not be recorded: ${result.error.message}`),
            );
            return result.error.code;
          }
          return result.ok;
        },
      ),

      get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext, input: GetInput): Promise<Answer<RunRecord>> =>
        answer(async () => {
          const stored = await mustLoad(ctx);
          const compiled = await build(stored.snapshot.sop.hash);
          return toRecord(
            compiled,
            stored.snapshot,
            { createdAt: stored.createdAt, updatedAt: stored.updatedAt, now: Date.now() },
            { journal: input?.journal === true },
          );
        }),
      ),
    },
  });

  // ---- builds and the catalog

  const buildObject = restate.object({
    name: names.build,
    options: { ...common, retryPolicy: RETRY, journalRetention: 0 },
    handlers: {
      put: restate.handlers.object.exclusive(
        { ingressPrivate: true },
        async (ctx: restate.ObjectContext, config: unknown): Promise<boolean> => {
          const known = await ctx.get('config');
          if (known === null || known === undefined) ctx.set('config', config);
          return true;
        },
      ),
      get: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext): Promise<Answer<unknown>> => ({
        ok: (await ctx.get('config')) ?? null,
      })),
    },
  });

  async function catalogEntries(
    ctx: restate.ObjectSharedContext,
  ): Promise<{ builds: Record<string, CatalogEntry>; newest: Record<string, string> }> {
    return {
      builds: (await ctx.get<Record<string, CatalogEntry>>('builds')) ?? {},
      newest: (await ctx.get<Record<string, string>>('newest')) ?? {},
    };
  }

  const catalogObject = restate.object({
    name: names.catalog,
    options: { ...common, retryPolicy: RETRY, journalRetention: 0, idempotencyRetention: { hours: 1 } },
    handlers: {
      /** adds a build; new runs of its SOP start on it */
      publish: async (ctx: restate.ObjectContext, config: unknown): Promise<Answer<SopSummary>> =>
        answer(async () => {
          let compiled: CompiledSop;
          try {
            compiled = readCompiledSop(config);
          } catch (error) {
            throw new HostError('invalid-input', error instanceof Error ? error.message : String(error));
          }
          const { builds: known, newest: newestById } = await catalogEntries(ctx);
          if (!known[compiled.hash]) {
            await call(ctx, names.build, compiled.hash, 'put', config);
            const now = await ctx.date.now();
            const { newest: _newest, ...entry } = summary(compiled, true);
            known[compiled.hash] = { ...entry, publishedAt: now };
            ctx.set('builds', known);
          }
          newestById[compiled.id] = compiled.hash;
          ctx.set('newest', newestById);
          builds.add(compiled);
          return summary(compiled, true);
        }),
      newest: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext, sopId: unknown): Promise<Answer<{ hash: string }>> =>
        answer(async () => {
          const { newest: newestById } = await catalogEntries(ctx);
          const hash = typeof sopId === 'string' && Object.prototype.hasOwnProperty.call(newestById, sopId) ? newestById[sopId] : undefined;
          if (hash === undefined) {
            const served = Object.keys(newestById);
            throw new HostError(
              'unknown-sop',
              `no SOP with id ${JSON.stringify(sopId)} is served${served.length ? ` (served: ${served.join(', ')})` : ''}`,
            );
          }
          return { hash };
        }),
      ),
      list: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext): Promise<Answer<SopSummary[]>> =>
        answer(async () => {
          const { builds: known, newest: newestById } = await catalogEntries(ctx);
          return Object.values(known)
            .sort((a, b) => a.publishedAt - b.publishedAt)
            .map(({ publishedAt: _at, ...entry }) => ({ ...entry, newest: newestById[entry.id] === entry.hash }));
        }),
      ),
    },
  });

  // ---- the list index

  const indexObject = restate.object({
    name: names.index,
    options: { ...common, retryPolicy: RETRY, journalRetention: 0 },
    handlers: {
      put: restate.handlers.object.exclusive(
        { ingressPrivate: true, enableLazyState: true },
        async (ctx: restate.ObjectContext, row: IndexRow): Promise<boolean> => {
          ctx.set(row.id, row);
          return true;
        },
      ),
      remove: restate.handlers.object.exclusive(
        { ingressPrivate: true, enableLazyState: true },
        async (ctx: restate.ObjectContext, id: string): Promise<boolean> => {
          ctx.clear(id);
          return true;
        },
      ),
      /** the rows that match, after the cursor, oldest first, at most `limit` */
      query: restate.handlers.object.shared(async (ctx: restate.ObjectSharedContext, input: unknown): Promise<Answer<IndexRow[]>> =>
        answer(async () => {
          const q = checkIndexQuery(input);
          const rows: IndexRow[] = [];
          for (const key of await ctx.stateKeys()) {
            const row = await ctx.get<IndexRow>(key);
            if (row && matches(row, q)) rows.push(row);
          }
          rows.sort(byKey);
          return rows.slice(0, q.limit);
        }),
      ),
    },
  });

  // ---- actions

  const actionsService = restate.service({
    name: names.actions,
    options: { ...common, retryPolicy: RETRY, journalRetention: 0, inactivityTimeout: { minutes: 5 } },
    handlers: {
      run: restate.handlers.handler({ ingressPrivate: true }, async (ctx: restate.Context, input: ActionInput): Promise<string> => {
        const { runId, effect } = input;
        const fn = Object.prototype.hasOwnProperty.call(bound, effect.action) ? bound[effect.action] : undefined;
        let outcome: EffectOutcome = { ok: false, error: 'not run' };
        for (let attempt = 1; attempt <= retry.attempts; attempt++) {
          const call = actionCall(runId, effect, input.meta, attempt);
          const tried = await ctx.run(`${effect.action} #${attempt}`, async (): Promise<EffectOutcome & { final?: boolean }> => {
            // journaled with the try, so a replay on an endpoint that binds other actions agrees
            if (typeof fn !== 'function')
              return { ok: false, error: `the endpoint has no implementation for action "${effect.action}"`, final: true };
            try {
              await fn(call);
              return { ok: true };
            } catch (error) {
              return { ok: false, error: describeError(error) };
            }
          });
          outcome = tried.ok ? { ok: true } : { ok: false, error: tried.error };
          if (tried.ok) break;
          if (attempt < retry.attempts && !tried.final) {
            await ctx.sleep(backoff(retry, attempt + 1, () => ctx.rand.random()));
          } else {
            options.onError?.(
              new RunError(
                'action-failed',
                `action "${effect.action}" of run ${runId} failed ${attempt} time${attempt > 1 ? 's' : ''}: ${tried.error}`,
              ),
            );
            break;
          }
        }
        send(ctx, names.run, runId, 'settle', { effect, outcome } satisfies SettleInput);
        return outcome.ok ? 'done' : 'failed';
      }),
    },
  });

  return {
    names,
    services: [runObject, buildObject, catalogObject, indexObject, actionsService] as SopflowServices['services'],
    builds,
    close: () => {
      if (ownIngress) ingress.close();
    },
  };
}
