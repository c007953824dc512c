import { procedureGraph, type Diagnostic, type Sop } from '@sopflow/model';
import { GatherFailed, loadFile, sortDiagnostics, type LoadedFile, type LoadResult } from '../loadSop.js';
import { PROJECT_RULES } from '../registry/registry.js';
import { placeFinding } from '../registry/placeFindings.js';
import type { ProcedureView, ProjectContext, ProjectRule } from '../registry/defineRule.js';

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
  /** SOP id -> SOP, for every schema-valid file (the first, when ids repeat); empty with `sops: false` */
  procedures: Map<string, Sop>;
}

export interface ProjectOptions {
  /** YYYY-MM-DD, the date `review_by` is compared with (default: today, from the clock) */
  today?: string;
  /**
   * Default true. false: the results carry no `sop` and `procedures` is empty, so no file's SOP
   * or graph outlives its own check (the cross-file rules read a small view of each SOP, taken
   * while the file is loaded). For callers that want only the diagnostics, as the CLI's
   * `validate` over whole folders: every SOP kept to the end is copied by the young-generation
   * collector, ~90 ms of a 1,000-file run.
   */
  sops?: boolean;
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
 * a diagnostic of its own code (on the file it failed on while gathering from that file, else on
 * the first file), and the other rules still run.
 */
export function validateProject(files: readonly ProjectFile[], options: ProjectOptions = {}): ProjectResult {
  return checkProject(files, { ...(options?.today ? { today: options.today } : {}), ...(options?.sops === false ? { sops: false } : {}) });
}

export function checkProject(files: readonly ProjectFile[], options: CheckProjectOptions = {}): ProjectResult {
  const keepSop = options.sops !== false;
  const loadOptions = {
    ...(options.today ? { today: options.today } : {}),
    ...(options.fastPath === false ? { fastPath: false } : {}),
    project: true,
    keepSop,
  };
  const list: readonly ProjectFile[] = Array.isArray(files) ? files : [];
  const loaded: LoadedFile[] = list.map((f) => loadFile(f?.text ?? '', { file: f?.file ?? '<input>', ...loadOptions }));
  const procedures = new Map<string, ProcedureView>();
  for (const f of loaded) if (f.procedure && !procedures.has(f.procedure.id)) procedures.set(f.procedure.id, f.procedure);
  const ids = new Set<string>();
  for (const f of loaded) if (f.declaredId !== undefined) ids.add(f.declaredId);
  const graph = procedureGraph([...procedures.values()].map((p) => ({ id: p.id, uses: p.uses.map((u) => u.step.use) })));
  const context: ProjectContext = { files: loaded, procedures, ids, graph };
  const touched = new Set<LoadedFile>();
  const cannotRun = (owner: LoadedFile, rule: ProjectRule, reason: string, where: string) => {
    owner.diagnostics.push(
      owner.located.diagnostic({
        code: rule.code,
        severity: rule.severity,
        path: [],
        range: [0, 0],
        message: `sopflow could not run the cross-file check \`${rule.code}\`${where}: ${reason}`,
      }),
    );
    touched.add(owner);
  };
  PROJECT_RULES.forEach((rule, k) => {
    // what each file gave this rule's `gather` (none for a rule without one)
    const gathered: unknown[] = [];
    if (rule.gather) {
      for (const f of loaded) {
        const mine = f.gathered?.[k];
        if (mine instanceof GatherFailed) cannotRun(f, rule, mine.reason, ' on this file');
        gathered.push(mine instanceof GatherFailed ? undefined : mine);
      }
    }
    try {
      for (const finding of rule.check(context, gathered)) {
        const owner = loaded[finding.file];
        if (!owner) continue;
        const placed = placeFinding(rule, finding, owner.located);
        owner.diagnostics.push(owner.repaired ? owner.repaired.diagnostic(placed) : placed);
        touched.add(owner);
      }
    } catch (error) {
      const owner = loaded[0];
      if (owner) cannotRun(owner, rule, String((error as Error)?.message ?? error).slice(0, 200), '');
    }
  });
  for (const f of touched) sortDiagnostics(f.diagnostics);
  const results: LoadResult[] = loaded.map(({ file, sop, diagnostics }) => ({ file, sop, diagnostics }));
  return {
    results,
    diagnostics: results.flatMap((r) => r.diagnostics),
    procedures: keepSop ? findProcedures(results) : new Map<string, Sop>(),
  };
}
