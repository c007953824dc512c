import type { Finding, ProjectFileView, ProjectFinding } from '../registry/defineRule.js';

/** For each SOP id, the fields some `use:` step among the files passes into it (`with` keys). */
export function passedIn(files: readonly ProjectFileView[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const { procedure } of files) {
    for (const { step } of procedure?.uses ?? []) {
      if (!step.with || typeof step.with !== 'object') continue;
      let set = out.get(step.use);
      if (!set) out.set(step.use, (set = new Set()));
      for (const child of Object.keys(step.with)) set.add(child);
    }
  }
  return out;
}

/** A finding about one field of an SOP, which a procedure passing that field in (`with`) would answer. */
export interface FieldFinding {
  field: string;
  finding: Finding;
}

/**
 * What each file's `gather` found (as if nothing were passed in), minus the findings about a field
 * some `use:` step among the files passes into that SOP.
 */
export function unlessPassedIn(
  files: readonly ProjectFileView[],
  gathered: readonly (readonly FieldFinding[] | undefined)[],
): ProjectFinding[] {
  const out: ProjectFinding[] = [];
  const given = passedIn(files);
  gathered.forEach((found, file) => {
    const id = files[file]?.procedure?.id;
    if (!found || id === undefined) return;
    const passed = given.get(id);
    for (const { field, finding } of found) if (!passed?.has(field)) out.push({ file, ...finding });
  });
  return out;
}
