// Child process for one scale measurement: node scaleChild.mjs <file> <runs> [warmup]
// warmup: untimed rounds first, so small SOPs get as much JIT warm-up as big ones (default 1).
// Times each stage in-process on one big SOP and prints JSON samples (ms) on stdout. No forced
// gc() between rounds: after a full collection V8 shrinks the young generation, and the next
// round then pays for regrowing it (it tripled the time per step of small SOPs), unlike a real run.
import { readFileSync } from 'node:fs';
import { importFrom, loadPackage, need } from '../lib/api.mjs';

const [file, runsArg, warmupArg] = process.argv.slice(2);
const runs = Number(runsArg);
const warmup = Math.max(1, Number(warmupArg ?? 1));
const text = readFileSync(file, 'utf8');
const core = await loadPackage('core');
const compiler = await loadPackage('compiler');
const render = await loadPackage('render');
const loadSop = need(core, 'core', 'loadSop');
const toMachineConfig = need(compiler, 'compiler', 'toMachineConfig');
const createSopMachine = need(compiler, 'compiler', 'createSopMachine');
const renderDocument = need(render, 'render', 'renderDocument');
const YAML = await importFrom('core', 'yaml');

const now = () => performance.now();
// compile: the config `sopflow compile` writes and the runtime runs (an XState machine config);
// xstateMachine: XState's createMachine over that config (what compileSop adds for apps that
// drive XState themselves), timed apart: it is XState's own work, not part of the total
const samples = { yamlParse: [], loadSop: [], compile: [], xstateMachine: [], render: [], total: [] };
let diagnostics = 0;
let checksum = 0;
for (let r = 0; r < warmup + runs; r++) {
  const warm = r < warmup; // warm-up rounds: not recorded
  let t = now();
  const lc = new YAML.LineCounter();
  YAML.parseDocument(text, { lineCounter: lc, keepSourceTokens: false });
  const yamlMs = now() - t;

  const t0 = now();
  const result = loadSop(text, { file, today: '2026-01-01' });
  const t1 = now();
  if (!result.sop) throw new Error(`loadSop returned no sop for ${file}: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
  const config = toMachineConfig(result.graph ?? result.sop); // the graph the rules judged: built once
  const t2 = now();
  const doc = renderDocument(result.graph ?? result.sop);
  const t3 = now();
  const machine = createSopMachine(JSON.parse(JSON.stringify(config)));
  const t4 = now();
  diagnostics = result.diagnostics.length;
  checksum += doc.length + (machine ? 1 : 0);
  if (!warm) {
    samples.yamlParse.push(yamlMs);
    samples.loadSop.push(t1 - t0);
    samples.compile.push(t2 - t1);
    samples.render.push(t3 - t2);
    samples.xstateMachine.push(t4 - t3);
    samples.total.push(t3 - t0);
  }
}
process.stdout.write(JSON.stringify({ samples, diagnostics, checksum, bytes: text.length }));
