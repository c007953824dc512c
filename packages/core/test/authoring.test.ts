import { describe, expect, test } from 'vitest';
import { loadSop, validateProject } from '../src/index.js';
import { HEAD, TODAY, load } from './helpers.js';

/** Issue 12: the diagnostics a writer met, the rules a writer needs, the keys a writer asked for. */
const brief = (text: string) =>
  load(text).diagnostics.map((d) => ({
    code: d.code,
    at: `${d.line}:${d.column}`,
    message: d.message,
    hint: d.hint,
    fix: d.fixes?.[0]?.edits[0]?.newText,
  }));
const codesOf = (text: string) => load(text).diagnostics.map((d) => d.code);

describe('an invalid field name is never suggested back', () => {
  test('`call-notes`: one diagnostic at the declaration, with the name it should have; its uses are not reported', () => {
    expect(
      brief(
        `${HEAD}fields:\n  call-notes: { type: string }\ninstructions:\n  - do: Greet.\n    record: [call_notes]\n  - do: Wrap up.\n    record: [call_notes]\n`,
      ),
    ).toEqual([
      {
        code: 'schema',
        at: '5:3',
        message: '`call-notes` is not a valid field name: use a letter, then letters, digits or `_`',
        hint: 'write it as `call_notes`',
        fix: 'call_notes',
      },
    ]);
  });
  test('a name close to an invalid one only is not suggested', () => {
    const ds = load(`${HEAD}fields:\n  call-notes: { type: string }\ninstructions:\n  - do: Greet.\n    record: [cal_notes]\n`).diagnostics;
    expect(ds.map((d) => [d.code, d.hint])).toEqual([
      ['schema', 'write it as `call_notes`'],
      ['undeclared-field', 'declare it under `fields:`, e.g. `cal_notes: { type: string }`'],
    ]);
  });
});

describe('durations and targets: the exact fix', () => {
  test.each([
    ['1 minute', '1m'],
    ['90 sec', '90s'],
    ['60 seconds', '60s'],
    ['1min', '1m'],
    ['1h30', '1h30m'],
    ['2 hours and 30 minutes', '2h30m'],
    ['2 weeks', '14d'],
  ])('%s -> %s', (written, fixed) => {
    const [d] = load(
      `${HEAD}instructions:\n  - id: a\n    do: x\n    limit: { after: ${written}, next: a }\n    target: ${written}\n`,
    ).diagnostics;
    expect(d).toMatchObject({ code: 'invalid-duration', hint: `write \`${fixed}\`` });
    expect(d!.fixes![0]!.edits[0]!.newText).toBe(fixed);
  });
  test('a target is checked like a limit, on a step and on the SOP', () => {
    expect(brief(`${HEAD}target: 10 mins\ninstructions:\n  - id: a\n    do: x\n    target: 0s\n`)).toEqual([
      { code: 'invalid-duration', at: '4:9', message: 'cannot read the time target `10 mins` of the SOP', hint: 'write `10m`', fix: '10m' },
      {
        code: 'invalid-duration',
        at: '8:13',
        message: 'the time target `0s` of step `a` must be longer than zero',
        hint: 'write e.g. `45s`, `5m`, `2h`, `3d`, `1m30s` or ISO 8601 `PT60S`',
        fix: undefined,
      },
    ]);
  });
});

describe('terms: inflected words use a term', () => {
  test('"follows through" uses `follow through`; "escalating" uses `escalate`; "queries" uses `query`', () => {
    expect(
      codesOf(
        `${HEAD}terms:\n  follow through: Keep the case open.\n  escalate: Hand it on.\n  query: A question.\ninstructions:\n  - do: The agent follows through; escalating beats guessing; answer all queries.\n`,
      ),
    ).toEqual([]);
  });
  test('rules are text people read: they use terms, and their acronyms need defining', () => {
    expect(
      brief(
        `${HEAD}rules: [Log every call in the CRM., Follow through.]\nterms:\n  follow through: Keep the case open.\ninstructions:\n  - do: Answer.\n`,
      ),
    ).toEqual([
      {
        code: 'undefined-term',
        at: '4:31',
        message: 'the acronym `CRM` is used but not defined in `terms`',
        hint: 'add it to `terms`, e.g. `CRM: <what it stands for>`',
        fix: undefined,
      },
    ]);
  });
});

