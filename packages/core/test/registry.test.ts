import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DIAGNOSTIC_CODES } from '@sopflow/model';
// @ts-expect-error: a plain .mjs script without types
import { generateRegistrySources, readRuleFiles } from '../../../scripts/generate.mjs';
import { RULES, ruleFor, ruleInfo } from '../src/index.js';

const ROOT = new URL('../../../', import.meta.url);
const RULES_DIR = new URL('../src/rules/', import.meta.url);

describe('the rule registry: one file per code, everything else derived', () => {
  test('the generated registry, code union and docs index are current (run `pnpm run generate`)', () => {
    const sources = generateRegistrySources() as Record<string, string>;
    for (const [file, content] of Object.entries(sources)) expect(readFileSync(file, 'utf8') === content, `${file} is stale`).toBe(true);
  });

  test('every file in src/rules/ is a rule named after its code, and every rule is registered', () => {
    const files = readdirSync(RULES_DIR)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.slice(0, -3))
      .sort();
    expect(files).toEqual([...DIAGNOSTIC_CODES].sort());
    expect((readRuleFiles() as { code: string }[]).map((r) => r.code)).toEqual([...DIAGNOSTIC_CODES]);
    for (const rule of RULES) expect(ruleFor(rule.code)).toBe(rule);
  });

  test('each rule declares what SARIF, the docs and the loaders need', () => {
    for (const rule of ruleInfo()) {
      expect(['error', 'warning']).toContain(rule.severity);
      expect(['node', 'flow', 'project']).toContain(rule.scope);
      expect(rule.description, rule.code).toMatch(/^[A-Z`].{10,}\.$/);
      expect(rule.docs).toBe(`docs/rules/${rule.code}.md`);
      expect(existsSync(new URL(rule.docs, ROOT)), rule.docs).toBe(true);
    }
  });

  test('a rule either checks (node, flow, project) or is reported while the file is read', () => {
    for (const rule of RULES) {
      if ('reportedBy' in rule && rule.reportedBy) expect('check' in rule, rule.code).toBe(false);
      else expect(typeof (rule as { check?: unknown }).check, rule.code).toBe('function');
    }
  });
});
