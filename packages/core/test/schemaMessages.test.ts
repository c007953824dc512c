import { describe, expect, test } from 'vitest';
import { HEAD, load } from './helpers.js';

/** Loads and returns the schema diagnostics as `line:col message [hint]`. */
function schemaErrors(text: string) {
  const { sop, diagnostics } = load(text);
  const schema = diagnostics.filter((d) => d.code === 'schema');
  if (schema.length > 0) expect(sop).toBeUndefined();
  return schema.map((d) => ({ at: `${d.line}:${d.column}`, message: d.message, hint: d.hint, path: d.path }));
}

const steps = (body: string) => `${HEAD}instructions:\n${body}`;

describe('schema errors: one precise message per mistake', () => {
  test('an empty file, a comment-only file', () => {
    for (const text of ['', '\n\n', '# nothing here\n']) {
      const errors = schemaErrors(text);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toMatch(/the file is empty/);
      expect(errors[0]!.at).toBe('1:1');
    }
  });

  test('a list or a scalar instead of a mapping', () => {
    expect(schemaErrors('- do: a\n- do: b\n')).toEqual([
      expect.objectContaining({ at: '1:1', message: expect.stringMatching(/is a mapping .* not a list/) }),
    ]);
    expect(schemaErrors('hello world\n')[0]!.message).toMatch(/not the text `hello world`/);
  });

  test('a misspelled top-level key: at the key, with did-you-mean', () => {
    const errors = schemaErrors(`${HEAD}instruction:\n  - do: x\n`);
    // one message: the unknown key says it all, no separate "missing instructions"
    expect(errors).toEqual([
      { at: '4:1', message: 'unknown key `instruction` at the top level', hint: 'did you mean `instructions`?', path: ['instruction'] },
    ]);
  });

  test('words authors reach for get the sopflow key as a hint', () => {
    expect(schemaErrors(`${HEAD}steps:\n  - do: x\n`)[0]!.hint).toBe('did you mean `instructions`?');
    expect(schemaErrors(steps('  - do: x\n    goto: y\n  - id: y\n    end: done\n'))[0]).toMatchObject({
      at: '6:5',
      hint: 'did you mean `next`?',
    });
    expect(schemaErrors(steps('  - task: Answer\n'))).toEqual([
      expect.objectContaining({ at: '5:5', message: 'unknown key `task` in step 1', hint: 'did you mean `do`?' }),
    ]);
  });

  test('a misspelled step key: at the key, with a hint', () => {
    const errors = schemaErrors(steps('  - id: a\n    do: x\n    nxet: b\n  - id: b\n    end: done\n'));
    expect(errors).toEqual([
      { at: '7:5', message: 'unknown key `nxet` in step `a`', hint: 'did you mean `next`?', path: ['instructions', 0, 'nxet'] },
    ]);
  });

  test('a missing required key points at the parent', () => {
    const errors = schemaErrors('sopflow: 1\ntitle: T\ninstructions:\n  - do: x\n');
    expect(errors).toEqual([expect.objectContaining({ at: '1:1', message: expect.stringMatching(/^missing `id`/) })]);
    const choice = schemaErrors(
      steps('  - id: a\n    ask: Q?\n    choices:\n      - answer: "Yes"\n      - { answer: "No", next: b }\n  - id: b\n    end: done\n'),
    );
    expect(choice).toEqual([expect.objectContaining({ at: '8:9', message: expect.stringMatching(/a choice needs `next`/) })]);
  });

  test('sopflow must be 1', () => {
    expect(schemaErrors('sopflow: 2\nid: t\ntitle: T\ninstructions:\n  - do: x\n')).toEqual([
      expect.objectContaining({ at: '1:10', message: '`sopflow` must be 1, the format version, not the number 2' }),
    ]);
  });

  test('step kinds exclude each other, each conflict one message at the conflicting key', () => {
    const askDo = schemaErrors(
      steps(
        '  - id: a\n    ask: Q?\n    do: Something\n    choices:\n      - { answer: "Yes", next: b }\n      - { answer: "No", next: b }\n  - id: b\n    end: done\n',
      ),
    );
    expect(askDo).toEqual([expect.objectContaining({ at: '7:5', message: expect.stringMatching(/cannot both `ask` and `do`/) })]);
    const askNext = schemaErrors(
      steps(
        '  - id: a\n    ask: Q?\n    next: b\n    choices:\n      - { answer: "Yes", next: b }\n      - { answer: "No", next: b }\n  - id: b\n    end: done\n',
      ),
    );
    expect(askNext).toEqual([
      expect.objectContaining({ at: '7:5', message: expect.stringMatching(/leaves by its choices, not by `next`/) }),
    ]);
    const both = schemaErrors(steps('  - id: a\n    transfer: Billing\n    escalate: Managers\n'));
    expect(both).toEqual([expect.objectContaining({ at: '7:5', message: expect.stringMatching(/either transfers or escalates/) })]);
    const endNext = schemaErrors(steps('  - id: a\n    do: x\n    end: done\n    next: a\n'));
    expect(endNext).toEqual([expect.objectContaining({ at: '8:5', message: expect.stringMatching(/ends the run has no `next`/) })]);
    const useTransfer = schemaErrors(steps('  - id: a\n    use: other\n    transfer: Billing\n'));
    expect(useTransfer).toEqual([
      expect.objectContaining({ at: '7:5', message: expect.stringMatching(/both `use` a sub-procedure and `transfer`/) }),
    ]);
  });

  test('a decision needs choices, choices need a question, outcomes need use', () => {
    expect(schemaErrors(steps('  - id: a\n    ask: Q?\n'))).toEqual([
      expect.objectContaining({ at: '6:5', message: expect.stringMatching(/asks a question but has no `choices`/) }),
    ]);
    const noAsk = schemaErrors(
      steps('  - id: a\n    do: Q?\n    choices:\n      - { answer: "Yes", next: a }\n      - { answer: "No", next: a }\n'),
    );
    expect(noAsk).toEqual([
      expect.objectContaining({
        at: '7:5',
        message: expect.stringMatching(/`choices` need a question in `ask`/),
        hint: 'write the question as `ask:` instead of `do:`',
      }),
    ]);
    expect(schemaErrors(steps('  - id: a\n    do: x\n    outcomes: { ok: a }\n'))).toEqual([
      expect.objectContaining({ at: '7:5', message: expect.stringMatching(/`outcomes` belongs to a sub-procedure step/) }),
    ]);
  });

  test('a step that does nothing, and a choice with neither answer nor when', () => {
    expect(schemaErrors(steps('  - id: a\n    note: hi\n'))).toEqual([
      expect.objectContaining({ at: '5:5', message: expect.stringMatching(/Step `a` does nothing/) }),
    ]);
    const choice = schemaErrors(
      steps('  - id: a\n    ask: Q?\n    choices:\n      - { next: b }\n      - { answer: "No", next: b }\n  - id: b\n    end: done\n'),
    );
    expect(choice).toEqual([expect.objectContaining({ at: '8:11', message: expect.stringMatching(/needs an `answer` .* or a `when`/) })]);
  });

  test('a step written as plain text', () => {
    const errors = schemaErrors(steps('  - Answer the phone\n'));
    expect(errors).toEqual([expect.objectContaining({ at: '5:5', hint: 'write `- do: Answer the phone`' })]);
  });

  test('ids, outcomes and field names with spaces: a valid spelling as the hint', () => {
    const errors = schemaErrors(
      `${HEAD}fields:\n  customer id: { type: string }\ninstructions:\n  - id: Check Back\n    do: x\n    next: Other Step\n  - id: b\n    end: All Done\n`,
    );
    expect(errors.map((e) => [e.at, e.hint])).toEqual([
      ['5:3', 'write it as `customer_id`'],
      ['7:9', 'write it as `check-back`'],
      ['9:11', 'write it as `other-step`'],
      ['11:10', 'write it as `all-done`'],
    ]);
  });

  test('field types: enum with did-you-mean and synonyms', () => {
    const errors = schemaErrors(`${HEAD}fields:\n  a: { type: strng }\n  b: { type: text }\n  c: string\ninstructions:\n  - do: x\n`);
    expect(errors.map((e) => [e.at, e.hint])).toEqual([
      ['5:14', 'did you mean `string`?'],
      ['6:14', 'did you mean `string`?'],
      ['7:6', 'write `c: { type: string }`'],
    ]);
  });

  test('conditions: exactly one operator', () => {
    const errors = schemaErrors(
      `${HEAD}fields:\n  issue: { type: string }\ninstructions:\n  - id: a\n    ask: Q?\n    choices:\n      - { when: { field: issue }, next: a }\n      - { when: { field: issue, equals: x, in: [y] }, next: a }\n      - { when: { field: issue, is: x }, next: a }\n`,
    );
    expect(errors.map((e) => [e.at, e.message.slice(0, 40), e.hint])).toEqual([
      ['10:11', 'this `when` condition tests nothing (cho', 'e.g. `when: { field: issue, equals: billing }`'],
      ['11:44', 'a `when` condition takes one operator be', 'use `in: [a, b]` for several values, or split it into several choices'],
      ['12:33', 'unknown key `is` in the `when` of choice', 'did you mean `equals`?'],
    ]);
  });

  test('durations: a number without a unit, text that is no duration, a limit that is not a mapping', () => {
    const errors = schemaErrors(
      steps(
        '  - id: a\n    do: x\n    limit: { after: 60, next: a }\n  - id: b\n    do: y\n    limit: { after: sixty seconds, next: a }\n  - id: c\n    do: z\n    limit: 5m\n',
      ),
    );
    expect(errors.map((e) => [e.at, e.hint])).toEqual([
      ['7:21', 'write `60s`'],
      ['13:12', undefined],
    ]);
    // text that is no duration keeps the duration rule's own code, even when the schema finds it
    const { diagnostics } = load(steps('  - id: b\n    do: y\n    limit: { after: sixty seconds, next: b }\n'));
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'invalid-duration', line: 7, column: 21, message: 'cannot read the duration `sixty seconds`' }),
    ]);
  });

  test('empty values point at the key', () => {
    const errors = schemaErrors(steps('  - id: a\n    do:\n'));
    expect(errors).toEqual([expect.objectContaining({ at: '6:5', message: '`do` is empty in step `a`: write text' })]);
  });

  test('wrong types: text where a list belongs, numbers where text belongs', () => {
    const errors = schemaErrors(
      `${HEAD}tags: calls\ninstructions:\n  - do: x\n    record: customer_id\n    action: crm save\n  - ask: 42\n    choices:\n      - { answer: 1, next: step-1 }\n      - { answer: "No", next: step-1 }\n`,
    );
    expect(errors.map((e) => [e.at, e.hint])).toEqual([
      ['4:7', 'write a list: `[calls]`'],
      ['7:13', 'write a list: `[customer_id]`'],
      ['8:13', undefined],
      ['9:10', 'put it in quotes: `"42"`'],
      ['11:19', 'put it in quotes: `"1"`'],
    ]);
  });

  test('a number version is accepted and kept as written', () => {
    const { sop, diagnostics } = load(`${HEAD}version: 1.10\ninstructions:\n  - do: x\n`);
    expect(diagnostics).toEqual([]);
    expect(sop!.version).toBe('1.10');
  });

  test('many mistakes in one file: one message each, in source order', () => {
    const errors = schemaErrors(
      `sopflow: 1\nid: t\ntitel: T\ninstructions:\n  - id: a\n    do: x\n    nxt: b\n  - id: b\n    ends: done\n`,
    );
    expect(errors.map((e) => [e.at, e.hint])).toEqual([
      ['3:1', 'did you mean `title`?'],
      ['7:5', 'did you mean `next`?'],
      ['9:5', 'did you mean `end`?'],
    ]);
  });
});
