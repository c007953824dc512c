import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';

/**
 * Lint and format as part of the tests, so CI fails on them: ESLint with eslint.config.mjs over
 * what `pnpm lint` (`eslint .`) covers, and Prettier over what `pnpm format:check`
 * (`prettier --check .`) covers, each failing with one `file:line:col rule message` line per finding.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');

describe('lint and format', () => {
  it('ESLint finds nothing', async () => {
    const eslint = new ESLint({ cwd: root });
    const results = await eslint.lintFiles(['.']);
    const findings = results.flatMap((r) =>
      r.messages.map(
        (m) => `${rel(r.filePath)}:${m.line ?? 0}:${m.column ?? 0} ${m.ruleId ?? (m.fatal ? 'parse-error' : '-')} ${m.message}`,
      ),
    );
    expect(results.length, 'ESLint linted no files: is eslint.config.mjs ignoring everything?').toBeGreaterThan(100);
    expect(findings, `ESLint (fix with \`pnpm lint --fix\` or by hand):\n${findings.join('\n')}`).toEqual([]);
  }, 300_000);

  it('the tests, bench and scripts type-check (tsconfig.json; the packages are checked by their builds)', () => {
    const tsc = createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc');
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json'), '--noEmit', '--pretty', 'false'], {
        cwd: root,
        encoding: 'utf8',
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output, `tsc -p tsconfig.json --noEmit:\n${output}`).toBe('');
  }, 300_000);

  it('Prettier has nothing to reformat', async () => {
    // `prettier --check .` reads .gitignore and .prettierignore; node_modules is always skipped
    const ignorePath = [path.join(root, '.gitignore'), path.join(root, '.prettierignore')];
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.name === 'node_modules' || entry.name === '.git') continue;
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (entry.isFile()) files.push(full);
      }
    };
    walk(root);
    const findings: string[] = [];
    let checked = 0;
    for (const file of files) {
      const info = await prettier.getFileInfo(file, { ignorePath });
      if (info.ignored || info.inferredParser === null) continue;
      checked++;
      const options = await prettier.resolveConfig(file);
      const text = readFileSync(file, 'utf8');
      if (!(await prettier.check(text, { ...options, filepath: file }))) {
        const formatted = await prettier.format(text, { ...options, filepath: file });
        const a = text.split('\n');
        const b = formatted.split('\n');
        let line = 0;
        while (line < a.length && a[line] === b[line]) line++;
        findings.push(`${rel(file)}:${line + 1}:1 prettier not formatted as Prettier would (first difference on this line)`);
      }
    }
    expect(checked, 'Prettier checked no files: is .prettierignore ignoring everything?').toBeGreaterThan(100);
    expect(findings, `Prettier (fix with \`pnpm format\`):\n${findings.join('\n')}`).toEqual([]);
  }, 300_000);
});
