// Summaries of repeated measurements: medians, min/max and the interquartile range.
import { spawnSync } from 'node:child_process';

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** `{ n, median, min, max, q1, q3, samples }` of a list of numbers. */
export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    samples,
  };
}

export const fmtMs = (ms) => (ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`);
export const fmtUs = (us) => (us >= 100 ? `${us.toFixed(0)} µs` : us >= 10 ? `${us.toFixed(1)} µs` : `${us.toFixed(2)} µs`);
export const fmtMb = (mb) => `${mb.toFixed(1)} MB`;
export const fmtKb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
/** `peerMs / oursMs` as words: "2.10x faster" or "1.70x slower". */
export const fasterSlower = (oursMs, peerMs) =>
  peerMs >= oursMs ? `${(peerMs / oursMs).toFixed(2)}x faster` : `${(oursMs / peerMs).toFixed(2)}x slower`;
export const fmtRatio = (r) => (Number.isFinite(r) ? `${r.toFixed(2)}x` : '—');

/** One line describing a summary: median (min–max, IQR q1–q3, n). */
export function describe(label, s, fmt = fmtMs) {
  return `${label}: median ${fmt(s.median)} (min ${fmt(s.min)}, max ${fmt(s.max)}, IQR ${fmt(s.q1)}–${fmt(s.q3)}, n=${s.n})`;
}

/**
 * Runs a whole process and returns its wall time in ms (spawnSync, output discarded unless
 * `capture`). Throws when it cannot start or exits with a code not in `okCodes`.
 */
export function timeProcess(command, args, { cwd, okCodes = [0], capture = false, env } = {}) {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, {
    cwd,
    env: env ?? process.env,
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'ignore', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.error) throw result.error;
  if (!okCodes.includes(result.status)) {
    const err = (result.stderr ?? '').slice(0, 2000);
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}\n${err}`);
  }
  return { ms, stdout: result.stdout, stderr: result.stderr };
}

/**
 * Times several whole-process contenders side by side: one warm-up each (file cache), then
 * `runs` rounds, each round running every contender once, in an order that rotates per round so
 * neither always goes first. Returns `{ [name]: summary }` in ms.
 */
export function compareProcesses(contenders, { runs, cwd, warmup = 1 }) {
  const names = Object.keys(contenders);
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  for (let w = 0; w < warmup; w++) for (const n of names) timeProcess(...contenders[n], { cwd });
  for (let r = 0; r < runs; r++) {
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const n of order) samples[n].push(timeProcess(...contenders[n], { cwd }).ms);
  }
  return Object.fromEntries(names.map((n) => [n, summarize(samples[n])]));
}
