import type { Hover, Position } from 'vscode-languageserver';
import { isScalar } from 'yaml';
import { locateIn } from '../outline/locate.js';
import { innerSpan, rangeOf, type FeatureContext } from './FeatureContext.js';
import { stepNamed, targetAt } from './targetAt.js';

const WORD_CHAR = /[\p{L}\p{N}_]/u;
const md = (value: string) => ({ kind: 'markdown' as const, value });
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

/**
 * Hover on what sopflow knows: a step id (its kind and text), a `use:` (the SOP's title, file
 * and outcomes), a field (its type and label), and an acronym or term in any text (its
 * definition from `terms`). The keys of the format are yaml-language-server's (the schema's
 * `markdownDescription`).
 */
export function hover(ctx: FeatureContext, position: Position): Hover | null {
  const { doc, outline } = ctx;
  const offset = doc.offsetAt(position);
  const target = targetAt(outline, offset);
  if (target) {
    const range = rangeOf(doc, innerSpan(outline.text, target.span));
    switch (target.kind) {
      case 'step': {
        const step = stepNamed(outline, target.id);
        if (!step) return { contents: md(`no step ${code(target.id)} in this SOP`), range };
        const body = step.text ? `\n\n${step.text}` : '';
        return { contents: md(`**${step.kind}** ${code(step.id)} · step ${step.index + 1} of ${outline.steps.length}${body}`), range };
      }
      case 'sop': {
        if (target.declaration) return null;
        const other = ctx.sop(target.id);
        if (!other) return { contents: md(`no SOP ${code(target.id)} in the workspace`), range };
        const outcomes = other.outcomes();
        return {
          contents: md(
            [
              `**${other.outline.title ?? other.file.links.title ?? target.id}** (${code(target.id)})`,
              `${code(other.file.display)}`,
              outcomes.length > 0 ? `ends with ${outcomes.map(code).join(', ')}` : '',
            ]
              .filter(Boolean)
              .join('\n\n'),
          ),
          range,
        };
      }
      case 'field': {
        const fields = target.child !== undefined ? (ctx.sop(target.child)?.outline.fields ?? []) : outline.fields;
        const field = fields.find((f) => f.name === target.name);
        const owner = target.child !== undefined ? ` of ${code(target.child)}` : '';
        if (!field) return { contents: md(`no field ${code(target.name)}${owner}`), range };
        return {
          contents: md(
            `**field** ${code(field.name)}${owner}${field.type ? ` · ${field.type}` : ''}${field.label ? `\n\n${field.label}` : ''}`,
          ),
          range,
        };
      }
      default:
    }
  }
  // a term in a text
  if (outline.terms.length === 0) return null;
  const slot = locateIn(outline, offset);
  if (!slot || slot.kind !== 'value' || !slot.scalar || !isScalar(slot.scalar) || typeof slot.scalar.value !== 'string') return null;
  if (slot.path[0] === 'terms') return null;
  const text = outline.text;
  let start = offset;
  let end = offset;
  while (start > 0 && WORD_CHAR.test(text[start - 1]!)) start--;
  while (end < text.length && WORD_CHAR.test(text[end]!)) end++;
  const word = text.slice(start, end);
  if (!word) return null;
  const term =
    outline.terms.find((t) => t.name.trim() === word) ??
    (word.endsWith('s') ? outline.terms.find((t) => t.name.trim() === word.slice(0, -1)) : undefined);
  if (!term) return null;
  return { contents: md(`**${term.name}**: ${term.meaning}`), range: rangeOf(doc, { start, end }) };
}
