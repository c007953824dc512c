import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HostError, httpStatus, type HostErrorCode, type ListQuery, type RunHost, type RunRecord } from '@sopflow/host';
import { RunError, type Actor, type Move } from '@sopflow/runtime';
import { Credentials, hostName, isLoopback, readCookie, type TokenEntry } from './auth.js';
import { readAsset, renderPage } from './page.js';
import { RateLimiter } from './RateLimiter.js';

export interface SopServerOptions {
  /** the run host (SQLite, Restate, in memory): the server is the same on every one */
  host: RunHost;
  /**
   * Bearer tokens (see `parseTokens`). With tokens, every request but `/health` and the page's
   * assets needs one (or the page's session cookie), `by` comes from the token, and a step's
   * `role` is enforced. Without, the server answers loopback clients only.
   */
  tokens?: readonly TokenEntry[];
  /** the largest request body, in bytes (default 256 KiB) */
  bodyLimit?: number;
  /** requests per second per client (per actor with tokens, else per address), with bursts of
   *  twice that (default 100); 0 turns the limit off */
  rateLimit?: number;
  /** one line per request (method, path, status, time, actor id): never a token or a body */
  log?: (line: string) => void;
  /** told of an error the server answered with `internal` (a bug, or the host failing) */
  onError?: (error: Error) => void;
  /** how long a page login lasts (default 12 hours) */
  sessionTtlMs?: number;
  /** the page's title (default "sopflow") */
  title?: string;
}

export interface ListenOptions {
  /** default 8080; 0 picks a free port */
  port?: number;
  /** default 127.0.0.1; any other than loopback needs tokens */
  address?: string;
}

export interface SopServer {
  /** the request listener, for an `http.createServer` of your own */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** starts listening; refuses (`forbidden`) an address beyond loopback without tokens */
  listen(options?: ListenOptions): Promise<{ url: string; port: number; address: string }>;
  /** stops listening (the host stays open: close it yourself) */
  close(): Promise<void>;
}

/** What the server answers beside the host's codes. */
export type ServerErrorCode = HostErrorCode | 'method-not-allowed' | 'unsupported-media-type' | 'internal';

class HttpError extends Error {
  constructor(
    readonly code: ServerErrorCode,
    message: string,
    readonly status: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const SESSION_COOKIE = 'sopflow_session';
const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
};
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};
const LIST_KEYS = new Set(['status', 'sop', 'step', 'role', 'due_before', 'dueBefore', 'limit', 'after']);
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

interface Caller {
  /** from a token or a session; undefined without tokens */
  actor?: Actor;
  via: 'open' | 'bearer' | 'cookie';
  session?: string;
}

/**
 * The HTTP API of sopflow runs, and the agent page, over any `RunHost`. JSON in and out;
 * every error is `{ error: { code, message } }` with the status of `httpStatus(code)` — never
 * a stack trace. See docs/hosting.md for the routes.
 */
