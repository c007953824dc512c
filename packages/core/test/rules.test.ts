import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { DIAGNOSTIC_CODES } from '@sopflow/model';
import { RULES } from '../src/index.js';
import { HEAD, load, where } from './helpers.js';

const sop = (instructions: string, extra = '') => `${HEAD}${extra}instructions:\n${instructions}`;
const only = (text: string, code: string) => load(text).diagnostics.filter((d) => d.code === code);

describe('the rule registry', () => {
  test('one rule per code, in the order of the closed union', () => {
    expect(RULES.map((r) => r.code)).toEqual([...DIAGNOSTIC_CODES]);
  });
});

describe('unknown-step', () => {
  test('next, choices, outcomes and limits naming no step, with did-you-mean', () => {
    const text = sop(
      [
        '  - id: triage',
        '    ask: Q?',
        '    choices:',
        '      - { answer: "Yes", next: reserch }',
        '      - { answer: "No", next: close }',
        '  - id: research',
        '    do: x',
        '    limit: { after: 60s, next: clsoe }',
        '    next: nowhere-at-all',
        '  - id: sub',
        '    use: other',
        '    outcomes: { ok: resarch }',
        '  - id: close',
        '    end: done',
        '',
      ].join('\n'),
    );
    const ds = only(text, 'unknown-step');
    expect(where(ds)).toEqual(['unknown-step 8:32', 'unknown-step 12:32', 'unknown-step 13:11', 'unknown-step 16:21']);
    expect(ds.map((d) => d.hint)).toEqual(['did you mean `research`?', 'did you mean `close`?', undefined, 'did you mean `research`?']);
  });
  test('a valid flow has none', () => {
    expect(only(sop('  - id: a\n    do: x\n    next: b\n  - id: b\n    end: done\n'), 'unknown-step')).toEqual([]);
  });
});

describe('duplicate-id', () => {
  test('the second occurrence, naming the first', () => {
    const ds = load(sop('  - id: a\n    do: x\n  - id: a\n    do: y\n')).diagnostics;
    expect(where(ds)).toEqual(['duplicate-id 7:9']);
    expect(ds[0]!.message).toMatch(/already used by step 1 \(line 5\)/);
  });
  test('an explicit id equal to an implicit step-N', () => {
    expect(where(only(sop('  - do: x\n  - id: step-1\n    do: y\n'), 'duplicate-id'))).toEqual(['duplicate-id 6:9']);
  });
});

describe('unreachable-step', () => {
  test('steps after an end that nothing points at', () => {
    const ds = load(sop('  - id: a\n    do: x\n    end: done\n  - id: b\n    do: y\n  - id: c\n    do: z\n')).diagnostics;
    expect(where(ds)).toEqual(['unreachable-step 8:9', 'unreachable-step 10:9']);
    expect(ds[0]!.message).toMatch(/no step leads to it/);
    expect(ds[1]!.message).toMatch(/only steps that are themselves unreachable/);
  });
  test('reached through any edge kind: answer, when, limit, outcome', () => {
    const text = sop(
      [
        '  - id: a',
        '    do: x',
        '    limit: { after: 5m, next: by-limit }',
        '    next: d',
        '  - id: by-limit',
        '    use: child',
        '    outcomes: { ok: by-outcome }',
        '    end: failed',
        '  - id: by-outcome',
        '    end: ok',
        '  - id: d',
        '    ask: Q?',
        '    choices:',
        '      - { when: { field: f, set: true }, next: by-when }',
        '      - { answer: "No", next: by-answer }',
        '  - id: by-when',
        '    end: a',
        '  - id: by-answer',
        '    end: b',
        '',
      ].join('\n'),
      'fields:\n  f: { type: string }\n',
    );
    expect(load(text).diagnostics).toEqual([]);
  });
});

