import type { FixContext, QuickFix } from './QuickFix.js';
import { lineText } from './QuickFix.js';

/** `key: value` on one line, after any list dashes; the value up to a comment. */
const KEY_VALUE = /^(\s*(?:-[ \t]+)*)([A-Za-z_][\w.-]*)([ \t]*:[ \t]+)(.*)$/;
/** characters that start something other than plain text in YAML */
const NOT_PLAIN = /^["'[{|>&*!%@`#]/;

/**
 * "Quote this text": a plain text that holds `: ` (`do: Ask: what happened?`) is read by YAML
 * as a nested mapping, and core reports `yaml-syntax`. Core's YAML repair quotes the cases it
 * recognizes and says so as a fix; this one, computed from the line the error is on, is offered
 * only where core's diagnostic came without a fix (see codeActions).
 */
export function quoteText(ctx: FixContext): QuickFix[] {
  if (ctx.diagnostic.code !== 'yaml-syntax') return [];
  const line = ctx.range.start.line;
  const text = lineText(ctx.doc, line);
  const m = KEY_VALUE.exec(text);
  if (!m) return [];
  let value = m[4]!;
  const comment = value.search(/[ \t]#/);
  if (comment !== -1) value = value.slice(0, comment);
  value = value.replace(/[ \t]+$/, '');
  if (value === '' || NOT_PLAIN.test(value) || !(/:[ \t]/.test(value) || value.endsWith(':'))) return [];
  const start = m[1]!.length + m[2]!.length + m[3]!.length;
  const quoted = `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return [
    {
      title: `Put the text in quotes: ${quoted.length > 50 ? `${quoted.slice(0, 47)}…"` : quoted}`,
      edits: [{ range: { start: { line, character: start }, end: { line, character: start + value.length } }, newText: quoted }],
      preferred: true,
    },
  ];
}
