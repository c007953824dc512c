import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './runValidate.js';

/**
 * Golden cases for whole command lines (stdin, ignore patterns, usage errors): each folder of
 * `golden-commands/` holds `args` (one argument per line), optionally `stdin` (piped in) and the
 * files the command reads; it runs in that folder, and its exit code, stdout and stderr must equal
 * `expected.out` byte for byte. `UPDATE_GOLDEN=1 npx vitest run packages/cli/test/commandGolden.test.ts`
 * rewrites them.
 */
const CASES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden-commands');
const cases = readdirSync(CASES)
  .filter((name) => existsSync(path.join(CASES, name, 'args')))
  .sort();

function render(r: { code: number; stdout: string; stderr: string }): string {
  return `exit: ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}

describe('golden command lines', () => {
  it('has cases for stdin, ignore patterns and usage errors', () => {
    expect(cases.filter((c) => c.startsWith('stdin-')).length).toBeGreaterThanOrEqual(8);
    expect(cases.filter((c) => c.startsWith('ignore-')).length).toBeGreaterThanOrEqual(4);
  });

  for (const name of cases) {
    it(name, async () => {
      const dir = path.join(CASES, name);
      const args = readFileSync(path.join(dir, 'args'), 'utf8')
        .split('\n')
        .filter((line) => line !== '');
      const stdinFile = path.join(dir, 'stdin');
      const stdin = existsSync(stdinFile) ? Readable.from([readFileSync(stdinFile)]) : undefined;
      const r = await runInProcess(args, { cwd: dir, ...(stdin ? { stdin } : {}) });
      const golden = path.join(dir, 'expected.out');
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) {
        if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`no golden file ${golden}: run with UPDATE_GOLDEN=1`);
        writeFileSync(golden, render(r));
      }
      expect(render(r)).toBe(readFileSync(golden, 'utf8'));
    });
  }
});

describe('the sopflow command reads `-` from a real pipe', () => {
  const BIN = path.resolve(CASES, '../../bin/sopflow.js');
  it('validate and paths', () => {
    const dir = path.join(CASES, 'stdin-paths');
    const text = readFileSync(path.join(dir, 'stdin'));
    const validate = spawnSync(process.execPath, [BIN, 'validate', '-', '--stdin-filename', 'sops/parent.sop.yaml', 'sops', '--no-color'], {
      cwd: dir,
      input: text,
      encoding: 'utf8',
    });
    expect(validate.stderr).toBe('');
    expect(validate.stdout).toBe('✓ 2 files, no problems\n');
    expect(validate.status).toBe(0);
    const paths = spawnSync(process.execPath, [BIN, 'paths', '-', '--stdin-filename', 'sops/parent.sop.yaml'], {
      cwd: dir,
      input: text,
      encoding: 'utf8',
    });
    expect(paths.stdout).toBe(readFileSync(path.join(dir, 'expected.out'), 'utf8').split('--- stdout\n')[1]!.split('--- stderr\n')[0]);
    const broken = spawnSync(process.execPath, [BIN, 'validate', '-'], { cwd: dir, input: 'sopflow: 1\nid: [', encoding: 'utf8' });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/^<stdin>:2:\d+: error .*\[yaml-syntax\]/m);
  });
});
