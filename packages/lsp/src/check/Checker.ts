import { Worker } from 'node:worker_threads';
import { validateProject, type Diagnostic, type ProjectFile } from '@sopflow/core';

/** One check: the files `sopflow validate` would read together, and which of them to report on. */
export interface CheckRequest {
  files: ProjectFile[];
  /** index in `files` of the file whose diagnostics are wanted */
  target: number;
  today?: string | undefined;
}

/** Runs checks: on this thread, or on a worker thread so the editor's requests never wait for one. */
export interface Checker {
  check(request: CheckRequest): Promise<Diagnostic[]>;
  dispose(): void;
}

/** What a check returns when validateProject itself fails (it never should): said in the file, not swallowed. */
function failure(request: CheckRequest, reason: string): Diagnostic[] {
  return [
    {
      code: 'yaml-syntax',
      severity: 'error',
      file: request.files[request.target]?.file ?? '<input>',
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      path: [],
      message: `sopflow could not check this file: ${reason.slice(0, 200)}`,
    },
  ];
}

/** The check itself: `validateProject` from @sopflow/core, the target's diagnostics. */
export function runCheck(request: CheckRequest): Diagnostic[] {
  try {
    const result = validateProject(request.files, request.today ? { today: request.today } : {});
    return result.results[request.target]?.diagnostics ?? [];
  } catch (error) {
    return failure(request, String((error as Error)?.message ?? error));
  }
}

/** Checks on this thread (tests from sources, or when no worker can start). */
export const inThreadChecker = (): Checker => ({
  check: async (request) => runCheck(request),
  dispose: () => undefined,
});

/** After this many worker crashes, checks run on this thread. */
const MAX_RESTARTS = 3;

/**
 * Checks on a worker thread (`checkWorker.js` beside this module, in the built package): the
 * main thread keeps answering completion, hover and the rest while a large file is checked.
 * A worker that dies is started again for the next check (after three deaths, checks run on
 * this thread); the checks it had in hand are run again on this thread, so none is lost.
 */
export function workerChecker(): Checker {
  let worker: Worker | undefined;
  let restarts = 0;
  let next = 0;
  let disposed = false;
  const pending = new Map<number, { request: CheckRequest; resolve: (d: Diagnostic[]) => void }>();
  const url = new URL('./checkWorker.js', import.meta.url);

  const settleHere = () => {
    for (const [id, p] of pending) {
      pending.delete(id);
      p.resolve(runCheck(p.request));
    }
  };
  const start = (): Worker | undefined => {
    if (worker || disposed || restarts > MAX_RESTARTS) return worker;
    try {
      const w = new Worker(url);
      w.unref();
      w.on('message', (message: { id: number; diagnostics?: Diagnostic[] }) => {
        const p = pending.get(message?.id);
        if (!p) return;
        pending.delete(message.id);
        p.resolve(Array.isArray(message.diagnostics) ? message.diagnostics : runCheck(p.request));
      });
      const died = () => {
        if (worker !== w) return;
        worker = undefined;
        restarts++;
        settleHere();
      };
      w.on('error', died);
      w.on('exit', died);
      worker = w;
    } catch {
      restarts = MAX_RESTARTS + 1;
    }
    return worker;
  };
  start();
  return {
    check(request) {
      const w = start();
      if (!w) return Promise.resolve(runCheck(request));
      return new Promise((resolve) => {
        const id = next++;
        pending.set(id, { request, resolve });
        try {
          w.postMessage({ id, request });
        } catch {
          pending.delete(id);
          resolve(runCheck(request));
        }
      });
    },
    dispose() {
      disposed = true;
      const w = worker;
      worker = undefined;
      // nobody waits for these any more
      for (const [id, p] of pending) {
        pending.delete(id);
        p.resolve([]);
      }
      void w?.terminate();
    },
  };
}

/** A worker checker where the built worker exists (dist), else checks on this thread (sources under test). */
export function defaultChecker(): Checker {
  return /\.js$/.test(import.meta.url) ? workerChecker() : inThreadChecker();
}
