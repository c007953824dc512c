import { afterEach, describe, expect, it } from 'vitest';
import { HostError } from '@sopflow/host';
import { createSopServer, parseTokens, TokensError } from '../src/index.js';
import { bearer, rawRequest, serve, TOKENS, type Served } from './helpers.js';

let s: Served;
afterEach(async () => {
  await s?.stop();
});

const ana = bearer(TOKENS[0]!.token!);
const lee = bearer(TOKENS[1]!.token!);
const gus = bearer(TOKENS[2]!.token!);

describe('access with tokens', () => {
  it('no token or a bad one: 401, nothing changes; a token: by comes from it, not the body', async () => {
    s = await serve({ tokens: TOKENS });
    expect(await s.call('GET', '/runs')).toMatchObject({ status: 401, body: { error: { code: 'unauthorized' } } });
    expect(await s.call('POST', '/runs', { sop: 'desk' })).toMatchObject({ status: 401 });
    expect(await s.call('GET', '/runs', undefined, bearer('not-a-token-at-all-0000'))).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthorized' } },
    });
    expect(await s.call('GET', '/runs', undefined, { authorization: 'Basic abc' })).toMatchObject({ status: 401 });
    expect((await s.call('GET', '/health')).status).toBe(200); // health needs nothing

    const started = await s.call('POST', '/runs', { sop: 'desk', by: 'mallory' }, ana);
    expect(started.status).toBe(201);
    const id = started.body.id;
    expect(await s.call('POST', `/runs/${id}/moves`, { record: { customer_id: 'C-1' } })).toMatchObject({ status: 401 });
    const moved = await s.call('POST', `/runs/${id}/moves`, { record: { customer_id: 'C-1' }, by: 'mallory' }, ana);
    expect(moved.status).toBe(200);
    const { body } = await s.call('GET', `/runs/${id}?journal=true`, undefined, ana);
    expect(body.journal.map((e: { by?: string }) => e.by).filter(Boolean)).toEqual(['ana', 'ana']);
    expect(body.revision).toBe(2);
    // no secret in the journal or the log
    const everything = JSON.stringify(body) + s.logs.join('\n');
    for (const t of TOKENS) expect(everything).not.toContain(t.token);
    expect(s.logs.at(-1)).toMatch(/ by ana$/);
  });

  it("a token without the step's role: 403, nothing changes", async () => {
    s = await serve({ tokens: TOKENS });
    const { body: run } = await s.call('POST', '/runs', { sop: 'desk' }, lee);
    const before = await s.call('GET', `/runs/${run.id}?journal=true`, undefined, lee);
    const refused = await s.call('POST', `/runs/${run.id}/moves`, { record: { customer_id: 'C-1' } }, gus);
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'role-required' } } });
    expect(refused.body.error.message).toMatch(/CSR/);
    expect(await s.call('POST', `/runs/${run.id}/moves`, { record: { customer_id: 'C-1' }, expect: { revision: 1 } }, gus)).toMatchObject({
      status: 403,
    });
    expect(await s.call('GET', `/runs/${run.id}?journal=true`, undefined, lee)).toEqual(before);
    expect((await s.call('POST', `/runs/${run.id}/moves`, { record: { customer_id: 'C-1' } }, ana)).status).toBe(200);
  });

  it('the role is checked against the step the move lands on, also when the host does not enforce roles', async () => {
    s = await serve({ tokens: TOKENS, enforceRoles: false });
    const { body: run } = await s.call('POST', '/runs', { sop: 'desk' }, ana);
    expect(await s.call('POST', `/runs/${run.id}/moves`, { record: { customer_id: 'C-1' } }, gus)).toMatchObject({ status: 403 });
    expect((await s.call('GET', `/runs/${run.id}`, undefined, ana)).body.revision).toBe(1);
  });

  it('beyond loopback without credentials the server does not start; with them it does', async () => {
    s = await serve();
    const open = createSopServer({ host: s.host });
    await expect(open.listen({ port: 0, address: '0.0.0.0' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(open.listen({ port: 0, address: '0.0.0.0' })).rejects.toBeInstanceOf(HostError);
    const secured = createSopServer({ host: s.host, tokens: TOKENS });
    const { port } = await secured.listen({ port: 0, address: '0.0.0.0' });
    expect(port).toBeGreaterThan(0);
    await secured.close();
  });

  it('without credentials: loopback names only, and no writes from another site', async () => {
    s = await serve();
    const rebound = await rawRequest(s.url, { path: '/runs', headers: { host: 'evil.example:8080' } });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ error: { code: 'forbidden' } });
    expect((await rawRequest(s.url, { path: '/runs', headers: { host: 'localhost:8080' } })).status).toBe(200);
    expect(await s.call('POST', '/runs', { sop: 'desk' }, { origin: 'http://evil.example' })).toMatchObject({ status: 403 });
    expect(await s.call('POST', '/runs', { sop: 'desk' }, { 'sec-fetch-site': 'cross-site' })).toMatchObject({ status: 403 });
    expect(await s.call('POST', '/runs', JSON.stringify({ sop: 'desk' }), { 'content-type': 'text/plain' })).toMatchObject({ status: 415 });
    expect((await s.call('GET', '/runs')).body.runs).toEqual([]);
  });

  it('the page: a login sets an HttpOnly SameSite=Strict session cookie; writes with it need this origin', async () => {
    s = await serve({ tokens: TOKENS });
    const page = await s.call('GET', '/');
    expect(page.status).toBe(401);
    expect(page.body).toContain('data-view="login"');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await s.call('POST', '/login', { token: 'wrong-token-0000000000' })).toMatchObject({ status: 401 });
    expect(await s.call('POST', '/login', { token: TOKENS[0]!.token }, { origin: 'http://evil.example' })).toMatchObject({ status: 403 });
    const login = await s.call('POST', '/login', { token: TOKENS[0]!.token }, { origin: s.url });
    expect(login).toMatchObject({ status: 200, body: { actor: 'ana', roles: ['CSR'] } });
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^sopflow_session=[\w-]{40,}; HttpOnly; SameSite=Strict; Path=\//);
    expect(cookie).not.toContain(TOKENS[0]!.token);
    const session = cookie.split(';')[0]!;
    expect((await s.call('GET', '/', undefined, { cookie: session })).body).toContain('data-view="home"');
    expect((await s.call('GET', '/me', undefined, { cookie: session })).body).toEqual({ secured: true, actor: 'ana', roles: ['CSR'] });
    // a write with the cookie: from this origin only
    expect(await s.call('POST', '/runs', { sop: 'desk' }, { cookie: session })).toMatchObject({ status: 403 });
    expect(await s.call('POST', '/runs', { sop: 'desk' }, { cookie: session, origin: 'http://evil.example' })).toMatchObject({
      status: 403,
    });
    const started = await s.call('POST', '/runs', { sop: 'desk' }, { cookie: session, origin: s.url });
    expect(started.status).toBe(201);
    expect((await s.call('GET', '/runs', undefined, { cookie: session })).body.runs).toHaveLength(1);
    await s.call('POST', '/logout', undefined, { cookie: session, origin: s.url });
    expect((await s.call('GET', '/runs', undefined, { cookie: session })).status).toBe(401);
  });
});

