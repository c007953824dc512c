/** Stable codes of the errors a run throws. Every code but `action-failed` means the run was
 *  left exactly as it was (state and journal). */
export type RunErrorCode =
  | 'run-finished' // a move on a run that has ended or was cancelled
  | 'run-stopped' // a move on a Run object after stop() (the stored run is unaffected)
  | 'not-offered' // choose(): the answer is not one of the choices open now
  | 'not-a-decision' // choose() on a step that is not a decision
  | 'needs-answer' // complete() on a decision
  | 'needs-signal' // complete() on a step that waits for a signal
  | 'not-awaited' // signal(): the current step does not wait for this signal
  | 'missing-field' // complete() / choose() / signal() before this step's required fields are recorded
  | 'unknown-field' // record() / signal() data: a field the SOP does not declare
  | 'invalid-value' // record() / signal() data: a value that does not fit the field's type, enum or range
  | 'role-required' // the run enforces roles and the actor lacks the step's role
  | 'wrong-step' // a move that names a step (`step:`) which is not the current one
  | 'invalid-move' // a move that is not one of complete / choose / record / signal, or is malformed
  | 'endless-loop' // the move would make decisions taken from data go round for ever
  | 're-entrant-move' // a move made from inside a bound action or a subscriber, while another is applied
  | 'unbound-action' // startRun(): a named action the host did not bind
  | 'snapshot-mismatch' // startRun(): the snapshot is of another SOP, version or build (and no migrate)
  | 'invalid-snapshot' // startRun(): a snapshot that persist() did not make, or that was edited
  | 'invalid-seal' // startRun() with a seal key: the snapshot's seal is missing or does not match
  | 'cannot-migrate' // startRun({ migrate }) / migrateSnapshot(): the run cannot continue on the new version
  | 'invalid-input' // startRun(): neither an SOP, a compiled config nor a machine, or one that cannot run
  | 'action-failed' // a bound action threw or rejected (the move itself happened, and is journaled)
  | 'subscriber-failed'; // a subscriber threw (reported to onError; the change itself happened)

/** Thrown by a run for a move it refuses (nothing changes), and for bad input to `startRun`.
 *  The only error a run throws. */
export class RunError extends Error {
  override name = 'RunError';
  constructor(
    readonly code: RunErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
