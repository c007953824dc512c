import { ruleFor, type Diagnostic, type TextEdit } from '@sopflow/core';
import {
  DiagnosticSeverity,
  type Diagnostic as LspDiagnostic,
  type Position,
  type Range,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver';

/**
 * Where the rule pages are published: the repository's docs/rules/ (the SARIF output's
 * `helpUri` points at the same pages). An editor opens `codeDescription.href` on a click.
 */
export const DEFAULT_DOCS_BASE = 'https://github.com/sopflow/sopflow/blob/main/';

/** The page of a code: the registry's `docs` path under `base`. */
export function docsUrl(code: Diagnostic['code'], base: string = DEFAULT_DOCS_BASE): string {
  const docs = ruleFor(code)?.docs ?? `docs/rules/${code}.md`;
  return `${base.endsWith('/') ? base : `${base}/`}${docs}`;
}

/**
 * sopflow counts columns in the text after a byte order mark; an editor that keeps the mark in
 * the document counts it: positions on the first line move by one.
 */
const bomShift = (text: string, line: number) => (line === 1 && text.charCodeAt(0) === 0xfeff ? 1 : 0);

export function toPosition(text: string, line: number, column: number): Position {
  return { line: Math.max(0, line - 1), character: Math.max(0, column - 1 + bomShift(text, line)) };
}

export function toRange(text: string, at: Pick<Diagnostic, 'line' | 'column' | 'endLine' | 'endColumn'>): Range {
  return { start: toPosition(text, at.line, at.column), end: toPosition(text, at.endLine, at.endColumn) };
}

export function toLspEdit(text: string, edit: TextEdit): LspTextEdit {
  return { range: toRange(text, edit), newText: edit.newText };
}

/** One sopflow diagnostic as the editor shows it: code, severity, range, the hint below the message, the rule's page. */
export function toLspDiagnostic(text: string, d: Diagnostic, docsBase?: string): LspDiagnostic {
  return {
    range: toRange(text, d),
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    codeDescription: { href: docsUrl(d.code, docsBase) },
    source: 'sopflow',
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
  };
}
