import type { Condition, FieldValue, StepKind } from '@sopflow/model';

export const JOURNAL_ENTRY_TYPES = [
  'step-entered',
  'step-left',
  'answer',
  'recorded',
  'signal',
  'limit-fired',
  'procedure-started',
  'procedure-ended',
  'action-requested',
  'action-done',
  'action-failed',
  'migrated',
  'run-ended',
  'run-cancelled',
] as const;

export type JournalEntryType = (typeof JOURNAL_ENTRY_TYPES)[number];

/** One line of a run's audit trail. */
export interface JournalEntry {
  type: JournalEntryType;
  /** ISO 8601 timestamp */
  at: string;
  /** ms since the run started */
  ms: number;
  /** the step (for run-ended, run-cancelled and migrated: absent) */
  step?: string;
  /** the SOP the step belongs to */
  sop?: string;
  kind?: StepKind;
  segment?: string;
  /** the sub-procedure steps this step runs inside, outermost first (absent at top level) */
  path?: string[];
  /** answer: the answer picked, or the `when` condition that decided */
  answer?: string;
  when?: Condition;
  /** recorded and signal: the values; procedure-started: the data passed in (`with`);
   *  procedure-ended: the data taken back (`returns`) */
  data?: Record<string, FieldValue>;
  /** limit-fired: the duration as written, and the deadline it served (ISO 8601; `at` is when
   *  it was noticed, later than the deadline when no one was running the run then) */
  after?: string;
  deadline?: string;
  /** signal: its name */
  signal?: string;
  /** procedure-started / procedure-ended: the SOP id; run-ended / procedure-ended: the outcome */
  procedure?: string;
  outcome?: string;
  /** who made the move this entry records (absent for limits and what the run did itself) */
  by?: string;
  /** action-requested / -done / -failed: the action's name; -done / -failed: the index of
   *  the action-requested entry they answer, and -failed: why */
  action?: string;
  ref?: number;
  error?: string;
  /** migrated: the build the run left and the one it continues on */
  from?: { version?: string; hash: string };
  to?: { version?: string; hash: string };
  /** run-cancelled: why */
  reason?: string;
  /** step-left of a step with a `target`, run-ended / procedure-ended of an SOP with one: the
   *  time goal as written, and whether it was met (the step was left, or the SOP ended, within it) */
  target?: string;
  met?: boolean;
}

export interface JournalSummary {
  /** ms from the first entry to the last */
  total: number;
  /** ms spent in each step, by step id (nested steps as `outer/inner`), summed over visits */
  perStep: Record<string, number>;
  /** ms spent in each segment (steps without a segment are not counted) */
  perSegment: Record<string, number>;
  /** how many times each step was entered */
  visits: Record<string, number>;
  /** for each step with a time target (by step id, nested as `outer/inner`): the target, and how often it was met and missed */
  stepTargets: Record<string, TargetCount>;
  /** for each SOP with a time target (the run's and its procedures', by SOP id): the same */
  sopTargets: Record<string, TargetCount>;
}

export interface TargetCount {
  target: string;
  met: number;
  missed: number;
}

const stepKey = (e: JournalEntry): string => [...(e.path ?? []), e.step ?? ''].join('/');

/** Time per step and per segment, from the step-entered / step-left pairs of a journal.
 *  A step still active counts up to the last entry. Sub-procedure steps count their own time
 *  (which includes the time of the steps inside them). */
export function summarizeJournal(journal: readonly JournalEntry[]): JournalSummary {
  const perStep: Record<string, number> = {};
  const perSegment: Record<string, number> = {};
  const visits: Record<string, number> = {};
  const stepTargets: Record<string, TargetCount> = {};
  const sopTargets: Record<string, TargetCount> = {};
  const count = (into: Record<string, TargetCount>, key: string, e: JournalEntry) => {
    const c = (into[key] ??= { target: e.target!, met: 0, missed: 0 });
    if (e.met) c.met++;
    else c.missed++;
  };
  const open = new Map<string, JournalEntry>();
  const end = journal.length ? journal[journal.length - 1]!.ms : 0;
  const close = (entered: JournalEntry, ms: number) => {
    const key = stepKey(entered);
    const spent = Math.max(0, ms - entered.ms);
    perStep[key] = (perStep[key] ?? 0) + spent;
    if (entered.segment !== undefined && entered.kind !== 'subprocedure') {
      perSegment[entered.segment] = (perSegment[entered.segment] ?? 0) + spent;
    }
  };
  for (const e of journal) {
    if (e.type === 'step-entered') {
      const key = stepKey(e);
      visits[key] = (visits[key] ?? 0) + 1;
      open.set(key, e);
    } else if (e.type === 'step-left') {
      const key = stepKey(e);
      const entered = open.get(key);
      if (entered) {
        close(entered, e.ms);
        open.delete(key);
      }
      if (e.target !== undefined) count(stepTargets, key, e);
    } else if (e.target !== undefined && e.type === 'run-ended' && e.sop !== undefined) {
      count(sopTargets, e.sop, e);
    } else if (e.target !== undefined && e.type === 'procedure-ended' && e.procedure !== undefined) {
      count(sopTargets, e.procedure, e);
    }
  }
  for (const entered of open.values()) if (entered.kind !== 'end') close(entered, end);
  return { total: journal.length ? end - journal[0]!.ms : 0, perStep, perSegment, visits, stepTargets, sopTargets };
}
