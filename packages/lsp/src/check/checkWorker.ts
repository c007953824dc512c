import { parentPort } from 'node:worker_threads';
import { runCheck, type CheckRequest } from './Checker.js';

/** The worker thread of `workerChecker`: one check per message, answered with the target's diagnostics. */
parentPort?.on('message', (message: { id: number; request: CheckRequest }) => {
  parentPort!.postMessage({ id: message?.id, diagnostics: runCheck(message.request) });
});
