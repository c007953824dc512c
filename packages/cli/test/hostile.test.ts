import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * A folder of hostile files through the real, built `sopflow` binary in its own process:
 * every file gets diagnostics (or passes), the exit code is 1, and nothing crashes or prints a stack trace.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = path.join(ROOT, 'packages/cli/bin/sopflow.js');

const sop = (id: string): string => `sopflow: 1
id: ${id}
title: Take a message
department: Customer Service
purpose: Write down who called and why.
instructions:
  - id: note
    do: Write down the caller's name and number.
  - id: done
    end: resolved
`;

function hostileFiles(): Record<string, string | Uint8Array> {
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed);
  const binary = new Uint8Array(4096).map(() => random() & 0xff);
  binary[10] = 0;
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i <= 9; i++)
    bomb.push(
      `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
        .fill(`*${String.fromCharCode(96 + i)}`)
        .join(', ')}]`,
    );
  return {
    'valid.sop.yaml': sop('valid'),
    'broken.sop.yaml': sop('broken').replace('  - id: done', '    next: dnoe\n  - id: done'),
    'binary.sop.yaml': binary,
    'empty.sop.yaml': '',
    'deep-flow.sop.yaml': '['.repeat(20_000) + ']'.repeat(20_000) + '\n',
    'deep-map.sop.yaml': '{a: '.repeat(20_000) + '1' + '}'.repeat(20_000) + '\n',
    'deep-seq.sop.yaml': '- '.repeat(20_000) + 'x\n',
    'alias-bomb.sop.yaml': bomb.join('\n') + '\n',
    'proto.sop.yaml': sop('proto') + '__proto__: { polluted: true }\nconstructor: { prototype: { polluted: true } }\n',
    'list.sop.yaml': '- a\n- b\n',
    'multi-doc.sop.yaml': sop('multi-doc') + '---\n' + sop('multi-doc-2'),
    'bom-crlf.sop.yaml':
      '\ufeff' + sop('bom-crlf').replace('next: ', 'next: ').replace(/\n/g, '\r\n').replace('id: note', 'id: note\r\n    next: nowhere'),
    'long-line.sop.yaml': sop('long-line').replace('Write down who called and why.', 'w'.repeat(1_000_000)),
    'nested/a/b/c/d/e/f/g/h/i/j/deep-folder.sop.yaml': sop('deep-folder'),
  };
}

let dir: string;

