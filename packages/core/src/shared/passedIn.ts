import type { ProjectFileView } from '../registry/defineRule.js';

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
