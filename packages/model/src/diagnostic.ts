import { DIAGNOSTIC_CODES } from './diagnosticCodes.generated.js';

export { DIAGNOSTIC_CODES };

/**
 * Every diagnostic code sopflow can report: a closed union, one docs page each in docs/rules/.
 * Derived from the rule registry (one file per code in packages/core/src/rules/): adding a rule
 * file and running `pnpm run generate` adds its code here.
 */
export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

export type Severity = 'error' | 'warning';

/** A path into the parsed document, e.g. `['instructions', 3, 'next']`. */
export type DocPath = (string | number)[];

/**
 * One text replacement. Lines and columns 1-based, like Diagnostic; the end is exclusive.
 * Columns count UTF-16 code units of the file's text after its byte order mark (as
 * Diagnostic's do). An insertion has `endLine`/`endColumn` equal to `line`/`column`.
 */
export interface TextEdit {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  newText: string;
}

/** A fix the user (or an editor quick fix) can apply: every edit together. */
export interface Fix {
  title: string;
  edits: TextEdit[];
}

/**
 * A problem found in an SOP file: plain data, never thrown. Lines and columns are 1-based;
 * `endLine`/`endColumn` is exclusive (the position just after the last character shown).
 */
export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  path: DocPath;
  /** e.g. "did you mean `research`?" */
  hint?: string;
  /** exact fixes, as data: the first is the one a quick fix offers first */
  fixes?: Fix[];
}

export function isDiagnosticCode(value: string): value is DiagnosticCode {
  return (DIAGNOSTIC_CODES as readonly string[]).includes(value);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
