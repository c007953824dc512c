import type { LoadedFile } from '../loadSop.js';
import type { FileDiagnostic } from './FileDiagnostic.js';
import { code } from '../shared/show.js';

/** Two files must not declare the same SOP `id`; reported on every file after the first. */
export function duplicateProcedure(files: readonly LoadedFile[]): FileDiagnostic[] {
  const out: FileDiagnostic[] = [];
  const first = new Map<string, LoadedFile>();
  for (const file of files) {
    const id = file.declaredId;
    if (id === undefined) continue;
    const earlier = first.get(id);
    if (!earlier) { first.set(id, file); continue; }
    out.push({ owner: file, diagnostic: file.located.diagnostic({
      code: 'duplicate-procedure', severity: 'error', path: ['id'],
      message: `the SOP id ${code(id)} is also declared in ${earlier.file}`,
      hint: 'give each SOP its own id',
    }) });
  }
  return out;
}
