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
const cases = readdirSync(CASES).filter((name) => existsSync(path.join(CASES, name, 'args'))).sort();

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
      const args = readFileSync(path.join(dir, 'args'), 'utf8').split('\n').filter((line) => line !== '');
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