describe('no-way-out', () => {
  test('a loop with no exit is reported once, at its first step', () => {
    const ds = load(
      sop('  - id: start\n    do: x\n  - id: hold\n    do: y\n    next: check\n  - id: check\n    do: z\n    next: hold\n'),
    ).diagnostics;
    expect(where(ds)).toEqual(['no-way-out 5:9']);
    expect(ds[0]!.message).toMatch(/its paths only go through `hold`, `check`|only go through `check`/);
  });
  test('a loop with a time limit out of it is fine', () => {
    expect(
      load(
        sop(
          '  - id: hold\n    do: y\n    next: check\n    limit: { after: 1h, next: out }\n  - id: check\n    do: z\n    next: hold\n  - id: out\n    end: gave-up\n',
        ),
      ).diagnostics,
    ).toEqual([]);
  });
  test('the product loop research <-> check-back leaves through research next', () => {
    expect(
      load(
        sop(
          '  - id: research\n    do: r\n    limit: { after: 60s, next: check-back }\n    next: resolve\n  - id: check-back\n    do: c\n    next: research\n  - id: resolve\n    do: ok\n',
        ),
      ).diagnostics,
    ).toEqual([]);
  });
  test('a step whose only way out is an unknown step is reported by unknown-step only', () => {
    expect(where(load(sop('  - id: a\n    do: x\n    next: nowhere\n')).diagnostics)).toEqual(['unknown-step 7:11']);
  });
  test('a self-loop', () => {
    const ds = load(sop('  - id: a\n    do: x\n    next: a\n')).diagnostics;
    expect(where(ds)).toEqual(['no-way-out 5:9']);
    expect(ds[0]!.message).toMatch(/leads back to itself/);
  });
});

describe('undeclared-field and field-value', () => {
  const fields =
    'fields:\n  issue: { type: string, enum: [billing, technical] }\n  amount: { type: number, minimum: 0 }\n  vip: { type: boolean }\n  since: { type: date }\n';
  const decision = (conds: string[]) =>
    sop(
      [
        '  - id: d',
        '    ask: Q?',
        '    choices:',
        ...conds.map((c) => `      - { when: ${c}, next: e }`),
        '      - { answer: Other, next: e }',
        '  - id: e',
        '    end: done',
        '',
      ].join('\n'),
      fields,
    );
  test('record and when name undeclared fields, with did-you-mean', () => {
    const text = sop(
      '  - do: x\n    record: [issue, isue]\n  - ask: Q?\n    choices:\n      - { when: { field: amout, gt: 1 }, next: step-1 }\n      - { answer: "No", next: step-3 }\n  - end: done\n',
      fields,
    );
    const ds = only(text, 'undeclared-field');
    expect(where(ds)).toEqual(['undeclared-field 11:21', 'undeclared-field 14:26']);
    expect(ds.map((d) => d.hint)).toEqual(['did you mean `issue`?', 'did you mean `amount`?']);
  });
  test('values that do not fit the type or enum', () => {
    const ds = only(
      decision([
        '{ field: issue, equals: billng }',
        '{ field: amount, equals: lots }',
        '{ field: vip, equals: "yes" }',
        '{ field: issue, in: [billing, other] }',
        '{ field: since, equals: 2024-13-45 }',
      ]),
      'field-value',
    );
    expect(where(ds)).toEqual(['field-value 13:41', 'field-value 14:42', 'field-value 15:39', 'field-value 16:47', 'field-value 17:41']);
    expect(ds[0]!.hint).toBe('did you mean `billing`?');
  });
  test('gt/gte/lt/lte need a number field', () => {
    const ds = only(decision(['{ field: issue, gt: 3 }', '{ field: amount, gte: 3 }']), 'field-value');
    expect(where(ds)).toEqual(['field-value 13:33']);
    expect(ds[0]!.message).toMatch(/`gt` compares numbers, but field `issue` is a string/);
  });
  test('fitting values and set are fine', () => {
    expect(
      load(
        decision([
          '{ field: issue, equals: technical }',
          '{ field: amount, lt: 100 }',
          '{ field: vip, not_equals: true }',
          '{ field: since, set: false }',
          '{ field: issue, in: [billing] }',
        ]),
      ).diagnostics,
    ).toEqual([]);
  });
});

