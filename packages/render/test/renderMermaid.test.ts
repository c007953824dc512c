import { describe, expect, it } from 'vitest';
import { buildSopGraph, type Sop } from '@sopflow/model';
import { escapeMermaidText, renderMermaid, safeRelativeUrl } from '../src/index.js';
import { parseMermaid } from './helpers/mermaidParser.js';
import { refund, supportCall, hostile } from './fixtures/sops.js';

const lines = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => l.trim());

describe('renderMermaid: shapes', () => {
  const text = renderMermaid(supportCall);
  const refundText = renderMermaid(refund);

  it('starts with the flowchart header and a start marker pointing at the first step', () => {
    expect(text.startsWith('flowchart TD\n')).toBe(true);
    expect(lines(text)).toContain('sStart(("Start"))');
    expect(lines(text)).toContain('sStart --> s0');
  });

  it('draws a task as a rectangle, a decision as a rhombus, a hand-off as a hexagon, an end as a stadium', () => {
    expect(lines(text)).toContain('s0["Answer within three rings and greet the caller with your name."]');
    expect(lines(text)).toContain('s2{"Can you resolve this yourself?"}');
    expect(lines(text)).toContain('s5{{"Transfer to Billing"}}');
    expect(lines(text)).toContain('s8(["End#58; resolved"])');
  });

  it('draws a sub-procedure as a subroutine, and an escalation as a hand-off', () => {
    expect(lines(refundText)).toContain('s0[["Follow procedure verify-identity"]]');
    expect(lines(refundText)).toContain('s2{{"Escalate to Refunds queue"}}');
  });

  it('gives steps that end the run an edge to one shared terminal per outcome', () => {
    expect(lines(text)).toContain('o0(["transferred"])');
    expect(lines(text)).toContain('s5 --> o0');
    expect(lines(text)).toContain('s6 --> o0');
    expect(text.match(/\(\["transferred"\]\)/g)).toHaveLength(1);
  });

  it('ends an SOP whose last step has no end with the implicit outcome `completed`', () => {
    const sop: Sop = { sopflow: 1, id: 'plain', title: 'Plain', instructions: [{ do: 'One' }, { do: 'Two' }] };
    expect(lines(renderMermaid(sop))).toEqual(expect.arrayContaining(['s0 --> s1', 'o0(["completed"])', 's1 --> o0']));
  });
});

