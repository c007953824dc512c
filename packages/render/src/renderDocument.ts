import { formatDuration, formatReviewPeriod, parseDuration, parseReviewPeriod } from '@sopflow/model';
import { toGraph, type SopOrGraph } from './toGraph.js';
import { writeMermaid, type MermaidOptions } from './renderMermaid.js';
import { writeChecklist } from './renderChecklist.js';
import { stepIndex } from './stepIndex.js';
import { DocumentLines } from './documentLines.js';
import { escapeMarkdown, markdownCell } from './escapeMarkdown.js';

export interface DocumentOptions extends Pick<MermaidOptions, 'direction' | 'groupBy' | 'classes' | 'procedures'> {
  /** links each sub-procedure (in the checklist and the diagram) to its own document: a relative URL, or undefined */
  linkProcedures?: (procedureId: string) => string | undefined;
}

/** The metadata rows shown under the title, in order, for the SOP's fields that are set. */
export function metadataRows(sop: { [key: string]: unknown }): [string, string][] {
  const cycle = typeof sop.review_every === 'string' ? parseReviewPeriod(sop.review_every) : undefined;
  const target = typeof sop.target === 'string' ? parseDuration(sop.target) : undefined;
  const rows: [string, unknown][] = [
    ['Department', sop.department],
    ['Owner', sop.owner],
    ['Version', sop.version],
    ['Review by', sop.review_by],
    ['Reviewed every', cycle ? formatReviewPeriod(cycle) : sop.review_every],
    ['Target', target !== undefined ? `a whole run within ${formatDuration(target)}` : sop.target],
    ['Tags', Array.isArray(sop.tags) ? sop.tags.join(', ') : undefined],
    ['SOP id', sop.id],
  ];
  return rows
    .filter((r): r is [string, string | number] => (typeof r[1] === 'string' && r[1] !== '') || typeof r[1] === 'number')
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
  const out = new DocumentLines();
  out.push(`# ${escapeMarkdown(String(sop.title ?? '')) || escapeMarkdown(String(sop.id ?? '')) || 'Untitled SOP'}`, '');
  const meta = metadataRows(sop as unknown as Record<string, unknown>);
  if (meta.length > 0) {
    for (const [key, value] of meta) out.push(`- **${key}:** ${escapeMarkdown(value)}`);
    out.push('');
  }
  if (typeof sop.purpose === 'string' && sop.purpose.trim() !== '') {
    out.push('## Purpose', '', escapeMarkdown(sop.purpose, { lineStart: true }), '');
  }
  if (graph.rules.some((r) => r.trim() !== '')) {
    out.push(
      '## Rules',
      '',
      'These hold at every step.',
      '',
      ...graph.rules.filter((r) => r.trim() !== '').map((r) => `- ${escapeMarkdown(r, { lineStart: true })}`),
      '',
    );
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
      out.push(
        `| ${markdownCell(name)} | ${markdownCell(String(def?.label ?? ''))} | ${markdownCell(fieldType(def))} | ${def?.required ? 'yes' : 'no'} | ${markdownCell(allowedValues(def))} |`,
      );
    }
    out.push('');
  }
  // the diagram takes no links: GitHub draws it without them (the checklist links each procedure)
  const { linkProcedures: _links, ...diagram } = options;
  // the diagram's and the checklist's lines go straight into this document's lines: each joined once
  out.push('## Flowchart', '', '```mermaid');
  const diagramStart = out.length;
  // one index of the steps for both
  const steps = stepIndex(graph);
  writeMermaid(out, graph, diagram, steps);
  out.trimEnd(diagramStart);
  out.push('```', '');
  out.push('## Checklist', '');
  const checklistStart = out.length;
  const listed = writeChecklist(
    out,
    graph,
    {
      format: 'markdown',
      header: false,
      ...(options.procedures ? { procedures: options.procedures } : {}),
      ...(options.linkProcedures ? { linkProcedures: options.linkProcedures } : {}),
    },
    steps,
  );
  if (listed === 0) out.push('_No steps._');
  else out.trimEnd(checklistStart);
  out.push('');
  return out.toString();
}

/** A field's type for people: `list of string` for a list. */
export function fieldType(def: { type?: unknown; items?: { type?: unknown } } | undefined): string {
  if (def?.type === 'list') return `list of ${String(def.items?.type ?? 'string')}`;
  return String(def?.type ?? '');
}

/** The values a field (or a list field's items) may hold: its enum, else its bounds. */
export function allowedValues(
  def:
    { enum?: unknown[]; minimum?: number; maximum?: number; items?: { enum?: unknown[]; minimum?: number; maximum?: number } } | undefined,
): string {
  const d = def?.items && typeof def.items === 'object' ? def.items : def;
  if (Array.isArray(d?.enum)) return d.enum.map((v) => String(v)).join(', ');
  return [d?.minimum !== undefined ? `≥ ${d.minimum}` : '', d?.maximum !== undefined ? `≤ ${d.maximum}` : ''].filter(Boolean).join(', ');
}
