export { startRun } from './startRun.js';
export type {
  Run, RunInput, RunClock, StartRunOptions, RunSnapshot, StepView, FieldView, ActionCall, BoundAction,
} from './startRun.js';
export { RunError } from './RunError.js';
export type { RunErrorCode } from './RunError.js';
export { summarizeJournal } from './journal.js';
export type { JournalEntry, JournalEntryType, JournalSummary } from './journal.js';
export { playMoves, playMove } from './playMoves.js';
export type { Move, ManualClock } from './playMoves.js';
export { findPaths, MAX_PATHS } from './findPaths.js';
export type { SopPath, FindPathsOptions } from './findPaths.js';
export { SimulatedClock } from 'xstate';
