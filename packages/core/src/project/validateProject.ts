import { buildProcedureGraph, type Diagnostic, type Sop } from '@sopflow/model';
import { loadFile, sortDiagnostics, type LoadedFile, type LoadResult } from '../loadSop.js';
import { PROJECT_RULES } from '../registry/registry.js';
import { placeFinding } from '../registry/placeFindings.js';
import type { ProjectContext } from '../registry/defineRule.js';

/** One file given to `validateProject`: its name (as shown in diagnostics) and its text. */
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

export interface ProjectOptions {
  /** YYYY-MM-DD, the date `review_by` is compared with (default: today, from the clock) */
  today?: string;
}

/** Internal options (tests): whether loadFile may take its fast path. */
export interface CheckProjectOptions extends ProjectOptions {
  fastPath?: boolean;
}

/** id -> SOP for the SOPs that loaded (the first file wins when ids repeat). */
export function findProcedures(results: readonly LoadResult[]): Map<string, Sop> {
  const procedures = new Map<string, Sop>();
  for (const r of results) if (r.sop && !procedures.has(r.sop.id)) procedures.set(r.sop.id, r.sop);
  return procedures;
}

/**
 * Validates a set of SOP files together: each file on its own (loadSop), then every `project`
 * rule of the registry across files (`use:` naming an SOP given, outcomes it can end with, ids
 * declared once, no procedure running itself). Never throws: a rule that fails is reported as
 * a diagnostic of its own code on the first file, and the other rules still run.
 */
export function validateProject(files: readonly ProjectFile[], options: ProjectOptions = {}): ProjectResult {
  return checkProject(files, { ...(options?.today ? { today: options.today } : {}) });
}

export function checkProject(files: readonly ProjectFile[], options: CheckProjectOptions = {}): ProjectResult {
  const loadOptions = { ...(options.today ? { today: options.today } : {}), ...(options.fastPath === false ? { fastPath: false } : {}) };
  const list: readonly ProjectFile[] = Array.isArray(files) ? files : [];
  const loaded: LoadedFile[] = list.map((f) => loadFile(f?.text ?? '', { file: f?.file ?? '<input>', ...loadOptions }));
  const procedures = findProcedures(loaded);
  const ids = new Set<string>();
  for (const f of loaded) if (f.declaredId !== undefined) ids.add(f.declaredId);
  const context: ProjectContext = { files: loaded, procedures, ids, graph: buildProcedureGraph(procedures) };
  const touched = new Set<LoadedFile>();
  for (const rule of PROJECT_RULES) {
    try {
      for (const finding of rule.check(context)) {
        const owner = loaded[finding.file];
        if (!owner) continue;
        const placed = placeFinding(rule, finding, owner.located);
        owner.diagnostics.push(owner.repaired ? owner.repaired.diagnostic(placed) : placed);
        touched.add(owner);
      }
    } catch (error) {
      const owner = loaded[0];
      if (!owner) continue;
      const reason = String((error as Error)?.message ?? error).slice(0, 200);
      owner.diagnostics.push(
        owner.located.diagnostic({
          code: rule.code,
          severity: rule.severity,
          path: [],
          range: [0, 0],
          message: `sopflow could not run the cross-file check \`${rule.code}\`: ${reason}`,
        }),
      );
      touched.add(owner);
    }
  }
  for (const f of touched) sortDiagnostics(f.diagnostics);
  const results: LoadResult[] = loaded.map(({ file, sop, diagnostics }) => ({ file, sop, diagnostics }));
  return { results, diagnostics: results.flatMap((r) => r.diagnostics), procedures };
}
