import type { Diagnostic } from '@sopflow/core';
import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic, type Range, type TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { toLspEdit } from '../check/toLsp.js';
import type { Outline } from '../outline/readOutline.js';
import { addListDash } from '../fixes/addListDash.js';
import { addTerm } from '../fixes/addTerm.js';
import { quoteText } from '../fixes/quoteText.js';
import type { FixContext, QuickFix } from '../fixes/QuickFix.js';

/** A published diagnostic: core's, and the editor's copy of it. */
export interface PublishedDiagnostic {
  core: Diagnostic;
  lsp: LspDiagnostic;
}

/** Fixes core does not report as data (see each for why), computed here. */
const LOCAL_FIXES: ((ctx: FixContext) => QuickFix[])[] = [quoteText, addTerm, addListDash];

const before = (a: { line: number; character: number }, b: { line: number; character: number }) =>
  a.line < b.line || (a.line === b.line && a.character < b.character);

/** Whether two ranges overlap or touch (a cursor at either end of a diagnostic counts). */
export function touches(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

export interface CodeActionInput {
  doc: TextDocument;
  /** the diagnostics published for this version of the document */
  published: readonly PublishedDiagnostic[];
  range: Range;
  /** the diagnostics the editor sent (matched to published ones by code and range) */
  context: readonly LspDiagnostic[];
  only?: readonly string[] | undefined;
  outline: () => Outline;
  /** write edits as a versioned document change (when the client supports it) */
  versioned: boolean;
}

const sameRange = (a: Range, b: Range) =>
  a.start.line === b.start.line &&
  a.start.character === b.start.character &&
  a.end.line === b.end.line &&
  a.end.character === b.end.character;

/**
 * Quick fixes for the diagnostics at a range: each of core's fixes (did-you-mean for keys, step
 * ids, fields, SOP ids and outcomes, enum values, durations, quoting a number…) as one action,
 * then the fixes computed here. The first fix of a diagnostic with a single clear fix is
 * marked preferred (an editor's "fix all of this kind" / auto-fix picks it).
 */
export function codeActions(input: CodeActionInput): CodeAction[] {
  if (
    input.only &&
    !input.only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`) || kind === '')
  )
    return [];
  const chosen = input.published.filter(
    (p) => input.context.some((c) => c.code === p.lsp.code && sameRange(c.range, p.lsp.range)) || touches(p.lsp.range, input.range),
  );
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  const uri = input.doc.uri;
  const add = (title: string, edits: TextEdit[], diagnostic: LspDiagnostic, preferred: boolean) => {
    const key = `${title}\u0000${JSON.stringify(edits)}`;
    if (seen.has(key) || edits.length === 0) return;
    seen.add(key);
    actions.push({
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      ...(preferred ? { isPreferred: true } : {}),
      edit: input.versioned
        ? { documentChanges: [{ textDocument: { uri, version: input.doc.version }, edits }] }
        : { changes: { [uri]: edits } },
    });
  };
  const text = input.doc.getText();
  for (const { core, lsp } of chosen) {
    const fixes = core.fixes ?? [];
    fixes.forEach((fix, i) =>
      add(
        fix.title,
        fix.edits.map((e) => toLspEdit(text, e)),
        lsp,
        i === 0 && fixes.length === 1,
      ),
    );
    const ctx: FixContext = { doc: input.doc, diagnostic: core, range: lsp.range, outline: input.outline };
    for (const local of LOCAL_FIXES) {
      // core mends the YAML slips it recognizes (text holding `: ` among them) and says how: a
      // local quoting would only repeat it. The local dash fix stays: it re-indents the whole
      // item at once, where core's fixes mend one line each
      if (local === quoteText && core.code === 'yaml-syntax' && fixes.length > 0) continue;
      let found: QuickFix[] = [];
      try {
        found = local(ctx);
      } catch {
        // a fix that trips over odd text offers nothing
      }
      for (const fix of found) add(fix.title, fix.edits, lsp, fix.preferred === true && fixes.length === 0);
    }
  }
  return actions;
}
