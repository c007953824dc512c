import { describe, expect, test } from 'vitest';
import { load, where } from './helpers.js';

const HEAD = 'sopflow: 1\nid: t\ntitle: T\n';

describe('a file that fails the schema still gets its node-by-node rules', () => {
  test('a misspelt key does not hide a `next` naming no step, an undeclared field or a bad duration', () => {
    const r = load(`${HEAD}fields:
  issue: { type: string, enum: [billing, technical] }
instructions:
  - id: greet
    do: Greet
    nxt: triage
  - id: triage
    ask: Can you help?
    choices:
      - { answer: "Yes", next: reserch }
      - { when: { field: issue, equals: hardware }, next: research }
      - { when: { field: colour, equals: red }, next: research }
  - id: research
    do: Research
    limit: { after: sixty seconds, next: greet }
`);
    expect(r.sop).toBeUndefined();
    expect(where(r.diagnostics)).toEqual([
      'schema 9:5',
      'unknown-step 13:32',
      'field-value 14:41',
      'undeclared-field 15:26',
      'invalid-duration 18:21',
    ]);
    expect(r.diagnostics[1]!.hint).toBe('did you mean `research`?');
  });

  test('flow rules wait for a schema-valid file (a misspelt `next` would make them wrong)', () => {
    // `nxt` is dropped, so `a` would seem to flow to `b` and `c` to look unreachable: not reported
    const r = load(`${HEAD}instructions:\n  - id: a\n    do: x\n    nxt: c\n  - id: b\n    end: done\n  - id: c\n    do: y\n`);
    expect(where(r.diagnostics)).toEqual(['schema 7:5']);
  });

  test('findings inside a node the schema rejected are not repeated', () => {
    const r = load(`${HEAD}instructions:\n  - id: a\n    do: x\n    record: customer\n`);
    expect(where(r.diagnostics)).toEqual(['schema 7:13']);
  });

  test('broken field definitions silence field-value rather than guess', () => {
    const r = load(
      `${HEAD}fields:\n  issue: { type: text }\ninstructions:\n  - ask: Which?\n    choices:\n      - { when: { field: issue, equals: x }, next: b }\n      - { answer: other, next: b }\n  - id: b\n    end: done\n`,
    );
    expect(r.diagnostics.map((d) => d.code)).toEqual(['schema']);
  });
});
