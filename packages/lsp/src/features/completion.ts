import { CompletionItemKind, type CompletionItem, type Position } from 'vscode-languageserver';
import { locateIn, type PathSegment } from '../outline/locate.js';
import { stepAt } from '../outline/readOutline.js';
import { rangeOf, truncate, wordAt, type FeatureContext } from './FeatureContext.js';

type Want =
  | { what: 'step' }
  | { what: 'field'; child?: string; asKey?: boolean }
  | { what: 'sop' }
  | { what: 'outcome'; child: string; asKey: boolean };

/** What belongs at a slot: the path inside a step (after `instructions, i`) and whether it is a key. */
function wanted(rest: PathSegment[], kind: 'key' | 'value', use: string | undefined): Want | undefined {
  const [a, b, c, d] = rest;
  if (kind === 'value') {
    if (rest.length === 1 && a === 'next') return { what: 'step' };
    if (a === 'choices' && typeof b === 'number' && c === 'next' && rest.length === 3) return { what: 'step' };
    if (a === 'choices' && typeof b === 'number' && c === 'when' && d === 'field' && rest.length === 4) return { what: 'field' };
    if (a === 'outcomes' && rest.length === 2) return { what: 'step' };
    if (a === 'limit' && b === 'next' && rest.length === 2) return { what: 'step' };
    if (a === 'record' && rest.length <= 2) return { what: 'field' };
    if (a === 'use' && rest.length === 1) return { what: 'sop' };
    // with: { child_field: parent_field }; returns: { parent_field: child_field }
    if (a === 'with' && rest.length === 2) return { what: 'field' };
    if (a === 'returns' && rest.length === 2) return use !== undefined ? { what: 'field', child: use } : undefined;
    // a word typed straight under `with:` / `returns:` / `outcomes:` is the start of a key
    if (a === 'with' && rest.length === 1) return use !== undefined ? { what: 'field', child: use, asKey: true } : undefined;
    if (a === 'returns' && rest.length === 1) return { what: 'field', asKey: true };
    if (a === 'outcomes' && rest.length === 1) return use !== undefined ? { what: 'outcome', child: use, asKey: true } : undefined;
    return undefined;
  }
  if (rest.length === 1 && a === 'with') return use !== undefined ? { what: 'field', child: use, asKey: true } : undefined;
  if (rest.length === 1 && a === 'returns') return { what: 'field', asKey: true };
  if (rest.length === 1 && a === 'outcomes') return use !== undefined ? { what: 'outcome', child: use, asKey: true } : undefined;
  return undefined;
}

/**
 * Completion of what sopflow knows and the schema cannot: step ids in `next`, choices,
 * `outcomes` and `limit.next` (with each step's kind and text); field names in `record`,
 * `when`, `with` and `returns` (this SOP's or the sub-procedure's, as each position needs);
 * SOP ids of the workspace in `use`; the sub-procedure's outcomes as `outcomes` keys. Keys
 * of the format itself are yaml-language-server's (from the schema).
 */
export function completion(ctx: FeatureContext, position: Position): CompletionItem[] {
  const { doc, outline } = ctx;
  const text = outline.text;
  const offset = doc.offsetAt(position);
  const slot = locateIn(outline, offset);
  if (!slot || slot.path[0] !== 'instructions' || typeof slot.path[1] !== 'number') return [];
  const step = outline.steps[slot.path[1]] ?? stepAt(outline, offset);
  const want = wanted(slot.path.slice(2), slot.kind, step?.use);
  if (!want) return [];
  const word = wordAt(text, offset);
  const range = rangeOf(doc, word);
  const item = (
    label: string,
    kind: CompletionItemKind,
    detail: string,
    index: number,
    documentation?: string,
    insert = label,
  ): CompletionItem => ({
    label,
    kind,
    detail,
    sortText: String(index).padStart(6, '0'),
    filterText: label,
    textEdit: { range, newText: insert },
    ...(documentation ? { documentation: { kind: 'markdown', value: documentation } } : {}),
  });
  switch (want.what) {
    case 'step': {
      const seen = new Set<string>();
      return outline.steps
        .filter((s) => !seen.has(s.id) && seen.add(s.id))
        .map((s) =>
          item(s.id, CompletionItemKind.Reference, `${s.kind}${s.text ? `: ${truncate(s.text, 70)}` : ''}`, s.index, s.text || undefined),
        );
    }
    case 'field': {
      const fields = want.child !== undefined ? (ctx.sop(want.child)?.outline.fields ?? []) : outline.fields;
      return fields.map((f, i) =>
        item(
          f.name,
          CompletionItemKind.Field,
          [f.type, f.label].filter(Boolean).join(' · ') + (want.child !== undefined ? ` (field of ${want.child})` : ''),
          i,
          undefined,
          want.asKey ? `${f.name}: ` : f.name,
        ),
      );
    }
    case 'sop': {
      const out: CompletionItem[] = [];
      let i = 0;
      for (const [id, files] of [...ctx.workspace.ids()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const file = files[0];
        if (!file || id === outline.sopId?.name) continue;
        out.push(item(id, CompletionItemKind.Module, file.links.title ?? file.display, i++, `\`${file.display}\``));
      }
      return out;
    }
    case 'outcome': {
      const child = ctx.sop(want.child);
      return (child?.outcomes() ?? []).map((o, i) =>
        item(o, CompletionItemKind.EnumMember, `an outcome of ${want.child}`, i, undefined, `${o}: `),
      );
    }
    default:
      return [];
  }
}
