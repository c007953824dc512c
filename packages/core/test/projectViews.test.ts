import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { buildSopGraph, type Diagnostic, type Sop } from '@sopflow/model';
import { RULES, validateProject, type ProjectFile, type ProjectRule } from '../src/index.js';
import { recordedFields } from '../src/shared/recordedFields.js';
import { generateSop, toYaml } from './kit.js';
import { TODAY } from './helpers.js';

/**
 * Project rules read a small view of each SOP and what their `gather` took from it while the
 * file was loaded, never the SOPs themselves: so `validateProject(files, { sops: false })` keeps
 * no SOP to the end and must find exactly what the default finds. Checked on the repository's
 * files, on generated projects, and on random families of SOPs that pass fields to each other,
 * where the two gathered rules are also held to a direct computation over the whole project.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..', '..', '..');

const brief = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.file} ${d.line}:${d.column} ${d.code} ${d.message}`);

function bothWays(files: ProjectFile[]) {
  const kept = validateProject(files, { today: TODAY });
  const lean = validateProject(files, { today: TODAY, sops: false });
  expect(brief(lean.diagnostics)).toEqual(brief(kept.diagnostics));
  expect(lean.diagnostics).toEqual(kept.diagnostics);
  expect(lean.results.map((r) => r.sop)).toEqual(lean.results.map(() => undefined));
  expect(lean.procedures.size).toBe(0);
  return kept;
}

function sopFiles(dir: string): ProjectFile[] {
  const out: ProjectFile[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sopFiles(full));
    else if (entry.name.endsWith('.sop.yaml')) out.push({ file: path.relative(root, full), text: readFileSync(full, 'utf8') });
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : 1));
}

describe('validateProject with sops: false', () => {
  test('the examples and every fixture, together: the same diagnostics, no SOP kept', () => {
    const files = [...sopFiles(path.join(root, 'examples')), ...sopFiles(path.join(here, 'fixtures'))];
    expect(files.length).toBeGreaterThan(40);
    const kept = bothWays(files);
    // the comparison means something: cross-file findings are among them
    const codes = new Set(kept.diagnostics.map((d) => d.code));
    for (const code of ['duplicate-procedure', 'missing-procedure', 'unknown-outcome', 'required-not-recorded'])
      expect(codes).toContain(code);
  });

  test('a generated project where one SOP in five runs another: clean both ways', () => {
    const files = Array.from({ length: 60 }, (_, i) => ({
      file: `gen-${i}.sop.yaml`,
      text: toYaml(
        generateSop({
          id: `gen-${i}`,
          steps: 6 + (i % 20),
          seed: 500 + i,
          procedures: i > 0 && i % 5 === 0 ? [{ id: `gen-${i - 1}` }] : [],
        }),
      ),
    }));
    expect(bothWays(files).diagnostics).toEqual([]);
  });
});

// Random families: SOPs p0..p3 (an id may repeat), fields a, b, c (some required), tasks that
// record some of them, decisions with `when` choices, `use:` steps passing fields in and back.
const FIELDS = ['a', 'b', 'c'] as const;
const OUTCOMES = ['done', 'failed'] as const;

const stepArb = fc.oneof(
  fc.record({
    kind: fc.constant('task' as const),
    record: fc.subarray([...FIELDS]),
    to: fc.option(fc.nat(6), { nil: undefined }),
    end: fc.option(fc.constantFrom(...OUTCOMES), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('decision' as const),
    choices: fc.array(fc.record({ field: fc.constantFrom(...FIELDS, 'undeclared'), unset: fc.boolean(), to: fc.nat(6) }), {
      minLength: 1,
      maxLength: 3,
    }),
    other: fc.option(fc.nat(6), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('use' as const),
    use: fc.constantFrom('p0', 'p1', 'p2', 'p3', 'elsewhere'),
    passIn: fc.subarray([...FIELDS]),
    takeBack: fc.subarray([...FIELDS]),
    outcomes: fc.subarray([...OUTCOMES, 'never']),
  }),
);

const sopArb = fc.record({
  id: fc.constantFrom('p0', 'p1', 'p2', 'p3'),
  required: fc.subarray([...FIELDS]),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 7 }),
});

type SopArb = typeof sopArb extends fc.Arbitrary<infer T> ? T : never;

function toSop({ id, required, steps }: SopArb): Record<string, unknown> {
  const stepId = (i: number) => `s${i % steps.length}`;
  const instructions = steps.map((s, i) => {
    const base = { id: stepId(i) };
    if (s.kind === 'task') {
      return {
        ...base,
        do: 'Do the work.',
        ...(s.record.length ? { record: s.record } : {}),
        ...(s.end !== undefined ? { end: s.end } : s.to !== undefined ? { next: stepId(s.to) } : {}),
      };
    }
    if (s.kind === 'decision') {
      const choices: Record<string, unknown>[] = s.choices.map((c) => ({
        when: c.unset ? { field: c.field, set: false } : { field: c.field, equals: 'x' },
        next: stepId(c.to),
      }));
      if (s.other !== undefined) choices.push({ answer: 'Something else', next: stepId(s.other) });
      return { ...base, ask: 'Which case is it?', choices };
    }
    return {
      ...base,
      use: s.use,
      ...(s.passIn.length ? { with: Object.fromEntries(s.passIn.map((f, k) => [f, FIELDS[(k + 1) % FIELDS.length]!])) } : {}),
      ...(s.takeBack.length ? { returns: Object.fromEntries(s.takeBack.map((f) => [f, f])) } : {}),
      ...(s.outcomes.length ? { outcomes: Object.fromEntries(s.outcomes.map((o) => [o, stepId(0)])) } : {}),
    };
  });
  const fields = Object.fromEntries(
    FIELDS.map((f) => [f, { type: 'string', enum: ['x', 'y'], ...(required.includes(f) ? { required: true } : {}) }]),
  );
  return { sopflow: 1, id, title: `Procedure ${id}`, fields, instructions };
}

/** The two gathered rules computed directly over the whole project, the way they were before views. */
function expectedGathered(sops: (Sop | undefined)[]): string[] {
  const given = new Map<string, Set<string>>();
  for (const sop of sops) {
    for (const step of sop?.instructions ?? []) {
      if (typeof step.use !== 'string' || !step.with) continue;
      const set = given.get(step.use) ?? new Set<string>();
      for (const f of Object.keys(step.with)) set.add(f);
      given.set(step.use, set);
    }
  }
  const out: string[] = [];
  sops.forEach((sop, file) => {
    if (!sop) return;
    const graph = buildSopGraph(sop);
    const passed = given.get(sop.id) ?? new Set<string>();
    const recorded = recordedFields(graph, passed);
    for (const [name, def] of Object.entries(graph.fields)) {
      if (def.required !== true) continue;
      if (graph.nodes.some((_, i) => recorded.endsWithout(i, name))) out.push(`${file} required-not-recorded fields.${name}.required`);
    }
    const anyRecord = new Set<string>(passed);
    for (const node of graph.nodes) {
      for (const f of node.record) anyRecord.add(f);
      for (const f of Object.keys(node.returns ?? {})) anyRecord.add(f);
    }
    for (const node of graph.nodes) {
      (node.step.choices ?? []).forEach((choice, i) => {
        const field = choice.when?.field;
        if (field !== undefined && !anyRecord.has(field) && Object.hasOwn(graph.fields, field))
          out.push(`${file} unrecorded-field instructions.${node.index}.choices.${i}.when.field`);
      });
    }
  });
  return out.sort();
}