describe('list fields and `contains`', () => {
  const fields = 'fields:\n  tags: { type: list, items: { type: string, enum: [vip, new] } }\n  plan: { type: string }\n';
  const decide = (when: string) =>
    `${HEAD}${fields}instructions:\n  - do: Tag it.\n    record: [tags, plan]\n  - id: q\n    ask: Which?\n    choices:\n      - { when: ${when}, next: e }\n      - { answer: Other, next: e }\n  - id: e\n    end: done\n`;
  test('a valid list field and contains', () => {
    expect(codesOf(decide('{ field: tags, contains: vip }'))).toEqual([]);
  });
  test('contains an item the list never holds: did you mean', () => {
    expect(brief(decide('{ field: tags, contains: vpi }'))).toEqual([
      {
        code: 'field-value',
        at: '13:42',
        message: '`vpi` can never be an item of field `tags` (a list of string): expected one of "vip", "new", got "vpi"',
        hint: 'did you mean `vip`?',
        fix: 'vip',
      },
    ]);
  });
  test('equals on a list: use contains (the fix renames the operator); contains on one value: use equals', () => {
    expect(brief(decide('{ field: tags, equals: vip }'))[0]).toMatchObject({
      code: 'field-value',
      message: 'field `tags` is a list: `equals` cannot compare it with one value',
      fix: 'contains',
    });
    expect(brief(decide('{ field: plan, contains: gold }'))[0]).toMatchObject({
      code: 'field-value',
      message: '`contains` tests a list, but field `plan` is a string',
      fix: 'equals',
    });
  });
  test('the schema: a list needs items; items only on a list; enum, minimum and maximum go under items', () => {
    const field = (def: string) => brief(`${HEAD}fields:\n  f: ${def}\ninstructions:\n  - do: x\n`).map((d) => [d.at, d.message]);
    expect(field('{ type: list }')).toEqual([['5:8', 'the list field `f` needs `items`: what each item is']]);
    expect(field('{ type: string, items: { type: string } }')).toEqual([
      ['5:22', '`items` belongs to a list field: add `type: list`, or remove `items` (field `f`)'],
    ]);
    expect(field('{ type: list, items: { type: string }, enum: [a] }')).toEqual([
      ['5:45', 'on a list field, `enum` goes under `items`: the values each item may take (field `f`)'],
    ]);
    expect(field('{ type: list, items: { enum: [a] } }')).toEqual([
      ['5:20', 'the items of a list field need a `type`: string, number, integer, boolean or date (in field `f`)'],
    ]);
  });
});

describe('unrecorded-field', () => {
  test('fields taken back by `returns`, or passed in by a procedure among the files, are recorded', () => {
    const parent = `sopflow: 1\nid: parent\ntitle: P\nfields:\n  case: { type: string }\n  who: { type: string }\ninstructions:\n  - id: a\n    use: child\n    with: { customer: who }\n    returns: { case: case }\n  - id: q\n    ask: Case?\n    choices:\n      - { when: { field: case, set: true }, next: e }\n      - { answer: "No", next: e }\n  - id: e\n    end: done\n`;
    const child = `sopflow: 1\nid: child\ntitle: C\nfields:\n  customer: { type: string }\n  case: { type: string }\ninstructions:\n  - id: q\n    ask: Known?\n    choices:\n      - { when: { field: customer, set: true }, next: e }\n      - { answer: "No", next: e }\n  - id: e\n    do: Open.\n    record: [case]\n`;
    const { diagnostics } = validateProject(
      [
        { file: 'p.sop.yaml', text: parent },
        { file: 'c.sop.yaml', text: child },
      ],
      { today: TODAY },
    );
    expect(diagnostics.filter((d) => d.code === 'unrecorded-field')).toEqual([]);
    // alone, the child's field is recorded by nothing
    const alone = validateProject([{ file: 'c.sop.yaml', text: child }], { today: TODAY }).diagnostics;
    expect(alone.map((d) => [d.code, d.message])).toEqual([
      ['unrecorded-field', 'no step records field `customer`, so choice 1 of step `q` can never be taken'],
    ]);
  });
  test('`set: false` on a field nothing records is always taken', () => {
    const text = `${HEAD}fields:\n  x: { type: string }\ninstructions:\n  - id: q\n    ask: Q?\n    choices:\n      - { when: { field: x, set: false }, next: e }\n      - { answer: "No", next: e }\n  - id: e\n    end: done\n`;
    expect(validateProject([{ file: 'x.sop.yaml', text }], { today: TODAY }).diagnostics.map((d) => d.message)).toEqual([
      'no step records field `x`, so choice 1 of step `q` is always taken (the field is never set)',
    ]);
  });
});

