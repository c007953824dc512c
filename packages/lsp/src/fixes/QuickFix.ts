import type { Diagnostic } from '@sopflow/core';
import type { Range, TextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Outline } from '../outline/readOutline.js';

/** A quick fix the server computes itself, for mistakes core reports without a fix (see each file for why). */
export interface QuickFix {
  title: string;
  edits: TextEdit[];
  preferred?: boolean;
}

export interface FixContext {
  doc: TextDocument;
  /** the diagnostic as core reported it */
  diagnostic: Diagnostic;
  /** its range in the editor's document */
  range: Range;
  /** the document's outline (parsed on first use) */
  outline: () => Outline;
}

/** The text of line `line` (0-based), without its line break. */
export function lineText(doc: TextDocument, line: number): string {
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return text.replace(/\r?\n$/, '');
}

export const indentOf = (line: string): number => line.length - line.trimStart().length;
export const isBlank = (line: string): boolean => /^\s*(?:#.*)?$/.test(line);
