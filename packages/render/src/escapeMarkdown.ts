import { collapseWhitespace } from './escapeMermaid.js';

/** Characters that could open emphasis, code, a link, markup…: most texts hold none (no rewrite then). */
const MARKDOWN_SPECIAL = /[\\`*_[\]()<>|!#~$&{}]/;
const MARKDOWN_SPECIALS = /[\\`*_[\]()<>|!#~$&{}]/g;

/**
 * Escapes SOP text for inline Markdown (CommonMark + GFM): one line, with every character that
 * could open emphasis, code, a link or image, an autolink, raw HTML, a table cell, a task-item
 * box, strikethrough or math written as a backslash escape or entity. `javascript:`-like
 * schemes lose their bare colon. Line-start markers (`#`, `-`, `+`, `1.`, `>`) are escaped when
 * `lineStart` is set, for text that begins a line (a paragraph).
 */
export function escapeMarkdown(text: string, options: { lineStart?: boolean; trim?: boolean } = {}): string {
  const flat = options.trim === false ? String(text ?? '').replace(/\s+/g, ' ') : collapseWhitespace(text);
  let out = MARKDOWN_SPECIAL.test(flat)
    ? flat.replace(MARKDOWN_SPECIALS, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : `\\${ch}`))
    : flat;
  if (out.includes(':')) out = out.replace(/(javascript|vbscript):/gi, '$1\\:');
  if (options.lineStart) {
    out = out.replace(/^([-+=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
  }
  return out;
}

/** A GFM table cell: escaped inline text (pipes included). */
export function markdownCell(text: string): string {
  return escapeMarkdown(text) || ' ';
}
