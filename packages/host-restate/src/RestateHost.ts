import type { LoggerTransport } from '@restatedev/restate-sdk';
import type { SopMachineConfig } from '@sopflow/compiler';
import {
  actor,
  checkList,
  checkRunId,
  checkStart,
  HostError,
  refusing,
  writeCursor,
  type HostAction,
  type ListQuery,
  type ListResult,
  type MoveOptions,
  type RetryPolicy,
  type RunHost,
  type RunRecord,
  type SopSummary,
  type StartOptions,
} from '@sopflow/host';
import { parseMove, type Actor, type Move } from '@sopflow/runtime';
import { registerDeployment, waitForIngress, waitForRestate } from './http/admin.js';
import { IngressClient, isUnknownService } from './http/IngressClient.js';
import { CATALOG_KEY, indexKeys, serviceNames, type IndexGroup, type ServiceNames } from './names.js';
import { serveEndpoint, type RunningEndpoint } from './endpoint/serveEndpoint.js';
import { byKey, matches } from './indexQuery.js';
import { unwrap, type Answer, type IndexQuery, type IndexRow } from './wire.js';

export interface RestateHostOptions {
  /** Restate's HTTP ingress, e.g. `http://127.0.0.1:8080` */
  ingress: string | URL;
  /** Restate's admin API, e.g. `http://127.0.0.1:9070`: needed to register an endpoint */
  admin?: string | URL;
  /** the services' name prefix (default `sopflow`) */
  namespace?: string;
  /** refuse moves on a step with a `role` unless `by` has it */
  enforceRoles?: boolean;
  /** how long one call may take, retries included (default 30 s) */
  timeoutMs?: number;
  /** headers for every call to the ingress and the admin API */
  headers?: Record<string, string>;
}

export interface OpenRestateHostOptions extends RestateHostOptions {
  /** builds to publish at start-up (publishing one Restate already holds changes nothing, except
   *  that it becomes the newest of its SOP id again) */
  sops?: SopMachineConfig[];
  /** serve the sopflow endpoint in this process too, and register it with the admin API */
  endpoint?: {
    /** an implementation for every named action of the SOPs served */
    actions?: Record<string, HostAction>;
    /** default 9080; 0 picks a free port */
    port?: number;
    /** default 127.0.0.1 */
    hostname?: string;
    /** the address Restate calls, when it is not `http://<hostname>:<port>` (a load balancer in
     *  front of several endpoint processes, a container's external name) */
    url?: string;
    retry?: Partial<RetryPolicy>;
    onError?: (error: Error) => void;
    identityKeys?: string[];
    /** where the Restate SDK logs (default: warnings and errors to the console) */
    logger?: LoggerTransport;
    /** register the address with the admin API (default true when `admin` is given) */
    register?: boolean;
  };
}

/**
 * The run host on Restate: the `RunHost` contract as calls to Restate's ingress. Any number of
 * these (API processes) may run side by side on one Restate: each run is a virtual object, so its
 * moves are applied one at a time and a move expecting an old revision is refused (`stale`).
 *
 * `new RestateHost({ ingress })` is a client alone; `RestateHost.open({ ingress, admin, endpoint })`
 * also serves the endpoint that runs the sopflow services, and registers it.
 */
export class RestateHost implements RunHost {
  readonly names: ServiceNames;
  private readonly ingress: IngressClient;
  private endpoint: RunningEndpoint | undefined;
  private closed = false;

  constructor(private readonly options: RestateHostOptions) {
    if (!options || typeof options !== 'object') throw new HostError('bad-request', 'a RestateHost needs { ingress }');
    this.names = serviceNames(options.namespace);
    this.ingress = new IngressClient(options.ingress, {
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
    });
  }

