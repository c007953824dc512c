import type { TextEdit } from 'vscode-languageserver';
import { indentOf, isBlank, type FixContext, type QuickFix } from './QuickFix.js';

const KEY_LINE = /^\s*(?:"[^"]*"|'[^']*'|[^\s#'"\-?:,[\]{}][^:#]*?)[ \t]*:(?:[ \t]|$)/;
const DASH = /^\s*-(?:[ \t]|$)/;
const keyOf = (line: string) => /^\s*(?:-[ \t]+)?([^\s:#][^:#]*?)[ \t]*:(?:[ \t]|$)/.exec(line)?.[1];

/**
 * "Add the missing `- `": a list item written without its dash. YAML then sees keys at the
 * wrong column (`yaml-syntax`), a repeated key in the item above (`duplicate-key`, when a new
 * step's keys land in the previous step), or a mapping where a list belongs (`schema`, for
 * `instructions` or `choices` written without any dash). Core's YAML repair mends such a slip
 * one line at a time (insert the dash, or line a key up); this fix inserts the dash and
 * re-indents the whole item at once, computed here from the lines around the error.
 */
export function addListDash(ctx: FixContext): QuickFix[] {
  const { diagnostic } = ctx;
  if (diagnostic.code === 'yaml-syntax') return siblingWithoutDash(ctx);
  if (diagnostic.code === 'duplicate-key') return [...newItemInsideItem(ctx), ...siblingWithoutDash(ctx)];
  if (diagnostic.code === 'schema') return mappingForList(ctx);
  return [];
}

const TITLE = 'Add the missing `- ` (start a new list item)';

function lines(ctx: FixContext): string[] {
  return ctx.doc.getText().split(/\r?\n/);
}

/** A line at a list's column that lacks the `- ` its siblings above have. */
function siblingWithoutDash(ctx: FixContext): QuickFix[] {
  const all = lines(ctx);
  const l = ctx.range.start.line;
  const line = all[l];
  if (line === undefined || isBlank(line) || DASH.test(line)) return [];
  const c = indentOf(line);
  let above = l - 1;
  while (above >= 0 && (isBlank(all[above]!) || indentOf(all[above]!) > c)) above--;
  if (above < 0 || indentOf(all[above]!) !== c || !DASH.test(all[above]!)) return [];
  const edits: TextEdit[] = [{ range: { start: { line: l, character: c }, end: { line: l, character: c } }, newText: '- ' }];
  if (KEY_LINE.test(line)) {
    // the rest of this item: deeper lines, and its other keys at the same column
    for (let k = l + 1; k < all.length; k++) {
      const next = all[k]!;
      if (isBlank(next)) continue;
      const indent = indentOf(next);
      if (indent < c || (indent === c && (DASH.test(next) || !KEY_LINE.test(next)))) break;
      edits.push({ range: { start: { line: k, character: 0 }, end: { line: k, character: 0 } }, newText: '  ' });
    }
  }
  return [{ title: TITLE, edits, preferred: true }];
}

/**
 * A repeated key two columns right of a `- ` item whose first key it repeats: a new item whose
 * dash is missing (`- id: a` … `  id: b`). The two spaces before the key become `- `.
 */
function newItemInsideItem(ctx: FixContext): QuickFix[] {
  const all = lines(ctx);
  const l = ctx.range.start.line;
  const line = all[l];
  if (line === undefined) return [];
  const c = indentOf(line);
  const key = keyOf(line);
  if (c < 2 || key === undefined || DASH.test(line)) return [];
  let above = l - 1;
  // up past the item's own lines (blank, or at the key's column or deeper) to the line that starts it
  while (above >= 0 && (isBlank(all[above]!) || indentOf(all[above]!) >= c)) above--;
  const head = all[above];
  if (head === undefined || indentOf(head) !== c - 2 || !DASH.test(head) || keyOf(head) !== key) return [];
  return [
    {
      title: TITLE,
      edits: [{ range: { start: { line: l, character: c - 2 }, end: { line: l, character: c } }, newText: '- ' }],
      preferred: key === 'id',
    },
  ];
}

/** `instructions:` (or `choices:`) holding a mapping: the mapping becomes the list's first item. */
function mappingForList(ctx: FixContext): QuickFix[] {
  const path = ctx.diagnostic.path;
  const last = path[path.length - 1];
  if (last !== 'instructions' && last !== 'choices') return [];
  const all = lines(ctx);
  const l = ctx.range.start.line;
  const line = all[l];
  if (line === undefined || DASH.test(line) || !KEY_LINE.test(line)) return [];
  const c = indentOf(line);
  if (c === 0 || ctx.range.start.character !== c) return [];
  const edits: TextEdit[] = [{ range: { start: { line: l, character: c }, end: { line: l, character: c } }, newText: '- ' }];
  for (let k = l + 1; k < all.length; k++) {
    const next = all[k]!;
    if (isBlank(next)) continue;
    if (indentOf(next) < c) break;
    edits.push({ range: { start: { line: k, character: 0 }, end: { line: k, character: 0 } }, newText: '  ' });
  }
  return [{ title: `Make \`${String(last)}\` a list (add the missing \`- \`)`, edits, preferred: true }];
}
