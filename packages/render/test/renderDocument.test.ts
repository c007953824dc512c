import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Sop } from '@sopflow/model';
import { renderChecklist, renderDocument, renderMermaid } from '../src/index.js';
import { hostile, supportCall } from './fixtures/sops.js';

const golden = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('renderDocument', () => {
  const doc = renderDocument(supportCall);

  it('matches the reviewed document for the brief’s SOP (test/fixtures/support-call.md)', () => {
    expect(doc).toBe(golden('support-call.md'));
  });

  it('has the sections in the order the domain expects', () => {
    const headings = doc.split('\n').filter((l) => l.startsWith('#'));
    expect(headings).toEqual(['# Handling an inbound support call', '## Purpose', '## Terms', '## Fields', '## Flowchart', '## Checklist']);
  });

  it('opens with the metadata block', () => {
    expect(doc).toContain(
      [
        '- **Department:** Customer Service',
        '- **Owner:** cs-ops@example.com',
        '- **Version:** 1.3.0',
        '- **Review by:** 2027-06-30',
        '- **Tags:** calls, support',
        '- **SOP id:** inbound-call',
      ].join('\n'),
    );
  });

  it('has the terms and fields as tables', () => {
    expect(doc).toContain(
      '| Term | Meaning |\n| --- | --- |\n| CSR | Customer service representative. |\n| CRM | The customer management system. |\n',
    );
    expect(doc).toContain('| customer\\_id | Customer ID | string | yes |   |');
    expect(doc).toContain('| issue |   | string | no | billing, technical, other |');
  });

  it('embeds the flowchart in a mermaid block and ends with the checklist', () => {
    expect(doc).toContain(`## Flowchart\n\n\`\`\`mermaid\n${renderMermaid(supportCall)}\`\`\`\n`);
    expect(doc.endsWith(`## Checklist\n\n${renderChecklist(supportCall)}`)).toBe(true);
  });

  it('passes diagram options through', () => {
    expect(renderDocument(supportCall, { direction: 'LR', groupBy: 'segment' })).toContain(
      '```mermaid\nflowchart LR\n  sStart(("Start"))\n  s1[',
    );
  });

  it('leaves out sections the SOP does not have, and is deterministic', () => {
    const bare: Sop = { sopflow: 1, id: 'bare', title: 'Bare', instructions: [{ do: 'Only step' }] };
    const out = renderDocument(bare);
    expect(out.split('\n').filter((l) => l.startsWith('#'))).toEqual(['# Bare', '## Flowchart', '## Checklist']);
    expect(out).toContain('- **SOP id:** bare\n');
    expect(renderDocument(bare)).toBe(out);
    expect(out.endsWith('- [ ] 1. Only step\n  - Ends the procedure: *completed*\n')).toBe(true);
  });

  it('shows the rules after the purpose, the review cycle and the target in the metadata, and links procedures in the checklist', () => {
    const sop: Sop = {
      sopflow: 1,
      id: 'r',
      title: 'R',
      purpose: 'Why.',
      review_by: '2027-01-31',
      review_every: '6mo',
      target: '90s',
      rules: ['Speak clearly.', '1. Be kind.'],
      instructions: [{ id: 'v', use: 'verify' }],
    };
    const out = renderDocument(sop, { procedures: { verify: { title: 'Verifying' } }, linkProcedures: (id) => `./${id}.sop.md` });
    expect(out.split('\n').filter((l) => l.startsWith('#'))).toEqual(['# R', '## Purpose', '## Rules', '## Flowchart', '## Checklist']);
    expect(out).toContain('## Rules\n\nThese hold at every step.\n\n- Speak clearly.\n- 1\\. Be kind.\n');
    expect(out).toContain('- **Reviewed every:** 6 months\n- **Target:** a whole run within 90 s\n');
    expect(out).toContain('- [ ] 1. Follow the procedure [Verifying](./verify.sop.md)\n');
    expect(out).toContain('s0[["Follow#58; Verifying"]]');
    expect(out).not.toContain('click');
  });

  it('escapes every piece of text: title, metadata, purpose, table cells', () => {
    const out = renderDocument(hostile);
    expect(out.split('\n')[0]).toBe('# \\# Title &lt;script&gt;window.pwned=true&lt;/script&gt; \\[x\\]\\(javascript\\:alert\\(1\\)\\)');
    expect(out).toContain('## Purpose\n\n\\- \\[x\\] pre-checked \\# heading &lt;img src=x onerror="window.pwned=true"&gt;\n');
    expect(out).toContain('| A\\|B | pipes \\| and \\`code\\` and \\*\\*bold\\*\\* |');
    expect(out).not.toMatch(/<script|<img|javascript:/i);
  });
});
