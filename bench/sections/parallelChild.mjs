// Experiment (child process): does validating files in parallel win on this machine?
//   node parallelChild.mjs <ciDir> <runs> <threads>
// Times @sopflow/core loadSop over every file on the main thread alone, then with worker threads
// sharing the files through an atomic counter (the main thread works too). Only the per-file
// part is parallel; the cross-file checks (use:, outcomes, duplicate ids) are cheap and stay
// serial. Prints JSON { serial: ms[], parallel: ms[], threads } on stdout.
import { readdirSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { loadPackage, need } from '../lib/api.mjs';

const core = await loadPackage('core');
const loadSop = need(core, 'core', 'loadSop');

/** Claims files one chunk at a time from the shared counter; returns the diagnostics count. */
function drain(files, counter, chunk) {
  let diagnostics = 0;
  for (;;) {
    const start = Atomics.add(counter, 0, chunk);
    if (start >= files.length) return diagnostics;
    for (let i = start; i < Math.min(start + chunk, files.length); i++) {
      diagnostics += loadSop(readFileSync(files[i], 'utf8'), { file: files[i], today: '2026-01-01' }).diagnostics.length;
    }
  }
}

if (!isMainThread) {
  const { files, shared, chunk } = workerData;
  const counter = new Int32Array(shared);
  parentPort.postMessage(drain(files, counter, chunk));
} else {
  const [dir, runsArg, threadsArg] = process.argv.slice(2);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.sop.yaml'))
    .sort()
    .map((f) => path.join(dir, f));
  const runs = Number(runsArg);
  const threads = Number(threadsArg);
  const CHUNK = 8;
  const serial = [];
  const parallel = [];
  for (let r = 0; r <= runs; r++) {
    let t = performance.now();
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const a = drain(files, counter, CHUNK);
    if (r > 0) serial.push(performance.now() - t);

    t = performance.now();
    const shared = new SharedArrayBuffer(4);
    const workers = Array.from(
      { length: threads - 1 },
      () =>
        new Promise((resolve, reject) => {
          const w = new Worker(new URL(import.meta.url), { workerData: { files, shared, chunk: CHUNK } });
          w.once('message', resolve);
          w.once('error', reject);
        }),
    );
    const mine = drain(files, new Int32Array(shared), CHUNK);
    const theirs = (await Promise.all(workers)).reduce((x, y) => x + y, 0);
    if (r > 0) parallel.push(performance.now() - t);
    if (a !== mine + theirs) throw new Error(`parallel run found ${mine + theirs} diagnostics, serial ${a}`);
  }
  process.stdout.write(JSON.stringify({ serial, parallel, threads }));
}
