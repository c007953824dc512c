import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * Lint as part of the tests, so CI fails on it: ESLint with eslint.config.mjs over what
 * `pnpm lint` (`eslint .`) covers, failing with one `file:line:col rule message` line per finding.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const rel = (file: string) => path.relative(root, file).split(path.sep).join('/');

describe('lint and format', () => {
  it('ESLint finds nothing', async () => {
    const eslint = new ESLint({ cwd: root });
    const results = await eslint.lintFiles(['.']);
    const findings = results.flatMap((r) =>
      r.messages.map((m) => `${rel(r.filePath)}:${m.line ?? 0}:${m.column ?? 0} ${m.ruleId ?? (m.fatal ? 'parse-error' : '-')} ${m.message}`),
    );
    expect(results.length, 'ESLint linted no files: is eslint.config.mjs ignoring everything?').toBeGreaterThan(100);
    expect(findings, `ESLint (fix with \`pnpm lint --fix\` or by hand):\n${findings.join('\n')}`).toEqual([]);
  }, 300_000);
});
