// The benchmark's corpus generator: deterministic, and every SOP it writes is valid for both
// the JSON Schema (what ajv-cli checks) and every sopflow rule (zero diagnostics).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM modules without type declarations
import { DEFAULT_SEED, PLANS, corpusDigest, generateCorpus } from '../lib/corpus.mjs';
// @ts-expect-error plain ESM modules without type declarations
import { mulberry32 } from '../lib/prng.mjs';
// @ts-expect-error plain ESM modules without type declarations
import { formatTable } from '../lib/table.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// the bench has no dependencies of its own: read YAML with the parser @sopflow/core uses
const { parse } = createRequire(path.join(ROOT, 'packages/core/package.json'))('yaml') as { parse: (text: string) => any };
const tiny = { ...PLANS.quick, ciFiles: 12, scale: [300] };

describe('corpus generator', () => {
  it('mulberry32 is a pure function of its seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('writes the same bytes for the same seed, other bytes for another seed', () => {
    const first = generateCorpus({ seed: 7, plan: tiny });
    const second = generateCorpus({ seed: 7, plan: tiny });
    expect(Object.keys(second)).toEqual(Object.keys(first));
    for (const name of Object.keys(first)) expect(second[name]).toBe(first[name]);
    expect(corpusDigest(second)).toBe(corpusDigest(first));
    expect(corpusDigest(generateCorpus({ seed: 8, plan: tiny }))).not.toBe(corpusDigest(first));
  });

  it('makes SOPs of the requested sizes with every kind of step', () => {
    const files: Record<string, string> = generateCorpus({ seed: DEFAULT_SEED, plan: tiny });
    const big = parse(files['scale/steps-300.sop.yaml']!);
    expect(big.instructions).toHaveLength(300);
    const ci = Object.entries(files)
      .filter(([f]) => f.startsWith('ci/'))
      .map(([, t]) => parse(t));
    expect(ci).toHaveLength(12);
    for (const sop of ci) expect(sop.instructions.length).toBeGreaterThanOrEqual(36);
    const steps = ci.flatMap((s) => s.instructions);
    for (const key of ['do', 'ask', 'transfer', 'escalate', 'end', 'limit', 'record', 'checks', 'action', 'use']) {
      expect(
        steps.some((s: Record<string, unknown>) => key in s),
        key,
      ).toBe(true);
    }
    expect(steps.some((s: { choices?: { when?: unknown }[] }) => s.choices?.some((c) => c.when))).toBe(true);
  });

  it('generates SOPs that pass the JSON Schema (what ajv-cli checks)', () => {
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas/sop.schema.json'), 'utf8'));
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    for (const [name, text] of Object.entries(generateCorpus({ seed: DEFAULT_SEED, plan: tiny }) as Record<string, string>)) {
      expect(validate(parse(text)) ? [] : validate.errors, name).toEqual([]);
    }
  });

  it('generates SOPs that sopflow validates with zero diagnostics (errors and warnings)', async () => {
    const { validateProject } = await import('../../packages/core/src/index.js');
    const files = Object.entries(generateCorpus({ seed: DEFAULT_SEED, plan: tiny }) as Record<string, string>).map(([file, text]) => ({
      file,
      text,
    }));
    const { diagnostics } = validateProject(
      files.filter((f) => !f.file.startsWith('scale/')),
      { today: '2026-11-24' },
    );
    expect(diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([]);
    const scale = validateProject(
      files.filter((f) => f.file.startsWith('scale/')),
      { today: '2026-11-24' },
    );
    expect(scale.diagnostics.map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`)).toEqual([]);
  });
});

describe('results table', () => {
  it('prints one row per metric with PASS, MISS or a dash', () => {
    const table: string = formatTable([
      { metric: 'a', sopflow: '1 ms', peer: '2 ms', ratio: '2.00x', target: '< 5 ms', pass: true },
      { metric: 'b', sopflow: '9 ms', peer: '', ratio: '', target: '< 5 ms', pass: false },
      { metric: 'c|d', sopflow: '3 KB', peer: '', ratio: '', target: '', pass: undefined },
    ]);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^\| metric +\| sopflow +\| peer +\| ratio +\| target +\| PASS\/MISS \|$/);
    expect(lines[2]).toContain('| PASS');
    expect(lines[3]).toContain('| MISS');
    expect(lines[4]).toContain('c\\|d');
    expect(lines[4]).toMatch(/\| — +\|$/);
  });
});
