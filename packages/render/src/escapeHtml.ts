const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML element content and quoted attribute values. URL schemes such as
 * `javascript:` also lose their bare colon, so the page never holds one anywhere.
 */
export function escapeHtml(text: string): string {
  return String(text ?? '')
    .replace(/[&<>"']/g, (ch) => HTML[ch]!)
    .replace(/(javascript|vbscript)\s*:/gi, (m) => m.replace(':', '&#58;'));
}

/**
 * A JSON string literal safe to place inside `<script type="application/json">`: every
 * character other than letters, digits, space and `.,_-@` is written as `\uXXXX`, so the
 * literal cannot close the element, open a comment or spell `javascript:`.
 */
export function jsonStringForScript(text: string): string {
  let out = '"';
  for (const ch of String(text ?? '')) {
    if (/^[A-Za-z0-9 .,_@-]$/.test(ch)) out += ch;
    else {
      for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
    }
  }
  return `${out}"`;
}

/**
 * JavaScript source made safe to inline in a `<script>` element: `</script`, `<script` and
 * `<!--` can neither close the element nor switch the HTML parser into its escaped states.
 * `\x3C` reads as `<` in strings, templates and regular expressions alike.
 */
export function escapeInlineScript(source: string): string {
  return source.replace(/<(\/?script|!--)/gi, '\\x3C$1');
}
