import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { hasErrors, loadSop, validateProject } from '../src/index.js';
import { TODAY, load } from './helpers.js';

const dir = new URL('./fixtures/valid/', import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.sop.yaml'))
  .sort();
const read = (f: string) => readFileSync(new URL(f, dir), 'utf8');

describe('valid SOPs', () => {
  test("product.md's example (inbound-call) has no errors; its only remark is the term CSR it defines but never uses", () => {
    // within a year of its review date (more than twelve months ahead is review-too-far)
    const { sop, diagnostics } = loadSop(read('inbound-call.sop.yaml'), { file: 'inbound-call.sop.yaml', today: '2026-07-01' });
    expect(sop?.id).toBe('inbound-call');
    expect(hasErrors(diagnostics)).toBe(false);
    expect(diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}:${d.column}`)).toEqual(['warning unused-term 13:3']);
  });

  test.each(files.filter((f) => f !== 'inbound-call.sop.yaml'))('%s has no diagnostics at all', (f) => {
    const { results } = validateProject(
      files.map((file) => ({ file, text: read(file) })),
      { today: TODAY },
    );
    expect(results.find((r) => r.file === f)!.diagnostics).toEqual([]);
  });

  test('the smallest SOP: a plain list of instructions', () => {
    const { sop, diagnostics } = load(
      'sopflow: 1\nid: tiny\ntitle: Tiny\ninstructions:\n  - do: Answer the phone.\n  - do: Greet the caller.\n',
    );
    expect(diagnostics).toEqual([]);
    expect(sop!.instructions).toHaveLength(2);
  });

  test('anchors, aliases and merge keys (<<) are read', () => {
    const { sop, diagnostics } = load(
      'sopflow: 1\nid: merge\ntitle: Merge\ninstructions:\n  - &base\n    id: a\n    do: x\n    role: Team lead\n  - <<: *base\n    id: b\n    do: y\n',
    );
    expect(diagnostics).toEqual([]);
    expect(sop!.instructions[1]).toEqual({ id: 'b', do: 'y', role: 'Team lead' });
  });
});
