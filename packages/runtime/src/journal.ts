import type { Condition, FieldValue, StepKind } from '@sopflow/model';

export type JournalEntryType =
  | 'step-entered' | 'step-left' | 'answer' | 'recorded' | 'limit-fired'
  | 'procedure-started' | 'procedure-ended' | 'run-ended';

/** One line of a run's audit trail. */
export interface JournalEntry {
  type: JournalEntryType;
  /** ISO 8601 timestamp */
  at: string;
  /** ms since the run started */
  ms: number;
  /** the step (for run-ended: absent) */
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
  /** recorded */
  data?: Record<string, FieldValue>;
  /** limit-fired: the duration as written */
  after?: string;
  /** procedure-started / procedure-ended: the SOP id; run-ended / procedure-ended: the outcome */
  procedure?: string;
  outcome?: string;
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
}

const stepKey = (e: JournalEntry): string => [...(e.path ?? []), e.step ?? ''].join('/');

/** Time per step and per segment, from the step-entered / step-left pairs of a journal.
 *  A step still active counts up to the last entry. Sub-procedure steps count their own time
 *  (which includes the time of the steps inside them). */
export function summarizeJournal(journal: readonly JournalEntry[]): JournalSummary {
  const perStep: Record<string, number> = {};
  const perSegment: Record<string, number> = {};
  const visits: Record<string, number> = {};
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
      if (entered) { close(entered, e.ms); open.delete(key); }
    }
  }
  for (const entered of open.values()) if (entered.kind !== 'end') close(entered, end);
  return { total: journal.length ? end - journal[0]!.ms : 0, perStep, perSegment, visits };
}