describe('renderMermaid: edges', () => {
  const text = renderMermaid(supportCall);

  it('labels answers, `when` conditions (in words, marked automatic) and plain next edges', () => {
    expect(lines(text)).toEqual(
      expect.arrayContaining([
        's2 -->|"Yes"| s3',
        's2 -->|"No, it is a billing dispute"| s5',
        's2 -->|"auto#58; issue is technical"| s6',
        's3 --> s7',
        's4 --> s3',
      ]),
    );
  });

  it('draws a time limit as a dotted edge labelled with formatDuration', () => {
    expect(lines(text)).toContain('s3 -.->|"after 60 s"| s4');
    const sop: Sop = {
      sopflow: 1,
      id: 'x',
      title: 'x',
      instructions: [
        { id: 'a', do: 'Wait', limit: { after: 'PT1H30M', next: 'b' } },
        { id: 'b', end: 'late' },
      ],
    };
    expect(lines(renderMermaid(sop))).toContain('s0 -.->|"after 1 h 30 min"| s1');
  });

  it('labels sub-procedure edges with the outcome, and the fall-through with "otherwise"', () => {
    expect(lines(renderMermaid(refund))).toEqual(
      expect.arrayContaining(['s0 -->|"verified"| s1', 's0 -->|"failed"| s4', 's0 -->|"otherwise"| s1']),
    );
  });

  it('writes a `when` choice that also has an answer with both', () => {
    const sop: Sop = {
      sopflow: 1,
      id: 'x',
      title: 'x',
      fields: { n: { type: 'number' } },
      instructions: [
        {
          id: 'q',
          ask: 'Big?',
          choices: [
            { answer: 'Big', when: { field: 'n', gt: 100 }, next: 'b' },
            { answer: 'Small', next: 'b' },
          ],
        },
        { id: 'b', end: 'ok' },
      ],
    };
    expect(lines(renderMermaid(sop))).toContain('s0 -->|"Big (auto#58; n is more than 100)"| s1');
  });

  it('speaks of fields by their labels, marks decisions taken from the data, shows targets, titles and rules (issue 12)', async () => {
    const sop: Sop = {
      sopflow: 1,
      id: 'x',
      title: 'x',
      rules: ['Speak clearly.'],
      target: '10m',
      fields: { topic: { type: 'string', label: 'What the call is about' } },
      instructions: [
        { id: 'a', do: 'Answer the call.', target: '20s', record: ['topic'] },
        {
          id: 'q',
          ask: 'Which topic?',
          choices: [
            { when: { field: 'topic', not_equals: 'rewards' }, next: 'c' },
            { when: { field: 'topic', equals: 'rewards' }, next: 'c' },
          ],
        },
        { id: 'c', use: 'child', limit: { after: '1m', next: 'c' } },
      ],
    };
    const out = renderMermaid(sop, { procedures: { child: { title: 'Verifying the caller' } } });
    await parseMermaid(out);
    expect(lines(out)).toEqual(
      expect.arrayContaining([
        'sRules["Rules at every step#58; Speak clearly. — Target#58; a whole run within 10 min"]',
        's0["Answer the call. (target 20 s)"]',
        's1{"Which topic? (decided from the data)"}',
        's2[["Follow#58; Verifying the caller"]]',
        's1 -->|"auto#58; What the call is about is not rewards"| s2',
        's2 -.->|"every 60 s"| s2',
        'class s1 sopAuto',
        'class sRules sopRules',
      ]),
    );
  });

  it('does not draw edges to steps that do not exist (a broken SOP still renders)', async () => {
    const sop: Sop = {
      sopflow: 1,
      id: 'x',
      title: 'x',
      instructions: [
        { id: 'a', do: 'A', next: 'nowhere' },
        { id: 'a', do: 'dup' },
      ],
    };
    const out = renderMermaid(sop);
    expect(out).not.toContain('nowhere');
    await parseMermaid(out);
  });
});

