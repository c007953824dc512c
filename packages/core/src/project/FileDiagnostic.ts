import type { Diagnostic } from '@sopflow/model';
import type { LoadedFile } from '../loadSop.js';

/** A cross-file diagnostic and the file it belongs to. */
export interface FileDiagnostic {
  owner: LoadedFile;
  diagnostic: Diagnostic;
}