describe('parseTokens', () => {
  it('reads tokens or their digests, and says which entry is wrong without echoing a token', () => {
    const entries = parseTokens(
      JSON.stringify({
        tokens: [
          { token: 'a'.repeat(20), actor: 'ana', roles: ['CSR'] },
          { sha256: 'f'.repeat(64), actor: 'bo' },
        ],
      }),
    );
    expect(entries.map((e) => e.actor)).toEqual(['ana', 'bo']);
    expect(entries[0]).not.toHaveProperty('token');
    const bad = (text: string) => {
      try {
        parseTokens(text);
        return '';
      } catch (e) {
        expect(e).toBeInstanceOf(TokensError);
        return (e as Error).message;
      }
    };
    expect(bad('{')).toMatch(/not JSON/);
    expect(bad('[]')).toMatch(/no tokens/);
    expect(bad(JSON.stringify([{ token: 'short', actor: 'a' }]))).toMatch(/at least 16/);
    expect(bad(JSON.stringify([{ token: 'short-secret-but-ok-length', actor: '' }]))).toMatch(/actor/);
    expect(
      bad(
        JSON.stringify([
          { token: 'x'.repeat(20), actor: 'a' },
          { token: 'x'.repeat(20), actor: 'b' },
        ]),
      ),
    ).toMatch(/same token twice/);
    expect(bad(JSON.stringify([{ token: 'y'.repeat(20), actor: 'a', roles: 'CSR' }]))).toMatch(/roles/);
    expect(bad(JSON.stringify([{ token: 'z'.repeat(20), actor: 'a', password: 'p' }]))).toMatch(/unknown key/);
    expect(
      bad(
        JSON.stringify([
          { token: 'x'.repeat(20), actor: 'a' },
          { token: 'x'.repeat(20), actor: 'b' },
        ]),
      ),
    ).not.toContain('x'.repeat(20));
  });
});
