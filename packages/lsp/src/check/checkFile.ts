import { validateProject, type Diagnostic } from '@sopflow/core';
import type { Workspace } from '../workspace/Workspace.js';

export interface FileCheck {
  uri: string;
  /** the editor version checked (undefined for a file read from disk) */
  version: number | undefined;
  /** the text checked */
  text: string;
  /** sopflow's diagnostics of this file: what `sopflow validate` on its workspace folder reports for it */
  diagnostics: Diagnostic[];
  /** the files the check read (so a change to any of them re-checks this one) */
  read: string[];
  /** milliseconds the check took */
  ms: number;
}

/**
 * Checks one file with every sopflow rule, cross-file ones included: `validateProject` over the
 * file and the workspace files it depends on (see `Workspace.projectFor`), in the order
 * `sopflow validate` reads them, so the result is the one the CLI gives for this file. Closed
 * files whose size or time changed on disk are read again first. Never throws.
 */
export function checkFile(workspace: Workspace, uri: string, today: string | undefined): FileCheck | undefined {
  const started = performance.now();
  let files = workspace.projectFor(uri);
  if (files.length === 0) return undefined;
  workspace.refreshStale(files.map((f) => f.uri));
  files = workspace.projectFor(uri);
  const target = files.find((f) => f.uri === workspace.get(uri)?.uri);
  if (!target) return undefined;
  let diagnostics: Diagnostic[];
  try {
    const result = validateProject(files.map((f) => ({ file: f.display, text: f.text })), today ? { today } : {});
    diagnostics = result.results[files.indexOf(target)]?.diagnostics ?? [];
  } catch (error) {
    // validateProject never throws; should it all the same, say so in the file rather than go quiet
    diagnostics = [{
      code: 'yaml-syntax', severity: 'error', file: target.display, line: 1, column: 1, endLine: 1, endColumn: 1, path: [],
      message: `sopflow could not check this file: ${String((error as Error)?.message ?? error).slice(0, 200)}`,
    }];
  }
  return { uri: target.uri, version: target.version, text: target.text, diagnostics, read: files.map((f) => f.uri), ms: performance.now() - started };
}