describe('invalid-duration', () => {
  test('durations parseDuration cannot read; the schema does not report them too', () => {
    const text = sop(
      '  - id: a\n    do: x\n    limit: { after: 60 secs, next: b }\n  - id: b\n    do: y\n    limit: { after: 0s, next: a }\n  - id: c\n    do: z\n    limit: { after: PT60S, next: a }\n',
    );
    const ds = load(text).diagnostics.filter((d) => d.code !== 'unreachable-step');
    expect(where(ds)).toEqual(['invalid-duration 7:21', 'invalid-duration 10:21']);
    expect(ds[1]!.message).toMatch(/longer than zero/);
  });
  test('every documented form is read', () => {
    for (const after of ['45s', '5m', '2h', '3d', '1m30s', '500ms', 'PT60S', 'P1DT2H']) {
      expect(
        only(sop(`  - id: a\n    do: x\n    limit: { after: ${after}, next: b }\n  - id: b\n    end: done\n`), 'invalid-duration'),
        after,
      ).toEqual([]);
    }
  });
});

describe('single-choice', () => {
  test('a decision with one choice is a warning at `choices`', () => {
    const ds = load(
      sop('  - id: a\n    ask: Q?\n    choices:\n      - { answer: "Yes", next: b }\n  - id: b\n    end: done\n'),
    ).diagnostics;
    expect(ds.map((d) => `${d.severity} ${d.code} ${d.line}:${d.column}`)).toEqual(['warning single-choice 7:5']);
  });
  test('no choices at all', () => {
    expect(where(load(sop('  - id: a\n    ask: Q?\n    choices: []\n  - id: b\n    end: done\n')).diagnostics)).toContain(
      'single-choice 7:5',
    );
  });
});

