import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from './runValidate.js';
// the very check bin/sopflow.js makes (plain JavaScript)
import { bundleIsCurrent } from '../bin/bundleIsCurrent.js';
import { cacheFileFor, manyFilesV8Flag } from '../bin/loadValidateBundle.js';

/**
 * The shipped CLI: `pnpm run build` bundles the built CLI with esbuild (scripts/bundleCli.mjs) into
 * packages/cli/bundle/, and bin/sopflow.js runs the bundle while it is current. These tests run the
 * real bin in its own process: it must print exactly what `runCli` prints in-process, load only
 * bundle files for `validate`, and hold no xstate, mermaid, jsdom or playwright code.
 */
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = path.resolve(CLI, '../..');
const BIN = path.join(CLI, 'bin/sopflow.js');
const BUNDLE = path.join(CLI, 'bundle');
const TESTDATA = path.join(CLI, 'test/testdata');
const TODAY = '2026-06-01';
const run = promisify(execFile);

beforeAll(() => {
  // `pnpm run build` leaves a current bundle; after a bare `tsc -b` (or none) build what is missing
  if (bundleIsCurrent()) return;
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'packages/cli'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  } catch {
    // tsc -b still emits when another package has a type error; the bundle needs only the validate path
  }
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/bundleCli.mjs')], { cwd: ROOT, stdio: 'pipe' });
}, 180_000);

/** Module paths esbuild wrote into the bundle (one `// <path>` comment before each module's code). */
function bundledModules(): string[] {
  const modules = new Set<string>();
  for (const file of readdirSync(BUNDLE).filter((f) => f.endsWith('.js'))) {
    for (const m of readFileSync(path.join(BUNDLE, file), 'utf8').matchAll(/^\/\/ ((?:\.\.\/)*(?:node_modules|packages)\/\S+)$/gm))
      modules.add(m[1]!);
  }
  return [...modules].sort();
}

