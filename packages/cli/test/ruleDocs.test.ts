import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '@sopflow/model';
import { ruleDocs } from '../src/formatters/ruleDocs.js';
// @ts-expect-error: a plain .mjs script without types
import { generateRuleDocsSource, OUT_FILE, readRulePage } from '../../../scripts/generateRuleDocs.mjs';

describe('rule help for SARIF (src/formatters/ruleDocs.ts, generated from docs/rules/)', () => {
  it('is up to date with docs/rules: run `npx -y pnpm@10.34.9 run generate` when this fails', () => {
    expect(readFileSync(OUT_FILE, 'utf8')).toBe(generateRuleDocsSource());
  });

  it('has a page for every diagnostic code', () => {
    for (const code of DIAGNOSTIC_CODES) expect(ruleDocs()[code], code).toBeDefined();
  });

  it('reads a page: first paragraph as the description, links made absolute, plain text without Markdown', () => {
    const doc = readRulePage(
      'x',
      '# `x`\n\n**Severity:** error\n\nA **thing** in\n`code`.\n\n## Fix\n\n```yaml\na: 1\n```\n\nSee [all](README.md) and [web](https://e.org/).\n',
    );
    expect(doc.fullDescription).toEqual({ text: 'A thing in `code`.', markdown: 'A **thing** in `code`.' });
    expect(doc.help.markdown).toContain(
      'See [all](https://github.com/sopflow/sopflow/blob/main/docs/rules/README.md) and [web](https://e.org/).',
    );
    expect(doc.help.text).toBe(
      'Severity: error\n\nA thing in\n`code`.\n\nFix\n\n    a: 1\n\nSee all (https://github.com/sopflow/sopflow/blob/main/docs/rules/README.md) and web (https://e.org/).',
    );
    expect(() => readRulePage('y', '# y\n\n**Severity:** error\n\n## Example\n')).toThrow(/first paragraph/);
  });
});