describe('random families of SOPs', () => {
  test('the same diagnostics with and without SOPs kept; the gathered rules as computed over the whole project', () => {
    let crossFile = 0;
    fc.assert(
      fc.property(fc.array(sopArb, { minLength: 1, maxLength: 4 }), (family) => {
        const files = family.map((s, i) => ({ file: `f${i}.sop.yaml`, text: toYaml(toSop(s)) }));
        const kept = bothWays(files);
        const index = new Map(files.map((f, i) => [f.file, i]));
        const found = kept.diagnostics
          .filter((d) => d.code === 'required-not-recorded' || d.code === 'unrecorded-field')
          .map((d) => `${index.get(d.file)} ${d.code} ${d.path.join('.')}`)
          .sort();
        expect(found).toEqual(expectedGathered(kept.results.map((r) => r.sop)));
        if (kept.diagnostics.some((d) => d.code === 'field-mismatch' || d.code === 'unknown-outcome' || d.code === 'procedure-cycle'))
          crossFile++;
      }),
      { numRuns: 1500, seed: 20261207 },
    );
    expect(crossFile).toBeGreaterThan(50);
  });
});

describe('a project rule that fails while gathering from one file', () => {
  afterEach(() => vi.restoreAllMocks());

  test('is reported on that file, with its code; the other files and rules still run', () => {
    const rule = RULES.find((r): r is ProjectRule => r.code === 'required-not-recorded')!;
    const gather = rule.gather!.bind(rule);
    vi.spyOn(rule, 'gather').mockImplementation((context) => {
      if (context.sop.id === 'broken') throw new Error('cannot read this one');
      return gather(context);
    });
    const child = 'sopflow: 1\nid: broken\ntitle: C\nfields:\n  customer: { type: string, required: true }\ninstructions:\n  - do: Help.\n';
    const parent =
      'sopflow: 1\nid: parent\ntitle: P\nfields:\n  who: { type: string, required: true }\ninstructions:\n  - do: Help.\n  - use: nowhere\n';
    for (const sops of [true, false]) {
      const { diagnostics } = validateProject(
        [
          { file: 'parent.sop.yaml', text: parent },
          { file: 'broken.sop.yaml', text: child },
        ],
        { today: TODAY, sops },
      );
      expect(diagnostics.map((d) => [d.file, d.code, d.message])).toEqual([
        ['parent.sop.yaml', 'required-not-recorded', expect.stringContaining('field `who` is required')],
        ['parent.sop.yaml', 'missing-procedure', expect.stringContaining('`nowhere`')],
        [
          'broken.sop.yaml',
          'required-not-recorded',
          'sopflow could not run the cross-file check `required-not-recorded` on this file: cannot read this one',
        ],
      ]);
    }
  });
});
