// Scale: parse + validate + compile + render of one SOP of 1,000 / 10,000 / 50,000 steps.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, fmtMs, fmtUs, summarize, timeProcess } from '../lib/stats.mjs';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'scaleChild.mjs');

export async function scaleRows(ctx) {
  const { root, corpus, runs, log } = ctx;
  const sizes = Object.keys(corpus.scaleFiles)
    .map(Number)
    .sort((a, b) => a - b);
  const perStep = {};
  const rows = [];
  let largest;
  for (const size of sizes) {
    // each size in a fresh process so one size's JIT and heap do not help or hurt the next
    // warm-up: as many untimed steps as the largest SOP has (at least one round, at most 20),
    // so time per step compares code that the JIT has optimised equally
    const warmup = Math.min(20, Math.max(1, Math.round(sizes[sizes.length - 1] / size)));
    const { stdout } = timeProcess(process.execPath, [CHILD, corpus.scaleFiles[size], String(runs), String(warmup)], {
      cwd: root,
      capture: true,
    });
    const out = JSON.parse(stdout);
    if (out.diagnostics > 0) throw new Error(`scale SOP of ${size} steps has ${out.diagnostics} diagnostics`);
    const s = Object.fromEntries(Object.entries(out.samples).map(([k, v]) => [k, summarize(v)]));
    const NOTES = {
      yamlParse: 'yaml parseDocument alone (the positioned parse, used only for files with diagnostics; not part of the total)',
      compile: 'compile (toMachineConfig: the config sopflow compile writes and the runtime runs)',
      xstateMachine:
        "XState's createMachine over that config (compileSop's extra step for apps driving XState; XState's work, not part of the total)",
    };
    for (const stage of ['yamlParse', 'loadSop', 'compile', 'render', 'xstateMachine', 'total']) {
      log(
        `${describe(`scale ${size} steps (${warmup} warm-up), ${NOTES[stage] ?? stage}`, s[stage])}  = ${fmtUs((s[stage].median * 1000) / size)}/step`,
      );
    }
    perStep[size] = (s.total.median * 1000) / size;
    rows.push({
      metric: `Scale ${size.toLocaleString('en-US')} steps end to end`,
      sopflow: fmtMs(s.total.median),
      peer: '',
      ratio: `${fmtUs(perStep[size])}/step`,
      target: size === sizes[sizes.length - 1] ? '< 2 s' : '',
      pass: size === sizes[sizes.length - 1] ? s.total.median < 2000 : undefined,
      data: s,
    });
    largest = s;
  }
  const values = sizes.map((n) => perStep[n]);
  const growth = values[values.length - 1] / values[0];
  if (sizes.length > 2)
    log(
      `time per step, ${sizes[sizes.length - 1]} vs ${sizes[sizes.length - 2]} steps: ${(values[values.length - 1] / values[values.length - 2]).toFixed(2)}x`,
    );
  rows.push({
    metric: `Scale: time/step ${sizes[sizes.length - 1].toLocaleString('en-US')} vs ${sizes[0].toLocaleString('en-US')}`,
    sopflow: `${fmtUs(values[values.length - 1])} vs ${fmtUs(values[0])}`,
    peer: '',
    ratio: `${growth.toFixed(2)}x`,
    target: '<= 1.30x',
    pass: growth <= 1.3,
    data: { perStepUs: perStep, largest },
  });
  return rows;
}
