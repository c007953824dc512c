// Child process for one scale measurement: node --expose-gc scaleChild.mjs <file> <runs>
// Times each stage in-process on one big SOP and prints JSON samples (ms) on stdout.
import { readFileSync } from 'node:fs';
import { importFrom, loadPackage, need } from '../lib/api.mjs';

const [file, runsArg] = process.argv.slice(2);
const runs = Number(runsArg);
const text = readFileSync(file, 'utf8');
const core = await loadPackage('core');
const compiler = await loadPackage('compiler');
const render = await loadPackage('render');
const loadSop = need(core, 'core', 'loadSop');
const compileSop = need(compiler, 'compiler', 'compileSop');
const renderDocument = need(render, 'render', 'renderDocument');
const YAML = await importFrom('core', 'yaml');

const now = () => performance.now();
const samples = { yamlParse: [], loadSop: [], compile: [], render: [], total: [] };
let diagnostics = 0;
let checksum = 0;
for (let r = 0; r <= runs; r++) {
  globalThis.gc?.();
  const warm = r === 0; // first round warms the JIT; not recorded
  let t = now();
  const lc = new YAML.LineCounter();
  YAML.parseDocument(text, { lineCounter: lc, keepSourceTokens: false });
  const yamlMs = now() - t;
  globalThis.gc?.();

  const t0 = now();
  const result = loadSop(text, { file, today: '2026-01-01' });
  const t1 = now();
  if (!result.sop) throw new Error(`loadSop returned no sop for ${file}: ${JSON.stringify(result.diagnostics.slice(0, 3))}`);
  const machine = compileSop(result.sop);
  const t2 = now();
  const doc = renderDocument(result.sop);
  const t3 = now();
  diagnostics = result.diagnostics.length;
  checksum += doc.length + (machine ? 1 : 0);
  if (!warm) {
    samples.yamlParse.push(yamlMs);
    samples.loadSop.push(t1 - t0);
    samples.compile.push(t2 - t1);
    samples.render.push(t3 - t2);
    samples.total.push(t3 - t0);
  }
}
process.stdout.write(JSON.stringify({ samples, diagnostics, checksum, bytes: text.length }));