  /** A host with its endpoint in this process (when `endpoint` is given), registered with the
   *  admin API, and `sops` published. */
  static async open(options: OpenRestateHostOptions): Promise<RestateHost> {
    const host = new RestateHost(options);
    try {
      await waitForIngress(options.ingress, options.timeoutMs ?? 30_000);
      if (options.endpoint) {
        const e = options.endpoint;
        host.endpoint = await serveEndpoint({
          ingress: options.ingress,
          ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
          ...(e.actions ? { actions: e.actions } : {}),
          ...(e.port !== undefined ? { port: e.port } : {}),
          ...(e.hostname !== undefined ? { hostname: e.hostname } : {}),
          ...(e.retry ? { retry: e.retry } : {}),
          ...(e.onError ? { onError: e.onError } : {}),
          ...(e.identityKeys ? { identityKeys: e.identityKeys } : {}),
          ...(e.logger ? { logger: e.logger } : {}),
        });
        if (e.register === true && options.admin === undefined)
          throw new HostError('bad-request', 'registering the endpoint needs the admin API address (`admin`)');
        if (e.register !== false && options.admin !== undefined) {
          await waitForRestate(options.admin, options.timeoutMs ?? 30_000);
          await registerDeployment(options.admin, e.url ?? host.endpoint.url, { ...(options.headers ? { headers: options.headers } : {}) });
          await host.untilServed(options.timeoutMs ?? 30_000);
        }
      }
      for (const config of options.sops ?? []) await host.publish(config);
    } catch (error) {
      await host.close();
      throw error;
    }
    return host;
  }

