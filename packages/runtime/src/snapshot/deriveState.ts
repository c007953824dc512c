import type { JournalEntry } from '../journal.js';
import type { Data, Frame, RunState } from '../types.js';

/**
 * The state a journal leads to, folded from its entries alone: the current step of each level
 * (from the last `step-entered`), its data (from `recorded`, `signal`, and the data passed in
 * and taken back by sub-procedures), and the run's status. A snapshot is consistent when its
 * state is exactly this. Returns a sentence saying where the journal does not hold together
 * instead of a state.
 */
export function deriveState(journal: readonly JournalEntry[], startedAt: number): RunState | string {
  const stack: Frame[] = [];
  let status: RunState['status'] = 'active';
  let outcome: string | undefined;
  let given: Data | undefined; // data passed to a procedure that has started but not yet entered its first step
  for (let i = 0; i < journal.length; i++) {
    const e = journal[i]!;
    const where = `journal entry ${i} (${e.type})`;
    if (status !== 'active' && !e.type.startsWith('action-'))
      return `${where} comes after the run ${status === 'done' ? 'ended' : 'was cancelled'}`;
    if (e.type === 'run-ended') {
      status = 'done';
      outcome = e.outcome;
      continue;
    }
    if (e.type === 'run-cancelled') {
      status = 'cancelled';
      continue;
    }
    if (e.type === 'migrated') continue;
    const level = e.path?.length ?? 0;
    if (e.type === 'step-entered') {
      if (level > stack.length || (level === stack.length && level > 0 && given === undefined))
        return `${where} is inside a sub-procedure that never started`;
      if (level === stack.length) {
        stack.push({ sop: e.sop!, step: e.step!, since: startedAt + e.ms, data: given ?? {} });
        given = undefined;
      } else {
        stack.length = level + 1;
        const frame = stack[level]!;
        if (frame.sop !== e.sop) return `${where} is of SOP "${e.sop}", but that level runs "${frame.sop}"`;
        stack[level] = { ...frame, step: e.step!, since: startedAt + e.ms };
      }
      if (!samePath(e, stack, level)) return `${where} has a path that is not the steps above it`;
      continue;
    }
    if (e.type.startsWith('action-')) continue; // actions may be journaled at any time
    const frame = stack[level];
    if (!frame || frame.step !== e.step || frame.sop !== e.sop || !samePath(e, stack, level)) {
      return `${where} is about step "${e.step}", but the run is not there`;
    }
    switch (e.type) {
      case 'procedure-started':
        if (level !== stack.length - 1) return `${where} starts a procedure below another one`;
        given = { ...(e.data ?? {}) };
        break;
      case 'procedure-ended':
        if (level !== stack.length - 2) return `${where} ends a procedure that is not running`;
        stack.length = level + 1;
        if (e.data) stack[level] = { ...frame, data: { ...frame.data, ...e.data } };
        break;
      case 'recorded':
      case 'signal':
        if (level !== stack.length - 1) return `${where} records at a step that is not the current one`;
        if (e.data) stack[level] = { ...frame, data: { ...frame.data, ...e.data } };
        break;
      case 'limit-fired':
      case 'step-left':
        stack.length = level + 1; // a limit cuts the procedures below it short
        break;
      default:
        break;
    }
  }
  if (stack.length === 0) return 'the journal has no step';
  const state: RunState = { status, stack, startedAt, seq: journal.length };
  if (outcome !== undefined) state.outcome = outcome;
  return state;
}

function samePath(e: JournalEntry, stack: readonly Frame[], level: number): boolean {
  const path = e.path ?? [];
  for (let l = 0; l < level; l++) if (path[l] !== stack[l]!.step) return false;
  return true;
}
