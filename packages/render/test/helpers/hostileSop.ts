import fc from 'fast-check';
import type { Choice, Sop, Step } from '@sopflow/model';

/** Pieces of text that break or inject into Mermaid, Markdown or HTML when not escaped. */
export const HOSTILE_TOKENS = [
  '"',
  "'",
  '[',
  ']',
  '(',
  ')',
  '{',
  '}',
  '[[',
  ']]',
  '((',
  '))',
  '{{',
  '}}',
  '[/',
  '/]',
  '-->',
  '---',
  '==>',
  '-.->',
  '-. x .->',
  '|',
  '||',
  '%%',
  '%%{init: {"securityLevel":"loose"}}%%',
  ';',
  ':',
  '#',
  '#quot;',
  '#35;',
  '#lt;script#gt;',
  '&amp;',
  '&lt;',
  '&#60;',
  '<b>',
  '</div>',
  '<script>alert(1)</script>',
  '<SCRIPT src=//x>',
  '<img src=x onerror=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '`',
  '```',
  '`code`',
  '"`md`"',
  'click',
  'click s0 call alert()',
  'CLICK s1 href "javascript:alert(1)"',
  'javascript:alert(1)',
  'JaVaScRiPt:',
  'data:text/html,x',
  'end',
  'subgraph',
  'graph',
  'style',
  'style s0 fill:#f00;',
  'classDef x fill:#f00;',
  'class',
  'flowchart',
  'direction',
  'fa:fa-car',
  'icon:x',
  '\n',
  '\r\n',
  '\t',
  '\u2028',
  '\u0000',
  '\u200b',
  '\u202e',
  '\\',
  ' ',
  '  ',
  '# Heading',
  '## H2',
  '- [x] done',
  '* [x] done',
  '1. item',
  '2) item',
  '> quote',
  '[link](http://x)',
  '![img](x.png)',
  '<http://x>',
  '**bold**',
  '_it_',
  '__u__',
  '~~s~~',
  '$x^2$',
  '---\n',
  '===',
  '+ plus',
  '=',
  '@user',
  'www.example.com',
  'ﬂ°°60¶ß',
  'ﬂ°lt¶ß',
  '¶ß',
  '你好',
  'مرحبا',
  'Привет',
  '🙂',
  '👩‍👩‍👧',
  'é',
  'step-1',
  's0',
  'sStart',
  'o0',
  '__proto__',
  'constructor',
];

/** Hostile text: hostile tokens, arbitrary unicode and plain words, in any mix. */
export const hostileText: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 5, arbitrary: fc.constantFrom(...HOSTILE_TOKENS) },
      { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
      { weight: 2, arbitrary: fc.constantFrom('Call', 'the', 'customer', 'Yes', 'No', 'refund') },
    ),
    { maxLength: 6 },
  )
  .chain((parts) =>
    fc
      .array(fc.constantFrom('', ' '), { minLength: parts.length, maxLength: parts.length })
      .map((seps) => parts.map((p, i) => p + seps[i]).join('')),
  );

const nonEmptyHostile = hostileText.map((t) => (t === '' ? 'x' : t));

type Kind = 'task' | 'decision' | 'subprocedure' | 'handoff' | 'end';

/**
 * SOPs whose every piece of text is hostile: 1..8 steps of every kind, ids included, with
 * choices, `when` conditions, outcomes, limits, roles, segments, checks, fields, actions and notes.
 * References point at existing steps (the renders are meant for SOPs that validate).
 */
