import type { Workspace } from '../workspace/Workspace.js';
import type { CheckRequest } from './Checker.js';

/** A check to run: what to send to the checker, and what it is about. */
export interface PlannedCheck {
  uri: string;
  /** the editor version being checked (undefined for a file read from disk) */
  version: number | undefined;
  /** the text being checked */
  text: string;
  request: CheckRequest;
  /** the files the check reads (a change to any of them checks this one again) */
  read: string[];
}

/**
 * Plans the check of one file with every sopflow rule, cross-file ones included:
 * `validateProject` over the file and the workspace files it depends on
 * (`Workspace.projectFor`), in the order `sopflow validate` reads them, so the result is the
 * one the CLI gives for this file. Closed files whose size or time changed on disk are read
 * again first.
 */
export function planCheck(workspace: Workspace, uri: string, today: string | undefined): PlannedCheck | undefined {
  let files = workspace.projectFor(uri);
  if (files.length === 0) return undefined;
  workspace.refreshStale(files.map((f) => f.uri));
  files = workspace.projectFor(uri);
  const key = workspace.get(uri)?.uri;
  const target = files.findIndex((f) => f.uri === key);
  if (target === -1) return undefined;
  const file = files[target]!;
  return {
    uri: file.uri,
    version: file.version,
    text: file.text,
    request: { files: files.map((f) => ({ file: f.display, text: f.text })), target, ...(today ? { today } : {}) },
    read: files.map((f) => f.uri),
  };
}
