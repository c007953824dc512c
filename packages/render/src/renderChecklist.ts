import { toGraph, type SopOrGraph } from './toGraph.js';
import { checklistItems, type Line } from './checklistItems.js';
import { escapeMarkdown } from './escapeMarkdown.js';
import { collapseWhitespace } from './escapeMermaid.js';

export interface ChecklistOptions {
  /** `markdown`: GFM task items (default); `text`: plain numbered lines with `[ ]` boxes */
  format?: 'markdown' | 'text';
}

/**
 * The steps in reading order, numbered 1..n, as task items. Each step lists where its answers,
 * conditions, outcomes and time limits lead ("If No → step 7"), its role, segment, fields to
 * record, actions, notes and sub-checks (nested task items). SOP text cannot add Markdown
 * structure: it is escaped and kept on one line.
 */
export function renderChecklist(input: SopOrGraph, options: ChecklistOptions = {}): string {
  const items = checklistItems(toGraph(input));
  const out: string[] = [];
  if (options.format === 'text') {
    for (const item of items) {
      out.push(`${item.number}. [ ] ${plain(item.text)}`);
      const pad = ' '.repeat(String(item.number).length + 2);
      for (const line of item.details) out.push(`${pad}- ${plain(line)}`);
      for (const check of item.checks) out.push(`${pad}[ ] ${plain([check])}`);
    }
  } else {
    for (const item of items) {
      out.push(`- [ ] ${item.number}. ${markdown(item.text, true)}`);
      for (const line of item.details) out.push(`  - ${markdown(line)}`);
      for (const check of item.checks) out.push(`  - [ ] ${markdown([check], true)}`);
    }
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/** `lineStart`: the text opens a block (after a task box), so list and heading markers are escaped too. */
function markdown(line: Line, lineStart = false): string {
  const text = line.map((part, i) =>
    typeof part === 'string' ? escapeMarkdown(i === 0 && lineStart ? part.trimStart() : part, { trim: false, lineStart: i === 0 && lineStart })
      : 'step' in part ? `step ${part.step}`
        : `unknown step “${escapeMarkdown(part.unknownStep)}”`).join('');
  return collapseWhitespace(text) || '\\(no text\\)';
}

function plain(line: Line): string {
  const text = line.map((part) =>
    typeof part === 'string' ? part
      : 'step' in part ? `step ${part.step}`
        : `unknown step “${part.unknownStep}”`).join('');
  return collapseWhitespace(text) || '(no text)';
}
