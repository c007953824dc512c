import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript example
import { main } from '../src/main.js';

describe('examples/embed-node', () => {
  it('handles a call: persists between steps, re-arms the hold limit on restore, binds the CRM', async () => {
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

    const saved = JSON.parse(readFileSync(path.join(folder, 'call-42.json'), 'utf8'));
    expect(readdirSync(folder)).toEqual(['call-42.json']);
    expect(saved).toMatchObject({ sopflow: 'run', sop: { id: 'inbound-call' } });
    expect(saved.journal.find((e: { type: string }) => e.type === 'run-ended')).toMatchObject({ outcome: 'resolved', by: 'agent-ana' });
    // who did what: every move is the agent's, every fired limit nobody's
    expect(saved.journal.filter((e: { type: string }) => e.type === 'recorded').every((e: { by?: string }) => e.by === 'agent-ana')).toBe(true);
    expect(saved.journal.find((e: { type: string }) => e.type === 'limit-fired').by).toBeUndefined();
  });
});
