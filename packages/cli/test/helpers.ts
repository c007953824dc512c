import type { Diagnostic } from '@sopflow/model';

/** A hand-made diagnostic for formatter tests. */
export function diag(overrides: Partial<Diagnostic> = {}): Diagnostic {
  const line = overrides.line ?? 1;
  const column = overrides.column ?? 1;
  return {
    code: 'unknown-step',
    severity: 'error',
    message: 'no step has the id `resarch`',
    file: 'a.sop.yaml',
    line,
    column,
    endLine: line,
    endColumn: column + 1,
    path: ['instructions', 0, 'next'],
    ...overrides,
  };
}