export function createSopServer(options: SopServerOptions): SopServer {
  const host = options.host;
  if (!host || typeof host.move !== 'function') throw new TypeError('createSopServer needs { host: RunHost }');
  const tokens = options.tokens ?? [];
  const secured = tokens.length > 0;
  const credentials = new Credentials(tokens, options.sessionTtlMs ?? 12 * 3_600_000);
  const bodyLimit = options.bodyLimit ?? 256 * 1024;
  const limiter = (options.rateLimit ?? 100) > 0 ? new RateLimiter(options.rateLimit ?? 100, 2 * (options.rateLimit ?? 100)) : undefined;
  const title = options.title ?? 'sopflow';
  let server: Server | undefined;

  function report(error: unknown): void {
    try {
      options.onError?.(error instanceof Error ? error : new Error(String(error)));
    } catch {
      // never let a logger take the server down
    }
  }

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.headersSent) {
      res.end();
      return;
    }
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { ...JSON_HEADERS, 'content-length': String(Buffer.byteLength(text)), ...headers });
    res.end(text);
  }

  function sendError(res: ServerResponse, error: unknown): number {
    let code: ServerErrorCode;
    let message: string;
    let status: number;
    let headers: Record<string, string> = {};
    if (error instanceof HttpError) {
      ({ code, message, status, headers } = error);
    } else if (error instanceof HostError || error instanceof RunError) {
      code = error.code;
      message = error.message;
      status = httpStatus(error.code);
    } else {
      report(error);
      code = 'internal';
      message = 'the server failed to answer this request (it is logged); nothing was changed by it unless the run says so';
      status = 500;
    }
    send(res, status, { error: { code, message } }, headers);
    return status;
  }

  /** Who is calling: a token, a session cookie, or nobody (only without tokens). */
  function authenticate(req: IncomingMessage, now: number): Caller {
    if (!secured) {
      // without credentials: loopback only, and no other site's page may drive us through a browser
      const name = hostName(req.headers.host);
      if (name && !isLoopback(name))
        throw new HttpError(
          'forbidden',
          `this server has no credentials and answers loopback names only (not ${JSON.stringify(name.slice(0, 100))})`,
          403,
        );
      return { via: 'open' };
    }
    const header = req.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      const actor = m ? credentials.actorOf(m[1]!) : undefined;
      if (!actor)
        throw new HttpError('unauthorized', 'the bearer token is not valid', 401, { 'www-authenticate': 'Bearer error="invalid_token"' });
      return { actor, via: 'bearer' };
    }
    const session = readCookie(req.headers.cookie, SESSION_COOKIE);
    const actor = credentials.session(session, now);
    if (actor) return { actor, via: 'cookie', ...(session ? { session } : {}) };
    throw new HttpError('unauthorized', 'sign in: send "Authorization: Bearer <token>", or log in on the page', 401, {
      'www-authenticate': 'Bearer',
    });
  }

  /** Writes from a browser must come from this server's own page. */
  function checkOrigin(req: IncomingMessage, caller: Caller): void {
    if (caller.via === 'bearer') return; // no ambient credential: another site cannot send it
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if (origin !== undefined) {
      let ok: boolean;
      try {
        ok = new URL(origin).host === req.headers.host;
      } catch {
        ok = false;
      }
      if (!ok) throw new HttpError('forbidden', 'a write from another site is refused', 403);
    } else if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      throw new HttpError('forbidden', 'a write from another site is refused', 403);
    } else if (caller.via === 'cookie' && site === undefined) {
      throw new HttpError('forbidden', "a write with the page's cookie must say its Origin", 403);
    }
  }

  async function readJson(req: IncomingMessage, required: boolean): Promise<Record<string, unknown>> {
    const length = Number(req.headers['content-length'] ?? NaN);
    if (Number.isFinite(length) && length > bodyLimit)
      throw new HttpError('too-large', `the body is over ${bodyLimit} bytes`, 413, { connection: 'close' });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > bodyLimit) throw new HttpError('too-large', `the body is over ${bodyLimit} bytes`, 413, { connection: 'close' });
      chunks.push(chunk);
    }
    if (size === 0) {
      if (required) throw new HttpError('bad-request', 'the body is empty: send a JSON object', 400);
      return {};
    }
    const type = String(req.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim()
      .toLowerCase();
    if (type !== 'application/json')
      throw new HttpError('unsupported-media-type', 'send the body as JSON, with Content-Type: application/json', 415);
    let value: unknown;
    try {
      value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch (error) {
      throw new HttpError(
        'bad-request',
        `the body is not JSON: ${error instanceof Error ? error.message.slice(0, 200) : 'parse error'}`,
        400,
      );
    }
    if (!isObject(value)) throw new HttpError('bad-request', 'the body is a JSON object', 400);
    return value;
  }

  /** The actor a write is made by: the credential's, or what the body says without tokens. */
  function byOf(caller: Caller, given: unknown): Actor | string | undefined {
    if (caller.actor) return caller.actor;
    if (given === undefined) return undefined;
    if (typeof given === 'string' || isObject(given)) return given as Actor | string;
    throw new HttpError('bad-request', '"by" is who does it: an id, or { "id": …, "roles": [ … ] }', 400);
  }

  function actorOf(by: Actor | string | undefined): Actor | undefined {
    if (by === undefined) return undefined;
    if (typeof by === 'string') return by === '' ? undefined : { id: by };
    if (typeof by.id !== 'string' || by.id === '')
      throw new HttpError('bad-request', '"by" is who does it: an id, or { "id": …, "roles": [ … ] }', 400);
    return by;
  }

  function expectOf(value: unknown): { revision: number } | undefined {
    if (value === undefined) return undefined;
    if (!isObject(value) || !Number.isSafeInteger(value.revision))
      throw new HttpError('bad-request', '"expect" is { "revision": <integer> }', 400);
    return { revision: value.revision as number };
  }

  /**
   * A move with credentials: the step's role is checked here, against the revision it was
   * checked at (so the move cannot land on another step), and by the host.
   */
  async function securedMove(runId: string, move: Move, caller: Caller, expect: { revision: number } | undefined): Promise<RunRecord> {
    const actor = caller.actor!;
    for (let tries = 0; ; tries++) {
      const record = await host.get(runId);
      if (expect && expect.revision !== record.revision) {
        throw new HostError(
          'stale',
          `the run is at revision ${record.revision}, not ${expect.revision}: someone else moved it; reload it and try again`,
        );
      }
      const role = record.status === 'active' ? record.view.role : undefined;
      if (role !== undefined && !(actor.roles ?? []).includes(role)) {
        throw new HostError('role-required', `step "${record.view.step}" is for the role "${role}"; ${actor.id} does not have it`);
      }
      try {
        return await host.move(runId, move, { expect: expect ?? { revision: record.revision }, by: actor });
      } catch (error) {
        // without an expected revision of its own, the caller did not ask to lose a race: check again
        if (!expect && error instanceof HostError && error.code === 'stale' && tries < 3) continue;
        throw error;
      }
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL, now: number, caller: () => Caller): Promise<void> {
    const method = req.method ?? 'GET';
    const parts = url.pathname.split('/').slice(1);
    const allow = (methods: string[]) => {
      if (!methods.includes(method))
        throw new HttpError('method-not-allowed', `${method} is not allowed here (${methods.join(', ')})`, 405, {
          allow: methods.join(', '),
        });
    };
    const runIdAt = (i: number) => {
      try {
        const id = decodeURIComponent(parts[i]!);
        if (id === '' || id.length > 256) throw new Error('bad');
        return id;
      } catch {
        throw new HttpError('bad-request', 'a run id is a non-empty string of at most 256 characters', 400);
      }
    };

    // public: health and the page's static files
    if (url.pathname === '/health') {
      allow(['GET', 'HEAD']);
      send(res, 200, { status: 'ok' });
      return;
    }
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204, { 'cache-control': 'max-age=86400' });
      res.end();
      return;
    }
    if (parts[0] === 'assets' && parts.length === 2) {
      allow(['GET', 'HEAD']);
      const asset = await readAsset(parts[1]!);
      if (!asset) throw new HttpError('not-found', `no asset ${JSON.stringify(parts[1]!.slice(0, 100))}`, 404);
      res.writeHead(200, {
        'content-type': asset.type,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'content-length': String(asset.body.length),
      });
      res.end(method === 'HEAD' ? undefined : asset.body);
      return;
    }

    // the page: HTML, behind the same credentials (a login form without them)
    const isPage = url.pathname === '/' || (parts[0] === 'runs' && parts.length === 3 && parts[2] === 'page');
    if (isPage) {
      allow(['GET', 'HEAD']);
      let who: Caller | undefined;
      try {
        who = caller();
      } catch (error) {
        if (!(error instanceof HttpError) || error.code !== 'unauthorized') throw error;
      }
      const html = renderPage({
        title,
        view: !who ? 'login' : url.pathname === '/' ? 'home' : 'run',
        ...(who && parts[0] === 'runs' ? { runId: runIdAt(1) } : {}),
        secured,
      });
      res.writeHead(who ? 200 : 401, { ...PAGE_HEADERS, 'content-length': String(Buffer.byteLength(html)) });
      res.end(method === 'HEAD' ? undefined : html);
      return;
    }

    if (url.pathname === '/login') {
      allow(['POST']);
      if (!secured) throw new HttpError('not-found', 'this server has no credentials to log in with', 404);
      const origin = req.headers.origin;
      if (
        origin !== undefined &&
        (() => {
          try {
            return new URL(origin).host !== req.headers.host;
          } catch {
            return true;
          }
        })()
      ) {
        throw new HttpError('forbidden', 'a login from another site is refused', 403);
      }
      const body = await readJson(req, true);
      const actor = typeof body.token === 'string' ? credentials.actorOf(body.token) : undefined;
      if (!actor) throw new HttpError('unauthorized', 'that token is not valid', 401);
      const session = credentials.open(actor, now);
      const secure = (req.socket as { encrypted?: boolean }).encrypted ? '; Secure' : '';
      send(
        res,
        200,
        { actor: actor.id, roles: actor.roles ?? [] },
        {
          'set-cookie': `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${Math.floor((options.sessionTtlMs ?? 12 * 3_600_000) / 1000)}${secure}`,
        },
      );
      return;
    }

    const who = caller();
    if (url.pathname === '/logout') {
      allow(['POST']);
      checkOrigin(req, who);
      credentials.end(who.session);
      send(res, 200, { ok: true }, { 'set-cookie': `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0` });
      return;
    }
    if (url.pathname === '/me') {
      allow(['GET']);
      send(res, 200, { secured, ...(who.actor ? { actor: who.actor.id, roles: who.actor.roles ?? [] } : {}) });
      return;
    }
    if (url.pathname === '/sops') {
      allow(['GET']);
      send(res, 200, { sops: await host.sops() });
      return;
    }
    if (url.pathname === '/runs') {
      allow(['GET', 'POST']);
      if (method === 'GET') {
        const query: Record<string, string> = {};
        for (const [key, value] of url.searchParams) {
          if (!LIST_KEYS.has(key))
            throw new HttpError(
              'bad-request',
              `unknown query parameter "${key.slice(0, 50)}" (status, sop, step, role, due_before, limit, after)`,
              400,
            );
          if (key in query) throw new HttpError('bad-request', `"${key}" is given twice`, 400);
          query[key === 'due_before' ? 'dueBefore' : key] = value;
        }
        const list: ListQuery = { ...query };
        if (query.limit !== undefined) list.limit = Number(query.limit);
        send(res, 200, await host.list(list));
        return;
      }
      checkOrigin(req, who);
      const body = await readJson(req, true);
      const unknown = Object.keys(body).find((k) => !['sop', 'meta', 'by', 'id'].includes(k));
      if (unknown !== undefined) throw new HttpError('bad-request', `unknown key "${unknown.slice(0, 50)}" (sop, meta, by, id)`, 400);
      if (typeof body.sop !== 'string' || body.sop === '') throw new HttpError('bad-request', '"sop" is the id of the SOP to run', 400);
      const by = byOf(who, body.by);
      const record = await host.start(body.sop, {
        ...(body.meta !== undefined ? { meta: body.meta as never } : {}),
        ...(by !== undefined ? { by } : {}),
        ...(body.id !== undefined ? { id: body.id as string } : {}),
      });
      send(res, 201, record, { location: `/runs/${encodeURIComponent(record.id)}` });
      return;
    }
    if (parts[0] === 'runs' && parts.length === 2) {
      allow(['GET']);
      const journal = url.searchParams.get('journal');
      if (
        [...url.searchParams.keys()].some((k) => k !== 'journal') ||
        (journal !== null && !['true', 'false', '1', '0'].includes(journal))
      ) {
        throw new HttpError('bad-request', 'the only query parameter here is journal=true', 400);
      }
      send(res, 200, await host.get(runIdAt(1), { journal: journal === 'true' || journal === '1' }));
      return;
    }
    if (parts[0] === 'runs' && parts.length === 3 && ['moves', 'cancel', 'migrate'].includes(parts[2]!)) {
      allow(['POST']);
      checkOrigin(req, who);
      const runId = runIdAt(1);
      const body = await readJson(req, parts[2] === 'moves');
      const expect = expectOf(body.expect);
      if (parts[2] === 'moves') {
        const { expect: _expect, ...move } = body;
        if (who.actor) {
          send(res, 200, await securedMove(runId, move as unknown as Move, who, expect));
        } else {
          // without credentials, who moves is what the move says (`by`), checked by the host
          send(res, 200, await host.move(runId, move as unknown as Move, expect ? { expect } : {}));
        }
        return;
      }
      const allowed = parts[2] === 'cancel' ? ['reason', 'by', 'expect'] : ['by', 'expect'];
      const unknown = Object.keys(body).find((k) => !allowed.includes(k));
      if (unknown !== undefined) throw new HttpError('bad-request', `unknown key "${unknown.slice(0, 50)}" (${allowed.join(', ')})`, 400);
      const by = actorOf(byOf(who, body.by));
      const common = { ...(expect ? { expect } : {}), ...(by ? { by } : {}) };
      if (parts[2] === 'cancel') {
        if (body.reason !== undefined && (typeof body.reason !== 'string' || body.reason.length > 1000))
          throw new HttpError('bad-request', '"reason" is text of at most 1,000 characters', 400);
        send(res, 200, await host.cancel(runId, { ...common, ...(body.reason !== undefined ? { reason: body.reason } : {}) }));
      } else {
        send(res, 200, await host.migrate(runId, common));
      }
      return;
    }
    throw new HttpError('not-found', `no route ${method} ${url.pathname.slice(0, 200)}`, 404);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const now = Date.now();
    let status = 500;
    let who: Caller | undefined;
    const done = () => {
      if (!options.log) return;
      let path = '?';
      try {
        path = new URL(req.url ?? '/', 'http://x').pathname.slice(0, 300);
      } catch {
        /* logged as ? */
      }
      try {
        options.log(
          `${req.method} ${path} ${status} ${(performance.now() - started).toFixed(1)}ms${who?.actor ? ` by ${who.actor.id}` : ''}`,
        );
      } catch {
        /* a failing logger must not matter */
      }
    };
    (async () => {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        throw new HttpError('bad-request', 'the request target is not a URL path', 400);
      }
      const caller = () => (who ??= authenticate(req, now));
      if (limiter) {
        // by actor when the request names a valid one, else by address
        let key = `ip:${req.socket.remoteAddress ?? '?'}`;
        try {
          const c = caller();
          if (c.actor) key = `actor:${c.actor.id}`;
        } catch {
          /* answered below */
        }
        if (!limiter.take(key, performance.now()))
          throw new HttpError('rate-limited', 'too many requests: slow down and try again in a second', 429, { 'retry-after': '1' });
      }
      await route(req, res, url, now, caller);
      status = res.statusCode;
    })()
      .catch((error) => {
        status = sendError(res, error);
        // a body still arriving (over the limit, or never read): drain it, then close
        if (!req.complete) req.resume();
      })
      .finally(done);
  }

  return {
    handle,
    async listen(listen: ListenOptions = {}) {
      const address = listen.address ?? '127.0.0.1';
      const port = listen.port ?? 8080;
      if (!isLoopback(address) && !secured) {
        throw new HostError(
          'forbidden',
          `refusing to listen on ${address} without credentials: give tokens (sopflow serve --tokens FILE), or listen on 127.0.0.1`,
        );
      }
      if (server) throw new HostError('bad-request', 'the server is listening already');
      const s = createServer({ requestTimeout: 30_000, headersTimeout: 15_000, keepAliveTimeout: 5_000 }, handle);
      s.on('clientError', (error: NodeJS.ErrnoException, socket) => {
        // a response already under way on this socket (e.g. a 413 while the body kept coming):
        // never a second one after it, just close
        const answered = (socket as unknown as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
        if (!answered && socket.writable && error.code !== 'ECONNRESET') {
          socket.end(
            'HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"error":{"code":"bad-request","message":"a malformed HTTP request"}}',
          );
        } else socket.destroy();
      });
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(port, address, () => {
          s.off('error', reject);
          resolve();
        });
      }).catch((error: NodeJS.ErrnoException) => {
        throw new HostError(
          'unavailable',
          `cannot listen on ${address}:${port}: ${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}`,
        );
      });
      server = s;
      const info = s.address() as AddressInfo;
      const shown = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      return { url: `http://${shown}:${info.port}`, port: info.port, address: info.address };
    },
    async close() {
      const s = server;
      server = undefined;
      if (!s) return;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
}