describe('stuck-decision', () => {
  const sop = (field: string, record: string, choices: string, extra = '') =>
    `${HEAD}fields:\n  t: ${field}\ninstructions:\n  - do: Ask.\n    record: [${record}]\n  - id: q\n    ask: Which?\n${extra}    choices:\n${choices}  - id: e\n    end: done\n`;
  const both = '      - { when: { field: t, equals: a }, next: e }\n      - { when: { field: t, equals: b }, next: e }\n';
  test('an optional field: stuck when it is not recorded', () => {
    expect(load(sop('{ type: string, enum: [a, b] }', 't', both)).diagnostics.map((d) => d.message)).toEqual([
      'decision `q` is taken from recorded data only, and none of its choices holds when `t` is not recorded (it is optional): the run would stop there until a value one of them accepts is recorded',
    ]);
  });
  test('a required field recorded before, every value covered: fine; a value left out: stuck', () => {
    expect(codesOf(sop('{ type: string, enum: [a, b], required: true }', 't', both))).toEqual([]);
    expect(load(sop('{ type: string, enum: [a, b, c], required: true }', 't', both)).diagnostics.map((d) => d.message)).toEqual([
      'decision `q` is taken from recorded data only, and none of its choices holds when `t` is `c`: the run would stop there until a value one of them accepts is recorded',
    ]);
  });
  test('numbers: ranges that leave a gap; `set: false` covers a missing value; an answer or a limit is a way out', () => {
    expect(
      codesOf(
        sop(
          '{ type: number, required: true }',
          't',
          '      - { when: { field: t, lt: 10 }, next: e }\n      - { when: { field: t, gt: 10 }, next: e }\n',
        ),
      ),
    ).toEqual(['stuck-decision']);
    expect(
      codesOf(
        sop(
          '{ type: number, required: true }',
          't',
          '      - { when: { field: t, lt: 10 }, next: e }\n      - { when: { field: t, gte: 10 }, next: e }\n',
        ),
      ),
    ).toEqual([]);
    expect(
      codesOf(
        sop(
          '{ type: boolean }',
          't',
          '      - { when: { field: t, equals: true }, next: e }\n      - { when: { field: t, equals: false }, next: e }\n      - { when: { field: t, set: false }, next: e }\n',
        ),
      ),
    ).toEqual([]);
    expect(codesOf(sop('{ type: string, enum: [a, b] }', 't', `${both}      - { answer: Other, next: e }\n`))).toEqual([]);
    expect(codesOf(sop('{ type: string, enum: [a, b] }', 't', both, '    limit: { after: 5m, next: e }\n'))).toEqual([]);
  });
  test('a `when` on the way makes the field sure', () => {
    const text = `${HEAD}fields:\n  t: { type: string, enum: [a, b] }\ninstructions:\n  - do: Ask.\n    record: [t]\n  - id: p\n    ask: A?\n    choices:\n      - { when: { field: t, equals: a }, next: q }\n      - { answer: Skip, next: e }\n  - id: q\n    ask: Which?\n    choices:\n${both}  - id: e\n    end: done\n`;
    expect(codesOf(text)).toEqual([]);
  });
});

describe('required-not-recorded', () => {
  test('every way records it: fine; a `when` on the way counts; one way without: the message names it', () => {
    const ok = `${HEAD}fields:\n  d: { type: string, enum: [x, y], required: true }\ninstructions:\n  - do: Ask.\n    record: [d]\n  - end: done\n`;
    expect(codesOf(ok)).toEqual([]);
    const missing = `${HEAD}fields:\n  d: { type: string, required: true }\ninstructions:\n  - id: a\n    ask: Known?\n    choices:\n      - { answer: "Yes", next: b }\n      - { answer: "No", next: c }\n  - id: b\n    do: Record it.\n    record: [d]\n    end: ok\n  - id: c\n    end: unknown\n`;
    const ds = validateProject([{ file: 'x.sop.yaml', text: missing }], { today: TODAY }).diagnostics;
    expect(ds.map((d) => [d.code, `${d.line}:${d.column}`, d.message])).toEqual([
      [
        'required-not-recorded',
        '5:32',
        'field `d` is required, but a run can end at step `c` (outcome `unknown`) without recording it: a → c',
      ],
    ]);
  });
  test('a field a procedure passes in (`with`) counts as recorded in the sub-procedure', () => {
    const parent = `sopflow: 1\nid: parent\ntitle: P\nfields:\n  who: { type: string, required: true }\ninstructions:\n  - do: Ask.\n    record: [who]\n  - use: child\n    with: { customer: who }\n`;
    const child = `sopflow: 1\nid: child\ntitle: C\nfields:\n  customer: { type: string, required: true }\ninstructions:\n  - do: Help.\n`;
    const together = validateProject(
      [
        { file: 'p.sop.yaml', text: parent },
        { file: 'c.sop.yaml', text: child },
      ],
      { today: TODAY },
    ).diagnostics;
    expect(together).toEqual([]);
    expect(validateProject([{ file: 'c.sop.yaml', text: child }], { today: TODAY }).diagnostics.map((d) => d.code)).toEqual([
      'required-not-recorded',
    ]);
  });
});

describe('format keys: rules, targets, review cycle', () => {
  test('a file with every new key is clean', () => {
    const text = `${HEAD}review_by: 2026-06-30\nreview_every: 6mo\ntarget: 10m\nrules:\n  - Speak clearly and slowly.\ninstructions:\n  - do: Answer.\n    target: 20s\n`;
    const { sop, diagnostics } = loadSop(text, { today: TODAY });
    expect(diagnostics).toEqual([]);
    expect(sop).toMatchObject({ review_every: '6mo', target: '10m', rules: ['Speak clearly and slowly.'] });
  });
  test('unknown keys near the new ones are suggested', () => {
    expect(brief(`${HEAD}rule: [x]\ninstructions:\n  - do: x\n    targt: 20s\n`).map((d) => d.hint)).toEqual([
      'did you mean `rules`?',
      'did you mean `target`?',
    ]);
  });
});
