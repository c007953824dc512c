export type {
  RunHost,
  RunRecord,
  SopSummary,
  StartOptions,
  MoveOptions,
  ListQuery,
  ListResult,
  HostAction,
  HostActionCall,
} from './RunHost.js';
export { HostError, httpStatus } from './HostError.js';
export type { HostErrorCode } from './HostError.js';
export { SopCatalog, refusing, summary } from './SopCatalog.js';
export {
  newRun,
  moveRun,
  fireDue,
  cancelStored,
  migrateStored,
  settleEffect,
  effectKey,
  actionCall,
  pendingActionCount,
  toRecord,
  listFields,
} from './runOps.js';
export type { RunChange } from './runOps.js';
export { DEFAULT_RETRY, backoff, describeError } from './retry.js';
export type { RetryPolicy } from './retry.js';
export { checkRunId, checkStart, checkList, pageOf, writeCursor, actor, json } from './checkArgs.js';
export type { CheckedQuery } from './checkArgs.js';
export { checkBound } from './checkBound.js';
export { MemoryHost } from './MemoryHost.js';
export type { MemoryHostOptions } from './MemoryHost.js';
