import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SimulatedClock, startRun } from '@sopflow/runtime';
import { runInProcess } from './runValidate.js';

const cwd = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const sopflow = (...args: string[]) => runInProcess(args, { cwd });

describe('sopflow compile', () => {
  it('prints the machine config as JSON that runs', async () => {
    const r = await sopflow('compile', 'run/hold.sop.yaml');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const config = JSON.parse(r.stdout);
    expect(config.meta.sopflow).toMatchObject({ id: 'hold', version: '1.0.0' });
    const run = startRun(config, { clock: new SimulatedClock(), actions: { 'crm.save-notes': () => {} } });
    run.complete();
    expect(run.view().step).toBe('identify');
  });

  it('compiles the procedures a `use:` step runs, from the same folder or from -p', async () => {
    const beside = JSON.parse((await sopflow('compile', 'run/parent.sop.yaml')).stdout);
    expect(Object.keys(beside.meta.sopflow.procedures)).toEqual(['verify']);
    const given = await sopflow('compile', 'run/parent.sop.yaml', '-p', 'run/verify.sop.yaml');
    expect(JSON.parse(given.stdout)).toEqual(beside);
  });

  it('writes to --out', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sopflow-compile-'));
    const out = path.join(dir, 'hold.json');
    const r = await sopflow('compile', 'run/hold.sop.yaml', '-o', out);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(JSON.parse(readFileSync(out, 'utf8')).id).toBe('hold');
  });

  it('refuses an SOP with errors: diagnostics on stderr, nothing on stdout, exit 1', async () => {
    const r = await sopflow('compile', 'run-broken/broken.sop.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('run-broken/broken.sop.yaml:7:11');
    expect(r.stderr).toContain('[unknown-step]');
  });

  it('refuses an SOP whose procedure is missing', async () => {
    const r = await sopflow('compile', 'run/parent.sop.yaml', '-p', 'run/hold.sop.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[missing-procedure]');
  });

  it('a file that cannot be read is a usage error (exit 2)', async () => {
    const r = await sopflow('compile', 'run/nope.sop.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read run/nope.sop.yaml');
  });
});
