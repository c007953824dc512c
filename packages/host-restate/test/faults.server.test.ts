import { toMachineConfig } from '@sopflow/compiler';
import { eventually } from '@sopflow/host/contract';
import type { RunRecord } from '@sopflow/host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RestateHost } from '../src/index.js';
import { freePort } from '../src/server/index.js';
import { expectWholeJournal, holdSop } from './faultSops.js';
import { freshNamespace, useRestateServer } from './restateServer.js';

/*
 * restate-server stopped (SIGTERM, then SIGKILL) and started again on its data directory while
 * runs wait on limits: the limits whose deadline passed while it was down fire at once when it is
 * back, the others at their deadlines, each once; runs and their journals are as they were.
 */

const restate = useRestateServer();
const short = toMachineConfig(holdSop('hold-short', '2s'));
const long = toMachineConfig(holdSop('hold-long', '9s'));
let host: RestateHost;

beforeAll(async () => {
  host = await RestateHost.open({
    ingress: restate.server.ingress,
    admin: restate.server.admin,
    namespace: freshNamespace('srv'),
    timeoutMs: 60_000,
    endpoint: { port: await freePort() },
    sops: [short, long],
  });
}, 60_000);

afterAll(async () => {
  await host?.close();
});

async function firedRun(id: string): Promise<RunRecord> {
  return eventually(async () => {
    const now = await host.get(id, { journal: true });
    expect(now.view.step).toBe('call-back');
    return now;
  }, 60_000);
}

describe.each([
  ['SIGTERM', 'stop'],
  ['SIGKILL', 'kill'],
] as const)('restate-server stopped with %s while runs wait on limits', (_signal, how) => {
  it('the limits fire after the restart: at once when their deadline passed, else at their deadline; each once', async () => {
    const prefix = `${how}-`;
    const shortRuns = await Promise.all([0, 1, 2].map((i) => host.start('hold-short', { id: `${prefix}short-${i}` })));
    const longRuns = await Promise.all([0, 1, 2].map((i) => host.start('hold-long', { id: `${prefix}long-${i}` })));
    const before = new Map<string, RunRecord>();
    for (const r of [...shortRuns, ...longRuns]) before.set(r.id, await host.get(r.id, { journal: true }));
    await (how === 'stop' ? restate.server.stop() : restate.server.kill());
    const downAt = Date.now();
    const shortDeadline = Math.max(...shortRuns.map((r) => Date.parse(r.deadline!)));
    // down until every short limit has passed (and none of the long ones)
    await new Promise((r) => setTimeout(r, Math.max(0, shortDeadline - Date.now()) + 500));
    const upAgain = await restate.server.restart();
    expect(upAgain.ingress).toBe(restate.server.ingress);
    const restartedAt = Date.now();
    expect(restartedAt).toBeGreaterThan(shortDeadline);

    for (const r of shortRuns) {
      const fired = await firedRun(r.id);
      const entry = fired.journal!.filter((e) => e.type === 'limit-fired');
      expect(entry).toHaveLength(1);
      expect(entry[0]).toMatchObject({ step: 'hold', after: '2s', deadline: r.deadline });
      // it passed while Restate was down: fired when it came back, after its deadline
      expect(Date.parse(entry[0]!.at)).toBeGreaterThan(downAt);
      expect(Date.parse(entry[0]!.at)).toBeGreaterThan(Date.parse(r.deadline!));
      expect(fired.journal!.slice(0, before.get(r.id)!.journal!.length)).toEqual(before.get(r.id)!.journal);
      expect(fired.revision).toBe(r.revision + 1);
      expectWholeJournal(fired, short);
    }
    // the long limits have not fired early
    for (const r of longRuns) {
      const now = await host.get(r.id);
      if (Date.now() < Date.parse(r.deadline!)) expect(now.view.step).toBe('hold');
    }
    for (const r of longRuns) {
      const fired = await firedRun(r.id);
      const entry = fired.journal!.filter((e) => e.type === 'limit-fired');
      expect(entry).toHaveLength(1);
      expect(entry[0]).toMatchObject({ after: '9s', deadline: r.deadline });
      expect(Date.parse(entry[0]!.at)).toBeGreaterThanOrEqual(Date.parse(r.deadline!));
      expect(fired.journal!.slice(0, before.get(r.id)!.journal!.length)).toEqual(before.get(r.id)!.journal);
      expectWholeJournal(fired, long);
    }
    // nothing lost from the index either
    const listed = await host.list({ status: 'active', step: 'call-back', limit: 1000 });
    expect(
      listed.runs
        .map((r) => r.id)
        .filter((id) => id.startsWith(prefix))
        .sort(),
    ).toEqual([...shortRuns, ...longRuns].map((r) => r.id).sort());
  }, 120_000);
});
