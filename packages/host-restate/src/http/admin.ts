import http from 'node:http';
import https from 'node:https';
import { HostError } from '@sopflow/host';
import { checkUrl } from './IngressClient.js';

export interface RegisterOptions {
  /** replace a deployment registered at the same address with other services (Restate's
   *  `force`; in-flight invocations of the old one may fail): default false */
  force?: boolean;
  /** headers for the admin API */
  headers?: Record<string, string>;
  /** how long to keep trying while the admin API is not up (default 30 s) */
  timeoutMs?: number;
}

export interface Registered {
  /** Restate's id of the deployment */
  id: string;
  services: string[];
}

/**
 * Registers an endpoint with Restate's admin API (`POST /deployments`): Restate discovers the
 * services it serves and sends their invocations to it. Registering the same address with the
 * same services again changes nothing, so every process may register at start-up.
 */
export async function registerDeployment(admin: string | URL, endpointUrl: string, options: RegisterOptions = {}): Promise<Registered> {
  const base = checkUrl(admin, 'the Restate admin API');
  checkUrl(endpointUrl, 'the endpoint address');
  const body = JSON.stringify({ uri: endpointUrl, force: options.force === true });
  const until = Date.now() + (options.timeoutMs ?? 30_000);
  let wait = 50;
  for (;;) {
    let answer: { status: number; text: string };
    try {
      answer = await request(new URL('deployments', withSlash(base)), 'POST', body, options.headers);
    } catch (error) {
      if (Date.now() + wait > until)
        throw new HostError(
          'unavailable',
          `cannot reach Restate's admin API at ${base.origin}: ${error instanceof Error ? error.message : String(error)}`,
        );
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(1_000, wait * 2);
      continue;
    }
    if (answer.status === 200 || answer.status === 201) {
      const parsed = JSON.parse(answer.text) as { id: string; services: { name: string }[] };
      return { id: parsed.id, services: parsed.services.map((s) => s.name) };
    }
    // discovery may fail while the endpoint is still starting, or while Restate is
    if ((answer.status >= 500 || answer.status === 429) && Date.now() + wait <= until) {
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(1_000, wait * 2);
      continue;
    }
    let message = answer.text.slice(0, 500);
    try {
      message = (JSON.parse(answer.text) as { message?: string }).message ?? message;
    } catch {
      /* as it is */
    }
    throw new HostError('unavailable', `Restate's admin API refused to register ${endpointUrl} (HTTP ${answer.status}): ${message}`);
  }
}

/** Waits until Restate's admin API answers its health check. */
export async function waitForRestate(admin: string | URL, timeoutMs = 30_000): Promise<void> {
  const base = checkUrl(admin, 'the Restate admin API');
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const answer = await request(new URL('health', withSlash(base)), 'GET');
      if (answer.status === 200) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until)
      throw new HostError('unavailable', `Restate's admin API at ${base.origin} did not come up within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const withSlash = (url: URL) => (url.href.endsWith('/') ? url.href : `${url.href}/`);

function request(url: URL, method: string, body?: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      {
        method,
        headers: {
          ...headers,
          ...(body !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.setTimeout(60_000, () => req.destroy(new Error('no answer in 60 s')));
    req.on('error', reject);
    req.end(body);
  });
}

/** Waits until Restate's ingress answers its health check (it does once the node runs). */
export async function waitForIngress(ingress: string | URL, timeoutMs = 30_000): Promise<void> {
  const base = checkUrl(ingress, 'the Restate ingress');
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      const answer = await request(new URL('restate/health', withSlash(base)), 'GET');
      if (answer.status === 200) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until)
      throw new HostError('unavailable', `Restate's ingress at ${base.origin} did not answer within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
