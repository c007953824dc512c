import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * How bin/sopflow.js writes: `validate` straight to file descriptors 1 and 2 (no Node streams to
 * set up at start), the other commands through process.stdout / process.stderr. Either way a
 * reader that goes away early (`sopflow validate . | head -1`) stops it quietly.
 */
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(CLI, 'bin/sopflow.js');
const EXAMPLES = path.resolve(CLI, '../../examples');

/** Runs the bin with its stdout closed as soon as the first bytes arrive; resolves with its exit code and stderr. */
function runClosingEarly(args: string[]): Promise<{ code: number | null; stderr: string; bytes: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: CLI, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let bytes = 0;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.once('data', (chunk: Buffer) => {
      bytes = chunk.length;
      child.stdout.destroy();
    });
    child.once('close', (code) => resolve({ code, stderr, bytes }));
  });
}

describe('the bin writes', () => {
  it('validate prints its whole report through a pipe', () => {
    const piped = spawnSync(process.execPath, [BIN, 'validate', EXAMPLES, '--format', 'sarif'], { cwd: CLI, encoding: 'utf8' });
    expect(piped.stderr).toBe('');
    const sarif = JSON.parse(piped.stdout) as { runs: unknown[] };
    expect(sarif.runs).toHaveLength(1);
  });

  it('stops quietly, without a stack trace, when the reader closes early', async () => {
    // enough output to overflow a pipe's buffer many times over: 400 SOPs with the same id
    const dir = mkdtempSync(path.join(tmpdir(), 'sopflow-bin-output-'));
    const sop = readFileSync(path.join(EXAMPLES, 'customer-service/inbound-call.sop.yaml'), 'utf8');
    for (let i = 0; i < 400; i++) writeFileSync(path.join(dir, `copy-${i}.sop.yaml`), sop);
    const full = spawnSync(process.execPath, [BIN, 'validate', dir, '--format', 'json'], { cwd: CLI, encoding: 'utf8' });
    expect(full.stdout.length).toBeGreaterThan(500_000);
    const validate = await runClosingEarly(['validate', dir, '--format', 'json']);
    rmSync(dir, { recursive: true, force: true });
    expect(validate.bytes).toBeGreaterThan(0);
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(0);
    const schema = await runClosingEarly(['schema']);
    expect(schema.stderr).toBe('');
    expect(schema.code).toBe(0);
  });
});
