import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The GitHub Action (action.yml at the repository root), run here as GitHub's runner would run
 * it: its steps in order, `${{ }}` expressions evaluated (inputs with their defaults, step
 * outputs read from $GITHUB_OUTPUT, `if:` conditions), each `run:` in `bash --noprofile --norc
 * -eo pipefail` in its working directory, and a step that fails stopping the rest. A `uses:` step
 * (the SARIF upload) is recorded with its evaluated `with:` instead of being run. sopflow comes
 * from the project's node_modules/.bin, as in a project that installs it.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string; required?: boolean; description: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
};

interface Step {
  id?: string;
  if?: string;
  shell?: string;
  run?: string;
  uses?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
  'working-directory'?: string;
}
interface Context {
  inputs: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string> }>;
  failed: boolean;
}
interface ActionRun {
  ok: boolean;
  log: string;
  uploads: Record<string, string>[];
  outputs: Record<string, string>;
}

/** GitHub's expression language, as far as action.yml uses it: literals, contexts, ==, !=, !, &&, ||, always(), success(), failure(). */
function evaluate(expression: string, ctx: Context): unknown {
  const tokens = expression.match(/'(?:[^']|'')*'|[A-Za-z_][\w-]*(?:\.[\w-]+)*(?:\(\))?|==|!=|&&|\|\||!|\(|\)|\d+|\S/g) ?? [];
  const js = tokens
    .map((t) => {
      if (t.startsWith("'")) return JSON.stringify(t.slice(1, -1).replace(/''/g, "'"));
      if (t === 'always()') return 'true';
      if (t === 'success()') return String(!ctx.failed);
      if (t === 'failure()') return String(ctx.failed);
      if (t === '==' || t === '!=') return `${t}=`;
      if (t === 'true' || t === 'false' || /^\d+$/.test(t) || ['&&', '||', '!', '(', ')'].includes(t)) return t;
      if (/^[A-Za-z_]/.test(t)) return JSON.stringify(lookup(t, ctx));
      throw new Error(`action.yml: unsupported expression token ${t} in ${expression}`);
    })
    .join(' ');
  // the expression was rebuilt above from an allow-list of tokens, with values as JSON literals
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return new Function(`return (${js});`)();
}

function lookup(name: string, ctx: Context): string {
  const [scope, ...rest] = name.split('.');
  if (scope === 'inputs') return ctx.inputs[rest.join('.')] ?? '';
  if (scope === 'steps' && rest[1] === 'outputs') return ctx.steps[rest[0]!]?.outputs[rest.slice(2).join('.')] ?? '';
  throw new Error(`action.yml: unknown context ${name}`);
}

/** `${{ … }}` inside a string. */
function interpolate(text: string, ctx: Context): string {
  return text.replace(/\$\{\{\s*([\s\S]*?)\s*\}\}/g, (_, expr: string) => String(evaluate(expr, ctx) ?? ''));
}

function runAction(inputs: Record<string, string>, workspace: string): ActionRun {
  const ctx: Context = { inputs: {}, steps: {}, failed: false };
  for (const [name, spec] of Object.entries(action.inputs)) ctx.inputs[name] = inputs[name] ?? spec.default ?? '';
  let log = '';
  const uploads: Record<string, string>[] = [];
  for (const [i, step] of action.runs.steps.entries()) {
    const condition = step.if === undefined ? 'success()' : step.if.replace(/^\$\{\{\s*|\s*\}\}$/g, '');
    // GitHub adds success() to a condition without a status function
    const run = /\b(always|success|failure|cancelled)\(\)/.test(condition)
      ? evaluate(condition, ctx)
      : !ctx.failed && evaluate(condition, ctx);
    if (!run) continue;
    if (step.uses) {
      uploads.push({
        uses: step.uses,
        ...Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)])),
      });
      continue;
    }
    expect(step.shell, `step ${i} names its shell`).toBe('bash');
    const dir = path.resolve(workspace, interpolate(step['working-directory'] ?? '.', ctx));
    const outputFile = path.join(workspace, `.github-output-${i}`);
    writeFileSync(outputFile, '');
    const script = path.join(workspace, `.step-${i}.sh`);
    writeFileSync(script, step.run!);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      GITHUB_OUTPUT: outputFile,
      GITHUB_ACTION_PATH: ROOT,
      GITHUB_WORKSPACE: workspace,
      CI: 'true',
    };
    for (const [k, v] of Object.entries(step.env ?? {})) env[k] = interpolate(String(v), ctx);
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    log += r.stdout + r.stderr;
    const outputs: Record<string, string> = {};
    for (const line of readFileSync(outputFile, 'utf8').split('\n')) {
      const at = line.indexOf('=');
      if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
    }
    if (step.id) ctx.steps[step.id] = { outputs };
    if (r.status !== 0) ctx.failed = true;
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([k, v]) => [k, interpolate(v.value, ctx)]));
  return { ok: !ctx.failed, log, uploads, outputs };
}

const BROKEN =
  'sopflow: 1\nid: call\ntitle: A call\ninstructions:\n  - id: greet\n    do: Greet the caller.\n    next: resarch\n  - id: research\n    do: Look it up.\n';
const WARNS = 'sopflow: 1\nid: warn\ntitle: Terms\nterms:\n  SLA: Service level agreement.\ninstructions:\n  - do: Answer the phone.\n';
let workspace: string;

