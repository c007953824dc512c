// `sopflow paths` at scale: findPaths on a 5,000-step chain and on 200 branching steps.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, summarize, timeProcess } from '../lib/stats.mjs';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pathsChild.mjs');
const fmtMs = (ms) => `${Math.round(ms).toLocaleString('en-US')} ms`;

export async function pathsRows(ctx) {
  const { root, runs, log } = ctx;
  const { stdout } = timeProcess(process.execPath, [CHILD, String(runs)], { cwd: root, capture: true });
  const out = JSON.parse(stdout);
  const rows = [];
  for (const [name, label] of [
    ['chain', 'Paths: 5,000-step chain'],
    ['branching', 'Paths: 200 steps, a decision every 10 (stops at 10,000)'],
  ]) {
    const s = summarize(out[name].ms);
    log(describe(`${label}: ${out[name].paths.toLocaleString('en-US')} path(s)`, s, fmtMs));
    rows.push({
      metric: label,
      sopflow: fmtMs(s.median),
      peer: '',
      ratio: '',
      target: '< 2 s',
      pass: s.median < 2000,
      data: { ...s, paths: out[name].paths },
    });
  }
  return rows;
}
