import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildSopGraph, STEP_KEYS, type Sop, type Step } from '@sopflow/model';
import { candidates, proseIndex } from '../src/shared/prose.js';
import { proseOf, type Prose } from '../src/shared/texts.js';
import { SOP_RULES } from '../src/registry/registry.js';
import { sopFiles } from './helpers.js';
import { generateSop } from './kit.js';

// The prose walk reads a SOP's steps from its graph's step values (one object shape) when it
// has the graph, and from the steps themselves otherwise: both must give the same texts, kinds
// and places, or undefined-term and unused-term would judge a different text.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Everything a rule can read of the prose: each text with its path, metadata flag and term. */
const readable = (prose: Prose) =>
  prose.texts.map((text, i) => ({ text, path: prose.pathOf(i), metadata: prose.isMetadata(i), term: prose.termOf(i) }));

function expectSameProse(sop: Sop): void {
  const alone = readable(proseOf(sop));
  expect(readable(proseOf(sop, buildSopGraph(sop)))).toEqual(alone);
}

describe('proseOf with the graph', () => {
  it('gives the texts the steps give, for every example and fixture SOP with a list of object steps', () => {
    let checked = 0;
    for (const file of [...sopFiles(path.join(ROOT, 'examples')), ...sopFiles(path.join(ROOT, 'packages'))]) {
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        if (!('toJS' in doc)) continue;
        const sop = doc.toJS() as Sop;
        const steps: unknown = sop?.instructions;
        if (!Array.isArray(steps) || !steps.every((s) => s !== null && typeof s === 'object')) continue;
        expectSameProse(sop);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('gives the texts the steps give, for generated SOPs and steps of any keys in any order (property)', () => {
    const keys = Object.keys(STEP_KEYS) as (keyof Step)[];
    const value = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constant(undefined),
      fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
      // plain objects, as YAML gives
      fc.array(
        fc.record({ answer: fc.oneof(fc.string({ maxLength: 4 }), fc.integer()) }).map((choice) => ({ ...choice })),
        { maxLength: 3 },
      ),
    );
    const step = fc
      .array(fc.tuple(fc.constantFrom(...keys), value), { maxLength: 8 })
      .map((entries) => Object.fromEntries(entries) as Step);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.array(step, { maxLength: 12 }), (seed, extra) => {
        const sop = generateSop({ id: 'prose', steps: 8, seed }) as unknown as Sop;
        sop.instructions = [...sop.instructions, ...extra];
        expectSameProse(sop);
      }),
      { numRuns: 500 },
    );
  });

  it('reads the steps themselves for a graph of another SOP or one it did not build', () => {
    const sop = generateSop({ id: 'prose', steps: 6, seed: 7 }) as unknown as Sop;
    const other = { ...sop, instructions: [{ id: 'x', do: 'Something else entirely' }] } as Sop;
    const texts = proseOf(sop).texts;
    expect(proseOf(sop, buildSopGraph(other)).texts).toEqual(texts);
    expect(proseOf(sop, { ...buildSopGraph(sop) }).texts).toEqual(texts);
  });
});

describe('undefined-term', () => {
  const rule = SOP_RULES.find((r) => r.code === 'undefined-term')!;
  const WORDS = [
    'CRM',
    'CSR',
    'CSRs',
    "CSR's",
    'SLA',
    'OK',
    'DO',
    'NOT',
    'IVR',
    'KPI',
    'B2B',
    'ISO8601',
    'II',
    'Tier',
    'and',
    'the',
    'http://x.io/CRM',
    'a@b.KPI',
    'path/IVR',
  ];
  const SEPARATORS = [' ', ', ', ' - ', '. ', '! '];

  /** The rule as it was before texts whose words are all defined skipped the candidate filter. */
  function reference(sop: Sop): string[] {
    const { prose, acronyms } = proseIndex(sop);
    const defined = new Set<string>();
    for (const term of Object.keys(sop.terms ?? {})) defined.add(term.trim());
    const reported = new Set<string>();
    const out: string[] = [];
    for (let i = 0; i < acronyms.length; i++) {
      for (const token of candidates(prose.texts[i]!, acronyms[i]!)) {
        if (defined.has(token.word) || reported.has(token.word)) continue;
        reported.add(token.word);
        out.push(`${prose.pathOf(i).join('.')} ${token.word}`);
      }
    }
    return out;
  }

  it('reports what the candidate filter over every text reports (property)', () => {
    const text = fc
      .array(fc.tuple(fc.constantFrom(...WORDS), fc.constantFrom(...SEPARATORS)), { minLength: 1, maxLength: 8 })
      .map((parts) =>
        parts
          .map(([w, sep]) => w + sep)
          .join('')
          .trim(),
      );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.subarray(['CRM', 'CSR', 'SLA', 'KPI', 'B2B']),
        fc.array(text, { minLength: 1, maxLength: 6 }),
        (seed, terms, notes) => {
          const sop = generateSop({ id: 'terms', steps: 6, seed }) as unknown as Sop;
          sop.terms = Object.fromEntries(terms.map((t) => [t, `the ${t.toLowerCase()} thing`]));
          notes.forEach((note, i) => (sop.instructions[i % sop.instructions.length]!.note = note));
          const graph = buildSopGraph(sop);
          const found = rule.check({ file: 'x', sop, graph, today: '2026-06-01' }).map((f) => `${f.path.join('.')} ${f.word}`);
          expect(found).toEqual(reference(sop));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
