// Bundle: what a browser app ships to run a compiled SOP (startRun from @sopflow/runtime),
// minified and gzipped, with xstate bundled in and with xstate left out.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { fmtKb } from '../lib/stats.mjs';

async function bundle(root, entry, external) {
  const require = createRequire(path.join(root, 'package.json'));
  const esbuild = require('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    write: false,
    metafile: true,
    external,
    logLevel: 'silent',
    legalComments: 'none',
  });
  const code = result.outputFiles[0].contents;
  const inputs = Object.keys(result.metafile.inputs);
  return { bytes: code.length, gzip: gzipSync(code, { level: 9 }).length, inputs };
}

function moduleName(file) {
  const dep = file.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/);
  if (dep) return dep[1];
  const pkg = file.match(/packages\/([^/]+)\//);
  return pkg ? `@sopflow/${pkg[1]}` : file;
}

export async function bundleRows(ctx) {
  const { root, log, outDir } = ctx;
  const dir = path.join(outDir, 'bundle');
  mkdirSync(dir, { recursive: true });
  const runtimeEntry = path.join(root, 'packages/runtime/dist/index.js');
  const entry = path.join(dir, 'app.mjs');
  // a browser app: takes a machine compiled ahead of time (JSON) and runs it
  writeFileSync(
    entry,
    `import { startRun } from ${JSON.stringify(runtimeEntry)};\nexport function run(machine) { return startRun(machine); }\n`,
  );
  const xstateEntry = path.join(dir, 'xstate-only.mjs');
  const xstatePath = createRequire(path.join(root, 'packages/runtime/package.json')).resolve('xstate');
  writeFileSync(
    xstateEntry,
    `import { createMachine, createActor } from ${JSON.stringify(path.join(path.dirname(xstatePath), 'xstate.esm.js'))};\nexport function run(config) { return createActor(createMachine(config)).start(); }\n`,
  );

  const withX = await bundle(root, entry, []);
  const without = await bundle(root, entry, ['xstate']);
  const xOnly = await bundle(root, xstateEntry, []);
  const forbidden = withX.inputs.filter(
    (f) =>
      /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?(?:yaml|ajv|js-yaml|mermaid|@sopflow\/core|@sopflow\/render)\//.test(f) ||
      /packages\/(?:core|render|cli)\//.test(f),
  );
  const packages = [...new Set(withX.inputs.map(moduleName))].sort();
  log(`bundle inputs (modules in the browser bundle): ${packages.join(', ')}`);
  log(`bundle contains yaml / ajv / mermaid / core code: ${forbidden.length === 0 ? 'no' : `YES: ${forbidden.join(', ')}`}`);
  log(
    `bundle with xstate: ${fmtKb(withX.bytes)} min, ${fmtKb(withX.gzip)} gz; without xstate: ${fmtKb(without.bytes)} min, ${fmtKb(without.gzip)} gz; xstate alone (createMachine+createActor): ${fmtKb(xOnly.bytes)} min, ${fmtKb(xOnly.gzip)} gz`,
  );
  return [
    // The runtime runs its own step function now (XState is the compile target, not a runtime
    // dependency), so what a browser app ships is the whole bundle; the budget is the one
    // packages/runtime/test/browser.test.ts holds it to.
    {
      metric: 'Bundle: the browser runtime, all of it (min+gz)',
      sopflow: fmtKb(without.gzip),
      peer: `${fmtKb(xOnly.gzip)} (xstate alone, not needed)`,
      ratio: '',
      target: '< 23 KB',
      pass: without.gzip < 23 * 1024,
      data: { without },
    },
    {
      metric: 'Bundle: runtime with xstate (min+gz)',
      sopflow: fmtKb(withX.gzip),
      peer: `${fmtKb(xOnly.gzip)} (xstate alone)`,
      ratio: `+${fmtKb(withX.gzip - xOnly.gzip)}`,
      target: '',
      pass: undefined,
      data: { withX, xOnly },
    },
    {
      metric: 'Bundle: no yaml / ajv / mermaid inside',
      sopflow: forbidden.length === 0 ? 'none' : `${forbidden.length} modules`,
      peer: '',
      ratio: '',
      target: 'none',
      pass: forbidden.length === 0,
      data: { forbidden, packages },
    },
  ];
}
