// Service: moves per second and latency over HTTP (`sopflow serve`'s stack: node:http, the
// server, the SQLite host) with 1,000 live runs; the peer is the same moves on the host in
// process, without HTTP. The server runs in its own process; this one is the client, with a
// fixed number of keep-alive connections, each owning a share of the runs (so moves expect the
// right revision and none is refused as stale).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, summarize } from '../lib/stats.mjs';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'serviceChild.mjs');
const CONNECTIONS = 8;

function post(agent, url, route, body) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(
      `${url}${route}`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          if (res.statusCode >= 400) reject(Object.assign(new Error(parsed.error?.message), { code: parsed.error?.code }));
          else resolve(parsed);
        });
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

function startServer(db) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, 'serve', db], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`the bench server exited with ${code}`)));
  });
}

export async function serviceRows(ctx) {
  const { runs: rounds, quick, log } = ctx;
  const liveRuns = 1000;
  const moves = quick ? 2000 : 10000;
  const dir = mkdtempSync(path.join(tmpdir(), 'sopflow-bench-service-'));
  try {
    const { child, url } = await startServer(path.join(dir, 'http.db'));
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const http = { rates: [], p50: [], p99: [] };
    try {
      const revision = new Map();
      for (let i = 0; i < liveRuns; i++) {
        const r = await post(agent, url, '/runs', { sop: 'bench-desk' });
        revision.set(r.id, r.revision);
      }
      const ids = [...revision.keys()];
      const move = async (id) => {
        const body = (m) => ({ ...m, expect: { revision: revision.get(id) } });
        const r = await post(agent, url, `/runs/${id}/moves`, body({ complete: true })).catch((error) => {
          if (error.code !== 'needs-answer') throw error;
          return post(agent, url, `/runs/${id}/moves`, body({ choose: 'Yes' }));
        });
        revision.set(id, r.revision);
      };
      for (let round = 0; round < rounds + 1; round++) {
        const lat = [];
        const t0 = performance.now();
        await Promise.all(
          Array.from({ length: CONNECTIONS }, async (_, w) => {
            const mine = ids.filter((_, i) => i % CONNECTIONS === w);
            for (let m = 0; m < moves / CONNECTIONS; m++) {
              const t = performance.now();
              await move(mine[m % mine.length]);
              lat.push(performance.now() - t);
            }
          }),
        );
        const ms = performance.now() - t0;
        if (round === 0) continue; // warm-up
        lat.sort((a, b) => a - b);
        http.rates.push((lat.length / ms) * 1000);
        http.p50.push(lat[Math.floor(lat.length * 0.5)]);
        http.p99.push(lat[Math.floor(lat.length * 0.99)]);
      }
    } finally {
      agent.destroy();
      child.kill('SIGTERM');
    }
    const direct = spawnSync(
      process.execPath,
      [CHILD, 'direct', path.join(dir, 'direct.db'), String(liveRuns), String(moves), String(rounds)],
      { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
    );
    if (direct.status !== 0) throw new Error(`the in-process peer failed: ${direct.stderr}`);
    const inProcess = JSON.parse(direct.stdout);
    const s = { rate: summarize(http.rates), p50: summarize(http.p50), p99: summarize(http.p99) };
    const d = { rate: summarize(inProcess.rates), p50: summarize(inProcess.p50), p99: summarize(inProcess.p99) };
    const perSec = (x) => `${Math.round(x).toLocaleString('en-US')}/s`;
    const ms = (x) => `${x.toFixed(2)} ms`;
    log(describe(`HTTP moves/s, ${liveRuns.toLocaleString('en-US')} live runs, ${CONNECTIONS} connections`, s.rate, perSec));
    log(describe('HTTP move latency p50', s.p50, ms));
    log(describe('HTTP move latency p99', s.p99, ms));
    log(describe('in-process SqliteHost.move moves/s (no HTTP)', d.rate, perSec));
    log(describe('in-process move latency p99', d.p99, ms));
    const pass = s.rate.median >= 2000 && s.p99.median < 10;
    return [
      {
        metric: `Service: moves over HTTP, ${liveRuns.toLocaleString('en-US')} live runs (SQLite)`,
        sopflow: `${perSec(s.rate.median)} (p50 ${ms(s.p50.median)}, p99 ${ms(s.p99.median)})`,
        peer: `${perSec(d.rate.median)} (in process, no HTTP)`,
        ratio: `${(s.rate.median / d.rate.median).toFixed(2)}x`,
        target: quick ? '—' : '>= 2,000/s and p99 < 10 ms',
        pass: quick ? undefined : pass,
        data: { http: s, inProcess: d },
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
