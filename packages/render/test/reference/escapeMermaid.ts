/**
 * Escapes SOP text for a quoted Mermaid label (`s0["…"]`, `-->|"…"|`, `subgraph g0 ["…"]`).
 *
 * Mermaid reads `#name;` / `#123;` inside labels as entity codes (`encodeEntities` before
 * parsing, turned into `&name;` / `&#123;` after), and labels end up as HTML. So every
 * character that could end the string, start a comment, become markup, a Markdown string
 * (backtick), an icon (`fa:`), a URL scheme (`javascript:`) or a directive is written as an
 * entity code. The result holds only letters, digits, marks, spaces, a few harmless
 * punctuation marks and `#…;` codes: it cannot break out of the quotes, holds no live HTML,
 * and never contains the words `click` or `javascript:`.
 */
const NAMED: Record<string, string> = { '"': '#quot;', '&': '#amp;', '<': '#lt;', '>': '#gt;' };
/** ASCII punctuation that stays as is inside a quoted label. */
const SAFE_ASCII = /[A-Za-z0-9 .,?!'()/_+=-]/;

/** A whole label of characters that stay as they are (most labels): no loop needed. */
const ALL_SAFE_ASCII = /^[A-Za-z0-9 .,?!'()/_+=-]*$/;

export function escapeMermaidText(text: string, fallback = ' '): string {
  const flat = collapseWhitespace(text);
  if (flat === '') return fallback;
  if (ALL_SAFE_ASCII.test(flat)) return /click/i.test(flat) ? flat.replace(/c(?=lick)/gi, (c) => `#${c.codePointAt(0)};`) : flat;
  let out = '';
  for (const ch of flat) {
    const code = ch.codePointAt(0)!;
    if (NAMED[ch] !== undefined) out += NAMED[ch];
    else if (code < 128) out += SAFE_ASCII.test(ch) ? ch : `#${code};`;
    // control characters and line / paragraph separators become their codes
    else if (/[\p{Cc}\p{Zl}\p{Zp}]/u.test(ch)) out += `#${code};`;
    else out += ch;
  }
  // mermaid turns `ﬂ°`, `ﬂ°°` and `¶ß` in its final SVG back into `&`, `&#` and `;`: a word joiner
  // (invisible) keeps such sequences in SOP text from being read as entities.
  out = out.replace(/ﬂ(?=°)|¶(?=ß)/g, (c) => `${c}#8288;`);
  // `click` must not appear even inside a label (defence in depth): encode its first letter.
  return out.replace(/c(?=lick)/gi, (c) => `#${c.codePointAt(0)};`);
}

/** White space other than single spaces: only text with it (or with a space at either end) needs rewriting. */
const UNCOLLAPSED = /[^\S ]| {2}/;

/** Newlines, tabs and runs of spaces become one space; the ends are trimmed. */
export function collapseWhitespace(text: string): string {
  const s = String(text ?? '');
  // `\s` includes the line and paragraph separators (U+2028, U+2029)
  if (s.charCodeAt(0) !== 0x20 && s.charCodeAt(s.length - 1) !== 0x20 && !UNCOLLAPSED.test(s)) return s;
  return s.replace(/\s+/g, ' ').trim();
}

/** A quoted Mermaid label: `"…"`. */
export function mermaidLabel(text: string, fallback?: string): string {
  return `"${escapeMermaidText(text, fallback)}"`;
}
