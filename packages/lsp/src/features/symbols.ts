import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Outline } from '../outline/readOutline.js';
import { rangeOf, truncate } from './FeatureContext.js';

/** How each kind of step shows in an outline (a kind not listed here shows as a function). */
export const STEP_SYMBOL: Record<string, SymbolKind> = {
  task: SymbolKind.Function,
  decision: SymbolKind.Enum,
  subprocedure: SymbolKind.Module,
  handoff: SymbolKind.Interface,
  wait: SymbolKind.Event,
  end: SymbolKind.Constant,
};

/**
 * The document outline: every step in reading order, named by its id, its kind and text as
 * detail; a decision's choices beneath it.
 */
export function documentSymbols(doc: TextDocument, outline: Outline): DocumentSymbol[] {
  return outline.steps.map((step) => {
    const range = rangeOf(doc, step.span);
    const selection = rangeOf(doc, step.idSpan ?? step.firstKey ?? step.span);
    const symbol: DocumentSymbol = {
      name: step.id,
      detail: `${step.kind}${step.text ? `: ${truncate(step.text, 60)}` : ''}`,
      kind: STEP_SYMBOL[step.kind] ?? SymbolKind.Function,
      range,
      selectionRange: contains(range, selection) ? selection : range,
    };
    if (step.choices.length > 0) {
      symbol.children = step.choices.map((choice) => {
        const r = rangeOf(doc, choice.span);
        return {
          name: choice.label.trim() || 'choice',
          detail: choice.next ? `→ ${choice.next}` : '',
          kind: SymbolKind.EnumMember,
          range: r,
          selectionRange: r,
        };
      });
    }
    return symbol;
  });
}

/** The same, flat, for clients without hierarchical symbols. */
export function symbolInformation(doc: TextDocument, outline: Outline): SymbolInformation[] {
  return documentSymbols(doc, outline).map((s) => ({ name: s.name, kind: s.kind, location: { uri: doc.uri, range: s.range } }));
}

type At = { line: number; character: number };
const le = (a: At, b: At) => a.line < b.line || (a.line === b.line && a.character <= b.character);
const contains = (outer: { start: At; end: At }, inner: { start: At; end: At }) => le(outer.start, inner.start) && le(inner.end, outer.end);