beforeAll(() => {
  workspace = mkdtempSync(path.join(tmpdir(), 'sopflow-action-'));
  // a project that installed sopflow: node_modules/.bin/sopflow (here: this workspace's build)
  mkdirSync(path.join(workspace, 'node_modules/.bin'), { recursive: true });
  symlinkSync(path.join(ROOT, 'packages/cli/bin/sopflow.js'), path.join(workspace, 'node_modules/.bin/sopflow'));
  cpSync(path.join(ROOT, 'examples/customer-service'), path.join(workspace, 'sops'), {
    recursive: true,
    filter: (f) => !f.endsWith('.md'),
  });
  mkdirSync(path.join(workspace, 'broken/drafts'), { recursive: true });
  writeFileSync(path.join(workspace, 'broken/call.sop.yaml'), BROKEN);
  writeFileSync(path.join(workspace, 'broken/drafts/call.sop.yaml'), BROKEN);
  mkdirSync(path.join(workspace, 'warns'));
  writeFileSync(path.join(workspace, 'warns/warn.sop.yaml'), WARNS);
});

afterAll(() => {
  if (workspace) rmSync(workspace, { recursive: true, force: true });
});

describe('action.yml', () => {
  it('is a composite action whose inputs all have descriptions and defaults', () => {
    expect(action.runs.using).toBe('composite');
    for (const [name, spec] of Object.entries(action.inputs)) {
      expect(spec.description, name).toBeTruthy();
      expect(spec.default, name).toBeDefined();
    }
    expect(action.runs.steps.find((s) => s.uses)?.uses).toMatch(/^github\/codeql-action\/upload-sarif@v\d+$/);
  });

  it('passes clean SOPs: exit-code 0, nothing uploaded with the default github format', () => {
    const r = runAction({ paths: 'sops' }, workspace);
    expect(r.ok, r.log).toBe(true);
    expect(r.outputs['exit-code']).toBe('0');
    expect(r.uploads).toEqual([]);
    expect(r.log).toContain('sopflow: no problems');
  });

  it('annotates and fails on errors (format github)', () => {
    const r = runAction({ paths: 'sops\nbroken' }, workspace);
    expect(r.ok).toBe(false);
    expect(r.outputs['exit-code']).toBe('1');
    expect(r.log).toMatch(/^::error file=broken\/call\.sop\.yaml,line=7,col=11,.*title=unknown-step::/m);
    expect(r.log).toContain('::error title=sopflow::problems found in the SOPs');
  });

  it('writes SARIF and uploads it (format sarif), then fails', () => {
    const r = runAction({ paths: 'broken', format: 'sarif', category: 'sops' }, workspace);
    expect(r.ok).toBe(false);
    expect(r.uploads).toHaveLength(1);
    const upload = r.uploads[0]!;
    expect(upload).toMatchObject({
      uses: expect.stringMatching(/upload-sarif/),
      category: 'sops',
      sarif_file: path.join(workspace, 'sopflow.sarif'),
    });
    expect(r.outputs['sarif-file']).toBe(upload.sarif_file);
    const log = JSON.parse(readFileSync(upload.sarif_file!, 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
    expect(log.runs[0]!.results.map((x) => x.ruleId)).toContain('unknown-step');
    expect(runAction({ paths: 'broken', format: 'sarif', 'upload-sarif': 'false' }, workspace).uploads).toEqual([]);
  });

  it('fail-on: never reports without failing; fail-on: warning fails on warnings; ignore patterns apply', () => {
    expect(runAction({ paths: 'broken', 'fail-on': 'never' }, workspace)).toMatchObject({ ok: true, outputs: { 'exit-code': '1' } });
    expect(runAction({ paths: 'warns' }, workspace).ok).toBe(true);
    expect(runAction({ paths: 'warns', 'fail-on': 'warning' }, workspace).ok).toBe(false);
    expect(runAction({ paths: 'warns', 'max-warnings': '0' }, workspace).ok).toBe(false);
    const ignored = runAction({ paths: 'broken', ignore: 'drafts/\n\n' }, workspace);
    expect(ignored.log.match(/^::error file=/gm)).toHaveLength(2);
    expect(ignored.log).not.toContain('broken/drafts/');
  });

  it('fails on bad inputs and usage errors, and never runs what an input says', () => {
    const badFormat = runAction({ format: 'xml' }, workspace);
    expect(badFormat.ok).toBe(false);
    expect(badFormat.log).toContain("::error title=sopflow::format must be github, sarif, stylish or json, not 'xml'");
    const missing = runAction({ paths: 'no-such-folder' }, workspace);
    expect(missing.ok).toBe(false);
    expect(missing.outputs['exit-code']).toBe('2');
    expect(missing.log).toContain('sopflow: no such file or folder: no-such-folder');
    const hostile = runAction({ paths: '$(touch pwned) `touch pwned2`', today: '2026-01-01; touch pwned3' }, workspace);
    expect(hostile.ok).toBe(false);
    for (const f of ['pwned', 'pwned2', 'pwned3']) expect(existsSync(path.join(workspace, f)), f).toBe(false);
  });

  it('runs in working-directory, with paths and the SARIF file relative to it', () => {
    const sub = path.join(workspace, 'sub');
    mkdirSync(path.join(sub, 'node_modules/.bin'), { recursive: true });
    symlinkSync(path.join(ROOT, 'packages/cli/bin/sopflow.js'), path.join(sub, 'node_modules/.bin/sopflow'));
    cpSync(path.join(workspace, 'broken'), path.join(sub, 'procedures'), { recursive: true });
    const r = runAction({ 'working-directory': 'sub', paths: 'procedures', format: 'sarif', 'fail-on': 'never' }, workspace);
    expect(r.ok, r.log).toBe(true);
    expect(r.uploads[0]!.sarif_file).toBe(path.join(sub, 'sopflow.sarif'));
    expect(readFileSync(path.join(sub, 'sopflow.sarif'), 'utf8')).toContain('"uri": "procedures/call.sop.yaml"');
  });
});
