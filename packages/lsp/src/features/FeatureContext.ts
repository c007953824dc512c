import type { Position, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Outline, Span } from '../outline/readOutline.js';
import type { Workspace, WorkspaceFile } from '../workspace/Workspace.js';

/** Another SOP of the workspace, as the features see it. */
export interface OtherSop {
  file: WorkspaceFile;
  outline: Outline;
  /** outcomes the SOP can end with (core's graph, or its `end:` values when it does not load) */
  outcomes(): string[];
}

/** What every editor feature reads: the document, its outline, and the other SOPs. */
export interface FeatureContext {
  doc: TextDocument;
  outline: Outline;
  workspace: Workspace;
  /** the SOP declaring `id` (the first by name when several do), if any */
  sop(id: string): OtherSop | undefined;
  /** the outline of another file */
  outlineOf(file: WorkspaceFile): Outline;
}

export const rangeOf = (doc: TextDocument, span: Span): Range => ({ start: doc.positionAt(span.start), end: doc.positionAt(span.end) });

/** The span of the text of a scalar: inside its quotes, when it has them. */
export function innerSpan(text: string, span: Span): Span {
  const first = text[span.start];
  if ((first === '"' || first === "'") && span.end - span.start >= 2 && text[span.end - 1] === first)
    return { start: span.start + 1, end: span.end - 1 };
  return span;
}

const NAME_CHAR = /[\p{L}\p{N}_.-]/u;

/** The name-like word around a position (letters, digits, `_`, `.`, `-`): its span, possibly empty. */
export function wordAt(text: string, offset: number): Span {
  let start = offset;
  let end = offset;
  while (start > 0 && NAME_CHAR.test(text[start - 1]!)) start--;
  while (end < text.length && NAME_CHAR.test(text[end]!)) end++;
  return { start, end };
}

export const offsetOf = (doc: TextDocument, position: Position): number => doc.offsetAt(position);

export const truncate = (text: string, max = 80): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
