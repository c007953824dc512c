import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readScript } from '../src/readScript.js';
import { runInProcess } from './runValidate.js';

const cwd = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const sopflow = (...args: string[]) => runInProcess(args, { cwd });

function script(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'sopflow-run-')), 'moves.yaml');
  writeFileSync(file, text);
  return file;
}

describe('sopflow run --script', () => {
  it('replays a walk, with a 60 s hold limit firing, and prints the journal and outcome', async () => {
    const r = await sopflow('run', 'run/hold.sop.yaml', '--script', 'run/hold-yes.script.yaml');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('== research (task, segment: hold)');
    expect(r.stdout).toContain('time limit: 60 s left (then check-back)');
    expect(r.stdout).toMatch(/\+60 s {2}limit-fired after 60s {2}\[research\]/);
    expect(r.stdout).toContain('-> action crm.save-notes (step resolve)');
    expect(r.stdout).toContain('Time per segment: greeting 0 ms, research 0 ms, hold 60 s, wrap-up 0 ms');
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('Outcome: resolved');
  });

  it('--json prints the run as JSON (the walk-through goes to stderr)', async () => {
    const r = await sopflow('run', 'run/hold.sop.yaml', '--script', 'run/hold-yes.script.yaml', '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ sop: 'hold', status: 'done', outcome: 'resolved', summary: { perSegment: { hold: 60000 } } });
    expect(result.journal.filter((e: { type: string }) => e.type === 'limit-fired')).toHaveLength(1);
    expect(r.stderr).toContain('== greet');
  });

  it('walks through a sub-procedure', async () => {
    const moves = script(
      '- complete: true\n- { step: ask, record: { passed: true } }\n- complete: true\n- { step: help, complete: true }\n',
    );
    const r = await sopflow('run', 'run/parent.sop.yaml', '--script', moves, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).outcome).toBe('helped');
    expect(r.stderr).toContain('== check-1 > ask (task, segment: security)');
  });

  it('stops at a move the run refuses: exit 1, the reason and its code on stderr', async () => {
    const r = await sopflow('run', 'run/hold.sop.yaml', '--script', 'run/hold-bad.script.yaml');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'sopflow: script move 2: cannot record at step "identify": field "customer_id": expected a string, got 1001 [invalid-value]\n',
    );
    expect(r.stdout).toContain('The run did not reach an end (at step "identify").');
  });

  it('a script that asserts the wrong step fails; one that stops early exits 1', async () => {
    const wrong = await sopflow('run', 'run/hold.sop.yaml', '--script', script('- { step: triage, complete: true }\n'));
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('expected to be at step "triage", but the current step is "greet" [wrong-step]');
    const early = await sopflow('run', 'run/hold.sop.yaml', '--script', script('- complete: true\n'));
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('the script ended before the run did (at step "identify")');
  });

  it('a malformed script is a usage error (exit 2)', async () => {
    expect((await sopflow('run', 'run/hold.sop.yaml', '--script', script('- { jump: true }\n'))).stderr).toContain('unknown key "jump"');
    expect((await sopflow('run', 'run/hold.sop.yaml', '--script', script('complete: true\n'))).code).toBe(2);
    expect(() => readScript('- { complete: true, choose: "Yes" }', 'x.yaml')).toThrow(/one of complete, choose, record, signal, wait/);
  });

  it('refuses an SOP with errors', async () => {
    const r = await sopflow('run', 'run-broken/broken.sop.yaml', '--script', script('[]'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[unknown-step]');
  });
});

describe('sopflow run (interactive)', () => {
  it('prompts for fields and answers, re-asks after a wrong value, then prints the outcome', async () => {
    const input = ['', 'C-7', 'refund', 'billing', '', '9', '2', ''].map((l) => `${l}\n`).join('');
    const r = await runInProcess(['run', 'run/hold.sop.yaml'], { cwd, stdin: Readable.from([input]) });
    expect(r.stdout).toContain('Customer ID: ');
    expect(r.stdout).toContain('expected one of "billing", "technical", "other", got "refund"');
    expect(r.stdout).toContain('pick a number from 1 to 2');
    expect(r.stdout).toMatch(/answer "No" {2}\[triage\]/);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('Outcome: transferred');
    expect(r.code).toBe(0);
  });

  it("shows the rules and a step's target, takes a list as comma-separated items, and prints the targets with the journal", async () => {
    const input = ['', 'legal', 'technical, billing', '', ''].map((l) => `${l}\n`).join('');
    const r = await runInProcess(['run', 'run/ticket.sop.yaml'], { cwd, stdin: Readable.from([input]) });
    expect(r.stdout).toContain('Rules for the whole procedure:\n  - Speak clearly and slowly.\n');
    expect(r.stdout).toMatch(/ {3}target: within 20 s \(\d+(\.\d)? s left\)/);
    expect(r.stdout).toContain(
      'record Departments (departments: list of string from billing, technical, sales, comma-separated, required)',
    );
    expect(r.stdout).toContain('item 1 of the list: expected one of "billing", "technical", "sales", got "legal"');
    expect(r.stdout).toMatch(/recorded departments=technical, billing/);
    expect(r.stdout).toMatch(/step-left \(target 20s met\) {2}\[answer\]/);
    expect(r.stdout).toMatch(/Targets: answer within 20s: 1 met, 0 missed; the whole of ticket within 10m: 1 met, 0 missed/);
    expect(r.stdout.trimEnd().split('\n').pop()).toBe('Outcome: transferred');
    expect(r.code).toBe(0);
  });

  it('exits 1 when the input ends before the run does', async () => {
    const r = await runInProcess(['run', 'run/hold.sop.yaml'], { cwd, stdin: Readable.from(['\n']) });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('input ended before the run did');
  });
});
