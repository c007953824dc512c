import { describe, expect, it } from 'vitest';
import type { Sop } from '@sopflow/model';
import { checklistItems, escapeMarkdown, renderChecklist, toGraph } from '../src/index.js';
import { hostile, refund, supportCall } from './fixtures/sops.js';

describe('renderChecklist (markdown)', () => {
  const md = renderChecklist(supportCall);

  it('numbers the steps 1..n in reading order as task items', () => {
    const items = md.split('\n').filter((l) => l.startsWith('- [ ] '));
    expect(items.map((l) => /^- \[ \] (\d+)\. /.exec(l)?.[1])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(items[0]).toBe('- [ ] 1. Answer within three rings and greet the caller with your name.');
    expect(items[8]).toBe('- [ ] 9. End: resolved');
  });

  it('writes out where each answer and `when` choice leads, by step number', () => {
    expect(md).toContain([
      '- [ ] 3. Can you resolve this yourself?',
      '  - If Yes → step 4',
      '  - If No, it is a billing dispute → step 6',
      '  - When issue = technical → step 7',
    ].join('\n'));
  });

  it('gives time limits and jumps that are not to the following step', () => {
    expect(md).toContain('- [ ] 4. Put the caller on hold while you research.\n  - Then → step 8\n  - ⏱ After 60 s → step 5\n');
    expect(md).toContain('- [ ] 5. Return to the caller, apologise for the wait, offer a call-back.\n  - Then → step 4\n');
    expect(md).not.toMatch(/^- \[ \] 1\..*\n {2}- Then/m);
  });

  it('lists fields to record with their labels, actions, segments and sub-checks as nested task items', () => {
    expect(md).toContain('  - Segment: greeting');
    expect(md).toContain('  - Record: Customer ID \\(customer\\_id\\), issue');
    expect(md).toContain('- [ ] 8. Resolve the issue and confirm with the customer.\n  - Action: crm.save-notes\n  - [ ] Summarise the fix\n  - [ ] Ask if anything else is needed\n');
  });

  it('writes hand-offs, and how steps end the run', () => {
    expect(md).toContain('- [ ] 6. Transfer to Billing\n  - Ends the procedure: transferred\n');
  });

  it('routes sub-procedure outcomes, with roles and notes', () => {
    const text = renderChecklist(refund);
    expect(text).toContain([
      '- [ ] 1. Follow procedure verify-identity',
      '  - Role: agent',
      '  - If the procedure ends verified → step 2',
      '  - If the procedure ends failed → step 5',
      '  - Any other outcome → step 2',
    ].join('\n'));
    expect(text).toContain('- [ ] 3. Escalate to Refunds queue\n  - Role: supervisor\n  - Note: Use the priority flag.\n  - Ends the procedure: escalated\n');
    expect(text).toContain('  - Action: payments.refund\n  - Action: crm.log\n');
  });

  it('shows the hand-off and the procedure as details when the step also says what to do', () => {
    const sop: Sop = { sopflow: 1, id: 'x', title: 'x', instructions: [
      { id: 'a', do: 'Warm transfer: introduce the caller.', transfer: 'Billing', next: 'b' },
      { id: 'b', do: 'Check the identity.', use: 'verify' },
    ] };
    const text = renderChecklist(sop);
    expect(text).toContain('- [ ] 1. Warm transfer: introduce the caller.\n  - Transfer to Billing\n');
    expect(text).toContain('- [ ] 2. Check the identity.\n  - Follow procedure verify\n  - Ends the procedure: completed\n');
  });

  it('names an unknown target instead of a number (a broken SOP still renders)', () => {
    const sop: Sop = { sopflow: 1, id: 'x', title: 'x', instructions: [{ id: 'a', ask: 'Q?', choices: [{ answer: 'Y', next: 'nowhere' }, { answer: 'N', next: 'a' }] }] };
    expect(renderChecklist(sop)).toContain('  - If Y → unknown step “nowhere”');
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
    expect(renderChecklist(refund, { format: 'text' })).toBe([
      '1. [ ] Follow procedure verify-identity',
      '   - Role: agent',
      '   - If the procedure ends verified → step 2',
      '   - If the procedure ends failed → step 5',
      '   - Any other outcome → step 2',
      '2. [ ] Is the amount over the limit?',
      '   - Role: agent',
      '   - If Yes → step 3',
      '   - If No → step 4',
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
    ].join('\n'));
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
    expect(items[2]!.details[0]).toEqual(['If ', 'Yes', ' → ', { step: 4 }]);
  });
});

describe('escapeMarkdown', () => {
  it('backslash-escapes inline metacharacters and writes <, >, & as entities', () => {
    expect(escapeMarkdown('a *b* _c_ `d` [e](f) ![g](h) <i> & | ~j~ $k$ #l {m}'))
      .toBe('a \\*b\\* \\_c\\_ \\`d\\` \\[e\\]\\(f\\) \\!\\[g\\]\\(h\\) &lt;i&gt; &amp; \\| \\~j\\~ \\$k\\$ \\#l \\{m\\}');
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
