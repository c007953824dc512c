import { parentPort, workerData } from 'node:worker_threads';
import { validateProject } from '@sopflow/core';
import { toChunkResult, type ChunkRequest } from './validateInParallel.js';

/** A worker thread of `validateInParallel`: validates one group of files and posts the results back. */
if (parentPort) {
  const { inputs, today } = workerData as ChunkRequest;
  const { results } = validateProject(inputs, { today });
  parentPort.postMessage(results.map(toChunkResult));
}
