import http from 'node:http';
import https from 'node:https';
import { HostError } from '@sopflow/host';

export interface IngressClientOptions {
  /** how long one call may take in all, retries included (default 30 s); then `unavailable` */
  timeoutMs?: number;
  /** headers sent with every call (an API key of a Restate Cloud environment, say) */
  headers?: Record<string, string>;
  /** sockets kept open to the ingress (default 64) */
  maxSockets?: number;
}

/** Transient: the call may be sent again (with the same idempotency key). */
class Retryable extends Error {}

const RETRY_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

/**
 * Calls handlers through Restate's HTTP ingress, over kept-alive sockets. A call that cannot reach
 * Restate (refused, reset, 502/503/504) is sent again with the same idempotency key until it
 * answers or the time is up, so a write is applied once however often it is sent.
 */
export class IngressClient {
  readonly url: URL;
  private readonly agent: http.Agent;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;
  private closed = false;

  constructor(url: string | URL, options: IngressClientOptions = {}) {
    this.url = checkUrl(url, 'the Restate ingress');
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.headers = options.headers ?? {};
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64 };
    this.agent = this.url.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  }

  /** Calls `service/key/handler` (or `service/handler` without a key) and answers its JSON. */
  async call<T>(
    target: { service: string; key?: string; handler: string },
    body: unknown,
    options: { idempotencyKey?: string } = {},
  ): Promise<T> {
    if (this.closed) throw new HostError('unavailable', 'the host is closed');
    const path = [target.service, ...(target.key !== undefined ? [target.key] : []), target.handler].map(encodeURIComponent).join('/');
    const payload = Buffer.from(JSON.stringify(body ?? null), 'utf8');
    const until = Date.now() + this.timeoutMs;
    let wait = 25;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send<T>(path, payload, options.idempotencyKey, until - Date.now());
      } catch (error) {
        if (!(error instanceof Retryable)) throw error;
        if (this.closed) throw new HostError('unavailable', 'the host is closed');
        if (Date.now() + wait >= until) {
          throw new HostError(
            'unavailable',
            `Restate's ingress at ${this.url.origin} did not answer within ${Math.round(this.timeoutMs / 1000)} s (${error.message}, ${attempt} tries)${options.idempotencyKey ? '; a change sent may still be applied once' : ''}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait = Math.min(1_000, wait * 2);
      }
    }
  }

  close(): void {
    this.closed = true;
    this.agent.destroy();
  }

  private send<T>(path: string, payload: Buffer, idempotencyKey: string | undefined, budgetMs: number): Promise<T> {
    const url = new URL(path, this.url.href.endsWith('/') ? this.url.href : `${this.url.href}/`);
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise<T>((resolve, reject) => {
      const req = lib.request(
        url,
        {
          method: 'POST',
          agent: this.agent,
          headers: {
            ...this.headers,
            'content-type': 'application/json',
            'content-length': payload.length,
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => reject(new Retryable(e.message)));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status === 200) {
              try {
                resolve(text === '' ? (undefined as T) : (JSON.parse(text) as T));
              } catch {
                reject(new HostError('unavailable', `Restate's ingress answered ${path} with something that is not JSON`));
              }
              return;
            }
            if (status === 502 || status === 503 || status === 504 || status === 429) {
              reject(new Retryable(`HTTP ${status}`));
              return;
            }
            reject(ingressError(status, path, text));
          });
        },
      );
      req.setTimeout(Math.max(1, budgetMs), () => req.destroy(Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' })));
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code && RETRY_CODES.has(error.code)) reject(new Retryable(error.code));
        else if (/socket hang up/i.test(error.message)) reject(new Retryable('socket hang up'));
        else
          reject(new HostError('unavailable', `cannot reach Restate's ingress at ${this.url.origin}: ${error.message}`, { cause: error }));
      });
      req.end(payload);
    });
  }
}

/** The errors that say Restate's ingress does not know a service (yet): see `isUnknownService`. */
const unknownService = new WeakSet<HostError>();

/** True for the error of a call to a service Restate's ingress does not know (HTTP 404). */
export const isUnknownService = (error: unknown): boolean => error instanceof HostError && unknownService.has(error);

function ingressError(status: number, path: string, text: string): HostError {
  let message = text.slice(0, 300);
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // the text as it is
  }
  if (status === 404) {
    const error = new HostError(
      'unavailable',
      `Restate does not know ${path.split('/')[0]}: register a sopflow endpoint with its admin API first (${message})`,
    );
    unknownService.add(error);
    return error;
  }
  return new HostError('unavailable', `Restate's ingress refused ${path} (HTTP ${status}): ${message}`);
}

export function checkUrl(value: unknown, what: string): URL {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new HostError('bad-request', `${what} is not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new HostError('bad-request', `${what} is an http(s) URL, not ${url.protocol}`);
  return url;
}
