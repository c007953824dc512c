import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The packages as a user gets them: every workspace package is packed with `pnpm pack` (which
 * rewrites `workspace:*` to the version), the tarballs are installed with plain npm into an app
 * in a temporary folder outside the workspace (third-party dependencies from the registry,
 * through npm's cache), an import of each package's public API is type-checked with tsc, the
 * imports run in Node, and the installed `sopflow` command validates, renders, compiles, runs and
 * prints its schema.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
/** Every package of packages/: a new one is packed and installed without editing this test. */
const PACKAGES = readdirSync(path.join(ROOT, 'packages')).filter((p) => existsSync(path.join(ROOT, 'packages', p, 'package.json')));
const PACKAGE_NAMES = PACKAGES.map(
  (p) => JSON.parse(readFileSync(path.join(ROOT, 'packages', p, 'package.json'), 'utf8')).name as string,
).sort();
const PNPM = ['-y', 'pnpm@10.34.9'];
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
let tmp: string;
let app: string;
let tarballs: Record<string, string>;
const timings: Record<string, number> = {};

function timed<T>(name: string, work: () => T): T {
  const started = Date.now();
  try {
    return work();
  } finally {
    timings[name] = Date.now() - started;
  }
}

function run(command: string, args: string[], cwd: string, timeout = 300_000): string {
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout,
    maxBuffer: 64 * 1024 * 1024,
    env: {
      ...process.env,
      npm_config_yes: 'true',
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    },
  });
  if (r.status !== 0)
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) failed with ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Builds what a pack needs when it is missing (a fresh clone that ran only this test). */
function ensureBuilt(): void {
  const missing =
    PACKAGES.some((p) => !existsSync(path.join(ROOT, 'packages', p, 'dist/index.js'))) ||
    !existsSync(path.join(ROOT, 'packages/core/schema/sop.schema.json')) ||
    !existsSync(path.join(ROOT, 'packages/cli/bundle/runCli.js'));
  if (!missing) return;
  run(process.execPath, [path.join(ROOT, 'scripts/copySchema.mjs')], ROOT);
  run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'packages/cli'], ROOT);
  run(process.execPath, [path.join(ROOT, 'scripts/bundleCli.mjs')], ROOT);
}

function packageJsonIn(tarball: string): Record<string, any> {
  return JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as Record<string, any>;
}

function filesIn(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ''));
}

beforeAll(() => {
  ensureBuilt();
  // outside the workspace, so nothing of it (node_modules, .npmrc, pnpm-workspace.yaml) is found
  tmp = realpathSync(mkdtempSync(path.join(tmpdir(), 'sopflow-pack-')));
  const out = path.join(tmp, 'tarballs');
  mkdirSync(out);
  // one pnpm for all of them: `pnpm -r pack` packs each package of packages/ (not the private root)
  timed('pack', () => run(npx, [...PNPM, '-r', '--filter', './packages/*', 'pack', '--pack-destination', out], ROOT));
  tarballs = {};
  for (const file of readdirSync(out)) tarballs[packageJsonIn(path.join(out, file)).name as string] = path.join(out, file);

  app = path.join(tmp, 'app');
  mkdirSync(app);
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({ name: 'sopflow-consumer', version: '1.0.0', private: true, type: 'module' }, null, 2),
  );
  // the tarballs, plus what a TypeScript app has; the rest comes from the registry (npm's cache first)
  timed('npm install', () =>
    run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...Object.values(tarballs), '@types/node@20.19.43'],
      app,
      600_000,
    ),
  );
}, 900_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  if (Object.keys(timings).length > 0) process.stdout.write(`pack-install timings (ms): ${JSON.stringify(timings)}\n`);
});

