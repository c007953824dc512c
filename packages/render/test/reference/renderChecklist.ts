import { toGraph, type SopOrGraph } from './toGraph.js';
import { checklistHeader, checklistItems, type ChecklistOptions as ItemOptions, type Line } from './checklistItems.js';
import { escapeMarkdown } from './escapeMarkdown.js';
import { collapseWhitespace } from './escapeMermaid.js';
import { safeRelativeUrl } from './renderMermaid.js';

export interface ChecklistOptions extends ItemOptions {
  /** `markdown`: GFM task items (default); `text`: plain numbered lines with `[ ]` boxes */
  format?: 'markdown' | 'text';
  /**
   * Links a sub-procedure to its own document (Markdown only): a relative URL, or undefined for
   * none. Anything but a plain relative URL is ignored (see `safeRelativeUrl`).
   */
  linkProcedures?: (procedureId: string) => string | undefined;
  /** the SOP's rules and time goal above the steps (default true; the document shows them itself) */
  header?: boolean;
}

/**
 * The steps in reading order, numbered 1..n, as task items, below the SOP's rules of conduct
 * and its time goal. Each step lists where its answers, conditions (in words, with the fields'
 * labels), outcomes and time limits lead ("If “No” → step 7"), its role, segment, fields to
 * record, actions, notes, time target and sub-checks (nested task items). What a person does
 * not do (a bare end, a decision taken from the data) has no box to tick. SOP text cannot add
 * Markdown structure: it is escaped and kept on one line.
 */
export function renderChecklist(input: SopOrGraph, options: ChecklistOptions = {}): string {
  const graph = toGraph(input);
  const items = checklistItems(graph, options);
  const out: string[] = [];
  const header = options.header === false ? { rules: [] } : checklistHeader(graph);
  const link = (id: string) => (options.linkProcedures ? safeRelativeUrl(options.linkProcedures(id)) : undefined);
  if (options.format === 'text') {
    if (header.rules.length > 0) out.push('Rules at every step:', ...header.rules.map((r) => `  - ${plain([r])}`), '');
    if (header.target !== undefined) out.push(`Target: a whole run within ${header.target}`, '');
    for (const item of items) {
      out.push(`${item.number}. ${item.tickable ? '[ ] ' : ''}${plain(item.text)}`);
      const pad = ' '.repeat(String(item.number).length + 2);
      for (const line of item.details) out.push(`${pad}- ${plain(line)}`);
      for (const check of item.checks) out.push(`${pad}[ ] ${plain([check])}`);
    }
  } else {
    if (header.rules.length > 0) out.push('**Rules at every step:**', '', ...header.rules.map((r) => `- ${markdown([r], link, true)}`), '');
    if (header.target !== undefined) out.push(`**Target:** a whole run within ${escapeMarkdown(header.target)}`, '');
    for (const item of items) {
      out.push(`- ${item.tickable ? '[ ] ' : ''}${item.number}. ${markdown(item.text, link, true)}`);
      for (const line of item.details) out.push(`  - ${markdown(line, link)}`);
      for (const check of item.checks) out.push(`  - [ ] ${markdown([check], link, true)}`);
    }
  }
  return items.length > 0 ? `${out.join('\n')}\n` : '';
}

/** `lineStart`: the text opens a block (after a task box), so list and heading markers are escaped too. */
function markdown(line: Line, link: (id: string) => string | undefined, lineStart = false): string {
  const text = line
    .map((part, i) => {
      if (typeof part === 'string')
        return escapeMarkdown(i === 0 && lineStart ? part.trimStart() : part, { trim: false, lineStart: i === 0 && lineStart });
      if ('step' in part) return `step ${part.step}`;
      if ('unknownStep' in part) return `unknown step “${escapeMarkdown(part.unknownStep)}”`;
      if ('em' in part) return emphasis(part.em);
      const url = link(part.procedure);
      return url !== undefined ? `[${escapeMarkdown(part.title) || escapeMarkdown(part.procedure)}](${url})` : emphasis(part.title);
    })
    .join('');
  return collapseWhitespace(text) || '\\(no text\\)';
}

/** Emphasised SOP text: `*…*` around the escaped text (nothing for empty text). */
function emphasis(text: string): string {
  const inner = escapeMarkdown(text);
  return inner === '' ? '' : `*${inner}*`;
}

function plain(line: Line): string {
  const text = line
    .map((part) =>
      typeof part === 'string'
        ? part
        : 'step' in part
          ? `step ${part.step}`
          : 'unknownStep' in part
            ? `unknown step “${part.unknownStep}”`
            : 'em' in part
              ? part.em
              : part.title,
    )
    .join('');
  return collapseWhitespace(text) || '(no text)';
}
