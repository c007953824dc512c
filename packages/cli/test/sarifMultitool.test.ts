import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '@sopflow/model';
import { runInProcess } from './runValidate.js';
// @ts-expect-error: a plain .mjs script without types
import { npmTool } from '../../../scripts/testing/npmTool.mjs';

/**
 * GitHub code scanning's own checker: Microsoft's Sarif.Multitool (`@microsoft/sarif-multitool`,
 * 104 MB, installed from the npm registry into node_modules/.cache/sopflow-tools at test time:
 * too large for a devDependency) validates the SARIF of a folder that triggers every diagnostic
 * code, with the SARIF rules (`--rule-kind Sarif`) and GitHub's (`--rule-kind Gh`: fullDescription,
 * help, partialFingerprints…). It must report nothing at all.
 */
const MULTITOOL_VERSION = '5.7.0';
const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const REPO_ROOT = path.resolve(FIXTURES, '../../../..');
let multitool: string;
let tmp: string;

beforeAll(() => {
  const dir = npmTool('@microsoft/sarif-multitool', MULTITOOL_VERSION);
  // index.js of the package names the platform binary; its postinstall `chmod u+x` may not have run
  multitool = createRequire(path.join(dir, 'package.json'))('@microsoft/sarif-multitool') as string;
  chmodSync(multitool, 0o755);
  tmp = mkdtempSync(path.join(tmpdir(), 'sopflow-sarif-'));
}, 360_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

interface SarifLog {
  runs: { tool: { driver: { rules: any[] } }; results: any[]; originalUriBaseIds?: Record<string, { uri: string }> }[];
}

/** Sarif.Multitool's findings (its own SARIF output) for one log and one rule kind. */
function multitoolFindings(sarif: string, kind: 'Sarif' | 'Gh'): { level: string; ruleId: string; message: string }[] {
  const input = path.join(tmp, `in-${kind}.sarif`);
  const output = path.join(tmp, `out-${kind}.sarif`);
  writeFileSync(input, sarif);
  execFileSync(multitool, ['validate', input, '--rule-kind', kind, '--output', output, '--log', 'ForceOverwrite'], {
    stdio: 'pipe',
    timeout: 120_000,
  });
  const report = JSON.parse(readFileSync(output, 'utf8')) as {
    runs: { results?: { level?: string; ruleId: string; message: { text?: string; id?: string; arguments?: string[] } }[] }[];
  };
  return (report.runs[0]?.results ?? []).map((r) => ({
    level: r.level ?? 'warning',
    ruleId: r.ruleId,
    message: r.message.text ?? `${r.message.id} ${(r.message.arguments ?? []).join(' | ')}`,
  }));
}

describe('SARIF checked by Sarif.Multitool (GitHub code scanning rules)', () => {
  let sarif: string;
  let log: SarifLog;

  beforeAll(async () => {
    const r = await runInProcess(['validate', 'every-rule', '--format', 'sarif', '--today', '2026-06-01'], { cwd: FIXTURES });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    sarif = r.stdout;
    log = JSON.parse(sarif) as SarifLog;
  });

  it('the folder triggers every diagnostic code', () => {
    const codes = new Set(log.runs[0]!.results.map((r) => r.ruleId));
    expect([...codes].sort()).toEqual([...DIAGNOSTIC_CODES].sort());
  });

  it('--rule-kind Sarif: no errors, no warnings, no notes', () => {
    expect(multitoolFindings(sarif, 'Sarif')).toEqual([]);
  });

  it('--rule-kind Gh: no errors, no warnings, no notes', () => {
    expect(multitoolFindings(sarif, 'Gh')).toEqual([]);
  });

  it('the check can fail: the old shortcomings are reported', () => {
    const bad = structuredClone(log);
    const rule = bad.runs[0]!.tool.driver.rules[0];
    delete rule.fullDescription;
    delete rule.help;
    rule.name = rule.id;
    delete bad.runs[0]!.results[0].partialFingerprints;
    const text = JSON.stringify(bad, null, 2);
    expect(multitoolFindings(text, 'Gh').map((f) => f.ruleId)).toContain('GH2012');
    expect(multitoolFindings(text, 'Sarif').map((f) => `${f.level} ${f.ruleId}`)).toContain('warning SARIF1001');
  });

  it('paths are relative to the repository root, whatever folder sopflow runs in', async () => {
    const fromSibling = await runInProcess(['validate', '../every-rule', '--format', 'sarif', '--today', '2026-06-01'], {
      cwd: path.join(FIXTURES, 'validate'),
    });
    const run = (JSON.parse(fromSibling.stdout) as SarifLog).runs[0]!;
    const uris = run.results.map((r) => r.locations[0].physicalLocation.artifactLocation);
    for (const location of uris) {
      expect(location.uriBaseId).toBe('%SRCROOT%');
      expect(location.uri).toMatch(/^packages\/cli\/test\/fixtures\/every-rule\//);
    }
    expect(run.originalUriBaseIds!['%SRCROOT%']!.uri).toBe(`${new URL(`file://${REPO_ROOT}/`).href}`);
    expect(fromSibling.stdout).not.toContain('file://' + FIXTURES);
  });
});