describe('pnpm pack: installable tarballs', () => {
  it('packs every package, with workspace:* rewritten to the version', () => {
    expect(Object.keys(tarballs).sort()).toEqual(PACKAGE_NAMES);
    expect(PACKAGE_NAMES).toEqual(
      expect.arrayContaining([
        '@sopflow/compiler',
        '@sopflow/core',
        '@sopflow/host',
        '@sopflow/host-sqlite',
        '@sopflow/model',
        '@sopflow/render',
        '@sopflow/runtime',
        '@sopflow/server',
        'sopflow',
      ]),
    );
    for (const [name, tarball] of Object.entries(tarballs)) {
      const pkg = packageJsonIn(tarball);
      expect(JSON.stringify(pkg), name).not.toContain('workspace:');
      for (const [dep, range] of Object.entries({ ...pkg.dependencies, ...pkg.peerDependencies } as Record<string, string>)) {
        if (dep.startsWith('@sopflow/')) expect(range, `${name} -> ${dep}`).toBe(pkg.version);
      }
    }
  });

  it('each package has a description, repository, license, README and LICENSE, and ships dist with types', () => {
    for (const [name, tarball] of Object.entries(tarballs)) {
      const pkg = packageJsonIn(tarball);
      expect(pkg.description, name).toMatch(/\w{3,}/);
      expect(pkg.repository, name).toMatchObject({
        type: 'git',
        url: expect.stringMatching(/^git\+https:\/\/github\.com\//),
        directory: expect.stringMatching(/^packages\//),
      });
      expect(pkg.license, name).toBe('MIT');
      const files = filesIn(tarball);
      for (const f of ['README.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.d.ts'])
        expect(files, `${name}: ${f}`).toContain(f);
      expect(
        files.filter((f) => /\.test\.ts$|tsbuildinfo$|^test\//.test(f)),
        name,
      ).toEqual([]);
    }
    expect(filesIn(tarballs['@sopflow/core']!)).toContain('schema/sop.schema.json');
    expect(filesIn(tarballs.sopflow!)).toEqual(expect.arrayContaining(['bin/sopflow.js', 'bundle/runCli.js', 'bundle/manifest.json']));
  });

  it('xstate is a peer of the compiler and the runtime, so an app gets one copy', () => {
    for (const name of ['@sopflow/compiler', '@sopflow/runtime']) {
      const pkg = packageJsonIn(tarballs[name]!);
      expect(pkg.dependencies?.xstate, name).toBeUndefined();
      if (pkg.peerDependencies?.xstate !== undefined) expect(pkg.peerDependencies.xstate, name).toMatch(/^\^5\./);
    }
    const copies = run('npm', ['ls', 'xstate', '--all', '--parseable'], app)
      .split('\n')
      .filter((l) => l.endsWith(`${path.sep}xstate`));
    expect([...new Set(copies)]).toHaveLength(1);
  });
});

describe('an app outside the workspace that installed the tarballs with npm', () => {
  it('type-checks an import of every public API (tsc, strict, NodeNext)', () => {
    writeFileSync(
      path.join(app, 'tsconfig.json'),
      JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            types: ['node'],
            lib: ['ES2022', 'DOM'],
          },
          include: ['check.ts'],
        },
        null,
        2,
      ),
    );
    writeFileSync(
      path.join(app, 'check.ts'),
      `
import * as model from '@sopflow/model';
import * as core from '@sopflow/core';
import * as compiler from '@sopflow/compiler';
import * as runtime from '@sopflow/runtime';
import * as render from '@sopflow/render';
import * as browser from '@sopflow/render/browser';
import * as host from '@sopflow/host';
import * as cli from 'sopflow';
import type { Diagnostic, Sop } from '@sopflow/model';

const text: string = 'sopflow: 1\\nid: a\\ntitle: A\\ninstructions:\\n  - do: Say hello.\\n';
const loaded = core.loadSop(text, { file: 'a.sop.yaml' });
const diagnostics: Diagnostic[] = loaded.diagnostics;
const sop: Sop | undefined = loaded.sop;
const errors: boolean = model.hasErrors(diagnostics);
const project = core.validateProject([{ file: 'a.sop.yaml', text }]);
if (sop && !errors) {
  const config = compiler.toMachineConfig(sop);
  const id: string = config.id;
  const run = runtime.startRun(sop);
  const step: string = run.view().step;
  const mermaid: string = render.renderMermaid(sop);
  const memory: host.RunHost = new host.MemoryHost({ sops: [config] });
  console.log(id, step, mermaid.length, project.results.length, typeof memory.start);
}
const code: Promise<number> = cli.runCli(['--version'], { stdout: () => {}, stderr: () => {}, cwd: '.', env: {} });
export { code, browser };
`,
    );
    const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: app,
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  }, 200_000);

  it('imports every package in Node and runs an SOP from YAML to its end', () => {
    writeFileSync(
      path.join(app, 'run.mjs'),
      `
import { createRequire } from 'node:module';
import { loadSop } from '@sopflow/core';
import { toMachineConfig } from '@sopflow/compiler';
import { startRun } from '@sopflow/runtime';
import { renderMermaid } from '@sopflow/render';
import { DIAGNOSTIC_CODES } from '@sopflow/model';
import { runCli } from 'sopflow';
import { MemoryHost } from '@sopflow/host';
const text = 'sopflow: 1\\nid: a\\ntitle: A\\ninstructions:\\n  - do: Say hello.\\n  - ask: Done?\\n    choices:\\n      - { answer: "Yes", next: yes }\\n      - { answer: "No", next: no }\\n  - id: yes\\n    end: done\\n  - id: no\\n    end: not-done\\n';
const { sop, diagnostics } = loadSop(text, { file: 'a.sop.yaml', today: '2026-06-01' });
if (diagnostics.length) throw new Error(JSON.stringify(diagnostics));
const run = startRun(toMachineConfig(sop));
run.complete();
run.choose('Yes');
const schema = createRequire(import.meta.url).resolve('@sopflow/core/schema/sop.schema.json');
const host = new MemoryHost({ sops: [toMachineConfig(sop)] });
const hosted = await host.start('a');
await host.close();
console.log(JSON.stringify({ hosted: hosted.view.step, outcome: run.outcome, flowchart: renderMermaid(sop).startsWith('flowchart'), codes: DIAGNOSTIC_CODES.length, runCli: typeof runCli, schema }));
`,
    );
    const out = JSON.parse(run(process.execPath, ['run.mjs'], app)) as Record<string, unknown>;
    expect(out).toMatchObject({ outcome: 'done', flowchart: true, runCli: 'function', hosted: 'step-1' });
    expect(out.schema).toBe(path.join(app, 'node_modules/@sopflow/core/schema/sop.schema.json'));
    expect(JSON.parse(readFileSync(out.schema as string, 'utf8'))).toEqual(
      JSON.parse(readFileSync(path.join(ROOT, 'schemas/sop.schema.json'), 'utf8')),
    );
  });

  it('runs the installed sopflow command: validate, render, compile, run, schema', () => {
    cpSync(path.join(ROOT, 'examples/customer-service'), path.join(app, 'sops'), { recursive: true, filter: (f) => !f.endsWith('.md') });
    const sopflow = path.join(app, 'node_modules/.bin/sopflow');
    expect(run(sopflow, ['--version'], app).trim()).toBe(packageJsonIn(tarballs.sopflow!).version);
    expect(run(sopflow, ['validate', 'sops'], app)).toMatch(/^✓ 9 files, no problems$/m);
    expect(run(sopflow, ['render', 'sops/inbound-call.sop.yaml', '--to', 'mermaid'], app)).toMatch(/^flowchart TD/);
    expect((JSON.parse(run(sopflow, ['compile', 'sops/verify-identity.sop.yaml'], app)) as { id: string }).id).toBe('verify-identity');
    writeFileSync(path.join(app, 'walk.yaml'), '- { record: { details_match: false } }\n- complete: true\n- complete: true\n');
    expect(run(sopflow, ['run', 'sops/verify-identity.sop.yaml', '--script', 'walk.yaml'], app)).toMatch(/^Outcome: not-verified$/m);
    expect(run(sopflow, ['schema'], app).trim()).toBe(path.join(app, 'node_modules/@sopflow/core/schema/sop.schema.json'));
    expect(run(sopflow, ['schema', '--modeline', 'sops/x.sop.yaml'], app)).toBe(
      '# yaml-language-server: $schema=../node_modules/@sopflow/core/schema/sop.schema.json\n',
    );
    // the installed bin runs the fast bundles, not dist/: V8 lists every module it loads
    // (validate runs bundle/validate.cjs through vm.Script with a code cache, which V8's
    // coverage does not list: its loader is; the other commands import bundle/runCli.js)
    const cliFolder = pathToFileURL(path.join(app, 'node_modules/sopflow')).href;
    const loadedBy = (args: string[]): string[] => {
      const coverage = path.join(tmp, `coverage-${args[0]}`);
      const traced = spawnSync(process.execPath, [sopflow, ...args], {
        cwd: app,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', NODE_V8_COVERAGE: coverage },
      });
      expect(traced.status, traced.stderr).toBe(0);
      return readdirSync(coverage).flatMap((f) =>
        (JSON.parse(readFileSync(path.join(coverage, f), 'utf8')) as { result: { url: string }[] }).result.map((r) => r.url),
      );
    };
    const validating = loadedBy(['validate', 'sops']);
    expect(validating).toContain(`${cliFolder}/bin/loadValidateBundle.js`);
    expect(validating.filter((url) => url.startsWith(`${cliFolder}/dist/`))).toEqual([]);
    const compiling = loadedBy(['compile', 'sops/verify-identity.sop.yaml']);
    expect(compiling).toContain(`${cliFolder}/bundle/runCli.js`);
    expect(compiling.filter((url) => url.startsWith(`${cliFolder}/dist/`))).toEqual([]);
    const sarif = JSON.parse(run(sopflow, ['validate', 'sops', '--format', 'sarif'], app)) as {
      runs: { tool: { driver: { rules: { help?: unknown }[] } } }[];
    };
    expect(sarif.runs[0]!.tool.driver.rules.every((r) => r.help !== undefined)).toBe(true);
  });
});