describe('terms: unused-term and undefined-term', () => {
  test('a term never used, at its key', () => {
    const ds = load(sop('  - do: Log the call in the CRM.\n', 'terms:\n  CRM: The customer system.\n  IVR: The phone menu.\n')).diagnostics;
    expect(ds.map((d) => `${d.severity} ${d.code} ${d.line}:${d.column}`)).toEqual(['warning unused-term 6:3']);
  });
  test('used in any prose: plural, possessive, role, checks, notes, answers, another definition', () => {
    const terms =
      'terms:\n  CSR: Customer service representative.\n  CRM: The system each CSR uses.\n  SLA: Service level agreement.\n  Escalation queue: Where escalations wait.\n  KB: Knowledge base.\n  RMA: Return merchandise authorisation.\n';
    const text = sop(
      '  - do: Check the SLAs.\n    role: CSR\n    checks: [Search the KB]\n    note: Send it to the escalation queue in the CRM.\n  - ask: Has an RMA\'s number been issued?\n    choices:\n      - { answer: "Yes", next: step-3 }\n      - { answer: "No", next: step-3 }\n  - end: done\n',
      terms,
    );
    expect(load(text).diagnostics).toEqual([]);
  });
  test('whole words only, case-sensitive for acronyms', () => {
    const ds = load(
      sop('  - do: Use the crm and the discsr tool.\n', 'terms:\n  CRM: The customer system.\n  CSR: A representative.\n'),
    ).diagnostics;
    expect(where(ds)).toEqual(['unused-term 5:3', 'unused-term 6:3']);
  });
  test('an undefined acronym is reported once, at the word itself', () => {
    const ds = load(sop('  - do: Open the ticket in the CRM.\n  - do: Save the CRM notes and check the SLA.\n')).diagnostics;
    expect(where(ds)).toEqual(['undefined-term 5:32', 'undefined-term 6:42']);
    expect(ds[0]!.message).toBe('the acronym `CRM` is used but not defined in `terms`');
  });
  test('plurals, numbers-with-letters, quoted and block texts', () => {
    const text = sop(
      '  - do: "Ask the CSRs about B2B accounts"\n  - do: |\n      Check the order.\n      Then ask the IVR team.\n',
      'purpose: >\n  Orders come through the EDI feed.\n',
    );
    expect(where(load(text).diagnostics)).toEqual([
      'undefined-term 5:27',
      'undefined-term 7:18',
      'undefined-term 7:29',
      'undefined-term 10:20',
    ]);
  });
  test('a term outside ASCII defines its acronyms too', () => {
    const text = sop('  - do: Ask the CSR and the ÉQUIPE.\n', 'terms:\n  "CSRs (représentants)": Staff.\n  ÉQUIPE: The team.\n');
    expect(only(text, 'undefined-term')).toEqual([]);
  });
  test('an ASCII term defines the same acronyms as the Unicode classes say (property)', () => {
    // the rule reads ASCII terms with [A-Z] classes (no Unicode class to compile): same answer
    const word = fc.stringMatching(/^[A-Za-z0-9]{1,5}s?$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), fc.array(word, { maxLength: 2 }), (termWords, others) => {
        const term = termWords.join(' ');
        // the term's own words (and their singulars) in the text, and a few others
        const used = [...termWords, ...termWords.map((w) => w.replace(/s$/, '')), ...others];
        const defined = new Set([term.trim()]);
        for (const m of term.matchAll(/[\p{L}\p{N}_]+/gu)) {
          const a = /^(\p{Lu}[\p{Lu}\p{N}]+)s?$/u.exec(m[0]);
          if (a) defined.add(a[1]!);
        }
        const text = sop(`  - do: "Use ${used.join(' ')} now."\n`, `terms:\n  "${term}": Defined.\n`);
        const reported = only(text, 'undefined-term').map((d) => /`([^`]+)`/.exec(d.message)![1]!);
        for (const w of reported) expect(defined.has(w)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
  test('ASCII texts read by their capital pairs find what a word-by-word read finds (property)', () => {
    // with only acronym terms, an ASCII text is read where a capital meets a capital or a digit;
    // a text with a character outside ASCII is read word by word: one such character at the end
    // (a word of its own, neither a term nor an acronym) must change nothing before it
    const word = fc.oneof(
      fc.constantFrom(
        'CSR',
        'CSRs',
        "CSR's",
        'CSR’s',
        'CRM',
        'B2B',
        'KB',
        'xCRM',
        'CRMx',
        'IVR',
        'OK',
        'NOT',
        'DO',
        'II',
        'A1',
        '9AM',
        'INC0042',
      ),
      fc.constantFrom('https://X.COM/AB', 'a@B.CO', 'SLA_X', 'ETAs', 'the', 'call', 'Hold', '-', ',', '!', '(EDI)'),
      fc.stringMatching(/^[A-Za-z0-9_']{1,6}$/),
    );
    const line = fc.array(word, { minLength: 1, maxLength: 10 }).map((w) => w.join(' ').replace(/"/g, ''));
    const terms = fc.subarray(['CSR', 'CRM', 'KB', 'B2B', '9AM', 'SLA'], { minLength: 1 });
    const found = (text: string) =>
      load(text)
        .diagnostics.filter((d) => d.code === 'undefined-term' || d.code === 'unused-term')
        .map((d) => `${d.code} ${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.message}`);
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 4 }), terms, (lines, defined) => {
        const head = `terms:\n${defined.map((t) => `  ${t}: Defined.\n`).join('')}`;
        const steps = (end: string) => lines.map((l) => `  - do: "${l}${end}"\n`).join('');
        expect(found(sop(steps(' é'), head))).toEqual(found(sop(steps(''), head)));
      }),
      { numRuns: 2000 },
    );
  });
  test('not reported: defined terms, common abbreviations, shouting, codes, URLs', () => {
    const text = sop(
      '  - do: "Do NOT hang up. Read the ID and say OK. Quote ticket INC004521 and ISO8601 dates, see https://example.com/FAQ and the CRM (customer system)."\n',
      'terms:\n  CRM (customer system): Where customers are.\n',
    );
    expect(load(text).diagnostics).toEqual([]);
  });
});

describe('review-overdue', () => {
  test('a past review date is a warning at the date; today and later are fine', () => {
    const text = (date: string) => `${HEAD}review_by: ${date}\ninstructions:\n  - do: x\n`;
    expect(load(text('2025-12-31')).diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}:${d.column}`)).toEqual([
      'warning review-overdue 4:12',
    ]);
    expect(load(text('2026-01-01')).diagnostics).toEqual([]);
    expect(load(text('2026-12-31')).diagnostics).toEqual([]);
  });
  test('the fix sets the next review: a year from today, or one cycle of `review_every`', () => {
    const text = (extra: string) => `${HEAD}review_by: 2025-12-31\n${extra}instructions:\n  - do: x\n`;
    const [d] = load(text('')).diagnostics;
    expect(d!.fixes![0]!.edits[0]!.newText).toBe('2027-01-01');
    const [e] = load(text('review_every: 6mo\n')).diagnostics;
    expect(e!.message).toContain('it is reviewed every 6 months');
    expect(e!.fixes![0]!.edits[0]!.newText).toBe('2026-07-01');
  });
});

