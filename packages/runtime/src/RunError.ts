/** Stable codes of the errors a run throws. */
export type RunErrorCode =
  | 'run-finished'      // a move on a run that has ended
  | 'not-offered'       // choose(): the answer is not one of the choices open now
  | 'not-a-decision'    // choose() on a step that is not a decision
  | 'needs-answer'      // complete() on a decision
  | 'missing-field'     // complete() / choose() before this step's required fields are recorded
  | 'unknown-field'     // record(): a field the SOP does not declare
  | 'invalid-value'     // record(): a value that does not fit the field's type, enum or range
  | 'unbound-action'    // startRun(): a named action the host did not bind
  | 'snapshot-mismatch' // startRun(): the snapshot is of another SOP, version or build
  | 'invalid-snapshot'  // startRun(): not a snapshot made by persist()
  | 'invalid-input'     // startRun(): neither an SOP, a config nor a machine
  | 'wrong-step'        // a script move names a step that is not the current one
  | 'action-failed';    // a bound action threw (the move itself happened)

/** Thrown by a run for an invalid move; the run is left exactly as it was (state and journal). */
export class RunError extends Error {
  override name = 'RunError';
  constructor(readonly code: RunErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
