/** Every diagnostic code sopflow can report: a closed union, one docs page each in docs/rules/. */
export const DIAGNOSTIC_CODES = [
  'yaml-syntax',
  'duplicate-key',
  'nesting-depth',
  'multiple-documents',
  'schema',
  'unknown-step',
  'duplicate-id',
  'unreachable-step',
  'no-way-out',
  'undeclared-field',
  'field-value',
  'invalid-duration',
  'missing-procedure',
  'duplicate-procedure',
  'unknown-outcome',
  'procedure-cycle',
  'single-choice',
  'unused-term',
  'undefined-term',
  'review-overdue',
] as const;

export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

export type Severity = 'error' | 'warning';

/** A path into the parsed document, e.g. `['instructions', 3, 'next']`. */
export type DocPath = (string | number)[];

/** A problem found in an SOP file: plain data, never thrown. Lines and columns are 1-based. */
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
}

export function isDiagnosticCode(value: string): value is DiagnosticCode {
  return (DIAGNOSTIC_CODES as readonly string[]).includes(value);
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
