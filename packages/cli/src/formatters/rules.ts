import { DIAGNOSTIC_CODES, type DiagnosticCode, type Severity } from '@sopflow/model';

/** What each diagnostic code means: the short description shown in SARIF rule metadata. */
export const RULES: Record<DiagnosticCode, { severity: Severity; description: string }> = {
  'yaml-syntax': { severity: 'error', description: 'The file is not valid YAML.' },
  'duplicate-key': { severity: 'error', description: 'A mapping repeats a key.' },
  'nesting-depth': { severity: 'error', description: 'The YAML is nested too deeply to be an SOP.' },
  'multiple-documents': { severity: 'error', description: 'The file holds more than one YAML document.' },
  schema: { severity: 'error', description: 'The JSON Schema rejects a node.' },
  'unknown-step': { severity: 'error', description: 'A next, a choice or an outcome names no step.' },
  'duplicate-id': { severity: 'error', description: 'Two steps share an id.' },
  'unreachable-step': { severity: 'error', description: 'No path from the first step reaches this step.' },
  'no-way-out': { severity: 'error', description: 'No end can be reached from this step.' },
  'undeclared-field': { severity: 'error', description: 'record or when names a field not declared in fields.' },
  'field-value': { severity: 'error', description: "A when value does not fit the field's type or enum." },
  'invalid-duration': { severity: 'error', description: 'A duration that cannot be read.' },
  'missing-procedure': { severity: 'error', description: 'use names an SOP that is not among the files given.' },
  'duplicate-procedure': { severity: 'error', description: 'Two SOP files share an id.' },
  'unknown-outcome': { severity: 'error', description: 'An outcomes key the sub-procedure never ends with.' },
  'procedure-cycle': { severity: 'error', description: 'A procedure runs itself, directly or through other procedures.' },
  'single-choice': { severity: 'warning', description: 'A decision with fewer than two ways out.' },
  'unused-term': { severity: 'warning', description: 'A term is defined but never used in the text.' },
  'undefined-term': { severity: 'warning', description: 'An acronym is used in the text but not defined in terms.' },
  'review-overdue': { severity: 'warning', description: 'The review_by date has passed.' },
};

/** Every code, in the model's order, with its description (a fallback for codes added later). */
export function ruleList(): { code: DiagnosticCode; severity: Severity; description: string }[] {
  return DIAGNOSTIC_CODES.map((code) => ({
    code,
    severity: RULES[code]?.severity ?? 'error',
    description: RULES[code]?.description ?? `sopflow rule ${code}.`,
  }));
}
