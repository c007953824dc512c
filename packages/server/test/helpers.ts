import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { toMachineConfig } from '@sopflow/compiler';
import type { HostAction } from '@sopflow/host';
import { deskSop, ticketSop } from '@sopflow/host/contract';
import { SqliteHost } from '@sopflow/host-sqlite';
import { createSopServer, type SopServerOptions, type TokenEntry } from '../src/index.js';

export const desk = toMachineConfig(deskSop(), { procedures: { ticket: ticketSop } });
export const ticket = toMachineConfig(ticketSop);

export const TOKENS: TokenEntry[] = [
  { token: 'csr-token-0123456789abcdef', actor: 'ana', roles: ['CSR'] },
  { token: 'lead-token-0123456789abcdef', actor: 'lee', roles: ['CSR', 'Team lead'] },
  { token: 'guest-token-0123456789abcdef', actor: 'gus', roles: [] },
];

export interface Served {
  url: string;
  host: SqliteHost;
  logs: string[];
  errors: Error[];
  call(
    method: string,
    route: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  stop(): Promise<void>;
}

/** A server on a fresh SQLite host, listening on a free loopback port. */
export async function serve(
  options: Partial<SopServerOptions> & { actions?: Record<string, HostAction>; enforceRoles?: boolean } = {},
): Promise<Served> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sopflow-server-'));
  const { actions, enforceRoles, ...rest } = options;
  const host = new SqliteHost({
    file: path.join(dir, 'runs.db'),
    sops: [desk, ticket],
    enforceRoles: enforceRoles ?? Boolean(options.tokens?.length),
    actions: actions ?? { 'crm.save-notes': () => {}, 'crm.open-ticket': () => {} },
  });
  const logs: string[] = [];
  const errors: Error[] = [];
  const server = createSopServer({ host, log: (l) => logs.push(l), onError: (e) => errors.push(e), rateLimit: 0, ...rest });
  const { url } = await server.listen({ port: 0 });
  return {
    url,
    host,
    logs,
    errors,
    async call(method, route, body, headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      if (body !== undefined) {
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
        (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${url}${route}`, init);
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async stop() {
      await server.close();
      await host.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A request through node:http (fetch will not set a Host header of our choosing). */
export function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = httpRequest(
      { host: u.hostname, port: u.port, method: options.method ?? 'GET', path: options.path, headers: options.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}
