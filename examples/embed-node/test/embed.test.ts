import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript example
import { main } from '../src/main.js';

describe('examples/embed-node', () => {
  it('handles a call on the SQLite host: survives restarts, fires the hold limit that passed while down, binds the CRM', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'embed-node-'));
    const lines: string[] = [];
    const result = await main({ folder, log: (line: string) => lines.push(line) });

    expect(result.outcome).toBe('resolved');
    expect(lines).toContain('   -> now at "check-back" (task)'); // the limit fired after the restore
    expect(result.journal.filter((e: { type: string }) => e.type === 'limit-fired')).toEqual([
      expect.objectContaining({ step: 'research', after: '60s', ms: 65_000 }), // noticed when restored
    ]);
    expect(result.crm.customers.get('C-1001').notes).toEqual([
      expect.objectContaining({ step: 'record-call', customer_number: 'C-1001', issue: 'technical', disposition: 'resolved' }),
    ]);
    expect(lines.at(-4)).toBe('Outcome: resolved');

    // everything is in the host's one file: no hand-written persistence
    expect(readdirSync(folder)).toContain('calls.db');
    expect(readdirSync(folder).filter((f) => f.endsWith('.json'))).toEqual([]);
    const journal = result.journal as { type: string; by?: string; action?: string }[];
    expect(journal.find((e) => e.type === 'run-ended')).toMatchObject({ outcome: 'resolved', by: 'agent-ana' });
    // who did what: every move is the agent's, every fired limit nobody's
    expect(journal.filter((e) => e.type === 'recorded').every((e) => e.by === 'agent-ana')).toBe(true);
    expect(journal.find((e) => e.type === 'limit-fired')!.by).toBeUndefined();
    // each action requested is journaled done, once
    const requested = journal.filter((e) => e.type === 'action-requested').length;
    expect(requested).toBeGreaterThan(0);
    expect(journal.filter((e) => e.type === 'action-done')).toHaveLength(requested);
  });
});
