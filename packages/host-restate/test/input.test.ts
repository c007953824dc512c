import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageOf, type CheckedQuery } from '@sopflow/host';
import { RestateHost } from '../src/index.js';
import { byKey, checkIndexQuery, matches } from '../src/indexQuery.js';
import { indexKey, INDEX_SHARDS } from '../src/names.js';
import { freePort } from '../src/server/index.js';
import type { IndexQuery, IndexRow } from '../src/wire.js';
import { saver } from './faultSops.js';
import { freshNamespace, useRestateServer } from './restateServer.js';

/*
 * Whatever reaches the sopflow handlers through Restate's ingress gets an answer: a sopflow
 * answer ({ ok } or { error: { code, message } }), or Restate's own 400 for a body it cannot
 * read. Never a 5xx, never a hang (an invocation that fails is retried by Restate for ever).
 */

const restate = useRestateServer();
const namespace = freshNamespace('in');
let host: RestateHost;

beforeAll(async () => {
  host = await RestateHost.open({
    ingress: restate.server.ingress,
    admin: restate.server.admin,
    namespace,
    endpoint: { port: await freePort(), actions: { 'crm.save': () => {} } },
    sops: [saver],
  });
  await host.start('saver', { id: 'r1' });
}, 60_000);

afterAll(async () => {
  await host?.close();
});

const json = fc.jsonValue({ maxDepth: 3 });
const move = fc.oneof(
  json,
  fc.record({ complete: fc.oneof(fc.constant(true), json) }, { requiredKeys: [] }),
  fc.record({ choose: fc.oneof(fc.string(), json) }),
  fc.record({ record: fc.dictionary(fc.constantFrom('note', 'issue_note', 'x', '__proto__'), json) }),
  fc.record({ signal: fc.string(), data: json }, { requiredKeys: ['signal'] }),
);
const body = fc.oneof(
  json,
  fc.record({ move, expect: fc.oneof(json, fc.record({ revision: fc.integer() })), by: json, enforceRoles: json }, { requiredKeys: [] }),
  fc.record({ sop: fc.oneof(fc.constant('saver'), fc.string()), meta: json, by: json }, { requiredKeys: [] }),
  fc.record({ reason: json, by: json, expect: json }, { requiredKeys: [] }),
  fc.record(
    { limit: fc.oneof(fc.integer({ min: -2, max: 2000 }), json), status: json, after: json, dueBefore: json },
    { requiredKeys: [] },
  ),
);
const target = fc.oneof(
  fc.record({
    service: fc.constant('Run'),
    key: fc.constantFrom('r1', 'no-such', 'r1 ', 'ünï', 'x'.repeat(300)),
    handler: fc.constantFrom('start', 'move', 'cancel', 'migrate', 'get'),
  }),
  fc.record({ service: fc.constant('Catalog'), key: fc.constant('catalog'), handler: fc.constantFrom('newest', 'list', 'publish') }),
  fc.record({ service: fc.constant('Index'), key: fc.constantFrom('active.0', 'ended.3', 'other'), handler: fc.constant('query') }),
  fc.record({ service: fc.constant('Build'), key: fc.string({ minLength: 1, maxLength: 20 }), handler: fc.constant('get') }),
);

describe('input from outside, through the ingress', () => {
  it('every call is answered: a sopflow answer with a code, or 400 from Restate; never a 5xx or a hang', async () => {
    await fc.assert(
      fc.asyncProperty(target, body, async (t, b) => {
        const url = `${restate.server.ingress}/${namespace}.${t.service}/${encodeURIComponent(t.key)}/${t.handler}`;
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(b),
          signal: AbortSignal.timeout(10_000),
        });
        const text = await res.text();
        expect([200, 400], text).toContain(res.status);
        if (res.status === 200) {
          const answer = JSON.parse(text) as { ok?: unknown; error?: { code: unknown; message: unknown } };
          expect('ok' in answer || 'error' in answer, text).toBe(true);
          if (answer.error) {
            expect(answer.error.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
            expect(typeof answer.error.message).toBe('string');
          }
        }
      }),
      { numRuns: 250 },
    );
    // the run is still whole and answers
    const r1 = await host.get('r1', { journal: true });
    expect(r1.journal!.length).toBeGreaterThan(0);
  }, 120_000);
});

describe('the list index, sharded', () => {
  const row = fc.record({
    id: fc.string({ minLength: 1, maxLength: 6 }),
    createdAt: fc.integer({ min: 0, max: 50 }),
    fields: fc.record({
      status: fc.constantFrom('active', 'done', 'cancelled'),
      sop: fc.constantFrom('a', 'b'),
      step: fc.option(fc.constantFrom('s1', 's2'), { nil: null }),
      role: fc.option(fc.constantFrom('CSR', 'Lead'), { nil: null }),
      deadline: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
    }),
  });
  const query = fc.record(
    {
      status: fc.constantFrom('active', 'done', 'cancelled'),
      sop: fc.constantFrom('a', 'b'),
      step: fc.constantFrom('s1', 's2'),
      role: fc.constantFrom('CSR', 'Lead'),
      dueBefore: fc.integer({ min: 0, max: 100 }),
    },
    { requiredKeys: [] },
  );

  it("each shard's first limit+1 rows, merged, give the page one list over all rows gives, and the same cursor", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(row, { selector: (r) => r.id, maxLength: 60 }),
        query,
        fc.integer({ min: 1, max: 8 }),
        fc.option(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.string({ maxLength: 6 })), { nil: undefined }),
        (rows, filters, limit, after) => {
          const q: IndexQuery = { ...filters, limit: limit + 1, ...(after ? { after } : {}) };
          // what the host does: every shard answers its matching rows, sorted, at most limit + 1
          const shards = new Map<string, IndexRow[]>();
          for (const r of rows) {
            const key = indexKey(r.fields.status === 'active' ? 'active' : 'ended', r.id);
            shards.set(key, [...(shards.get(key) ?? []), r]);
          }
          const merged = [...shards.values()]
            .flatMap((s) =>
              s
                .filter((r) => matches(r, q))
                .sort(byKey)
                .slice(0, q.limit),
            )
            .sort(byKey);
          const page = merged.slice(0, limit);
          // the reference: MemoryHost's paging over every row at once
          const checked: CheckedQuery = { ...filters, limit, ...(after ? { after } : {}) };
          const reference = pageOf(
            rows
              .filter((r) => matches(r, { ...q, after: undefined }))
              .map((r) => ({ key: [r.createdAt, r.id] as [number, string], id: r.id })),
            checked,
          );
          expect(page.map((r) => r.id)).toEqual(reference.ids);
          expect(merged.length > limit).toBe(reference.next !== undefined);
        },
      ),
      { numRuns: 3000 },
    );
    expect(INDEX_SHARDS).toBeGreaterThan(1);
  });

  it('an index query from outside is checked', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          const q = checkIndexQuery(value);
          expect(Number.isInteger(q.limit)).toBe(true);
        } catch (error) {
          expect((error as { code?: string }).code).toBe('bad-request');
        }
      }),
      { numRuns: 3000 },
    );
  });
});
