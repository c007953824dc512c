import { describe, expect, it } from 'vitest';
import type { Sop } from '@sopflow/model';
import { checklistItems, escapeMarkdown, renderChecklist, toGraph } from '../src/index.js';
import { hostile, refund, supportCall } from './fixtures/sops.js';

describe('renderChecklist (markdown)', () => {
  const md = renderChecklist(supportCall);

  it('numbers the steps 1..n in reading order as task items', () => {
    const items = md.split('\n').filter((l) => /^- (\[ \] )?\d+\. /.test(l));
    expect(items.map((l) => /^- (?:\[ \] )?(\d+)\. /.exec(l)?.[1])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(items[0]).toBe('- [ ] 1. Answer within three rings and greet the caller with your name.');
    // a bare end is where the run stops, not a task to tick
    expect(items[8]).toBe('- 9. End: *resolved*');
  });

  it('writes out where each answer and `when` choice leads, by step number', () => {
    expect(md).toContain(
      [
        '- [ ] 3. Can you resolve this yourself?',
        '  - If “Yes” → step 4',
        '  - If “No, it is a billing dispute” → step 6',
        '  - Automatically, if *issue* is *technical* → step 7',
      ].join('\n'),
    );
  });

  it('gives time limits and jumps that are not to the following step', () => {
    expect(md).toContain('- [ ] 4. Put the caller on hold while you research.\n  - Then → step 8\n  - ⏱ After 60 s → step 5\n');
    expect(md).toContain('- [ ] 5. Return to the caller, apologise for the wait, offer a call-back.\n  - Then → step 4\n');
    expect(md).not.toMatch(/^- \[ \] 1\..*\n {2}- Then/m);
  });

  it('lists fields to record with their labels, actions, segments and sub-checks as nested task items', () => {
    expect(md).toContain('  - Segment: greeting');
    expect(md).toContain('  - Record: Customer ID \\(customer\\_id\\), issue');
    expect(md).toContain(
      '- [ ] 8. Resolve the issue and confirm with the customer.\n  - Action: crm.save-notes\n  - [ ] Summarise the fix\n  - [ ] Ask if anything else is needed\n',
    );
  });

  it('writes hand-offs, and how steps end the run', () => {
    expect(md).toContain('- [ ] 6. Transfer to Billing\n  - Ends the procedure: *transferred*\n');
  });

  it('routes sub-procedure outcomes, with roles and notes', () => {
    const text = renderChecklist(refund);
    expect(text).toContain(
      [
        '- [ ] 1. Follow the procedure *verify-identity*',
        '  - Role: agent',
        '  - If the procedure ends *verified* → step 2',
        '  - If the procedure ends *failed* → step 5',
        '  - Any other outcome → step 2',
      ].join('\n'),
    );
    expect(text).toContain(
      '- [ ] 3. Escalate to Refunds queue\n  - Role: supervisor\n  - Note: Use the priority flag.\n  - Ends the procedure: *escalated*\n',
    );
    expect(text).toContain('  - Action: payments.refund\n  - Action: crm.log\n');
  });

  it('shows the hand-off and the procedure as details when the step also says what to do', () => {
    const sop: Sop = {
      sopflow: 1,
      id: 'x',
      title: 'x',
      instructions: [
        { id: 'a', do: 'Warm transfer: introduce the caller.', transfer: 'Billing', next: 'b' },
        { id: 'b', do: 'Check the identity.', use: 'verify' },
      ],
    };
    const text = renderChecklist(sop);
    expect(text).toContain('- [ ] 1. Warm transfer: introduce the caller.\n  - Transfer to Billing\n');
    expect(text).toContain('- [ ] 2. Check the identity.\n  - Follow the procedure *verify*\n  - Ends the procedure: *completed*\n');
  });

  it('names an unknown target instead of a number (a broken SOP still renders)', () => {
    const sop: Sop = {
      sopflow: 1,
      id: 'x',
      title: 'x',
      instructions: [
        {
          id: 'a',
          ask: 'Q?',
          choices: [
            { answer: 'Y', next: 'nowhere' },
            { answer: 'N', next: 'a' },
          ],
        },
      ],
    };
    expect(renderChecklist(sop)).toContain('  - If “Y” → unknown step “nowhere”');
  });

  it('lets no SOP text add structure: headings, links, images, HTML, pre-checked items', () => {
    const text = renderChecklist(hostile);
    expect(text.split('\n').filter((l) => l.startsWith('- ')).length).toBe(hostile.instructions.length);
    expect(text).not.toMatch(/\[x\]|<script|<img|javascript:|\]\(/i);
    expect(text).toContain('  - [ ] \\- \\[x\\] done');
    expect(text).toContain('click s0 call alert\\(\\) — javascript\\:alert\\(1\\) &lt;script&gt;');
  });

  it('is empty for an SOP without steps', () => {
    expect(renderChecklist({ sopflow: 1, id: 'e', title: 'e', instructions: [] })).toBe('');
  });
});

describe('renderChecklist (text)', () => {
  it('writes plain numbered lines with [ ] boxes, details indented', () => {
    expect(renderChecklist(refund, { format: 'text' })).toBe(
      [
        '1. [ ] Follow the procedure verify-identity',
        '   - Role: agent',
        '   - If the procedure ends verified → step 2',
        '   - If the procedure ends failed → step 5',
        '   - Any other outcome → step 2',
        '2. [ ] Is the amount over the limit?',
        '   - Role: agent',
        '   - If “Yes” → step 3',
        '   - If “No” → step 4',
        '3. [ ] Escalate to Refunds queue',
        '   - Role: supervisor',
        '   - Note: Use the priority flag.',
        '   - Ends the procedure: escalated',
        '4. [ ] Issue the refund.',
        '   - Role: agent',
        '   - Action: payments.refund',
        '   - Action: crm.log',
        '   - Ends the procedure: refunded',
        '5. [ ] Explain that the refund cannot be made.',
        '   - Role: agent',
        '   - Ends the procedure: refused',
        '',
      ].join('\n'),
    );
  });

  it('keeps text as written but on one line', () => {
    const text = renderChecklist(hostile, { format: 'text' });
    expect(text).toContain('3. [ ] Line one line two tabbed 你好');
    expect(text).toContain('   [ ] - [x] done');
  });
});

describe('checklistItems', () => {
  it('gives each step its number, kind, text and details as data', () => {
    const items = checklistItems(toGraph(supportCall));
    expect(items).toHaveLength(9);
    expect(items[2]).toMatchObject({ number: 3, id: 'triage', kind: 'decision', text: ['Can you resolve this yourself?'] });
    expect(items[2]!.details[0]).toEqual(['If “', 'Yes', '” → ', { step: 4 }]);
    expect(items[2]!.details[2]).toEqual(['Automatically, if ', { em: 'issue' }, ' is ', { em: 'technical' }, ' → ', { step: 7 }]);
    expect(items[8]).toMatchObject({ kind: 'end', text: ['End: ', { em: 'resolved' }], tickable: false, automatic: false });
  });
});

describe("the checklist in people's words (issue 12)", () => {
  const fields: Sop['fields'] = {
    topic: { type: 'string', label: 'What the call is about', enum: ['rewards', 'billing'] },
    amount: { type: 'number', label: 'Amount' },
    vip: { type: 'boolean', label: 'VIP customer' },
    tags: { type: 'list', label: 'Tags', items: { type: 'string' } },
    callback: { type: 'date' },
  };
  const sop: Sop = {
    sopflow: 1,
    id: 'words',
    title: 'Words',
    fields,
    rules: ['Speak clearly and slowly.', 'Never research silently.'],
    target: '10m',
    instructions: [
      { id: 'greet', do: 'Greet the caller.', target: '20s', record: ['topic', 'amount', 'vip', 'tags', 'callback'] },
      {
        id: 'route',
        ask: 'Where does it go?',
        choices: [
          { when: { field: 'topic', not_equals: 'rewards' }, next: 'other' },
          { when: { field: 'amount', gt: 250 }, next: 'other' },
          { when: { field: 'amount', lte: 10 }, next: 'other' },
          { when: { field: 'vip', equals: true }, next: 'other' },
          { when: { field: 'tags', contains: 'urgent' }, next: 'other' },
          { when: { field: 'topic', in: ['rewards', 'billing'] }, next: 'other' },
          { when: { field: 'callback', set: false }, next: 'other' },
        ],
      },
      { id: 'hold', do: 'Apologise for the wait.', limit: { after: '60s', next: 'hold' }, next: 'other' },
      { id: 'other', use: 'child' },
    ],
  };
  const items = checklistItems(toGraph(sop), { procedures: { child: { title: 'Verifying the caller' } } });
  const md = renderChecklist(sop, { procedures: { child: { title: 'Verifying the caller' } }, linkProcedures: (id) => `./${id}.sop.md` });

  it("conditions use the fields' labels and the values, emphasised", () => {
    expect(md).toContain(
      [
        '  - Automatically, if *What the call is about* is not *rewards* → step 4',
        '  - Automatically, if *Amount* is more than *250* → step 4',
        '  - Automatically, if *Amount* is *10* or less → step 4',
        '  - Automatically, if *VIP customer* is *yes* → step 4',
        '  - Automatically, if *Tags* include *urgent* → step 4',
        '  - Automatically, if *What the call is about* is *rewards* or *billing* → step 4',
        '  - Automatically, if *callback* is not recorded → step 4',
      ].join('\n'),
    );
  });
  it('a decision taken from the data alone is marked so, and is not a box to tick', () => {
    expect(items[1]).toMatchObject({ automatic: true, tickable: false });
    expect(md).toContain('- 2. Where does it go?\n  - Decided from the recorded data, not asked\n');
  });
  it('a sub-procedure by its title, linked to its document; a recurring step; a time target', () => {
    expect(md).toContain('- [ ] 4. Follow the procedure [Verifying the caller](./child.sop.md)');
    expect(md).toContain('  - ↻ Again every 60 s until it is done\n');
    expect(md).toContain(
      '- [ ] 1. Greet the caller.\n  - Record: What the call is about \\(topic\\), Amount \\(amount\\), VIP customer \\(vip\\), Tags \\(tags\\), callback\n  - ⏱ Target: done within 20 s\n',
    );
  });
  it("the rules and the whole run's target come first", () => {
    expect(
      md.startsWith(
        '**Rules at every step:**\n\n- Speak clearly and slowly.\n- Never research silently.\n\n**Target:** a whole run within 10 min\n\n- [ ] 1. ',
      ),
    ).toBe(true);
    expect(
      renderChecklist(sop, { format: 'text' }).startsWith(
        'Rules at every step:\n  - Speak clearly and slowly.\n  - Never research silently.\n\nTarget: a whole run within 10 min\n\n1. [ ] ',
      ),
    ).toBe(true);
    expect(renderChecklist(sop, { header: false }).startsWith('- [ ] 1. ')).toBe(true);
  });
  it('an answer that starts with a capital keeps it, in quotes: no "If It must be"', () => {
    const text = renderChecklist({
      sopflow: 1,
      id: 'q',
      title: 'q',
      instructions: [
        {
          id: 'a',
          ask: 'Who?',
          choices: [
            { answer: 'It must be a manager', next: 'b' },
            { answer: 'I can', next: 'b' },
          ],
        },
        { id: 'b', end: 'done' },
      ],
    });
    expect(text).toContain('  - If “It must be a manager” → step 2\n  - If “I can” → step 2\n');
  });
});

describe('escapeMarkdown', () => {
  it('backslash-escapes inline metacharacters and writes <, >, & as entities', () => {
    expect(escapeMarkdown('a *b* _c_ `d` [e](f) ![g](h) <i> & | ~j~ $k$ #l {m}')).toBe(
      'a \\*b\\* \\_c\\_ \\`d\\` \\[e\\]\\(f\\) \\!\\[g\\]\\(h\\) &lt;i&gt; &amp; \\| \\~j\\~ \\$k\\$ \\#l \\{m\\}',
    );
  });

  it('escapes block markers at the start of a line when asked', () => {
    expect(escapeMarkdown('- item', { lineStart: true })).toBe('\\- item');
    expect(escapeMarkdown('+ item', { lineStart: true })).toBe('\\+ item');
    expect(escapeMarkdown('12. item', { lineStart: true })).toBe('12\\. item');
    expect(escapeMarkdown('3) item', { lineStart: true })).toBe('3\\) item');
    expect(escapeMarkdown('# h', { lineStart: true })).toBe('\\# h');
    expect(escapeMarkdown('> q', { lineStart: true })).toBe('&gt; q');
    expect(escapeMarkdown('- item')).toBe('- item');
  });

  it('collapses newlines so text cannot start a new block', () => {
    expect(escapeMarkdown('one\n\n# two\n---')).toBe('one \\# two ---');
  });
});
