import { toMachineConfig } from '@sopflow/compiler';
import type { Sop } from '@sopflow/model';
import { replayJournal, type JournalEntry } from '@sopflow/runtime';
import { readCompiledSop } from '@sopflow/compiler';
import { expect } from 'vitest';
import type { RunRecord } from '@sopflow/host';

/** Notes taken, then saved to the CRM (an action) when the step is completed. */
export const saverSop: Sop = {
  sopflow: 1,
  id: 'saver',
  title: 'Save call notes',
  version: '1.0.0',
  fields: { note: { type: 'string' }, issue_note: { type: 'string' } },
  instructions: [
    { id: 'note', do: 'Take notes.', record: ['note', 'issue_note'], action: 'crm.save', next: 'confirm' },
    { id: 'confirm', do: 'Confirm with the caller.', end: 'saved' },
  ],
};

/** A hold with a time limit of `after`. */
export function holdSop(id: string, after: string): Sop {
  return {
    sopflow: 1,
    id,
    title: `Hold ${after}`,
    version: '1.0.0',
    instructions: [
      { id: 'hold', do: 'Put the caller on hold.', limit: { after, next: 'call-back' }, next: 'call-back' },
      { id: 'call-back', do: 'Call the caller back.', end: 'called' },
    ],
  };
}

export const saver = toMachineConfig(saverSop);

/** A finished or live run's journal is whole: it replays on its build to the state the host
 *  answers, every entry once (no move or result applied twice). */
export function expectWholeJournal(record: RunRecord, config: ReturnType<typeof toMachineConfig>): void {
  const journal = record.journal as JournalEntry[];
  const replayed = replayJournal(readCompiledSop(config), journal, Date.parse(journal[0]!.at));
  expect(typeof replayed, `journal of ${record.id} replays: ${String(replayed)}`).not.toBe('string');
  expect(replayed).toMatchObject({ status: record.status });
  const requested = journal.flatMap((e, i) => (e.type === 'action-requested' ? [i] : []));
  const results = journal.filter((e) => e.type === 'action-done' || e.type === 'action-failed').map((e) => e.ref);
  expect(new Set(results).size, `one result per action request in ${record.id}`).toBe(results.length);
  for (const ref of results) expect(requested).toContain(ref);
}
