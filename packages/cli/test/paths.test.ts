import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './runValidate.js';

const cwd = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const sopflow = (...args: string[]) => runInProcess(args, { cwd });

describe('sopflow paths', () => {
  it('says so when it stops at the most paths it lists', async () => {
    const r = await sopflow('paths', 'paths/many-paths.sop.yaml', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).paths).toHaveLength(10_000);
    expect(r.stderr).toBe('paths/many-paths.sop.yaml: note: stopped after 10,000 paths; the SOP has more (decisions multiply them)\n');
  }, 120_000);

  it('lists every simple path with what takes each branch', async () => {
    const r = await sopflow('paths', 'run/hold.sop.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'run/hold.sop.yaml: 3 paths from the first step to an end',
        '  1. transferred (4 steps)',
        '     greet > identify > triage [issue = technical] > to-tech',
        '     recorded: identify: customer_id=example, issue=technical',
        '  2. transferred (4 steps)',
        '     greet > identify > triage ["No"] > to-billing',
        '     recorded: identify: customer_id=example, issue=billing',
        '  3. resolved (6 steps)',
        '     greet > identify > triage ["Yes"] > research > resolve > done',
        '     recorded: identify: customer_id=example, issue=billing',
        '',
      ].join('\n'),
    );
  });

  it('--json gives each path its moves, steps, decisions and outcome', async () => {
    const r = await sopflow('paths', 'run/parent.sop.yaml', '--json');
    expect(r.code).toBe(0);
    const { sop, paths } = JSON.parse(r.stdout);
    expect(sop).toBe('parent');
    expect(paths.map((p: { outcome: string }) => p.outcome).sort()).toEqual(['helped', 'refused']);
    const refused = paths.find((p: { outcome: string }) => p.outcome === 'refused');
    expect(refused.decisions).toEqual([{ step: 'check-1', outcome: 'failed' }]);
    expect(refused.moves).toContainEqual({ step: 'ask', wait: 120000 });
  });

  it('refuses an SOP with errors', async () => {
    const r = await sopflow('paths', 'run-broken/broken.sop.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[unknown-step]');
  });
});
