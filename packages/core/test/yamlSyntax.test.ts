import { describe, expect, test } from 'vitest';
import { HEAD, load } from './helpers.js';

const yamlErrors = (text: string) => load(text).diagnostics.map((d) => ({ code: d.code, at: `${d.line}:${d.column}`, hint: d.hint }));

describe('yaml-syntax: where the mistake is, and what to do', () => {
  test('a text containing ": " that is not quoted', () => {
    expect(yamlErrors(`${HEAD}instructions:\n  - id: a\n    do: Say: hello there\n`)).toEqual([
      { code: 'yaml-syntax', at: '6:12', hint: 'put the whole text in quotes: `do: "Say: hello there"`' },
    ]);
  });
  test('a key indented one space too far', () => {
    expect(yamlErrors(`${HEAD}instructions:\n  - id: a\n     do: x\n`)).toEqual([
      { code: 'yaml-syntax', at: '6:5', hint: 'line `do:` up with `id:` (column 5)' },
    ]);
  });
  test('keys that do not line up, at the misplaced key', () => {
    const errors = yamlErrors(
      `${HEAD}instructions:\n- id: a\n  ask: Ok?\n  choices:\n    - answer: "Yes"\n      next: b\n    - answer: "No"\n    next: b\n- id: b\n  end: done\n`,
    );
    expect(errors).toEqual([{ code: 'yaml-syntax', at: '11:5', hint: 'line `next:` up with `answer:` (column 7)' }]);
  });
  test('tabs, an unclosed quote (at the opening quote), an unclosed bracket', () => {
    expect(yamlErrors(`${HEAD}instructions:\n  - id: a\n\tdo: x\n`)).toEqual([
      { code: 'yaml-syntax', at: '6:1', hint: 'indent it with 4 spaces, to line up with `id:` above' },
    ]);
    expect(yamlErrors('sopflow: 1\nid: x\ntitle: "Unclosed\ninstructions:\n  - do: y\n')[0]).toEqual({
      code: 'yaml-syntax',
      at: '3:8',
      hint: 'close the quote, or remove it',
    });
    expect(yamlErrors(`${HEAD}instructions:\n  - do: [a, b\n  - do: c\n`)[0]!.hint).toMatch(/close the bracket/);
  });
  test('shorthands people write get a precise schema message instead', () => {
    const ds = load(
      `${HEAD}instructions:\n  - id: a\n    ask: Ok?\n    choices: { "Yes": b, "No": b }\n  - id: b\n    end: true\n`,
    ).diagnostics;
    expect(ds.map((d) => [d.code, `${d.line}:${d.column}`, d.hint])).toEqual([
      ['schema', '7:14', 'write each choice as `- { answer: "Yes", next: b }`'],
      ['schema', '9:10', 'name the outcome, e.g. `end: resolved`'],
    ]);
  });
});
