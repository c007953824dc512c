import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildSopGraph } from '@sopflow/model';
import { checklistItems, escapeMarkdown, escapeMermaidText, renderChecklist, renderDocument, renderMermaid } from '../src/index.js';
import { renderDocument as referenceDocument } from './reference/renderDocument.js';
import { renderChecklist as referenceChecklist } from './reference/renderChecklist.js';
import { renderMermaid as referenceMermaid } from './reference/renderMermaid.js';
import { checklistItems as referenceItems } from './reference/checklistItems.js';
import { escapeMarkdown as referenceEscapeMarkdown } from './reference/escapeMarkdown.js';
import { escapeMermaidText as referenceEscapeMermaid } from './reference/escapeMermaid.js';
import { hostileSop } from './helpers/hostileSop.js';

// the renders were rewritten for speed: they must give the bytes the frozen copy gives, for every input
const options = fc.record(
  {
    direction: fc.constantFrom('TD', 'LR', 'BT' as const),
    groupBy: fc.constantFrom('none', 'role', 'segment' as const),
    classes: fc.boolean(),
    procedures: fc.dictionary(fc.constantFrom('billing', 'refund', 'x'), fc.record({ title: fc.string() })),
    linkProcedures: fc.constantFrom(
      (id: string) => `./${id}.md`,
      () => 'javascript:alert(1)',
      () => undefined,
    ),
  },
  { requiredKeys: [] },
);

describe('the rewritten renders give the bytes of the frozen reference', () => {
  it('renderDocument, renderMermaid, renderChecklist and checklistItems', () => {
    fc.assert(
      fc.property(hostileSop, options, fc.constantFrom('markdown', 'text' as const), fc.boolean(), (sop, opts, format, header) => {
        const graph = buildSopGraph(sop);
        expect(renderDocument(graph, opts)).toBe(referenceDocument(graph, opts));
        expect(renderMermaid(graph, opts)).toBe(referenceMermaid(graph, opts));
        expect(renderChecklist(graph, { ...opts, format, header })).toBe(referenceChecklist(graph, { ...opts, format, header }));
        expect(checklistItems(graph, opts)).toEqual(referenceItems(graph, opts));
      }),
      { numRuns: 300 },
    );
  });

  it('escapeMarkdown and escapeMermaidText', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({
        unit: fc.constantFrom(' ', '\n', '\t', '\u2028', 'a', '1', '.', '-', '*', '<', '&', ':', 'javascript', 'click', '#', '>'),
      }),
    );
    fc.assert(
      fc.property(text, fc.boolean(), fc.boolean(), (s, lineStart, trim) => {
        expect(escapeMarkdown(s, { lineStart, trim })).toBe(referenceEscapeMarkdown(s, { lineStart, trim }));
        expect(escapeMarkdown(s)).toBe(referenceEscapeMarkdown(s));
        expect(escapeMermaidText(s)).toBe(referenceEscapeMermaid(s));
      }),
      { numRuns: 2000 },
    );
  });
});
