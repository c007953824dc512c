#!/usr/bin/env node
// sopflow benchmark: `pnpm bench` (builds, then runs this). Generates the corpora from a seed,
// measures whole processes side by side, prints one table with PASS/MISS per target.
//
//   node bench/run.mjs [--quick] [--runs N] [--seed N] [--only validate,scale,runtime,paths,bundle,service,restate,lsp]
//
// Exit code: 0 whether targets PASS or MISS; 1 when a measurement crashes.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SEED, PLANS, writeCorpus } from './lib/corpus.mjs';
import { formatTable } from './lib/table.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECTIONS = {
  validate: async (ctx) => (await import('./sections/validate.mjs')).validateRows(ctx),
  scale: async (ctx) => (await import('./sections/scale.mjs')).scaleRows(ctx),
  runtime: async (ctx) => (await import('./sections/runtime.mjs')).runtimeRows(ctx),
  paths: async (ctx) => (await import('./sections/paths.mjs')).pathsRows(ctx),
  bundle: async (ctx) => (await import('./sections/bundle.mjs')).bundleRows(ctx),
  service: async (ctx) => (await import('./sections/service.mjs')).serviceRows(ctx),
  restate: async (ctx) => (await import('./sections/restate.mjs')).restateRows(ctx),
  lsp: async (ctx) => (await import('./sections/lsp.mjs')).lspRows(ctx),
};

function parseArgs(argv) {
  const opts = { quick: false, runs: undefined, seed: DEFAULT_SEED, only: Object.keys(SECTIONS) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--runs') opts.runs = Number(argv[++i]);
    else if (a === '--seed') opts.seed = Number(argv[++i]);
    else if (a === '--only') opts.only = argv[++i].split(',');
    else if (a === '--help' || a === '-h') {
      console.log(
        'usage: node bench/run.mjs [--quick] [--runs N] [--seed N] [--only validate,scale,runtime,paths,bundle,service,restate,lsp]',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  for (const s of opts.only) if (!(s in SECTIONS)) throw new Error(`unknown section ${s} (known: ${Object.keys(SECTIONS).join(', ')})`);
  opts.runs ??= opts.quick ? 1 : 5;
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs takes a whole number >= 1');
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const outDir = path.join(ROOT, 'bench/.out');
  mkdirSync(outDir, { recursive: true });
  const log = (line) => console.log(`  ${line}`);
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown cpu'}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, ${os.platform()} ${os.arch()}`;
  console.log(`sopflow benchmark${opts.quick ? ' (quick)' : ''}: ${machine}`);
  console.log(`median of ${opts.runs} run(s) per measurement; seed ${opts.seed}`);

  const t0 = performance.now();
  // quick and full corpora live side by side, so a quick run never disturbs a full one
  const corpus = writeCorpus({
    dir: path.join(ROOT, 'bench/.corpus', opts.quick ? 'quick' : 'full'),
    seed: opts.seed,
    plan: opts.quick ? PLANS.quick : PLANS.full,
  });
  console.log(
    `corpus: ${corpus.ciFiles} CI files (${(corpus.ciBytes / 2 ** 20).toFixed(1)} MB), scale SOPs of ${Object.keys(corpus.scaleFiles).join(' / ')} steps; sha256 ${corpus.digest.slice(0, 16)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );

  const ctx = { root: ROOT, corpus, runs: opts.runs, quick: opts.quick, log, outDir };
  const rows = [];
  let crashed = 0;
  for (const name of opts.only) {
    console.log(`\n[${name}]`);
    const started = performance.now();
    try {
      rows.push(...(await SECTIONS[name](ctx)));
    } catch (error) {
      crashed++;
      console.error(`  ${name} CRASHED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      rows.push({
        metric: `${name}: crashed`,
        sopflow: 'ERROR',
        peer: '',
        ratio: '',
        target: '',
        pass: false,
        error: String(error?.message ?? error),
      });
    }
    console.log(`  (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }

  const table = formatTable(rows);
  console.log(`\n${table}`);
  const misses = rows.filter((r) => r.pass === false).length;
  if (opts.quick) console.log('\nquick mode: reduced corpora and 1 run; PASS/MISS here only show the harness works, not the targets');
  console.log(`\n${rows.filter((r) => r.pass === true).length} PASS, ${misses} MISS${crashed ? `, ${crashed} section(s) CRASHED` : ''}`);
  writeFileSync(
    path.join(outDir, 'table.md'),
    `${machine}; median of ${opts.runs} run(s); seed ${opts.seed}${opts.quick ? '; quick mode' : ''}\n\n${table}\n`,
  );
  writeFileSync(
    path.join(outDir, 'results.json'),
    JSON.stringify({ machine, date: new Date().toISOString(), opts, corpus: { ...corpus, dir: undefined }, rows }, null, 2) + '\n',
  );
  return crashed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(`bench: ${error instanceof Error ? error.stack : error}`);
    process.exitCode = 1;
  },
);
