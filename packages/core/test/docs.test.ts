import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DIAGNOSTIC_CODES } from '@sopflow/model';
import { RULES } from '../src/index.js';

const docs = new URL('../../../docs/rules/', import.meta.url);
const page = (code: string) => readFileSync(new URL(`${code}.md`, docs), 'utf8');

describe('docs/rules: one page per diagnostic code', () => {
  test.each([...DIAGNOSTIC_CODES])('%s has a page with its severity, a failing example and the fix', (code) => {
    expect(existsSync(new URL(`${code}.md`, docs))).toBe(true);
    const text = page(code);
    expect(text).toMatch(new RegExp(`^# \`${code}\``));
    expect(text).toMatch(/\*\*Severity:\*\* (error|warning)/);
    expect(text).toContain('## Example');
    expect(text).toContain('## Fix');
    const rule = RULES.find((r) => r.code === code);
    if (rule) expect(text).toContain(`**Severity:** ${rule.severity}`);
  });

  test('the index lists every code and no page is orphaned', () => {
    const index = page('README');
    for (const code of DIAGNOSTIC_CODES) expect(index).toContain(`[\`${code}\`](${code}.md)`);
    const pages = readdirSync(docs)
      .filter((f) => f.endsWith('.md') && f !== 'README.md')
      .map((f) => f.slice(0, -3))
      .sort();
    expect(pages).toEqual([...DIAGNOSTIC_CODES].sort());
  });
});
