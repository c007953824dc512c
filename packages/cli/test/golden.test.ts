import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '@sopflow/model';
import { runInProcess } from './runValidate.js';

/**
 * Golden tests in actionlint's style: each `testdata/<case>.sop.yaml` is validated alone and
 * its stylish output (no colour) must equal `testdata/<case>.out` byte for byte.
 * `UPDATE_GOLDEN=1 npx vitest run packages/cli/test/golden.test.ts` rewrites the .out files.
 */
const TESTDATA = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');
const TODAY = '2026-06-01';
const cases = readdirSync(TESTDATA)
  .filter((f) => f.endsWith('.sop.yaml'))
  .sort();

describe('golden stylish output', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  for (const file of cases) {
    it(file, async () => {
      const { code, stdout, stderr } = await runInProcess(['validate', file, '--today', TODAY, '--no-color'], { cwd: TESTDATA });
      expect(stderr).toBe('');
      const golden = path.join(TESTDATA, file.replace(/\.sop\.yaml$/, '.out'));
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) {
        if (process.env.UPDATE_GOLDEN !== '1') throw new Error(`no golden file ${golden}: run with UPDATE_GOLDEN=1`);
        writeFileSync(golden, stdout);
      }
      expect(stdout).toBe(readFileSync(golden, 'utf8'));
      // the exit code follows the output: 1 exactly when an error is reported
      expect(code).toBe(/ error /.test(stdout) ? 1 : 0);
    });
  }

  it('a case named after a diagnostic code shows that code; every code shown is a known one', () => {
    const named = cases.map((f) => f.replace(/\.sop\.yaml$/, '')).filter((name) => (DIAGNOSTIC_CODES as readonly string[]).includes(name));
    expect(named.length).toBeGreaterThanOrEqual(8);
    for (const name of named)
      expect(readFileSync(path.join(TESTDATA, `${name}.out`), 'utf8'), name).toMatch(new RegExp(`\\[${name}\\]$`, 'm'));
    const outs = readdirSync(TESTDATA)
      .filter((f) => f.endsWith('.out'))
      .map((f) => readFileSync(path.join(TESTDATA, f), 'utf8'))
      .join('\n');
    for (const [, code] of outs.matchAll(/\[([a-z-]+)\]$/gm)) expect(DIAGNOSTIC_CODES, code).toContain(code);
  });
});
