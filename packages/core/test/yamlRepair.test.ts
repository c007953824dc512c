import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { Diagnostic } from '@sopflow/model';
import { loadSop } from '../src/index.js';
import { applyEdits as apply, HEAD, TODAY } from './helpers.js';

/**
 * The YAML mistakes people make most, each reported once at its cause with the fix that mends
 * it (issue 12: a tab gave 15 errors, an extra space put them on the line above, a missing dash
 * was a "duplicate key", an unquoted `: ` was parser jargon with the caret at the value's start).
 */
const load = (text: string) => loadSop(text, { file: 'x.sop.yaml', today: TODAY }).diagnostics;

const brief = (d: Diagnostic) => ({ code: d.code, at: `${d.line}:${d.column}`, message: d.message, hint: d.hint });

/** One diagnostic, at `at`; its fix gives a clean file. */
function oneAtCause(text: string, at: string, message: RegExp, hint: string): void {
  const ds = load(text);
  expect(ds.map(brief)).toEqual([{ code: 'yaml-syntax', at, message: expect.stringMatching(message), hint }]);
  const fixed = apply(text, ds[0]!.fixes![0]!.edits);
  expect(load(fixed)).toEqual([]);
}

const STEPS = `${HEAD}fields:\n  topic: { type: string, enum: [rewards, billing] }\ninstructions:\n`;

describe('yaml-syntax at the cause, with the fix', () => {
  test('one step indented with a tab', () => {
    oneAtCause(
      `${STEPS}  - id: greet\n    do: Greet the caller.\n  - id: hold\n\tdo: Put the caller on hold.\n    segment: hold\n  - id: ask\n    ask: Is it about rewards?\n    choices:\n      - { answer: "Yes", next: done }\n      - { answer: "No", next: done }\n  - id: done\n    end: resolved\n`,
      '10:1',
      /indented with a tab/,
      'indent it with 4 spaces, to line up with `id:` above',
    );
  });
  test('a whole file indented with tabs: one diagnostic, one fix for every line', () => {
    const text = `${HEAD}instructions:\n\t- id: greet\n\t  do: Greet the caller.\n\t- id: done\n\t  end: resolved\n`;
    const ds = load(text);
    expect(ds.map(brief)).toEqual([
      {
        code: 'yaml-syntax',
        at: '5:1',
        message: expect.stringMatching(/indented with tabs \(lines 5, 6, 7, 8\)/),
        hint: 'indent with spaces: each tab as 2 spaces',
      },
    ]);
    expect(load(apply(text, ds[0]!.fixes![0]!.edits))).toEqual([]);
  });
  test('one space too many before a key: at that key, not on the line above', () => {
    oneAtCause(
      `${STEPS}  - id: hold\n    do: Put the caller on hold.\n     segment: hold\n  - id: done\n    end: resolved\n`,
      '9:5',
      /`segment` is indented 1 space more than `do`/,
      'line `segment:` up with `do:` (column 5)',
    );
  });
  test('a step missing its dash: said so, not "the key id appears twice"', () => {
    const text = `${HEAD}instructions:\n  - id: ask\n    ask: Can you help?\n    choices:\n      - { answer: "Yes", next: resolve }\n      - { answer: "No", next: done }\n    id: resolve\n    do: Resolve it.\n  - id: done\n    end: resolved\n`;
    oneAtCause(
      text,
      '10:5',
      /a step is missing its `- `: `id: resolve` starts a new step/,
      'start the line with `- `, lined up with the `- ` of the step above',
    );
    // the dash takes the place of two spaces: the fix keeps every other column where it was
    expect(load(text)[0]!.fixes![0]!.edits).toEqual([{ line: 10, column: 3, endLine: 10, endColumn: 5, newText: '- ' }]);
  });
  test('a key repeated that does not start a step is a duplicate key', () => {
    const ds = load(`${HEAD}instructions:\n  - id: a\n    do: x\n    note: one\n    note: two\n`);
    expect(ds.map((d) => d.code)).toEqual(['duplicate-key']);
  });
  test('": " in an answer inside braces: quote it, caret at the ": "', () => {
    oneAtCause(
      `${HEAD}instructions:\n  - id: ask\n    ask: Can you help?\n    choices:\n      - { answer: "Yes", next: done }\n      - { answer: No: a manager is needed, next: done }\n  - id: done\n    end: resolved\n`,
      '9:21',
      /the answer `No: a manager is needed` holds `: `/,
      'put it in quotes: `answer: "No: a manager is needed"`',
    );
  });
  test('": " in prose: quote it, caret at the ": " (not at the value\'s start), no parser jargon', () => {
    oneAtCause(
      `${HEAD}instructions:\n  - do: Greet the caller. Note: always say your name.\n`,
      '5:31',
      /the text of `do` holds `: `/,
      'put the whole text in quotes: `do: "Greet the caller. Note: always say your name."`',
    );
  });
  test('": " on the second line of a text: the whole text is quoted', () => {
    oneAtCause(
      `${HEAD}instructions:\n  - do: Greet the caller.\n      Note: always say your name.\n`,
      '6:11',
      /the text of `do` holds `: `/,
      'put the whole text in quotes: `do: "Greet the caller. Note: always say your name."`',
    );
  });
  test('a text with quotes in it is quoted with single quotes', () => {
    const text = `${HEAD}instructions:\n  - do: Say "hello". Then: ask.\n`;
    const ds = load(text);
    expect(ds[0]!.fixes![0]!.edits[0]!.newText).toBe(`'Say "hello". Then: ask.'`);
    expect(load(apply(text, ds[0]!.fixes![0]!.edits))).toEqual([]);
  });
  test('several mistakes: each at its cause, and the rest of the file is still checked', () => {
    const text = `${HEAD}instructions:\n  - id: greet\n\tdo: Greet the caller.\n    next: resarch\n  - id: research\n    do: Note: look it up.\n  - id: done\n    end: resolved\n`;
    expect(load(text).map((d) => `${d.code} ${d.line}:${d.column}`)).toEqual([
      'yaml-syntax 6:1',
      'unknown-step 7:11',
      'unreachable-step 8:9',
      'yaml-syntax 9:13',
      'unreachable-step 10:9',
    ]);
    // a fix for the mended text keeps its place in the text as written
    const unknown = load(text).find((d) => d.code === 'unknown-step')!;
    expect(unknown.fixes![0]!.edits[0]).toEqual({ line: 7, column: 11, endLine: 7, endColumn: 18, newText: 'research' });
  });
  test('what cannot be mended is reported as before', () => {
    const ds = load('sopflow: 1\nid: x\ntitle: "Unclosed\ninstructions:\n  - do: y\n');
    expect(ds.map(brief)[0]).toEqual({
      code: 'yaml-syntax',
      at: '3:8',
      message: 'Missing closing "quote',
      hint: 'close the quote, or remove it',
    });
  });
});

