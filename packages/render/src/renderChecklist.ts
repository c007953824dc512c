import type { SopGraph } from '@sopflow/model';
import { toGraph, type SopOrGraph } from './toGraph.js';
import { checklistHeader, checklistItemMaker, type ChecklistOptions as ItemOptions, type Line, type Part } from './checklistItems.js';
import { escapeMarkdown, escapeMarkdownText } from './escapeMarkdown.js';
import { collapseWhitespace } from './escapeMermaid.js';
import { safeRelativeUrl } from './renderMermaid.js';
import { stepIndex, type StepIndex } from './stepIndex.js';
import { DocumentLines, type LineSink } from './documentLines.js';

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
  const lines = new DocumentLines();
  return writeChecklist(lines, toGraph(input), options) > 0 ? `${lines.toString()}\n` : '';
}

/**
 * Appends the checklist's lines (no newlines) to `out` and returns how many steps it lists;
 * for an SOP without steps it appends nothing. The Markdown document writes into its own list
 * this way, so a checklist of 50,000 steps is joined once.
 */
export function writeChecklist(out: LineSink, graph: SopGraph, options: ChecklistOptions, steps: StepIndex = stepIndex(graph)): number {
  const count = graph.nodes.length;
  if (count === 0) return 0;
  const itemAt = checklistItemMaker(graph, options, steps);
  const header = options.header === false ? { rules: [] } : checklistHeader(graph);
  const link = (id: string) => (options.linkProcedures ? safeRelativeUrl(options.linkProcedures(id)) : undefined);
  if (options.format === 'text') {
    if (header.rules.length > 0) {
      out.push('Rules at every step:');
      for (const rule of header.rules) out.push(`  - ${plain([rule])}`);
      out.push('');
    }
    if (header.target !== undefined) out.push(`Target: a whole run within ${header.target}`, '');
    for (let i = 0; i < count; i++) {
      const item = itemAt(i);
      out.push(`${item.number}. ${item.tickable ? '[ ] ' : ''}${plain(item.text)}`);
      const pad = ' '.repeat(String(item.number).length + 2);
      for (const line of item.details) out.push(`${pad}- ${plain(line)}`);
      for (const check of item.checks) out.push(`${pad}[ ] ${plainText(check)}`);
    }
  } else {
    if (header.rules.length > 0) {
      out.push('**Rules at every step:**', '');
      for (const rule of header.rules) out.push(`- ${markdownText(rule)}`);
      out.push('');
    }
    if (header.target !== undefined) out.push(`**Target:** a whole run within ${escapeMarkdown(header.target)}`, '');
    for (let i = 0; i < count; i++) {
      const item = itemAt(i);
      out.push(`- ${item.tickable ? '[ ] ' : ''}${item.number}. ${markdown(item.text, link, true)}`);
      for (const line of item.details) out.push(`  - ${markdown(line, link, false)}`);
      for (const check of item.checks) out.push(`  - [ ] ${markdownText(check)}`);
    }
  }
  return count;
}

/**
 * One line as inline Markdown. `lineStart`: the text opens a block (after a task box), so list
 * and heading markers in its first part are escaped too. Built by concatenation (no array of
 * parts): some 300,000 lines for 50,000 steps.
 */
function markdown(line: Line, link: (id: string) => string | undefined, lineStart: boolean): string {
  // Every piece is escaped text whose white space is already single spaces, so what collapsing
  // the whole line (`/\s+/ → ' '`, then trim) would still do is merge the spaces where two
  // pieces meet and drop one at either end: done as the pieces are added, the line is not
  // scanned or copied again.
  let text = '';
  let endsWithSpace = true; // so that a space at the very start is dropped too
  for (let i = 0; i < line.length; i++) {
    let piece = markdownPiece(line[i]!, link, i === 0 && lineStart);
    if (endsWithSpace && piece.charCodeAt(0) === 0x20) piece = piece.slice(1);
    if (piece === '') continue;
    text += piece;
    endsWithSpace = piece.charCodeAt(piece.length - 1) === 0x20;
  }
  if (endsWithSpace && text !== '') text = text.slice(0, -1);
  return text || '\\(no text\\)';
}

/** One part of a line, escaped, its white space single spaces (`opensLine`: see `markdown`). */
function markdownPiece(part: Part, link: (id: string) => string | undefined, opensLine: boolean): string {
  if (typeof part === 'string')
    return opensLine ? escapeMarkdownText(part.trimStart(), false, true) : escapeMarkdownText(part, false, false);
  if ('step' in part) return `step ${part.step}`;
  if ('unknownStep' in part) return `unknown step “${escapeMarkdown(part.unknownStep)}”`;
  if ('em' in part) return emphasis(part.em);
  const url = link(part.procedure);
  return url !== undefined ? `[${escapeMarkdown(part.title) || escapeMarkdown(part.procedure)}](${url})` : emphasis(part.title);
}

/** `markdown([text], link, true)` for a line of one piece of text (a rule, a sub-check). */
function markdownText(text: string): string {
  return collapseWhitespace(escapeMarkdownText(text.trimStart(), false, true)) || '\\(no text\\)';
}

/** Emphasised SOP text: `*…*` around the escaped text (nothing for empty text). */
function emphasis(text: string): string {
  const inner = escapeMarkdown(text);
  return inner === '' ? '' : `*${inner}*`;
}

function plain(line: Line): string {
  let text = '';
  for (const part of line) {
    text +=
      typeof part === 'string'
        ? part
        : 'step' in part
          ? `step ${part.step}`
          : 'unknownStep' in part
            ? `unknown step “${part.unknownStep}”`
            : 'em' in part
              ? part.em
              : part.title;
  }
  return collapseWhitespace(text) || '(no text)';
}

/** `plain([text])`. */
function plainText(text: string): string {
  return collapseWhitespace(text) || '(no text)';
}
