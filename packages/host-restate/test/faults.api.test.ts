import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpStatus } from '@sopflow/host';
import { RestateHost } from '../src/index.js';
import { freePort } from '../src/server/index.js';
import { expectWholeJournal, saver } from './faultSops.js';
import { spawnFixture } from './processes.js';
import { freshNamespace, useRestateServer } from './restateServer.js';

/*
 * Two API processes take moves for the same runs at the same time, each expecting the revision
 * it last read: the run's virtual object applies them one at a time, so each revision is taken by
 * exactly one move and the other is refused as stale (HTTP 409), and the journal holds exactly the
 * moves that were taken.
 */

const restate = useRestateServer();
const namespace = freshNamespace('api');
let host: RestateHost;

beforeAll(async () => {
  host = await RestateHost.open({
    ingress: restate.server.ingress,
    admin: restate.server.admin,
    namespace,
    endpoint: { port: await freePort(), actions: { 'crm.save': () => {} } },
    sops: [saver],
  });
}, 60_000);

afterAll(async () => {
  await host?.close();
});

interface Attempt {
  run: string;
  tag: string;
  result: string;
}

describe('two API processes on the same runs', () => {
  it('revisions serialize their moves: each taken once, the others refused as stale (409)', async () => {
    const runs = await Promise.all(Array.from({ length: 6 }, (_, i) => host.start('saver', { id: `shared-${i}` }).then((r) => r.id)));
    const rounds = 15;
    const processes = await Promise.all(
      ['A', 'B'].map((tag) => spawnFixture('apiProcess', { ingress: restate.server.ingress, namespace, runs, rounds, tag })),
    );
    const outputs = await Promise.all(
      processes.map(async (p) => {
        const line = await p.waitFor(/^\{"attempts"/, 90_000);
        expect(await p.exited).toBe(0);
        return (JSON.parse(line) as { attempts: Attempt[] }).attempts;
      }),
    );
    const attempts = outputs.flat();
    expect(attempts).toHaveLength(2 * runs.length * rounds);
    // every attempt was taken or refused as stale: nothing else went wrong
    expect(attempts.filter((a) => a.result !== 'taken' && a.result !== 'stale')).toEqual([]);
    expect(attempts.filter((a) => a.result === 'stale').length).toBeGreaterThan(0); // they did collide
    expect(httpStatus('stale')).toBe(409);
    for (const run of runs) {
      const record = await host.get(run, { journal: true });
      const taken = attempts.filter((a) => a.run === run && a.result === 'taken').map((a) => a.tag);
      // one revision per move taken, and the journal holds exactly those moves, once each
      expect(record.revision).toBe(1 + taken.length);
      const journaled = record.journal!.filter((e) => e.type === 'recorded').map((e) => (e.data as { issue_note: string }).issue_note);
      expect([...journaled].sort()).toEqual([...taken].sort());
      expectWholeJournal(record, saver);
    }
  }, 120_000);
});
