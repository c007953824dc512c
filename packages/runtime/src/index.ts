// the run API
export { startRun } from './run/startRun.js';
export type { Run, StartRunOptions, MoveOptions, ActionCall, BoundAction, RunChange, RunListener } from './run/startRun.js';
export { SimulatedClock } from './run/SimulatedClock.js';
export type { RunClock } from './run/SimulatedClock.js';
export { MAX_TIMER_MS, LimitScheduler } from './run/LimitScheduler.js';
export { RunError } from './RunError.js';
export type { RunErrorCode } from './RunError.js';
export type { RunInput } from './readRunInput.js';
export { readRunInput } from './readRunInput.js';
export type { StepView, FieldView, LimitView, TargetView } from './view/buildStepView.js';
export { buildStepView } from './view/buildStepView.js';

// the run as data: the step function hosts build on
export type { Move, MoveCommon, Actor, Data, Frame, RunState, Effect, JsonValue } from './types.js';
export { applyMove, fireLimits, startState, cancelRun } from './engine/applyMove.js';
export type { Applied, MoveContext } from './engine/Transition.js';
export { MAX_AUTOMATIC } from './engine/Transition.js';
export { parseMove, parseActor } from './engine/parseMove.js';
export { nextDeadline, armedLimits } from './engine/deadlines.js';
export type { ArmedLimit } from './engine/deadlines.js';
export { recordEffectResult } from './engine/effectResult.js';
export type { EffectOutcome } from './engine/effectResult.js';

// snapshots
export type { RunSnapshot } from './snapshot/RunSnapshot.js';
export { SNAPSHOT_FORMAT } from './snapshot/RunSnapshot.js';
export { checkSnapshot, migrateSnapshot } from './snapshot/migrateSnapshot.js';
export { replayJournal } from './snapshot/replayJournal.js';
export { checkSnapshotShape } from './snapshot/checkSnapshot.js';
export { deriveState } from './snapshot/deriveState.js';
export { sealSnapshot, verifySeal, canonicalJson } from './snapshot/seal.js';
export type { SealKey } from './snapshot/seal.js';

// the journal
export { summarizeJournal, JOURNAL_ENTRY_TYPES } from './journal.js';
export type { JournalEntry, JournalEntryType, JournalSummary, TargetCount } from './journal.js';

// paths and scripts
export { playMoves, playMove } from './script/playMoves.js';
export type { ScriptMove, ManualClock } from './script/playMoves.js';
export { findPaths, MAX_PATHS } from './paths/findPaths.js';
export type { SopPath, FindPathsOptions } from './paths/findPaths.js';