const VALID = `${HEAD}fields:\n  topic: { type: string, enum: [a, b] }\ninstructions:\n  - id: greet\n    do: Greet the caller.\n    record: [topic]\n  - id: ask\n    ask: Which topic?\n    choices:\n      - { answer: "A", next: done }\n      - { answer: "B", next: done }\n  - id: done\n    end: resolved\n`;

describe('repairs never make things worse', () => {
  test('a valid file is untouched; any one-character slip gives diagnostics inside the file, and a repair fix never leaves more errors', () => {
    expect(load(VALID)).toEqual([]);
    const slips = fc.tuple(fc.nat(VALID.length - 1), fc.constantFrom('\t', ' ', ': ', '- ', '', '#', '"', '{'), fc.boolean());
    fc.assert(
      fc.property(slips, ([at, insert, replace]) => {
        const text = VALID.slice(0, at) + insert + VALID.slice(replace ? at + 1 : at);
        const ds = load(text);
        const lines = text.split('\n').length;
        for (const d of ds) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lines);
          expect(d.endLine).toBeGreaterThanOrEqual(d.line);
        }
        for (const d of ds.filter((x) => x.code === 'yaml-syntax' && x.fixes)) {
          const after = load(apply(text, d.fixes![0]!.edits));
          expect(after.filter((x) => x.code === 'yaml-syntax').length).toBeLessThan(ds.filter((x) => x.code === 'yaml-syntax').length);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