export const hostileSop: fc.Arbitrary<Sop> = fc.integer({ min: 1, max: 8 }).chain((n) => {
  const target = fc.nat({ max: n - 1 });
  const fieldNames = fc.uniqueArray(nonEmptyHostile, { minLength: 1, maxLength: 3 });
  return fc
    .record({
      title: hostileText,
      purpose: fc.option(hostileText, { nil: undefined }),
      department: fc.option(hostileText, { nil: undefined }),
      owner: fc.option(hostileText, { nil: undefined }),
      version: fc.option(hostileText, { nil: undefined }),
      id: nonEmptyHostile,
      tags: fc.option(fc.array(hostileText, { maxLength: 3 }), { nil: undefined }),
      rules: fc.option(fc.array(hostileText, { maxLength: 3 }), { nil: undefined }),
      target: fc.option(fc.constantFrom('10m', '90s', 'PT1H', 'later <b>'), { nil: undefined }),
      listField: fc.boolean(),
      terms: fc.dictionary(nonEmptyHostile, hostileText, { maxKeys: 3 }),
      fieldNames,
      fieldLabels: fc.array(fc.option(hostileText, { nil: undefined }), { minLength: 3, maxLength: 3 }),
      idBases: fc.array(hostileText, { minLength: n, maxLength: n }),
      steps: fc.array(
        fc.record({
          kind: fc.constantFrom<Kind>('task', 'decision', 'subprocedure', 'handoff', 'end'),
          text: hostileText,
          choices: fc.array(
            fc.record({ answer: fc.option(hostileText, { nil: undefined }), when: fc.boolean(), value: hostileText, to: target }),
            { minLength: 1, maxLength: 3 },
          ),
          outcomes: fc.array(fc.tuple(nonEmptyHostile, target), { maxLength: 2 }),
          handoffMode: fc.boolean(),
          end: fc.option(hostileText, { nil: undefined }),
          next: fc.option(target, { nil: undefined }),
          role: fc.option(hostileText, { nil: undefined }),
          segment: fc.option(hostileText, { nil: undefined }),
          note: fc.option(hostileText, { nil: undefined }),
          checks: fc.array(hostileText, { maxLength: 2 }),
          record: fc.boolean(),
          action: fc.option(hostileText, { nil: undefined }),
          limit: fc.option(fc.tuple(fc.constantFrom('60s', '5m', 'PT1H', '1m30s', 'soon <b>'), target), { nil: undefined }),
          target: fc.option(fc.constantFrom('20s', '2m', 'soon <b>'), { nil: undefined }),
          useWith: fc.boolean(),
        }),
        { minLength: n, maxLength: n },
      ),
    })
    .map((g) => {
      const ids = g.idBases.map((base, i) => `${base}${i}`);
      const fields: Sop['fields'] = {};
      g.fieldNames.forEach((name, i) => {
        const list = g.listField && i === 0;
        fields[name] = {
          type: list ? 'list' : 'string',
          ...(list ? { items: { type: 'string' } } : {}),
          ...(g.fieldLabels[i] !== undefined ? { label: g.fieldLabels[i] } : {}),
        };
      });
      const instructions: Step[] = g.steps.map((s, i) => {
        const step: Step = { id: ids[i] };
        switch (s.kind) {
          case 'task':
            step.do = s.text;
            break;
          case 'decision':
            step.ask = s.text;
            step.choices = s.choices.map((c): Choice =>
              c.when
                ? {
                    when: { field: g.fieldNames[0]!, ...(g.listField ? { contains: c.value } : { equals: c.value }) },
                    next: ids[c.to]!,
                    ...(c.answer !== undefined ? { answer: c.answer } : {}),
                  }
                : { answer: c.answer ?? c.value, next: ids[c.to]! },
            );
            break;
          case 'subprocedure':
            step.use = s.text || 'child';
            step.outcomes = Object.fromEntries(s.outcomes.map(([o, t]) => [o, ids[t]!]));
            if (s.useWith) {
              step.with = { [g.fieldNames[0]!]: g.fieldNames[0]! };
              step.returns = { [g.fieldNames[0]!]: g.fieldNames[0]! };
            }
            break;
          case 'handoff':
            if (s.handoffMode) step.transfer = s.text;
            else step.escalate = s.text;
            break;
          case 'end':
            step.end = s.end ?? s.text;
            break;
        }
        if (s.kind !== 'decision' && s.kind !== 'end') {
          if (s.end !== undefined) step.end = s.end;
          else if (s.next !== undefined) step.next = ids[s.next]!;
        }
        if (s.role !== undefined) step.role = s.role;
        if (s.segment !== undefined) step.segment = s.segment;
        if (s.note !== undefined) step.note = s.note;
        if (s.checks.length > 0) step.checks = s.checks;
        if (s.record) step.record = [...g.fieldNames];
        if (s.action !== undefined) step.action = s.action;
        if (s.limit !== undefined) step.limit = { after: s.limit[0], next: ids[s.limit[1]]! };
        if (s.target !== undefined) step.target = s.target;
        return step;
      });
      const sop: Sop = { sopflow: 1, id: g.id, title: g.title, terms: g.terms, fields, instructions };
      if (g.purpose !== undefined) sop.purpose = g.purpose;
      if (g.department !== undefined) sop.department = g.department;
      if (g.owner !== undefined) sop.owner = g.owner;
      if (g.version !== undefined) sop.version = g.version;
      if (g.tags !== undefined) sop.tags = g.tags;
      if (g.rules !== undefined) sop.rules = g.rules;
      if (g.target !== undefined) sop.target = g.target;
      return sop;
    });
});
