import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { DIAGNOSTIC_CODES } from '@sopflow/model';
import { ruleFor, validateProject } from '../src/index.js';

const dir = new URL('./fixtures/broken/', import.meta.url);
const projectDir = new URL('./fixtures/project/', import.meta.url);
const read = (base: URL, name: string) => readFileSync(new URL(name, base), 'utf8');
const project = readdirSync(projectDir)
  .filter((f) => f.endsWith('.sop.yaml'))
  .map((f) => ({ file: `project/${f}`, text: read(projectDir, f) }));
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.sop.yaml'))
  .sort();

describe('the broken-file corpus: one file per code, the planted mistake at a known place', () => {
  test('there is a fixture for every diagnostic code', () => {
    expect(fixtures.map((f) => f.replace('.sop.yaml', '')).sort()).toEqual([...DIAGNOSTIC_CODES].sort());
  });

  test.each(fixtures)('%s', (name) => {
    const text = read(dir, name);
    const expectLine = /^# expect: ([a-z-]+) (\d+):(\d+)$/m.exec(text);
    expect(expectLine, 'the fixture names its expected code and position').not.toBeNull();
    const [, code, line, column] = expectLine!;
    expect(code).toBe(name.replace('.sop.yaml', ''));
    const file = `broken/${name}`;
    const { results } = validateProject([...project, { file, text }], { today: '2026-01-01' });
    const mine = results.find((r) => r.file === file)!.diagnostics;
    const hit = mine.filter((d) => d.code === code);
    expect(hit.map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual([`${code} ${line}:${column}`]);
    // reported with the severity its rule declares
    expect(hit[0]!.severity).toBe(ruleFor(code as (typeof DIAGNOSTIC_CODES)[number]).severity);
    // the planted mistake is the only one: nothing else is reported for the file
    expect(mine.filter((d) => d.code !== code)).toEqual([]);
    // and the project files stay clean
    for (const r of results.filter((r) => r.file !== file)) expect(r.diagnostics).toEqual([]);
  });
});
