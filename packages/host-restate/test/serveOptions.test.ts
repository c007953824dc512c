import { describe, expect, it } from 'vitest';
import { HostError } from '@sopflow/host';
import { openRestateHostForServe, RestateHost } from '../src/index.js';
import { freePort } from '../src/server/index.js';
import { saver } from './faultSops.js';
import { freshNamespace, useRestateServer } from './restateServer.js';

const restate = useRestateServer();

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof HostError) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'accepted';
}

describe('openRestateHostForServe: what `sopflow serve --engine restate` runs on', () => {
  it('refuses options it cannot run with, saying which', async () => {
    expect(await codeOf(openRestateHostForServe({ sops: [] } as never))).toMatch(/^bad-request: .*--restate <ingress-url>/);
    expect(await codeOf(openRestateHostForServe({ restate: 'ftp://x', sops: [] }))).toMatch(/^bad-request: --restate is an http\(s\) URL/);
    expect(await codeOf(openRestateHostForServe({ restate: 'http://127.0.0.1:1', sops: [] }))).toMatch(
      /^bad-request: .*--admin <admin-url>/,
    );
    expect(await codeOf(openRestateHostForServe({ restate: 'http://127.0.0.1:1', admin: 'not a url', sops: [] }))).toMatch(
      /^bad-request: --admin is not a URL/,
    );
    expect(
      await codeOf(openRestateHostForServe({ restate: 'http://127.0.0.1:1', admin: 'http://127.0.0.1:1', endpointPort: 70_000, sops: [] })),
    ).toMatch(/^bad-request: --endpoint-port/);
    expect(await codeOf(openRestateHostForServe({ restate: 'http://127.0.0.1:1', endpoint: false, namespace: '1x', sops: [] }))).toMatch(
      /^bad-request: a namespace/,
    );
  });

  it('says so when Restate cannot be reached', async () => {
    const port = await freePort();
    const started = Date.now();
    expect(await codeOf(RestateHost.open({ ingress: `http://127.0.0.1:${port}`, timeoutMs: 1_000 }))).toMatch(
      /^unavailable: Restate's ingress at http:\/\/127\.0\.0\.1:\d+ did not answer within 1 s/,
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('serves and registers an endpoint, publishes the folder, takes moves; another process with --no-endpoint sees the same runs', async () => {
    const namespace = freshNamespace('serve');
    const host = await openRestateHostForServe({
      restate: restate.server.ingress,
      admin: restate.server.admin,
      namespace,
      endpointPort: await freePort(),
      sops: [saver],
      actions: { 'crm.save': () => {} },
      enforceRoles: true,
    });
    const api = await openRestateHostForServe({ restate: restate.server.ingress, endpoint: false, namespace, sops: [] });
    try {
      expect((await api.sops()).map((s) => s.id)).toEqual(['saver']);
      const run = await host.start('saver', { id: 'served' });
      const moved = await api.move(run.id, { record: { note: 'x' } }, { expect: { revision: 1 } });
      expect(moved.revision).toBe(2);
      expect(await codeOf(api.move(run.id, { record: { note: 'y' } }, { expect: { revision: 1 } }))).toMatch(/^stale: /);
      expect((await host.list({ sop: 'saver' })).runs.map((r) => r.id)).toEqual(['served']);
    } finally {
      await api.close();
      await host.close();
    }
    expect(await codeOf(host.get('served'))).toMatch(/^unavailable: the host is closed/);
  });
});