beforeAll(() => {
  // the test runs the built binary: build it (incremental, so cheap when up to date)
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-b', 'packages/cli'], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  } catch (error) {
    // tsc -b still emits when another package has a type error; validate needs only its own files
    if (!existsSync(path.join(ROOT, 'packages/cli/dist/commands/validate.js'))) throw error;
  }
  dir = mkdtempSync(path.join(tmpdir(), 'sopflow-hostile-'));
  for (const [name, content] of Object.entries(hostileFiles())) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function sopflow(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
}

const STACK_TRACE = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

describe('sopflow validate on a folder of hostile files (built binary)', () => {
  it('reports every bad file, passes the good ones, exits 1, never crashes', () => {
    const r = sopflow('validate', '.', '--format', 'json', '--today', '2026-06-01');
    expect(r.error).toBeUndefined();
    expect(r.signal).toBeNull();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const reports = JSON.parse(r.stdout) as { file: string; diagnostics: { code: string; line: number; column: number }[] }[];
    const byFile = new Map(reports.map((x) => [x.file, x.diagnostics]));
    expect([...byFile.keys()]).toEqual(Object.keys(hostileFiles()).sort());
    expect(byFile.get('valid.sop.yaml')).toEqual([]);
    expect(byFile.get('nested/a/b/c/d/e/f/g/h/i/j/deep-folder.sop.yaml')).toEqual([]);
    for (const [file, diagnostics] of byFile) {
      if (file === 'valid.sop.yaml' || file.endsWith('deep-folder.sop.yaml') || file === 'long-line.sop.yaml') continue;
      expect(diagnostics.length, file).toBeGreaterThan(0);
      for (const d of diagnostics) {
        expect(d.line, file).toBeGreaterThanOrEqual(1);
        expect(d.column, file).toBeGreaterThanOrEqual(1);
      }
    }
    expect(byFile.get('broken.sop.yaml')!.map((d) => d.code)).toContain('unknown-step');
    expect(byFile.get('bom-crlf.sop.yaml')!.map((d) => d.code)).toContain('unknown-step');
  });

  it('prints a readable stylish report for them, with no stack trace and no escape codes', () => {
    const r = sopflow('validate', '.', '--today', '2026-06-01');
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(STACK_TRACE);
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(r.stdout).toMatch(/^✖ \d+ problems \(\d+ errors?, \d+ warnings?\) in \d+ files$/m);
    // a 1 MB line is clipped in the snippet, not printed whole
    expect(r.stdout.length).toBeLessThan(200_000);
  });

  it('works as SARIF and GitHub output on the same folder', () => {
    const sarif = sopflow('validate', '.', '--format', 'sarif', '--today', '2026-06-01');
    expect(sarif.status).toBe(1);
    expect((JSON.parse(sarif.stdout) as { version: string }).version).toBe('2.1.0');
    const github = sopflow('validate', '.', '--format', 'github', '--today', '2026-06-01');
    expect(github.status).toBe(1);
    const lines = github.stdout.trimEnd().split('\n');
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^::(error|warning) file=[^\n]+::/);
    // more than GitHub shows: the last line says so and points at SARIF
    expect(lines.at(-1)).toMatch(/^::notice title=sopflow::\d+ errors and \d+ warnings?: GitHub shows only the first 10 .*sarif/);
    // no raw control character reaches the log (ESC, NUL, BEL…)
    expect(github.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it('exits 2 with a one-line message, not a stack trace, on a missing path', () => {
    const r = sopflow('validate', 'no-such-folder');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('sopflow: no such file or folder: no-such-folder\n');
  });
});

describe('validation in worker threads (built binary)', () => {
  it('a worker validates a group exactly as this thread does', () => {
    // in a plain node process: vitest's own flags (--conditions source) would reach the worker
    const script = `
      import { readFileSync, readdirSync } from 'node:fs';
      const dist = await import(${JSON.stringify(path.join(ROOT, 'packages/cli/dist/validateInParallel.js'))});
      const names = readdirSync('.').filter((f) => f.endsWith('.sop.yaml')).sort();
      const request = { inputs: names.map((file) => ({ file, text: readFileSync(file, 'utf8') })), today: '2026-06-01' };
      const [inWorker, here] = await Promise.all([dist.runChunkInWorker(request), dist.runChunkHere(request)]);
      console.log(JSON.stringify({ same: JSON.stringify(inWorker) === JSON.stringify(here), files: inWorker.length, problems: inWorker.filter((r) => r.diagnostics.length).length }));
    `;
    writeFileSync(path.join(dir, 'worker-check.mjs'), script);
    const r = spawnSync(process.execPath, ['worker-check.mjs'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ same: true, files: 13, problems: 11 });
  });

  it('prints the same output on 1 and on 3 threads', () => {
    for (const format of ['json', 'stylish']) {
      const one = spawnSync(process.execPath, [BIN, 'validate', '.', '--format', format, '--today', '2026-06-01'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, SOPFLOW_THREADS: '1' },
      });
      const three = spawnSync(process.execPath, [BIN, 'validate', '.', '--format', format, '--today', '2026-06-01'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, SOPFLOW_THREADS: '3' },
      });
      expect(three.stdout).toBe(one.stdout);
      expect(three.status).toBe(one.status);
      expect(three.stderr).toBe('');
    }
  });
});

describe('the examples (built binary)', () => {
  it('`sopflow validate examples` from the repo root exits 0', () => {
    const r = spawnSync(process.execPath, [BIN, 'validate', 'examples'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^✓ \d+ files, no problems\n$/);
    expect(r.status).toBe(0);
  });
});
