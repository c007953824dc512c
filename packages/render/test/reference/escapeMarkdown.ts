import { collapseWhitespace } from './escapeMermaid.js';

/** Characters that could open emphasis, code, a link, markup…: most texts hold none (no rewrite then). */
const MARKDOWN_SPECIAL = /[\\`*_[\]()<>|!#~$&{}]/;
const MARKDOWN_SPECIALS = /[\\`*_[\]()<>|!#~$&{}]/g;
/** What `/\s+/g → ' '` would change: white space other than one space, or two spaces in a row. */
const UNCOLLAPSED = /[^\S ]| {2}/;
/** A list marker or an ordered-list number at the start of the text. */
const LINE_START_MARKER = /^(?:[-+=]|\d+[.)])/;

/**
 * Escapes SOP text for inline Markdown (CommonMark + GFM): one line, with every character that
 * could open emphasis, code, a link or image, an autolink, raw HTML, a table cell, a task-item
 * box, strikethrough or math written as a backslash escape or entity. `javascript:`-like
 * schemes lose their bare colon. Line-start markers (`#`, `-`, `+`, `1.`, `>`) are escaped when
 * `lineStart` is set, for text that begins a line (a paragraph).
 */
export function escapeMarkdown(text: string, options: { lineStart?: boolean; trim?: boolean } = {}): string {
  const s = String(text ?? '');
  // each test first: a render of 50,000 steps escapes some 300,000 texts, and most need nothing
  const flat = options.trim !== false ? collapseWhitespace(s) : UNCOLLAPSED.test(s) ? s.replace(/\s+/g, ' ') : s;
  let out = MARKDOWN_SPECIAL.test(flat)
    ? flat.replace(MARKDOWN_SPECIALS, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : `\\${ch}`))
    : flat;
  if (out.includes(':')) out = out.replace(/(javascript|vbscript):/gi, '$1\\:');
  if (options.lineStart && LINE_START_MARKER.test(out)) {
    out = out.replace(/^([-+=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
  }
  return out;
}

/** A GFM table cell: escaped inline text (pipes included). */
export function markdownCell(text: string): string {
  return escapeMarkdown(text) || ' ';
}