describe('review-too-far', () => {
  const text = (date: string, extra = '') => `${HEAD}review_by: ${date}\n${extra}instructions:\n  - do: x\n`;
  test('more than twelve months ahead is a warning at the date, with the latest date as the fix', () => {
    const [d, ...rest] = load(text('2027-06-30')).diagnostics;
    expect(rest).toEqual([]);
    expect(`${d!.severity} ${d!.code} ${d!.line}:${d!.column}`).toBe('warning review-too-far 4:12');
    expect(d!.fixes![0]!.edits[0]!.newText).toBe('2027-01-01');
    expect(load(text('2027-01-01')).diagnostics).toEqual([]);
  });
  test('`review_every` sets the cycle: months, weeks, years', () => {
    expect(load(text('2026-06-30', 'review_every: 3mo\n')).diagnostics.map((d) => d.code)).toEqual(['review-too-far']);
    expect(load(text('2026-04-01', 'review_every: 3mo\n')).diagnostics).toEqual([]);
    expect(load(text('2027-12-31', 'review_every: 2y\n')).diagnostics).toEqual([]);
    expect(load(text('2026-01-20', 'review_every: 2w\n')).diagnostics.map((d) => d.code)).toEqual(['review-too-far']);
  });
  test('a cycle that cannot be read: the schema says so, with the exact fix', () => {
    const ds = load(text('2026-06-30', 'review_every: 1 year\n')).diagnostics;
    expect(ds.map((d) => [d.code, d.message, d.hint])).toEqual([['schema', 'cannot read the review cycle `1 year`', 'write `1y`']]);
    expect(load(text('2026-06-30', 'review_every: yearly\n')).diagnostics[0]!.fixes![0]!.edits[0]!.newText).toBe('1y');
    expect(load(text('2026-06-30', 'review_every: 6m\n')).diagnostics[0]!.hint).toBe('write `6mo`');
  });
  test('`review_every` needs `review_by`', () => {
    const ds = load(`${HEAD}review_every: 1y\ninstructions:\n  - do: x\n`).diagnostics;
    expect(ds.map((d) => [d.code, `${d.line}:${d.column}`])).toEqual([['schema', '4:1']]);
    expect(ds[0]!.message).toMatch(/add `review_by`/);
  });
});
