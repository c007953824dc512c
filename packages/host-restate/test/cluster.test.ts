import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { toMachineConfig } from '@sopflow/compiler';
import { eventually } from '@sopflow/host/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestateHost } from '../src/index.js';
import { freePort, startRestateServer, type RestateServerProcess } from '../src/server/index.js';
import { startCrm, type Crm } from './crm.js';
import { expectWholeJournal, holdSop, saver } from './faultSops.js';
import { freshNamespace } from './restateServer.js';

/*
 * A 3-node Restate cluster on loopback (the npm binary, replicated metadata and log, replication
 * 2): one node killed with SIGKILL while runs take moves, wait on limits and run actions. The
 * other two carry on: every move is taken once, every limit fires, every action is applied once.
 */

const hold = toMachineConfig(holdSop('hold-cluster', '3s'));
let baseDir: string;
let nodes: RestateServerProcess[] = [];
let crm: Crm;
let api: RestateHost;

beforeAll(async () => {
  baseDir = mkdtempSync(path.join(os.tmpdir(), 'sopflow-cluster-'));
  const ports = await Promise.all(
    [1, 2, 3].map(async () => ({ node: await freePort(), ingress: await freePort(), admin: await freePort() })),
  );
  const addresses = JSON.stringify(ports.map((p) => `http://127.0.0.1:${p.node}`));
  nodes = await Promise.all(
    ports.map((p, i) =>
      startRestateServer({
        baseDir: path.join(baseDir, `n${i + 1}`),
        nodePort: p.node,
        ingressPort: p.ingress,
        adminPort: p.admin,
        timeoutMs: 60_000,
        env: {
          RESTATE_CLUSTER_NAME: 'sopflow-test',
          RESTATE_NODE_NAME: `n${i + 1}`,
          RESTATE_DEFAULT_REPLICATION: '2',
          RESTATE_METADATA_CLIENT__ADDRESSES: addresses,
          RESTATE_AUTO_PROVISION: i === 0 ? 'true' : 'false',
          RESTATE_BIFROST__DEFAULT_PROVIDER: 'replicated',
          RESTATE_DEFAULT_NUM_PARTITIONS: '6',
        },
      }),
    ),
  );
  crm = await startCrm();
  // the endpoint in this process, registered through node 1; the API talks to node 1's ingress
  api = await RestateHost.open({
    ingress: nodes[0]!.ingress,
    admin: nodes[0]!.admin,
    namespace: freshNamespace('cl'),
    timeoutMs: 120_000,
    endpoint: {
      port: await freePort(),
      logger: () => {},
      actions: {
        'crm.save': async (call) => {
          await fetch(`${crm.url}/call`, { method: 'POST', body: JSON.stringify(call) });
        },
      },
    },
    sops: [saver, hold],
  });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await crm?.close();
  for (const node of nodes) await node.stop();
  if (baseDir) rmSync(baseDir, { recursive: true, force: true });
}, 60_000);

describe('a 3-node Restate cluster', () => {
  it('one node killed with SIGKILL mid-run: moves, limits and actions go on, nothing lost, nothing twice', async () => {
    const runs = await Promise.all(Array.from({ length: 12 }, (_, i) => api.start('saver', { id: `c-${i}` })));
    const holds = await Promise.all(Array.from({ length: 4 }, (_, i) => api.start('hold-cluster', { id: `h-${i}` })));
    const taken = new Map<string, string[]>();
    let stop = false;
    const work = Promise.all(
      runs.map(async (r) => {
        let revision = 1;
        for (let k = 0; !stop; k++) {
          const note = `${r.id}-${k}`;
          revision = (await api.move(r.id, { record: { note } }, { expect: { revision } })).revision;
          taken.set(r.id, [...(taken.get(r.id) ?? []), note]);
        }
        await api.move(r.id, { complete: true }, { expect: { revision } });
      }),
    );
    await new Promise((res) => setTimeout(res, 700));
    const before = [...taken.values()].reduce((n, t) => n + t.length, 0);
    await nodes[1]!.kill();
    await new Promise((res) => setTimeout(res, 2_000));
    stop = true;
    await work;
    const after = [...taken.values()].reduce((n, t) => n + t.length, 0);
    expect(after).toBeGreaterThan(before); // moves were taken after the kill
    console.info(`cluster: ${before} moves before the kill, ${after - before} in the 2 s after it`);
    for (const r of runs) {
      const now = await eventually(async () => {
        const got = await api.get(r.id, { journal: true });
        expect(got.pendingActions).toBe(0);
        return got;
      }, 90_000);
      const notes = taken.get(r.id) ?? [];
      expect(now.revision).toBe(1 + notes.length + 1 + 1);
      expect(now.journal!.filter((e) => e.type === 'recorded').map((e) => (e.data as { note: string }).note)).toEqual(notes);
      expectWholeJournal(now, saver);
    }
    for (const h of holds) {
      const fired = await eventually(async () => {
        const got = await api.get(h.id, { journal: true });
        expect(got.view.step).toBe('call-back');
        return got;
      }, 90_000);
      expect(fired.journal!.filter((e) => e.type === 'limit-fired')).toHaveLength(1);
    }
    expect(crm.applied.size).toBe(runs.length);
    expect([...crm.applied.values()].every((n) => n === 1)).toBe(true);
  }, 240_000);
});
