import type { Diagnostic, Sop } from '@sopflow/model';
import { loadFile, sortDiagnostics, type LoadedFile, type LoadResult } from '../loadSop.js';
import { duplicateProcedure } from './duplicate-procedure.js';
import { missingProcedure } from './missing-procedure.js';
import { procedureCycle } from './procedure-cycle.js';
import { unknownOutcome } from './unknown-outcome.js';
import type { FileDiagnostic } from './FileDiagnostic.js';

export interface ProjectFile {
  file: string;
  text: string;
}

export interface ProjectResult {
  /** one per file, in the order given, each with its own and its cross-file diagnostics */
  results: LoadResult[];
  /** every diagnostic of every file, flattened in file order */
  diagnostics: Diagnostic[];
  /** SOP id -> SOP, for every schema-valid file (the first, when ids repeat) */
  procedures: Map<string, Sop>;
}

/** id -> SOP for the SOPs that loaded (the first file wins when ids repeat). */
export function findProcedures(results: readonly LoadResult[]): Map<string, Sop> {
  const procedures = new Map<string, Sop>();
  for (const r of results) if (r.sop && !procedures.has(r.sop.id)) procedures.set(r.sop.id, r.sop);
  return procedures;
}

/**
 * Validates a set of SOP files together: each file on its own (loadSop), then across files:
 * `use:` must name one of the SOPs given (missing-procedure), `outcomes` keys must be ends of
 * that SOP (unknown-outcome), no two files may declare the same id (duplicate-procedure), and
 * no procedure may run itself, directly or through others (procedure-cycle).
 * Never throws.
 */
export function validateProject(files: readonly ProjectFile[], options: { today?: string } = {}): ProjectResult {
  const loaded: LoadedFile[] = (Array.isArray(files) ? files : []).map((f) => loadFile(f?.text ?? '', { file: f?.file ?? '<input>', ...(options?.today ? { today: options.today } : {}) }));
  const procedures = findProcedures(loaded);
  const ids = new Set<string>();
  for (const f of loaded) if (f.declaredId !== undefined) ids.add(f.declaredId);
  const touched = new Set<LoadedFile>();
  const add = (list: FileDiagnostic[]) => {
    for (const { owner, diagnostic } of list) {
      owner.diagnostics.push(diagnostic);
      touched.add(owner);
    }
  };
  try {
    add(duplicateProcedure(loaded));
    add(missingProcedure(loaded, ids));
    add(unknownOutcome(loaded, procedures));
    add(procedureCycle(loaded, procedures));
  } catch {
    /* cross-file checks are best effort; each file's own diagnostics stand */
  }
  for (const f of touched) sortDiagnostics(f.diagnostics);
  const results: LoadResult[] = loaded.map(({ file, sop, diagnostics }) => ({ file, sop, diagnostics }));
  return { results, diagnostics: results.flatMap((r) => r.diagnostics), procedures };
}
