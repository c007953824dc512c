import { describe, expect, test } from 'vitest';
import type { Diagnostic, TextEdit } from '@sopflow/model';
import { loadSop, validateProject } from '../src/index.js';
import { applyEdits as apply, HEAD, TODAY } from './helpers.js';

/** The text an edit replaces. */
function replaced(text: string, e: TextEdit): string {
  const lines = text.split('\n');
  expect(e.endLine).toBe(e.line);
  return lines[e.line - 1]!.slice(e.column - 1, e.endColumn - 1);
}

const sop = (instructions: string, extra = '') => `${HEAD}${extra}instructions:\n${instructions}`;

/** The diagnostic of `code`, its first fix applied: the text after, and what was replaced. */
function fixOnce(text: string, code: string) {
  const d = loadSop(text, { file: 'x.sop.yaml', today: TODAY }).diagnostics.find((x) => x.code === code) as Diagnostic;
  expect(d, code).toBeDefined();
  expect(d.fixes?.length, `${code} has a fix`).toBeGreaterThan(0);
  const [fix] = d.fixes!;
  return { d, fix: fix!, before: fix!.edits.map((e) => replaced(text, e)), after: apply(text, fix!.edits) };
}

const clean = (text: string) => loadSop(text, { file: 'x.sop.yaml', today: TODAY }).diagnostics;

describe('fixes: exact replacements as data, beside the prose hint', () => {
  test('a misspelt key (schema): rename the key', () => {
    const text = sop('  - id: a\n    do: x\n    nxet: b\n  - id: b\n    end: done\n');
    const { d, fix, before, after } = fixOnce(text, 'schema');
    expect(d.hint).toBe('did you mean `next`?');
    expect(fix.title).toBe('Rename to `next`');
    expect(before).toEqual(['nxet']);
    expect(clean(after)).toEqual([]);
  });

  test('a misspelt step id (unknown-step), in block and flow style, quoted or not', () => {
    for (const [written, expectText] of [
      ['reserch', 'research'],
      ['"reserch"', '"research"'],
      ["'reserch'", "'research'"],
    ] as const) {
      const text = sop(
        `  - id: a\n    ask: Q?\n    choices:\n      - { answer: "Yes", next: ${written} }\n      - { answer: "No", next: research }\n  - id: research\n    end: done\n`,
      );
      const { fix, before, after } = fixOnce(text, 'unknown-step');
      expect(before).toEqual([written]);
      expect(fix.edits[0]!.newText).toBe(expectText);
      expect(clean(after)).toEqual([]);
    }
  });

  test('a misspelt field (undeclared-field) and enum value (field-value)', () => {
    const fields = 'fields:\n  issue: { type: string, enum: [billing, "tech support"] }\n';
    const text = sop(
      '  - id: a\n    do: x\n    record: [isue]\n  - id: b\n    ask: Q?\n    choices:\n      - { when: { field: issue, equals: "tech suport" }, next: c }\n      - { answer: "No", next: c }\n  - id: c\n    end: done\n',
      fields,
    );
    const field = fixOnce(text, 'undeclared-field');
    expect(field.before).toEqual(['isue']);
    const value = fixOnce(field.after, 'field-value');
    expect(value.before).toEqual(['"tech suport"']);
    expect(value.fix.edits[0]!.newText).toBe('"tech support"');
    expect(clean(value.after)).toEqual([]);
  });

  test('a field type (enum, with synonyms) and a duration without a unit', () => {
    const text = sop(
      '  - id: a\n    do: x\n    limit: { after: 60, next: b }\n  - id: b\n    end: done\n',
      'fields:\n  n: { type: int }\n',
    );
    const type = fixOnce(text, 'schema');
    expect(type.fix.edits[0]!.newText).toBe('integer');
    const duration = fixOnce(type.after, 'schema');
    expect(duration.d.fixes!.map((f) => f.edits[0]!.newText)).toEqual(['60s', '60m']);
    expect(clean(duration.after)).toEqual([]);
  });

  test('a number where text belongs: put it in quotes', () => {
    const { fix, after } = fixOnce(sop('  - id: a\n    do: 42\n'), 'schema');
    expect(fix.edits[0]!.newText).toBe('"42"');
    expect(clean(after)).toEqual([]);
  });

  test('an id with spaces: write it as a valid one', () => {
    const text = sop('  - id: a\n    do: x\n    next: Check Back\n  - id: check-back\n    end: done\n');
    const { before, after } = fixOnce(text, 'schema');
    expect(before).toEqual(['Check Back']);
    expect(clean(after)).toEqual([]);
  });

  test('a misspelt SOP id (missing-procedure) and outcome key (unknown-outcome), across files', () => {
    const child = `sopflow: 1\nid: verify\ntitle: Verify\ninstructions:\n  - id: v\n    end: verified\n`;
    const parent = sop('  - id: a\n    use: verfy\n    outcomes: { verifed: b }\n  - id: b\n    end: done\n');
    const run = (text: string) =>
      validateProject(
        [
          { file: 'p.sop.yaml', text },
          { file: 'c.sop.yaml', text: child },
        ],
        { today: TODAY },
      ).results[0]!.diagnostics;
    const missing = run(parent).find((d) => d.code === 'missing-procedure')!;
    const fixedUse = apply(parent, missing.fixes![0]!.edits);
    const outcome = run(fixedUse).find((d) => d.code === 'unknown-outcome')!;
    expect(outcome.fixes![0]!.edits[0]!.newText).toBe('verified');
    expect(run(apply(fixedUse, outcome.fixes![0]!.edits))).toEqual([]);
  });

  test('no fix without a certain replacement', () => {
    const ds = clean(sop('  - id: a\n    do: x\n    next: zzzzzzzz\n  - id: b\n    end: done\n'));
    expect(ds.find((d) => d.code === 'unknown-step')?.fixes).toBeUndefined();
  });
});
