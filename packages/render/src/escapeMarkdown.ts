import { collapseWhitespace } from './escapeMermaid.js';

/** Characters that could open emphasis, code, a link, a table cell…: written with a backslash before them. */
const BACKSLASH_ESCAPED = /[\\`*_[\]()|!#~${}]/;
const BACKSLASH_ESCAPEDS = /[\\`*_[\]()|!#~${}]/g;
/** Characters that could open markup or an entity: written as entities. */
const ENTITY_ESCAPED = /[&<>]/;
const ENTITY_ESCAPEDS = /[&<>]/g;
/** What `/\s+/g → ' '` would change: white space other than one space, or two spaces in a row. */
const UNCOLLAPSED = /[^\S ]| {2}/;
/** Anything the rewrite would change: a special character, a colon, white space to collapse. */
const NEEDS_REWRITE = /[\\`*_[\]()<>|!#~$&{}:]|[^\S ]| {2}/;
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
  return escapeMarkdownText(String(text ?? ''), options.trim !== false, Boolean(options.lineStart));
}

/** `escapeMarkdown` with its options as arguments: the checklist calls it some 300,000 times for 50,000 steps. */
export function escapeMarkdownText(s: string, trim: boolean, lineStart: boolean): string {
  let out: string;
  // one test first: most texts hold nothing to collapse, escape or defuse
  if (!NEEDS_REWRITE.test(s)) out = trim && (s.charCodeAt(0) === 0x20 || s.charCodeAt(s.length - 1) === 0x20) ? s.trim() : s;
  else {
    const flat = trim ? collapseWhitespace(s) : UNCOLLAPSED.test(s) ? s.replace(/\s+/g, ' ') : s;
    // backslash escapes first (a replacement string, no call per character), then the entities:
    // the backslashes added are nothing the second pass rewrites, and it adds none
    out = BACKSLASH_ESCAPED.test(flat) ? flat.replace(BACKSLASH_ESCAPEDS, '\\$&') : flat;
    if (ENTITY_ESCAPED.test(out)) out = out.replace(ENTITY_ESCAPEDS, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : '&gt;'));
    if (out.includes(':')) out = out.replace(/(javascript|vbscript):/gi, '$1\\:');
  }
  if (lineStart && LINE_START_MARKER.test(out)) {
    out = out.replace(/^([-+=])/, '\\$1').replace(/^(\d+)([.)])/, '$1\\$2');
  }
  return out;
}

/** A GFM table cell: escaped inline text (pipes included). */
export function markdownCell(text: string): string {
  return escapeMarkdown(text) || ' ';
}
