// Child process: where the time of validating the CI corpus goes, in-process (warm, median of runs).
// node validateBreakdown.mjs <ciDir> <runs>  -> JSON { [stage]: ms[] } on stdout
// Stages: ajv-cli's YAML parser (js-yaml 3 safeLoad), sopflow's YAML parser (yaml 2 parseDocument
// with positions), the schema check alone on parsed data (ajv, compiled once), and the whole
// @sopflow/core validateProject (parse + schema + every rule, positions included).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT, importFrom, loadPackage, need } from '../lib/api.mjs';

const [dir, runsArg] = process.argv.slice(2);
const runs = Number(runsArg);
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.sop.yaml'))
  .sort();
const files = names.map((f) => ({ file: f, text: readFileSync(path.join(dir, f), 'utf8') }));

const ajvCliRequire = createRequire(createRequire(path.join(ROOT, 'package.json')).resolve('ajv-cli/package.json'));
const jsyaml = ajvCliRequire('js-yaml');
const Ajv = ajvCliRequire('ajv').default;
const YAML = await importFrom('core', 'yaml');
const core = await loadPackage('core');
const validateProject = need(core, 'core', 'validateProject');

const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas/sop.schema.json'), 'utf8'));
const validate = new Ajv({ strict: false }).compile(schema);
const data = files.map((f) => jsyaml.safeLoad(f.text));

const stages = {
  'js-yaml 3 load (ajv-cli parser)': () => {
    for (const f of files) jsyaml.safeLoad(f.text);
  },
  'yaml 2 parseDocument + toJS (sopflow parser)': () => {
    for (const f of files) YAML.parseDocument(f.text, { keepSourceTokens: false }).toJS();
  },
  'ajv schema check only (parsed data)': () => {
    for (const d of data) if (!validate(d)) throw new Error('invalid');
  },
  '@sopflow/core validateProject (all)': () => {
    const { diagnostics } = validateProject(files, { today: '2026-01-01' });
    if (diagnostics.length) throw new Error(`${diagnostics.length} diagnostics`);
  },
};
const out = {};
for (const [name, fn] of Object.entries(stages)) {
  out[name] = [];
  for (let r = 0; r <= runs; r++) {
    globalThis.gc?.();
    const t = performance.now();
    fn();
    if (r > 0) out[name].push(performance.now() - t);
  }
}
process.stdout.write(JSON.stringify(out));
