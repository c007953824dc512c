// Hosting at scale: moves per second and latency on the Restate host with 1 and 2 endpoint
// processes, with 1,000 and 10,000 live runs, beside the local host (in memory) in the same run.
//
// One restate-server (the npm binary, a fresh data directory), endpoint processes registered as
// one address, and this process as the API tier: `concurrency` loops, each taking moves on random
// live runs (a record, then a complete that changes the step, in turn), through RestateHost.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadPackage, ROOT } from '../lib/api.mjs';
import { mulberry32 } from '../lib/prng.mjs';
import { describe, fmtMs, summarize } from '../lib/stats.mjs';

const ENDPOINT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'restateEndpoint.mjs');

/** A loop of two tasks: every other move leaves a step (so it writes the list index). */
const CYCLE = {
  sopflow: 1,
  id: 'bench-cycle',
  title: 'Bench cycle',
  version: '1.0.0',
  fields: { note: { type: 'string' } },
  instructions: [
    { id: 'a', do: 'Take a note.', record: ['note'], role: 'CSR', next: 'b' },
    { id: 'b', do: 'Take another.', record: ['note'], role: 'CSR', next: 'a' },
  ],
};

const fmtRate = (r) => `${r.toFixed(0)} moves/s`;

// CPU time (ms) of a process and its children, from /proc (Linux); undefined elsewhere
const TICK_MS = 10; // USER_HZ is 100 on Linux
function statOf(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) * TICK_MS };
  } catch {
    return undefined;
  }
}
function treeCpu(root) {
  if (!existsSync('/proc') || root === undefined) return undefined;
  const stats = new Map();
  for (const name of readdirSync('/proc'))
    if (/^\d+$/.test(name)) {
      const st = statOf(Number(name));
      if (st) stats.set(Number(name), st);
    }
  let total = 0;
  const visit = (pid) => {
    const st = stats.get(pid);
    if (!st) return;
    total += st.cpu;
    for (const [child, c] of stats) if (c.ppid === pid) visit(child);
  };
  visit(root);
  return total;
}
function cpuSnapshot(serverPid, endpointPid) {
  const api = process.cpuUsage();
  return { server: treeCpu(serverPid), endpoint: treeCpu(endpointPid), api: (api.user + api.system) / 1000 };
}

let workerExits = 0;

function spawnEndpoint(config) {
  const child = spawn(process.execPath, [ENDPOINT, JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d) => {
      if (d.includes('ready')) resolve();
      if (d.includes('worker-exited')) workerExits++;
    });
    child.once('exit', (code) => reject(new Error(`the endpoint exited (${code}) before it was ready`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    pid: child.pid,
    ready,
    // the cluster primary takes its workers with it on SIGTERM
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** `count` moves with `concurrency` loops; per-move latency and the rate of the whole batch. */
async function measure(host, ids, { count, concurrency, seed }) {
  const rand = mulberry32(seed);
  const latencies = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const id = ids[Math.floor(rand() * ids.length)];
        const t = performance.now();
        await host.move(
          id,
          i % 2 ? { complete: true, by: { id: 'ana', roles: ['CSR'] } } : { record: { note: `n${i}` }, by: { id: 'ana', roles: ['CSR'] } },
        );
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    rate: count / seconds,
    p50: latencies[Math.floor(latencies.length * 0.5)],
    p99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))],
  };
}

async function startRuns(host, n, have, concurrency) {
  const ids = [...have];
  let made = have.length;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (made < n) {
        made++;
        ids.push((await host.start('bench-cycle')).id);
      }
    }),
  );
  return ids;
}

