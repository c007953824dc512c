import { connect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest, serve, TOKENS, type Served } from './helpers.js';

/*
 * Whatever arrives, the answer is JSON with an error code (or a success), the server stays up,
 * and nothing is logged as an internal error.
 */
let s: Served;
let runId: string;
beforeAll(async () => {
  s = await serve({ bodyLimit: 4096 });
  runId = (await s.call('POST', '/runs', { sop: 'desk', id: 'fuzz-run' })).body.id;
});
afterAll(async () => {
  await s.stop();
});

const json = fc.jsonValue({ maxDepth: 4 });
const moveLike = fc.oneof(
  fc.record({ complete: fc.oneof(fc.constant(true), json) }, { requiredKeys: [] }),
  fc.record({ choose: json, by: json, step: json }, { requiredKeys: [] }),
  fc.record(
    { record: fc.oneof(fc.dictionary(fc.string(), json), json), expect: fc.oneof(fc.record({ revision: json }), json) },
    { requiredKeys: [] },
  ),
  fc.record({ signal: json, data: json }, { requiredKeys: [] }),
  json,
);
const path = fc.oneof(
  fc.constantFrom(
    '/runs',
    '/runs/fuzz-run',
    '/runs/fuzz-run/moves',
    '/runs/fuzz-run/cancel',
    '/runs/fuzz-run/migrate',
    '/sops',
    '/health',
    '/me',
    '/login',
    '/logout',
    '/',
    '/runs/fuzz-run/page',
    '/assets/app.js',
    '/assets/nope.js',
  ),
  fc.webPath(),
  fc.string().map((x) => `/runs/${encodeURIComponent(x)}/moves`),
  fc.string().map(
    (x) =>
      `/runs?${x.replace(/[^\x21-\x7e]/g, (c) => {
        try {
          return encodeURIComponent(c);
        } catch {
          return '%ZZ';
        }
      })}`,
  ),
  fc.constantFrom(
    '/runs?limit=-1',
    '/runs?limit=1e9',
    '/runs?after=%%%',
    '/runs?due_before=yesterday',
    '/runs/%00',
    '/runs/%E0%A4%A',
    '//runs',
    '/runs/../sops',
  ),
);
const body = fc.oneof(
  moveLike.map((x) => JSON.stringify(x)),
  fc.string(),
  fc.constantFrom(
    '{',
    '[]',
    'null',
    '"x"',
    '{"sop":"desk","meta":' + '['.repeat(5000) + ']'.repeat(5000) + '}',
    '\u0000',
    '{"__proto__":{"x":1},"sop":"desk"}',
  ),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a).toString('latin1')),
);

function isErrorAnswer(status: number, text: string): boolean {
  if (status < 400) return true;
  const parsed = JSON.parse(text);
  return typeof parsed?.error?.code === 'string' && typeof parsed.error.message === 'string' && !/\n\s+at /.test(text);
}

describe('the HTTP API under fuzz', () => {
  it('answers every request with JSON (an error with a code) and stays up', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
        path,
        fc.option(body, { nil: undefined }),
        fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8', ''),
        async (method, route, payload, type) => {
          const headers: Record<string, string> = type ? { 'content-type': type } : {};
          const answer = await rawRequest(s.url, {
            method,
            path: route.startsWith('/') ? route : `/${route}`,
            headers,
            ...(payload !== undefined && method !== 'GET' && method !== 'HEAD' ? { body: payload } : {}),
          });
          if (method === 'HEAD' || (answer.status === 200 && (route === '/' || route.endsWith('/page') || route.startsWith('/assets/'))))
            return;
          if (!isErrorAnswer(answer.status, answer.body))
            throw new Error(`${method} ${route}: ${answer.status} ${answer.body.slice(0, 200)}`);
        },
      ),
      { numRuns: 1500 },
    );
    expect(s.errors).toEqual([]);
    expect((await s.call('GET', '/health')).status).toBe(200);
    const run = (await s.call('GET', `/runs/${runId}`)).body;
    expect(run.status === 'active' || run.status === 'cancelled' || run.status === 'done').toBe(true);
  }, 120_000);

  it('a huge body gets 413 too-large, and the server stays up', async () => {
    const answer = await rawRequest(s.url, {
      method: 'POST',
      path: '/runs',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(10 * 1024 * 1024, 'x'),
    }).catch((e) => ({ status: 0, body: String(e) }));
    if (answer.status !== 0) expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'too-large' } });
    // chunked, without a length
    const chunked = await new Promise<string>((resolve) => {
      const u = new URL(s.url);
      const socket = connect(Number(u.port), u.hostname, () => {
        socket.write('POST /runs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
        for (let i = 0; i < 100; i++) socket.write(`1000\r\n${'y'.repeat(0x1000)}\r\n`);
      });
      let text = '';
      socket.on('data', (d) => {
        text += d.toString('latin1');
      });
      socket.on('error', () => resolve(text));
      socket.on('close', () => resolve(text));
    });
    expect(chunked).toMatch(/^HTTP\/1.1 413/);
    expect(chunked).toContain('"too-large"');
    expect((await s.call('GET', '/health')).status).toBe(200);
  });

  it('malformed HTTP gets a JSON 400, and the server stays up', async () => {
    const answer = await new Promise<string>((resolve) => {
      const u = new URL(s.url);
      const socket = connect(Number(u.port), u.hostname, () => socket.write('GARBAGE / NOT-HTTP\r\n\r\n'));
      let text = '';
      socket.on('data', (d) => {
        text += d.toString('latin1');
      });
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1.1 400/);
    expect(answer).toContain('"bad-request"');
    expect((await s.call('GET', '/health')).status).toBe(200);
  });
});

describe('the HTTP API under fuzz, with tokens', () => {
  it('never lets a request through without a valid token', async () => {
    const secured = await serve({ tokens: TOKENS });
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('GET', 'POST'),
          fc.constantFrom('/runs', '/sops', '/me', '/runs/x', '/runs/x/moves', '/runs/x/cancel'),
          fc.oneof(
            fc.constant(undefined),
            fc.string(),
            fc.string().map((t) => `Bearer ${t}`),
            fc.constantFrom(...TOKENS.map((t) => `Bearer ${t.token}x`), `Bearer ${TOKENS[0]!.token!.slice(0, -1)}`),
          ),
          async (method, route, authorization) => {
            const answer = await rawRequest(secured.url, {
              method,
              path: route,
              headers: { 'content-type': 'application/json', ...(authorization !== undefined ? { authorization } : {}) },
              ...(method === 'POST' ? { body: '{"sop":"desk","complete":true}' } : {}),
            });
            expect([answer.status, JSON.parse(answer.body).error.code]).toEqual([401, 'unauthorized']);
          },
        ),
        { numRuns: 500 },
      );
      expect((await secured.call('GET', '/runs', undefined, { authorization: `Bearer ${TOKENS[0]!.token}` })).body.runs).toEqual([]);
    } finally {
      await secured.stop();
    }
  }, 60_000);
});
