import { afterEach, describe, expect, it } from 'vitest';
import { serve, type Served } from './helpers.js';

let s: Served;
afterEach(async () => {
  await s?.stop();
});

describe('the HTTP API', () => {
  it('health and the SOPs served', async () => {
    s = await serve();
    expect(await s.call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const { body } = await s.call('GET', '/sops');
    expect(body.sops.map((x: { id: string }) => x.id).sort()).toEqual(['desk', 'ticket']);
  });

  it('start, get, move, list, cancel: RunRecords in, JSON errors with codes out', async () => {
    s = await serve();
    const started = await s.call('POST', '/runs', { sop: 'desk', meta: { ticket: 'T-1' }, by: 'ana' });
    expect(started.status).toBe(201);
    expect(started.headers.get('location')).toBe(`/runs/${started.body.id}`);
    expect(started.body).toMatchObject({ revision: 1, status: 'active', view: { step: 'identify', role: 'CSR' }, meta: { ticket: 'T-1' } });
    const id = started.body.id;
    expect((await s.call('GET', `/runs/${id}`)).body.revision).toBe(1);

    const moved = await s.call('POST', `/runs/${id}/moves`, { record: { customer_id: 'C-1' }, by: 'ana', expect: { revision: 1 } });
    expect(moved).toMatchObject({ status: 200, body: { revision: 2 } });
    expect(await s.call('POST', `/runs/${id}/moves`, { record: { customer_id: 'C-2' }, expect: { revision: 1 } })).toMatchObject({
      status: 409,
      body: { error: { code: 'stale' } },
    });
    expect(await s.call('POST', `/runs/${id}/moves`, { choose: 'Yes' })).toMatchObject({
      status: 422,
      body: { error: { code: 'not-a-decision' } },
    });
    expect(await s.call('POST', `/runs/${id}/moves`, { jump: true })).toMatchObject({
      status: 400,
      body: { error: { code: 'invalid-move' } },
    });
    expect(await s.call('POST', `/runs/${id}/moves`, { record: { customer_id: 7 } })).toMatchObject({
      status: 422,
      body: { error: { code: 'invalid-value' } },
    });
    expect(await s.call('POST', '/runs/nope/moves', { complete: true })).toMatchObject({
      status: 404,
      body: { error: { code: 'not-found' } },
    });
    expect(await s.call('POST', '/runs', { sop: 'nope' })).toMatchObject({ status: 404, body: { error: { code: 'unknown-sop' } } });

    const withJournal = await s.call('GET', `/runs/${id}?journal=true`);
    expect(withJournal.body.journal.find((e: { type: string }) => e.type === 'recorded')).toMatchObject({ by: 'ana' });
    expect((await s.call('GET', `/runs/${id}`)).body.journal).toBeUndefined();

    await s.call('POST', '/runs', { sop: 'desk', id: 'second' });
    expect((await s.call('GET', '/runs?step=identify')).body.runs.map((r: { id: string }) => r.id)).toEqual([id, 'second']);
    expect((await s.call('GET', '/runs?role=CSR&status=active&limit=1')).body).toMatchObject({ runs: [{ id }], next: expect.any(String) });
    expect(await s.call('GET', '/runs?colour=red')).toMatchObject({ status: 400, body: { error: { code: 'bad-request' } } });
    expect(await s.call('GET', '/runs?status=lost')).toMatchObject({ status: 400, body: { error: { code: 'bad-request' } } });

    const cancelled = await s.call('POST', '/runs/second/cancel', { reason: 'hung up', by: 'ana' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled', revision: 2 });
    expect(await s.call('POST', '/runs/second/moves', { complete: true })).toMatchObject({
      status: 422,
      body: { error: { code: 'run-finished' } },
    });
  });

  it('two moves expecting the same revision at once: one 200, one 409, one step moved', async () => {
    s = await serve();
    const { body: run } = await s.call('POST', '/runs', { sop: 'desk' });
    await s.call('POST', `/runs/${run.id}/moves`, { record: { customer_id: 'C-1' } });
    const [a, b] = await Promise.all([
      s.call('POST', `/runs/${run.id}/moves`, { complete: true, by: 'ana', expect: { revision: 2 } }),
      s.call('POST', `/runs/${run.id}/moves`, { complete: true, by: 'bo', expect: { revision: 2 } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const after = await s.call('GET', `/runs/${run.id}?journal=true`);
    expect(after.body).toMatchObject({ revision: 3, view: { step: 'triage' } });
    expect(after.body.journal.filter((e: { type: string }) => e.type === 'step-left')).toHaveLength(1);
  });

  it('bad requests: JSON errors with codes, never a stack trace', async () => {
    s = await serve({ bodyLimit: 1024 });
    const { body: run } = await s.call('POST', '/runs', { sop: 'desk' });
    const cases: [string, string, unknown, Record<string, string> | undefined, number, string][] = [
      ['POST', '/runs', '{not json', undefined, 400, 'bad-request'],
      ['POST', '/runs', '[1,2]', undefined, 400, 'bad-request'],
      ['POST', '/runs', '', undefined, 400, 'bad-request'],
      ['POST', '/runs', { sop: 42 }, undefined, 400, 'bad-request'],
      ['POST', '/runs', { sop: 'desk', colour: 'red' }, undefined, 400, 'bad-request'],
      ['POST', '/runs', { sop: 'desk', by: 42 }, undefined, 400, 'bad-request'],
      ['POST', '/runs', { sop: 'desk' }, { 'content-type': 'text/plain' }, 415, 'unsupported-media-type'],
      ['POST', '/runs', { sop: 'desk', meta: 'x'.repeat(5000) }, undefined, 413, 'too-large'],
      ['POST', `/runs/${run.id}/moves`, { complete: true, expect: 'x' }, undefined, 400, 'bad-request'],
      ['POST', `/runs/${run.id}/cancel`, { reason: 42 }, undefined, 400, 'bad-request'],
      ['DELETE', `/runs/${run.id}`, undefined, undefined, 405, 'method-not-allowed'],
      ['GET', '/nothing/here', undefined, undefined, 404, 'not-found'],
      ['GET', `/runs/${run.id}?journal=maybe`, undefined, undefined, 400, 'bad-request'],
      ['GET', '/runs/%E0%A4%A/page', undefined, undefined, 400, 'bad-request'],
    ];
    for (const [method, route, body, headers, status, code] of cases) {
      const answer = await s.call(method, route, body, headers);
      expect([method, route, answer.status, answer.body?.error?.code]).toEqual([method, route, status, code]);
      expect(JSON.stringify(answer.body)).not.toMatch(/\bat .*\.(ts|js):\d+/);
    }
    expect((await s.call('GET', `/runs/${run.id}`)).body.revision).toBe(1);
    expect(s.errors).toEqual([]);
  });

  it('a rate limit per client: 429 with a code past it', async () => {
    s = await serve({ rateLimit: 5 });
    const answers = await Promise.all(Array.from({ length: 30 }, () => s.call('GET', '/sops')));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.body).toMatchObject({ error: { code: 'rate-limited' } });
    expect(limited[0]!.headers.get('retry-after')).toBe('1');
  });

  it('logs one line per request, with no body', async () => {
    s = await serve();
    await s.call('POST', '/runs', { sop: 'desk', meta: { secret: 'hunter2' } });
    expect(s.logs).toEqual([expect.stringMatching(/^POST \/runs 201 [\d.]+ms$/)]);
  });
});