describe('the CLI bundle', () => {
  it('is current after the build, so the bin runs it', () => {
    expect(bundleIsCurrent()).toBe(true);
  });

  it('is stale once a build record changes content, but not when it is only touched (size and time are a shortcut, content decides)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sopflow-manifest-'));
    try {
      const bundle = path.join(dir, 'packages/cli/bundle');
      const record = path.join(dir, 'packages/core/tsconfig.tsbuildinfo');
      mkdirSync(bundle, { recursive: true });
      mkdirSync(path.dirname(record), { recursive: true });
      writeFileSync(record, '{"version":"5.9.3","root":["a.ts"]}');
      const key = '../../core/tsconfig.tsbuildinfo';
      const { size, mtimeMs } = statSync(record);
      const sha1 = createHash('sha1').update(readFileSync(record)).digest('hex');
      writeFileSync(
        path.join(bundle, 'manifest.json'),
        JSON.stringify({ builtFrom: { [key]: sha1 }, builtFromStat: { [key]: { size, mtimeMs } } }),
      );
      expect(bundleIsCurrent(bundle)).toBe(true);
      // touched: another time, the same content
      utimesSync(record, new Date(Date.now() + 5000), new Date(Date.now() + 5000));
      expect(bundleIsCurrent(bundle)).toBe(true);
      // rewritten with other content of the same size
      writeFileSync(record, '{"version":"5.9.3","root":["b.ts"]}');
      expect(bundleIsCurrent(bundle)).toBe(false);
      // the same size and time the manifest saw, forged onto other content, is the one case the shortcut trusts
      // (as git's index does); a manifest without sizes and times (older builds) hashes every record
      writeFileSync(path.join(bundle, 'manifest.json'), JSON.stringify({ builtFrom: { [key]: sha1 } }));
      expect(bundleIsCurrent(bundle)).toBe(false);
      // a record that is gone (an installed package ships none) does not count against the bundle
      rmSync(record);
      expect(bundleIsCurrent(bundle)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('validate starts from the CommonJS bundle with a V8 code cache that V8 accepts, and the cache is rewritten when rejected', () => {
    const cache = cacheFileFor(path.join(BUNDLE, 'validate.cjs'), process.version, '|');
    const sop = path.join(TESTDATA, 'clean.sop.yaml');
    const before = readFileSync(cache);
    const env = { ...process.env, NODE_OPTIONS: '' };
    const r = spawnSync(process.execPath, [BIN, 'validate', sop, '--today', TODAY], { encoding: 'utf8', env });
    expect(r.status).toBe(0);
    // accepted: not rewritten
    expect(readFileSync(cache).equals(before)).toBe(true);
    // a cache V8 rejects (here: garbage) is replaced after the run, and the output is the same
    writeFileSync(cache, 'not a code cache');
    try {
      const again = spawnSync(process.execPath, [BIN, 'validate', sop, '--today', TODAY], { encoding: 'utf8', env });
      expect(again.stdout).toBe(r.stdout);
      expect(readFileSync(cache).length).toBeGreaterThan(100_000);
    } finally {
      writeFileSync(cache, before); // the build's own cache back
    }
  });

  it('runs with other V8 flags (NODE_OPTIONS) get a code cache of their own: none is rewritten back and forth', () => {
    const bundle = path.join(BUNDLE, 'validate.cjs');
    const plain = cacheFileFor(bundle, process.version, '|');
    const flags = '--max-old-space-size=3000';
    const flagged = cacheFileFor(bundle, process.version, `|${flags}`);
    expect(flagged).not.toBe(plain);
    rmSync(flagged, { force: true });
    const sop = path.join(TESTDATA, 'clean.sop.yaml');
    const env = { ...process.env, NODE_OPTIONS: flags };
    const plainBefore = readFileSync(plain);
    const first = spawnSync(process.execPath, [BIN, 'validate', sop, '--today', TODAY], { encoding: 'utf8', env });
    expect(first.status).toBe(0);
    const written = readFileSync(flagged);
    expect(written.length).toBeGreaterThan(100_000);
    // V8 accepts it next time (not rewritten), and the plain run's cache was never touched
    const second = spawnSync(process.execPath, [BIN, 'validate', sop, '--today', TODAY], { encoding: 'utf8', env });
    expect(second.stdout).toBe(first.stdout);
    expect(readFileSync(flagged).equals(written)).toBe(true);
    expect(readFileSync(plain).equals(plainBefore)).toBe(true);
    rmSync(flagged, { force: true });
  });

  it("validate of many files sets V8's inlining budget once, and only in a run that read the code cache (never one that writes it)", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sopflow-v8flag-'));
    const probe = path.join(dir, 'probe.cjs');
    const log = path.join(dir, 'flags.log');
    // records every run-time V8 flag the process sets (the bin requires the same node:v8 module object)
    writeFileSync(
      probe,
      `const v8 = require('node:v8'); const fs = require('node:fs'); const set = v8.setFlagsFromString;
       v8.setFlagsFromString = (flags) => { fs.appendFileSync(${JSON.stringify(log)}, flags + '\\n'); return set(flags); };`,
    );
    // the probe's --require is a flag of its own: these runs start with no code cache
    const cache = cacheFileFor(path.join(BUNDLE, 'validate.cjs'), process.version, `--require ${probe}|`);
    const validate = (target: string) => {
      const r = spawnSync(process.execPath, ['--require', probe, BIN, 'validate', target, '--today', TODAY, '--format', 'json'], {
        cwd: TESTDATA,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '' },
      });
      expect(r.stderr).toBe('');
      const flags = existsSync(log) ? readFileSync(log, 'utf8') : '';
      rmSync(log, { force: true });
      return { stdout: r.stdout, flags };
    };
    try {
      expect(readdirSync(TESTDATA).filter((f) => f.endsWith('.sop.yaml')).length).toBeGreaterThanOrEqual(10);
      // no cache yet: this run writes one, so it sets no flag (the flag would change V8's flag hash in the cache)
      const first = validate('.');
      expect(first.flags).toBe('');
      const written = readFileSync(cache);
      // the cache read: the flag is set, once, and the cache is neither rejected nor rewritten
      const second = validate('.');
      expect(second.flags).toBe(`${manyFilesV8Flag([], '')}\n`);
      expect(second.stdout).toBe(first.stdout);
      expect(readFileSync(cache).equals(written)).toBe(true);
      // one file: nothing to gain, and loading node:v8 would cost the start ~2 ms
      expect(validate('clean.sop.yaml').flags).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(cache, { force: true });
    }
  });

  it("the inlining budget is left alone when the user's own V8 flags set inlining", () => {
    expect(manyFilesV8Flag([], '')).toBe('--max-inlined-bytecode-size-cumulative=60');
    expect(manyFilesV8Flag(['--max-old-space-size=4096'], '--v8-pool-size=1')).toBe('--max-inlined-bytecode-size-cumulative=60');
    expect(manyFilesV8Flag(['--max-inlined-bytecode-size-cumulative=920'], '')).toBeUndefined();
    expect(manyFilesV8Flag([], '--max_inlined_bytecode_size_cumulative=200')).toBeUndefined();
    expect(manyFilesV8Flag([], '--no-turbo-inlining')).toBeUndefined();
  });

  it('holds the validate path and no xstate, mermaid, jsdom, playwright, compiler, runtime or render code', () => {
    const modules = bundledModules();
    expect(modules.some((m) => m.startsWith('packages/core/dist/'))).toBe(true);
    expect(modules.some((m) => m.startsWith('packages/model/dist/'))).toBe(true);
    expect(modules.some((m) => m.includes('/node_modules/yaml/'))).toBe(true);
    expect(modules.some((m) => m.includes('/node_modules/commander/'))).toBe(true);
    const forbidden = /\/node_modules\/(xstate|mermaid|jsdom|playwright-core)\/|^packages\/(compiler|runtime|render)\//;
    expect(modules.filter((m) => forbidden.test(m))).toEqual([]);
    // and they are left to Node as package imports, not copied in
    const code = readdirSync(BUNDLE)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(path.join(BUNDLE, f), 'utf8'))
      .join('\n');
    expect(code).toMatch(/from "@sopflow\/compiler"/);
    expect(code).toMatch(/import\("@sopflow\/render"\)/);
    expect(code).not.toMatch(/from "(xstate|mermaid|jsdom|playwright-core)"/);
  });

  it('`sopflow validate` through the bin prints exactly what runCli prints in-process, for every golden case', async () => {
    const cases = readdirSync(TESTDATA)
      .filter((f) => f.endsWith('.sop.yaml'))
      .sort();
    expect(cases.length).toBeGreaterThanOrEqual(10);
    const runs: { argv: string[] }[] = [
      ...cases.map((file) => ({ argv: ['validate', file, '--today', TODAY, '--no-color'] })),
      ...['json', 'sarif', 'github', 'stylish'].map((format) => ({ argv: ['validate', '.', '--today', TODAY, '--format', format] })),
      { argv: ['validate', '*.sop.yaml', '--today', TODAY, '--quiet'] },
      { argv: ['--version'] },
      { argv: ['validate', 'no-such-file.sop.yaml'] },
      { argv: ['validate', '.', '--format', 'xml'] },
    ];
    const env = { PATH: process.env.PATH ?? '' };
    await Promise.all(
      runs.map(async ({ argv }) => {
        const expected = await runInProcess(argv, { cwd: TESTDATA, env });
        const actual = await run(process.execPath, [BIN, ...argv], {
          cwd: TESTDATA,
          env,
          encoding: 'utf8',
          maxBuffer: 16 * 1024 * 1024,
        }).then(
          (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
          (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
        );
        expect(actual, argv.join(' ')).toEqual(expected);
      }),
    );
  }, 120_000);

  it('`sopflow validate` loads only bundle files, on one thread and in worker threads', () => {
    for (const threads of ['1', '2']) {
      const coverage = mkdtempSync(path.join(tmpdir(), 'sopflow-modules-'));
      try {
        const r = spawnSync(process.execPath, [BIN, 'validate', '.', '--today', TODAY, '--format', 'json'], {
          cwd: TESTDATA,
          encoding: 'utf8',
          env: { PATH: process.env.PATH ?? '', NODE_V8_COVERAGE: coverage, SOPFLOW_THREADS: threads },
        });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(1);
        // V8 writes one coverage file per thread, listing every script it ran
        const reports = readdirSync(coverage).map(
          (f) => JSON.parse(readFileSync(path.join(coverage, f), 'utf8')) as { result: { url: string }[] },
        );
        expect(reports.length).toBe(threads === '1' ? 1 : 2);
        const loaded = reports.flatMap((report) => report.result.map((s) => s.url)).filter((url) => url.startsWith('file:'));
        const bundle = pathToFileURL(BUNDLE).href + '/';
        // validate runs from the code-cached CommonJS bundle, its workers from the ES module bundle
        expect(loaded).toContain(`${bundle}validate.cjs`);
        expect(loaded).not.toContain(`${bundle}runCli.js`);
        if (threads === '2') expect(loaded).toContain(`${bundle}validateWorker.js`);
        const bin = ['sopflow.js', 'bundleIsCurrent.js', 'loadValidateBundle.js'].map((f) => pathToFileURL(path.join(CLI, 'bin', f)).href);
        expect([...new Set(loaded.filter((url) => !url.startsWith(bundle)))].sort()).toEqual(bin.sort());
      } finally {
        rmSync(coverage, { recursive: true, force: true });
      }
    }
  });

  it('the commands outside the bundle still load their packages from it', () => {
    const sop = 'clean.sop.yaml';
    const compile = spawnSync(process.execPath, [BIN, 'compile', sop], { cwd: TESTDATA, encoding: 'utf8' });
    expect(compile.stderr).toBe('');
    expect(JSON.parse(compile.stdout)).toHaveProperty('initial');
    const paths = spawnSync(process.execPath, [BIN, 'paths', sop, '--json'], { cwd: TESTDATA, encoding: 'utf8' });
    expect(paths.stderr).toBe('');
    expect(paths.status).toBe(0);
    const render = spawnSync(process.execPath, [BIN, 'render', sop, '--to', 'mermaid'], { cwd: TESTDATA, encoding: 'utf8' });
    expect(render.stderr).toBe('');
    expect(render.stdout).toMatch(/^flowchart TD\n/);
  });
});