describe('renderMermaid: options', () => {
  it('takes the direction, and ignores anything that is not one', () => {
    expect(renderMermaid(supportCall, { direction: 'LR' }).startsWith('flowchart LR\n')).toBe(true);
    expect(renderMermaid(supportCall, { direction: 'LR\nclick s0 call x()' as 'LR' }).startsWith('flowchart TD\n')).toBe(true);
  });

  it('groups steps by role or segment into subgraphs', async () => {
    const byRole = renderMermaid(refund, { groupBy: 'role' });
    expect(byRole).toContain('  subgraph g0 ["agent"]\n    s0[[');
    expect(byRole).toContain('  subgraph g1 ["supervisor"]\n    s2{{"Escalate to Refunds queue"}}\n  end');
    await parseMermaid(byRole);
    const bySegment = renderMermaid(supportCall, { groupBy: 'segment' });
    expect(bySegment).toContain('  subgraph g0 ["greeting"]\n    s0["Answer');
    expect(bySegment.match(/^\s*subgraph/gm)).toHaveLength(1);
    expect(renderMermaid(supportCall, { groupBy: 'none' })).not.toContain('subgraph');
  });

  it('adds classDef and class lines per step kind, unless classes is false', () => {
    const text = renderMermaid(supportCall);
    expect(lines(text)).toEqual(
      expect.arrayContaining([
        'class s0,s1,s3,s4,s7 sopTask',
        'class s2 sopDecision',
        'class s5,s6 sopHandoff',
        'class s8 sopEnd',
        'class o0 sopOutcome',
        'class sStart sopStart',
      ]),
    );
    expect(text).toMatch(/^ {2}classDef sopDecision fill:#fff6da/m);
    const bare = renderMermaid(supportCall, { classes: false });
    expect(bare).not.toMatch(/classDef|^\s*class /m);
  });

  it('links sub-procedure nodes only when asked, and only to safe relative URLs', async () => {
    expect(renderMermaid(refund)).not.toContain('click');
    const linked = renderMermaid(refund, { linkProcedures: (id) => `./${id}.html` });
    expect(lines(linked)).toContain('click s0 href "./verify-identity.html"');
    await parseMermaid(linked);
    for (const bad of [
      'javascript:alert(1)',
      'JAVASCRIPT:x',
      '//evil.example/x',
      '/abs',
      'a b',
      'x"y',
      'https://x.example',
      'data:text/html,x',
      '',
    ]) {
      expect(renderMermaid(refund, { linkProcedures: () => bad })).not.toContain('click');
    }
    expect(safeRelativeUrl('../flows/verify-identity.html#top')).toBe('../flows/verify-identity.html#top');
  });

  it('accepts the graph as well as the SOP', () => {
    expect(renderMermaid(buildSopGraph(supportCall))).toBe(renderMermaid(supportCall));
  });

  it('renders an SOP without steps as a bare header that parses', async () => {
    const out = renderMermaid({ sopflow: 1, id: 'e', title: 'e', instructions: [] });
    expect(out).toBe('flowchart TD\n');
    await parseMermaid(out);
  });
});

describe('renderMermaid: escaping', () => {
  it('writes quotes, brackets, pipes, comments, markup and entities as mermaid entity codes', () => {
    expect(escapeMermaidText('a "b" [c] {d} |e| %% f; #g <h> & `i`')).toBe(
      'a #quot;b#quot; #91;c#93; #123;d#125; #124;e#124; #37;#37; f#59; #35;g #lt;h#gt; #amp; #96;i#96;',
    );
  });

  it('keeps letters of every script, emoji and plain punctuation as they are', () => {
    expect(escapeMermaidText("Réponse: 你好 مرحبا 🙂 (ok), isn't it?")).toBe("Réponse#58; 你好 مرحبا 🙂 (ok), isn't it?");
  });

  it('collapses newlines and tabs, and never writes `click` or a scheme colon', () => {
    expect(escapeMermaidText('one\ntwo\r\n\tthree')).toBe('one two three');
    expect(escapeMermaidText('Click here, then CLICK')).toBe('#67;lick here, then #67;LICK');
    expect(escapeMermaidText('javascript:alert(1)')).toBe('javascript#58;alert(1)');
  });

  it('breaks up mermaid’s own entity markers so text cannot forge an entity', () => {
    expect(escapeMermaidText('ﬂ°°60¶ß')).toBe('ﬂ#8288;°°60¶#8288;ß');
  });

  it('gives an empty label a placeholder, since mermaid rejects `[""]`', async () => {
    const sop: Sop = { sopflow: 1, id: 'x', title: 'x', instructions: [{ id: 'a', do: '  \n ' }] };
    const out = renderMermaid(sop);
    expect(out).toContain('s0["(step 1)"]');
    await parseMermaid(out);
  });

  it('the hostile fixture parses and holds no live markup', async () => {
    const out = renderMermaid(hostile, { groupBy: 'role' });
    await parseMermaid(out);
    expect(out).not.toMatch(/<|click|javascript:|%%|`/i);
  });

  it('the parser used as the oracle does reject broken diagrams', async () => {
    await expect(parseMermaid('flowchart TD\n  s0["a"b"]')).rejects.toThrow(/mermaid rejected/);
    await expect(parseMermaid('flowchart TD\n  s0[""]')).rejects.toThrow(/mermaid rejected/);
  });
});
