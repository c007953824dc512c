import type { LoadedFile } from '../loadSop.js';
import type { FileDiagnostic } from './FileDiagnostic.js';
import { didYouMean } from '../shared/didYouMean.js';
import { code } from '../shared/show.js';

/** `use:` must name the id of one of the SOPs given. */
export function missingProcedure(files: readonly LoadedFile[], ids: ReadonlySet<string>): FileDiagnostic[] {
  const out: FileDiagnostic[] = [];
  for (const file of files) {
    if (!file.sop) continue;
    file.sop.instructions.forEach((step, index) => {
      if (typeof step.use !== 'string' || ids.has(step.use)) return;
      out.push({ owner: file, diagnostic: file.located.diagnostic({
        code: 'missing-procedure', severity: 'error', path: ['instructions', index, 'use'],
        message: `step uses the SOP ${code(step.use)}, which is not among the files given`,
        hint: didYouMean(step.use, ids) ?? 'validate it together with the file that declares that id',
      }) });
    });
  }
  return out;
}
