import { toGraph, type SopOrGraph } from './toGraph.js';
import { renderMermaid, type MermaidOptions } from './renderMermaid.js';
import { renderChecklist } from './renderChecklist.js';
import { escapeMarkdown, markdownCell } from './escapeMarkdown.js';

export type DocumentOptions = Pick<MermaidOptions, 'direction' | 'groupBy' | 'classes'>;

/** The metadata rows shown under the title, in order, for the SOP's fields that are set. */
export function metadataRows(sop: { [key: string]: unknown }): [string, string][] {
  const rows: [string, unknown][] = [
    ['Department', sop.department], ['Owner', sop.owner], ['Version', sop.version],
    ['Review by', sop.review_by], ['Tags', Array.isArray(sop.tags) ? sop.tags.join(', ') : undefined], ['SOP id', sop.id],
  ];
  return rows.filter((r): r is [string, string | number] => (typeof r[1] === 'string' && r[1] !== '') || typeof r[1] === 'number')
    .map(([k, v]) => [k, String(v)]);
}

/**
 * The SOP as one Markdown document, in the order the domain expects: the title, a metadata
 * block, Purpose, Terms (a table), Fields (a table, when the SOP records data), the flowchart
 * in a ```mermaid block (GitHub draws it) and the checklist. Deterministic: the same SOP
 * always gives the same bytes; ends with a newline.
 */
export function renderDocument(input: SopOrGraph, options: DocumentOptions = {}): string {
  const graph = toGraph(input);
  const sop = graph.sop;
  const out: string[] = [];
  out.push(`# ${escapeMarkdown(String(sop.title ?? '')) || escapeMarkdown(String(sop.id ?? '')) || 'Untitled SOP'}`, '');
  const meta = metadataRows(sop as unknown as Record<string, unknown>);
  if (meta.length > 0) {
    for (const [key, value] of meta) out.push(`- **${key}:** ${escapeMarkdown(value)}`);
    out.push('');
  }
  if (typeof sop.purpose === 'string' && sop.purpose.trim() !== '') {
    out.push('## Purpose', '', escapeMarkdown(sop.purpose, { lineStart: true }), '');
  }
  const terms = sop.terms && typeof sop.terms === 'object' ? Object.entries(sop.terms) : [];
  if (terms.length > 0) {
    out.push('## Terms', '', '| Term | Meaning |', '| --- | --- |');
    for (const [term, meaning] of terms) out.push(`| ${markdownCell(term)} | ${markdownCell(String(meaning ?? ''))} |`);
    out.push('');
  }
  const fields = Object.entries(graph.fields);
  if (fields.length > 0) {
    out.push('## Fields', '', '| Field | Label | Type | Required | Allowed values |', '| --- | --- | --- | --- | --- |');
    for (const [name, def] of fields) {
      const allowed = Array.isArray(def?.enum) ? def.enum.map((v) => String(v)).join(', ')
        : [def?.minimum !== undefined ? `≥ ${def.minimum}` : '', def?.maximum !== undefined ? `≤ ${def.maximum}` : ''].filter(Boolean).join(', ');
      out.push(`| ${markdownCell(name)} | ${markdownCell(String(def?.label ?? ''))} | ${markdownCell(String(def?.type ?? ''))} | ${def?.required ? 'yes' : 'no'} | ${markdownCell(allowed)} |`);
    }
    out.push('');
  }
  out.push('## Flowchart', '', '```mermaid', renderMermaid(graph, options).trimEnd(), '```', '');
  out.push('## Checklist', '');
  const checklist = renderChecklist(graph, { format: 'markdown' });
  out.push(checklist === '' ? '_No steps._' : checklist.trimEnd(), '');
  return out.join('\n');
}