  /**
   * Waits until Restate's ingress knows the services just registered: it learns them a moment
   * after the admin API has answered, and until then a call is answered 404 (seen as a publish
   * failing right after `open` on a loaded machine).
   */
  private async untilServed(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (let wait = 20; ; wait = Math.min(500, wait * 2)) {
      try {
        await this.sops();
        return;
      } catch (error) {
        if (!isUnknownService(error) || Date.now() + wait > until) throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  /** The address of the endpoint this host serves, if it serves one. */
  get endpointUrl(): string | undefined {
    return this.endpoint?.url;
  }

  async publish(config: SopMachineConfig): Promise<SopSummary> {
    return unwrap(await this.write<SopSummary>({ service: this.names.catalog, key: CATALOG_KEY, handler: 'publish' }, config));
  }

  async sops(): Promise<SopSummary[]> {
    return unwrap(await this.read<SopSummary[]>({ service: this.names.catalog, key: CATALOG_KEY, handler: 'list' }, null));
  }

  async start(sopId: string, options: StartOptions = {}): Promise<RunRecord> {
    const { id, by, meta } = checkStart(options);
    if (typeof sopId !== 'string') throw new HostError('unknown-sop', `no SOP with id ${JSON.stringify(sopId)} is served`);
    const runId = id ?? globalThis.crypto.randomUUID();
    return unwrap(
      await this.write<RunRecord>(
        { service: this.names.run, key: runId, handler: 'start' },
        { sop: sopId, ...(meta !== undefined ? { meta } : {}), ...(by ? { by } : {}) },
      ),
    );
  }

  async move(runId: string, move: Move, options: MoveOptions = {}): Promise<RunRecord> {
    const m = refusing(() => parseMove(move));
    checkRunId(runId);
    const opts = options ?? {};
    const by = opts.by !== undefined ? actor(opts.by) : undefined;
    return unwrap(
      await this.write<RunRecord>(
        { service: this.names.run, key: runId, handler: 'move' },
        {
          move: m,
          ...(opts.expect !== undefined ? { expect: opts.expect } : {}),
          ...(by ? { by } : {}),
          ...(this.options.enforceRoles ? { enforceRoles: true } : {}),
        },
      ),
    );
  }

  async cancel(runId: string, options: { reason?: string; by?: Actor; expect?: { revision: number } } = {}): Promise<RunRecord> {
    checkRunId(runId);
    const opts = options ?? {};
    if (opts.reason !== undefined && typeof opts.reason !== 'string') throw new HostError('bad-request', 'a reason is text');
    const by = opts.by !== undefined ? actor(opts.by) : undefined;
    return unwrap(
      await this.write<RunRecord>(
        { service: this.names.run, key: runId, handler: 'cancel' },
        {
          ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
          ...(by ? { by } : {}),
          ...(opts.expect !== undefined ? { expect: opts.expect } : {}),
        },
      ),
    );
  }

  async migrate(runId: string, options: { by?: Actor; expect?: { revision: number } } = {}): Promise<RunRecord> {
    checkRunId(runId);
    const opts = options ?? {};
    const by = opts.by !== undefined ? actor(opts.by) : undefined;
    return unwrap(
      await this.write<RunRecord>(
        { service: this.names.run, key: runId, handler: 'migrate' },
        {
          ...(by ? { by } : {}),
          ...(opts.expect !== undefined ? { expect: opts.expect } : {}),
        },
      ),
    );
  }

  async get(runId: string, options: { journal?: boolean } = {}): Promise<RunRecord> {
    checkRunId(runId);
    return unwrap(
      await this.read<RunRecord>({ service: this.names.run, key: runId, handler: 'get' }, { journal: options?.journal === true }),
    );
  }

  /**
   * Reads the index objects: the live runs' (`active.*`) for live runs, steps, roles and
   * deadlines; the ended runs' (`ended.*`) for done and cancelled ones; both otherwise.
   */
  async list(query: ListQuery = {}): Promise<ListResult> {
    const q = checkList(query);
    const groups: IndexGroup[] =
      q.status === 'active' || q.step !== undefined || q.role !== undefined || q.dueBefore !== undefined
        ? ['active']
        : q.status !== undefined
          ? ['ended']
          : ['active', 'ended'];
    if (q.status !== undefined && q.status !== 'active' && groups[0] === 'active') return { runs: [] }; // an ended run waits on no step, role or deadline
    const iq: IndexQuery = {
      limit: q.limit + 1,
      ...(q.status !== undefined ? { status: q.status } : {}),
      ...(q.sop !== undefined ? { sop: q.sop } : {}),
      ...(q.step !== undefined ? { step: q.step } : {}),
      ...(q.role !== undefined ? { role: q.role } : {}),
      ...(q.dueBefore !== undefined ? { dueBefore: q.dueBefore } : {}),
      ...(q.after ? { after: q.after } : {}),
    };
    const shards = groups.flatMap((g) => indexKeys(g));
    const answers = await Promise.all(shards.map((key) => this.read<IndexRow[]>({ service: this.names.index, key, handler: 'query' }, iq)));
    const rows = answers.flatMap((a) => unwrap(a)).sort(byKey);
    const page = rows.slice(0, q.limit);
    // the records as the runs hold them now; one that has moved on since its row was read and
    // no longer matches is left out (the page may then be short; `next` still goes on from it)
    const records = await Promise.all(
      page.map((row) =>
        this.get(row.id).catch((error: unknown) => {
          if (error instanceof HostError && error.code === 'not-found') return undefined;
          throw error;
        }),
      ),
    );
    const runs = records.filter((r): r is RunRecord => r !== undefined && stillMatches(r, iq));
    const last = page[page.length - 1];
    return { runs, ...(rows.length > q.limit && last ? { next: writeCursor([last.createdAt, last.id]) } : {}) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ingress.close();
    await this.endpoint?.close();
  }

  // ---- calls

  private open(): void {
    if (this.closed) throw new HostError('unavailable', 'the host is closed');
  }

  /** A change: sent with an idempotency key, so a call sent again after a lost answer is
   *  applied once and answers the same. */
  private async write<T>(target: { service: string; key: string; handler: string }, body: unknown): Promise<Answer<T>> {
    this.open();
    return this.ingress.call<Answer<T>>(target, body, { idempotencyKey: globalThis.crypto.randomUUID() });
  }

  private async read<T>(target: { service: string; key: string; handler: string }, body: unknown): Promise<Answer<T>> {
    this.open();
    return this.ingress.call<Answer<T>>(target, body);
  }
}

function stillMatches(record: RunRecord, q: IndexQuery): boolean {
  const active = record.status === 'active';
  const deadline = record.deadline !== undefined ? Date.parse(record.deadline) : null;
  return matches(
    {
      id: record.id,
      createdAt: Date.parse(record.createdAt),
      fields: {
        status: record.status,
        sop: record.sop.id,
        step: active ? record.view.step : null,
        role: active ? (record.view.role ?? null) : null,
        deadline,
      },
    },
    { ...q, after: undefined },
  );
}