export async function restateRows(ctx) {
  const { runs, quick, log } = ctx;
  const { RestateHost } = await loadPackage('host-restate');
  const { MemoryHost } = await loadPackage('host');
  const { toMachineConfig } = await loadPackage('compiler');
  const { startRestateServer, freePort } = await import(pathToFileURL(path.join(ROOT, 'packages/host-restate/dist/server/index.js')).href);
  const config = toMachineConfig(CYCLE);
  const sizes = quick ? [100] : [1000, 10000];
  const count = quick ? 200 : 1500;
  const concurrency = 32;
  const baseDir = mkdtempSync(path.join(os.tmpdir(), 'sopflow-bench-restate-'));
  const server = await startRestateServer({ baseDir });
  log(
    `restate-server ${server.ingress} (fresh data directory); load average before: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${os.cpus().length} cores (other work on the machine shares them)`,
  );
  const rows = [];
  try {
    const port = await freePort();
    const api = new RestateHost({ ingress: server.ingress, admin: server.admin, timeoutMs: 120_000 });
    const local = new MemoryHost({ sops: [config] });
    let endpoint = spawnEndpoint({ ingress: server.ingress, port, workers: 1 });
    await endpoint.ready;
    const { registerDeployment } = await loadPackage('host-restate');
    await registerDeployment(server.admin, `http://127.0.0.1:${port}`);
    await api.publish(config);
    let ids = [];
    let localIds = [];
    for (const size of sizes) {
      const t0 = performance.now();
      ids = await startRuns(api, size, ids, concurrency);
      localIds = await startRuns(local, size, localIds, 1);
      log(`${size.toLocaleString('en-US')} live runs started on Restate in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const results = { local: [], 1: [], 2: [] };
      for (let r = 0; r < runs; r++) {
        // the order of the endpoint counts turns each round, so neither always runs on a warmer server
        for (const workers of r % 2 ? [2, 1] : [1, 2]) {
          await endpoint.stop();
          endpoint = spawnEndpoint({ ingress: server.ingress, port, workers });
          await endpoint.ready;
          await measure(api, ids, { count: Math.min(200, count), concurrency, seed: 1000 + r }); // warm-up: connections, JIT, builds
          const before = cpuSnapshot(server.pid, endpoint.pid);
          const m = await measure(api, ids, { count, concurrency, seed: r });
          const after = cpuSnapshot(server.pid, endpoint.pid);
          m.cpu = Object.fromEntries(
            Object.keys(after).map((k) => [
              k,
              after[k] === undefined || before[k] === undefined ? undefined : (after[k] - before[k]) / count,
            ]),
          );
          results[workers].push(m);
        }
        results.local.push(await measure(local, localIds, { count: count * 10, concurrency, seed: r }));
      }
      const pick = (list) => ({
        rate: summarize(list.map((x) => x.rate)),
        p50: summarize(list.map((x) => x.p50)),
        p99: summarize(list.map((x) => x.p99)),
      });
      const s = { local: pick(results.local), 1: pick(results[1]), 2: pick(results[2]) };
      for (const workers of [1, 2]) {
        const per = (k) => summarize(results[workers].map((m) => m.cpu?.[k]).filter((x) => x !== undefined));
        if (results[workers][0]?.cpu?.server !== undefined) {
          s[workers].cpu = { server: per('server').median, endpoint: per('endpoint').median, api: per('api').median };
          log(
            `${size.toLocaleString('en-US')} live runs, Restate, ${workers} endpoint process${workers > 1 ? 'es' : ''}: CPU per move: restate-server ${fmtMs(s[workers].cpu.server)}, endpoint${workers > 1 ? 's' : ''} ${fmtMs(s[workers].cpu.endpoint)}, API (this process) ${fmtMs(s[workers].cpu.api)}`,
          );
        }
      }
      for (const [name, v] of Object.entries(s)) {
        log(
          `${size.toLocaleString('en-US')} live runs, ${name === 'local' ? 'local host (MemoryHost)' : `Restate, ${name} endpoint process${name === '1' ? '' : 'es'}`}: ${describe('moves/s', v.rate, fmtRate)}; p50 ${fmtMs(v.p50.median)}, p99 ${fmtMs(v.p99.median)}`,
        );
      }
      const label = `${size.toLocaleString('en-US')} live runs`;
      for (const workers of [1, 2]) {
        const v = s[workers];
        rows.push({
          metric: `Restate host: moves/s, ${workers} endpoint${workers > 1 ? 's' : ''}, ${label} (p50 / p99)`,
          sopflow: `${fmtRate(v.rate.median)} (${fmtMs(v.p50.median)} / ${fmtMs(v.p99.median)})`,
          peer: `${fmtRate(s.local.rate.median)} (${fmtMs(s.local.p50.median)} / ${fmtMs(s.local.p99.median)}) local host`,
          ratio: `${(v.rate.median / s.local.rate.median).toFixed(3)}x`,
          target: '',
          pass: undefined,
          data: { restate: v, local: s.local },
        });
      }
      const scale = s[2].rate.median / s[1].rate.median;
      if (s[1].cpu) {
        const c = s[1].cpu;
        const total = c.server + c.endpoint + c.api;
        rows.push({
          metric: `Restate host: CPU per move, ${label} (restate-server / endpoint / API)`,
          sopflow: `${fmtMs(c.server)} / ${fmtMs(c.endpoint)} / ${fmtMs(c.api)}`,
          peer: '',
          ratio: `endpoint ${((c.endpoint / total) * 100).toFixed(0)}% of it`,
          target: '',
          pass: undefined,
          data: c,
        });
      }
      rows.push({
        metric: `Restate host: 2 endpoints vs 1, ${label}`,
        sopflow: fmtRate(s[2].rate.median),
        peer: `${fmtRate(s[1].rate.median)} (1 endpoint)`,
        ratio: `${scale.toFixed(2)}x`,
        target: '>= 1.6x',
        pass: quick ? undefined : scale >= 1.6,
        data: s,
      });
    }
    await endpoint.stop();
    if (workerExits)
      log(`note: ${workerExits} endpoint worker process(es) died during the measurements and were replaced (see the stderr above)`);
    await api.close();
    await local.close();
  } finally {
    await server.stop();
    rmSync(baseDir, { recursive: true, force: true });
  }
  return rows;
}
