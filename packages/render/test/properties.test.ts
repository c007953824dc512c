import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildSopGraph } from '@sopflow/model';
import { renderChecklist, renderDocument, renderHtml, renderMermaid } from '../src/index.js';
import { hostileSop } from './helpers/hostileSop.js';
import { parseMermaid } from './helpers/mermaidParser.js';

const count = (text: string, re: RegExp) => (text.match(new RegExp(re.source, `${re.flags.replace('g', '')}g`)) ?? []).length;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NODE_DEF = (i: number) => new RegExp(`^\\s*s${i}(\\[\\[|\\{\\{|\\(\\[|\\[|\\{)"`, 'm');

/** Tags the HTML page writes itself: SOP text must never add another. */
const OWN_TAGS = new Set([
  '!doctype',
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'header',
  'h1',
  'dl',
  'dt',
  'dd',
  'section',
  'h2',
  'p',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'div',
  'details',
  'summary',
  'pre',
  'span',
  'button',
  'ol',
  'ul',
  'li',
  'label',
  'input',
  'a',
  'script',
  'em',
]);

describe('renders of SOPs full of hostile text', () => {
  it('every Mermaid output parses with mermaid, defines each step once, and holds no click, javascript: or markup', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileSop,
        fc.constantFrom('none', 'role', 'segment' as const),
        fc.constantFrom('TD', 'LR', 'BT' as const),
        async (sop, groupBy, direction) => {
          const text = renderMermaid(sop, { groupBy, direction });
          await parseMermaid(text);
          const n = sop.instructions.length;
          for (let i = 0; i < n; i++) expect(count(text, new RegExp(NODE_DEF(i).source, 'mg'))).toBe(1);
          expect(count(text, /^\s*s\d+(\[|\{|\()/m)).toBe(n);
          expect(text).not.toMatch(/click/i);
          expect(text).not.toMatch(/javascript\s*:/i);
          expect(text).not.toMatch(/<|%%|`/);
          // every line is one the renderer writes: a header, node, edge, subgraph, classDef or class line
          for (const line of text.trimEnd().split('\n')) {
            expect(line).toMatch(
              /^(flowchart (TD|LR|BT)| {2}(sStart|sRules|s\d+|o\d+)[[{(].*| {2}(sStart|s\d+) -(->|\.->)(\|".*"\|)? (s\d+|o\d+)| {2}subgraph g\d+ \[".*"\]| {4}s\d+[[{(].*| {2}end| {2}classDef \w+ [\w:#, -]+| {2}class [\w,]+ \w+)$/,
            );
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the markdown checklist lists every step once, numbered, and SOP text adds no structure', () => {
    fc.assert(
      fc.property(hostileSop, (sop) => {
        const text = renderChecklist(sop, { format: 'markdown' });
        const lines = text.trimEnd().split('\n');
        const n = sop.instructions.length;
        for (let i = 1; i <= n; i++) expect(count(text, new RegExp(`^- (\\[ \\] )?${i}\\. `, 'm'))).toBe(1);
        // the rules (if any) first, then one entry per step
        const rules = (sop.rules ?? []).filter((r) => r.trim() !== '').length;
        expect(count(text, /^- /m)).toBe(n + rules);
        for (const line of lines) {
          if (line === '' || line === '**Rules at every step:**' || line.startsWith('**Target:** ')) continue;
          expect(line).toMatch(/^(- \[ \] \d+\. |- \d+\. | {2}- \[ \] | {2}- |- )\S/);
          // after our own prefix and emphasis, no unescaped markdown metacharacter is left
          const rest = line
            .replace(/^(- \[ \] \d+\. |- \d+\. | {2}- \[ \] | {2}- |- )/, '')
            .replace(/\*(?:\\.|[^*\\])+\*/g, '')
            .replace(/\\./g, '');
          expect(rest).not.toMatch(/[[\]()<>`*_|!#~$]/);
        }
        expect(text).not.toMatch(/\[x\]/i);
        expect(text).not.toMatch(/<script|javascript:/i);
      }),
      { numRuns: 200 },
    );
  });

  it('the text checklist has one numbered line per step and one line per entry', () => {
    fc.assert(
      fc.property(hostileSop, (sop) => {
        const text = renderChecklist(sop, { format: 'text' });
        const n = sop.instructions.length;
        for (let i = 1; i <= n; i++) expect(count(text, new RegExp(`^${i}\\. (\\[ \\] )?`, 'm'))).toBe(1);
        expect(count(text, /^\d+\. /m)).toBe(n);
        for (const line of text.trimEnd().split('\n'))
          expect(line).toMatch(/^(\d+\. \[ \] |\d+\. | +- | +\[ \] |Rules at every step:$|Target: |$)/);
      }),
      { numRuns: 200 },
    );
  });

  it('the Markdown document has only its own headings, and its diagram is the Mermaid render', () => {
    fc.assert(
      fc.property(hostileSop, (sop) => {
        const doc = renderDocument(sop);
        const headings = doc.split('\n').filter((l) => /^\s{0,3}#/.test(l));
        expect(headings[0]).toMatch(/^# /);
        for (const h of headings.slice(1))
          expect(['## Purpose', '## Rules', '## Terms', '## Fields', '## Flowchart', '## Checklist']).toContain(h);
        expect(doc).toContain(`\`\`\`mermaid\n${renderMermaid(sop)}\`\`\`\n`);
        expect(count(doc, /^```/m)).toBe(2);
        // the diagram inside carries no click directive (nor the word), whatever the text says
        expect(/```mermaid\n([\s\S]*?)```/.exec(doc)![1]).not.toMatch(/click|javascript:|<script/i);
        expect(doc).not.toMatch(/<script|javascript:|\[x\]/i);
        expect(doc.endsWith('\n')).toBe(true);
        // table rows keep their column count whatever the text holds
        for (const row of doc.split('\n').filter((l) => l.startsWith('| '))) {
          const cells = row.replace(/\\\|/g, '').split('|').length - 2;
          expect([2, 5]).toContain(cells);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the HTML page holds only its own tags and scripts, and no javascript: URL', () => {
    const fakeBundle = 'window.mermaid = undefined; /* </script><!-- <script> */';
    fc.assert(
      fc.property(hostileSop, (sop) => {
        const html = renderHtml(sop, { mermaidScript: fakeBundle });
        expect(count(html, /<script/i)).toBe(3);
        expect(count(html, /<\/script/i)).toBe(3);
        expect(html).not.toMatch(/<!--/);
        expect(html).not.toMatch(/javascript\s*:/i);
        for (const tag of html.match(/<[a-zA-Z][^>]*>/g) ?? []) expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
        for (const m of html.matchAll(/<\/?([!a-zA-Z][a-zA-Z0-9]*)/g)) expect(OWN_TAGS).toContain(m[1]!.toLowerCase());
        // each step is one checklist entry
        expect(count(html, /<li id="step-\d+"/)).toBe(sop.instructions.length);
        const data = /<script type="application\/json" id="sopflow-data">(.*?)<\/script>/s.exec(html)?.[1];
        expect(JSON.parse(data!).mermaid).toBe(renderMermaid(sop));
        expect(JSON.parse(data!).mermaid).not.toMatch(/click/i);
      }),
      { numRuns: 150 },
    );
  });

  it('the renders accept the graph as well as the SOP', () => {
    fc.assert(
      fc.property(hostileSop, (sop) => {
        const graph = buildSopGraph(sop);
        expect(renderMermaid(graph)).toBe(renderMermaid(sop));
        expect(renderChecklist(graph)).toBe(renderChecklist(sop));
        expect(renderDocument(graph)).toBe(renderDocument(sop));
      }),
      { numRuns: 50 },
    );
  });
});

export { escapeRe };
