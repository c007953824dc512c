import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { findProcedures, validateProject } from '../src/index.js';
import { TODAY, where } from './helpers.js';

const dir = new URL('./fixtures/project/', import.meta.url);
const project = readdirSync(dir)
  .filter((f) => f.endsWith('.sop.yaml'))
  .sort()
  .map((f) => ({ file: f, text: readFileSync(new URL(f, dir), 'utf8') }));

const refund = (use: string, outcomes = '') => ({
  file: 'refund.sop.yaml',
  text: `sopflow: 1\nid: refund\ntitle: Refund\ninstructions:\n  - id: verify\n    use: ${use}\n${outcomes}  - id: pay\n    do: Pay the refund.\n  - id: close\n    end: closed\n`,
});

describe('validateProject', () => {
  test('a set of SOPs that use each other validates clean', () => {
    const { results, diagnostics, procedures } = validateProject(project, { today: TODAY });
    expect(diagnostics).toEqual([]);
    expect(results.map((r) => r.file)).toEqual(project.map((p) => p.file));
    expect([...procedures.keys()].sort()).toEqual(['billing-dispute', 'verify-identity']);
    expect(findProcedures(results).get('verify-identity')?.title).toBe("Verify the caller's identity");
  });

  test('missing-procedure at the `use` value, with did-you-mean; only among the files given', () => {
    const { results } = validateProject([...project, refund('verify-identiy')], { today: TODAY });
    const r = results.find((x) => x.file === 'refund.sop.yaml')!;
    expect(where(r.diagnostics)).toEqual(['missing-procedure 6:10']);
    expect(r.diagnostics[0]!.hint).toBe('did you mean `verify-identity`?');
    // billing-dispute uses verify-identity: validated alone, it is missing
    const alone = validateProject([project.find((p) => p.file === 'billing-dispute.sop.yaml')!], { today: TODAY });
    expect(where(alone.diagnostics)).toEqual(['missing-procedure 8:10']);
  });

  test('unknown-outcome at the outcomes key, naming what the child ends with', () => {
    const { results } = validateProject(
      [...project, refund('verify-identity', '    outcomes:\n      verifed: pay\n      failed: close\n      completed: pay\n')],
      { today: TODAY },
    );
    const r = results.find((x) => x.file === 'refund.sop.yaml')!;
    expect(where(r.diagnostics)).toEqual(['unknown-outcome 8:7', 'unknown-outcome 10:7']);
    expect(r.diagnostics[0]!.hint).toBe('did you mean `verified`?');
    expect(r.diagnostics[0]!.message).toMatch(/ends with `verified`, `failed`/);
  });

  test('duplicate-procedure on every later file declaring the same id, even when it fails the schema', () => {
    const dup = { file: 'again.sop.yaml', text: 'sopflow: 1\nid: verify-identity\ntitle: Again\ninstructions:\n  - do: x\n' };
    const broken = { file: 'broken.sop.yaml', text: 'sopflow: 1\nid: verify-identity\ntitel: Broken\ninstructions:\n  - do: x\n' };
    const { results } = validateProject([...project, dup, broken], { today: TODAY });
    expect(where(results.find((x) => x.file === 'again.sop.yaml')!.diagnostics)).toEqual(['duplicate-procedure 2:5']);
    expect(results.find((x) => x.file === 'again.sop.yaml')!.diagnostics[0]!.message).toMatch(/also declared in verify-identity.sop.yaml/);
    expect(where(results.find((x) => x.file === 'broken.sop.yaml')!.diagnostics)).toEqual(['duplicate-procedure 2:5', 'schema 3:1']);
  });

  test('a `use` of an SOP whose file has schema errors is not also reported missing', () => {
    const child = { file: 'child.sop.yaml', text: 'sopflow: 1\nid: child\ntitel: Oops\ninstructions:\n  - end: ok\n' };
    const { results } = validateProject([child, refund('child', '    outcomes: { ok: pay }\n')], { today: TODAY });
    expect(where(results[1]!.diagnostics)).toEqual([]);
    expect(where(results[0]!.diagnostics)).toEqual(['schema 3:1']);
  });

  test("the flattened list holds every file's diagnostics in file order", () => {
    const { diagnostics } = validateProject([refund('nope'), { file: 'empty.sop.yaml', text: '' }], { today: TODAY });
    expect(diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual(['refund.sop.yaml missing-procedure', 'empty.sop.yaml schema']);
  });
});
