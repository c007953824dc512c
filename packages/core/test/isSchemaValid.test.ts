import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { describe, expect, test } from 'vitest';
import isSchemaValid from '../src/generated/isSchemaValid.js';
import validateSchema from '../src/generated/validateSchema.js';
// @ts-expect-error: a plain .mjs script without types
import { generateIsSchemaValidSource } from '../../../scripts/generateIsSchemaValid.mjs';
import { sopFiles } from './helpers.js';
import { generateSop } from './kit.js';

// The fast path asks `isSchemaValid` where the full path asks ajv's validator: the two must agree
// on every document, valid or not, or a file would be passed (or sent to the full path) wrongly.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** A document that takes every kind of step, field, condition and option the schema has. */
const EVERYTHING = {
  sopflow: 1,
  id: 'everything',
  title: 'Every construct',
  department: 'Ops',
  version: '1.0',
  owner: 'ops@example.com',
  review_by: '2027-01-31',
  review_every: '1y',
  tags: ['a', 'b'],
  purpose: 'Covers the schema.',
  rules: ['Be kind'],
  target: '10m',
  terms: { CRM: 'Customer relationship management' },
  fields: {
    name: { type: 'string', label: 'Name', description: 'Who', required: true },
    count: { type: 'integer', minimum: 0, maximum: 10 },
    amount: { type: 'number', enum: [1, 2.5] },
    flag: { type: 'boolean' },
    day: { type: 'date' },
    tags: { type: 'list', items: { type: 'string', enum: ['x', 'y'] } },
    codes: { type: 'list', items: { type: 'number', minimum: 1, maximum: 9 } },
  },
  instructions: [
    {
      id: 'start',
      do: 'Start.',
      role: 'agent',
      segment: 'greeting',
      checks: ['One'],
      record: ['name'],
      action: 'crm.log',
      note: 'n',
      target: '1m',
    },
    {
      id: 'pick',
      ask: 'Which?',
      choices: [
        { answer: 'Yes', next: 'sub' },
        { when: { field: 'count', gte: 2 }, next: 'wait' },
        { answer: 'No', when: { field: 'flag', set: true }, next: 'away' },
      ],
    },
    {
      id: 'sub',
      use: 'other',
      with: { name: 'name' },
      returns: { count: 'count' },
      outcomes: { resolved: 'wait', failed: 'away' },
      action: ['a.b', 'c'],
    },
    { id: 'wait', wait: 'Wait for it', until: 'signal.done', limit: { after: '5m', next: 'away' }, next: 'esc' },
    { id: 'esc', escalate: 'Tier 2', next: 'away' },
    { id: 'away', transfer: 'Billing', end: 'transferred' },
    { id: 'stop', end: 'resolved' },
  ],
};

const CONDITIONS = [
  { field: 'a', equals: 'x' },
  { field: 'a', not_equals: 1 },
  { field: 'a', in: [1, 'b', true] },
  { field: 'a', contains: 'x' },
  { field: 'a', gt: 1 },
  { field: 'a', lte: 2.5 },
  { field: 'a', set: false },
];

/** Values to put anywhere: right and wrong types, empty and odd strings, the schema's own words. */
const VALUES: unknown[] = [
  '',
  'a',
  'A-1',
  'a b',
  '-a',
  '1y',
  '2mo',
  '5m',
  'P1D',
  'x',
  '2026-01-01',
  '2026-13-01',
  '\ud83d',
  '\ud83d\ude00',
  'list',
  'string',
  'integer',
  'resolved',
  0,
  1,
  -1,
  1.5,
  Infinity,
  Number.NaN,
  true,
  false,
  null,
  undefined, // not from YAML, but as ajv: a declared key holding undefined is absent
  [],
  ['a'],
  [1],
  [''],
  {},
  { a: 'b' },
  { type: 'string' },
  { type: 'list', items: { type: 'string' } },
  { type: 'list' },
  { after: '5m', next: 'a' },
  { answer: 'Yes', next: 'a' },
  { do: 'x' },
  ...CONDITIONS,
];

/** Keys to add: every key the schema declares somewhere, and some it does not. */
const KEYS = [
  ...new Set([
    ...Object.keys(EVERYTHING),
    ...Object.keys(EVERYTHING.instructions.reduce((all, step) => Object.assign(all, step), {})),
    'label',
    'description',
    'required',
    'enum',
    'minimum',
    'maximum',
    'items',
    'type',
    'field',
    'equals',
    'not_equals',
    'in',
    'contains',
    'gt',
    'gte',
    'lt',
    'lte',
    'set',
    'answer',
    'when',
    'after',
    'unknown',
    '',
    '1x',
    'constructor',
    'toString',
  ]),
];

type Json = unknown;
type Mutation = { at: number; kind: number; key: number; value: number };

/** Every object and array in a document, parents first. */
function containers(doc: Json): (Record<string, unknown> | unknown[])[] {
  const out: (Record<string, unknown> | unknown[])[] = [];
  const walk = (v: Json) => {
    if (v && typeof v === 'object') {
      out.push(v as Record<string, unknown>);
      for (const child of Object.values(v)) walk(child);
    }
  };
  walk(doc);
  return out;
}

/** Applies one mutation in place: delete, set or replace a key or an element, or copy a subtree from elsewhere. */
function mutate(doc: Json, m: Mutation): void {
  const all = containers(doc);
  const target = all[m.at % all.length]!;
  const value = m.kind % 4 === 3 ? structuredClone(all[m.value % all.length]) : structuredClone(VALUES[m.value % VALUES.length]);
  if (Array.isArray(target)) {
    if (m.kind % 4 === 0 && target.length > 0) target.splice(m.key % target.length, 1);
    else if (m.kind % 4 === 1 || target.length === 0) target.push(value);
    else target[m.key % target.length] = value;
    return;
  }
  const keys = Object.keys(target);
  if (m.kind % 4 === 0 && keys.length > 0) delete target[keys[m.key % keys.length]!];
  else if (m.kind % 4 === 2 && keys.length > 0) target[keys[m.key % keys.length]!] = value;
  else Object.defineProperty(target, KEYS[m.key % KEYS.length]!, { value, enumerable: true, writable: true, configurable: true });
}

const bases: Json[] = [EVERYTHING, ...[1, 2, 3].map((seed) => generateSop({ id: `g${seed}`, steps: 12, seed }))];

describe('isSchemaValid (the fast path yes/no check) agrees with ajv', () => {
  test('on every example and fixture in the repository, as parsed by yaml 2', () => {
    let valid = 0;
    let invalid = 0;
    const files = sopFiles(ROOT);
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
        if (!('toJS' in doc)) continue;
        let data: unknown;
        try {
          data = doc.toJS({ maxAliasCount: 100 });
        } catch {
          continue;
        }
        const expected = validateSchema(data);
        expect(isSchemaValid(data), path.relative(ROOT, file)).toBe(expected);
        if (expected) valid++;
        else invalid++;
      }
    }
    // both answers occur, or the comparison says little
    expect(valid).toBeGreaterThan(20);
    expect(invalid).toBeGreaterThan(5);
  });

  test('on the generated SOPs and the document that takes every construct', () => {
    for (const base of bases) expect(isSchemaValid(base)).toBe(true);
    for (let seed = 0; seed < 200; seed++) {
      const sop = generateSop({ id: `s${seed}`, steps: 5 + (seed % 40), seed });
      expect(isSchemaValid(sop)).toBe(validateSchema(sop));
    }
  });

  test('on documents one to four edits away from valid ones (property)', () => {
    let valid = 0;
    let runs = 0;
    const mutation = fc.record({ at: fc.nat(), kind: fc.nat(), key: fc.nat(), value: fc.nat() });
    fc.assert(
      fc.property(fc.nat(bases.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), (b, mutations) => {
        const doc = structuredClone(bases[b]);
        for (const m of mutations) mutate(doc, m);
        const expected = validateSchema(doc);
        runs++;
        if (expected) valid++;
        expect(isSchemaValid(doc)).toBe(expected);
      }),
      { numRuns: Number(process.env.SCHEMA_CHECK_RUNS ?? 4000), seed: 20261207 },
    );
    // edits that keep a document valid (a new `note`, a changed text) and ones that break it
    expect(valid / runs).toBeGreaterThan(0.05);
    expect(valid / runs).toBeLessThan(0.9);
  });

  test('on any JSON value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        expect(isSchemaValid(value)).toBe(validateSchema(value));
      }),
      { numRuns: 1000, seed: 20261207 },
    );
  });

  test('on every edit of one or two keys of each object, by kind, and every value in each key', () => {
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'schemas/sop.schema.json'), 'utf8'));
    const defs = schema.definitions;
    const keysOf = (s: { properties: Record<string, unknown> }) => Object.keys(s.properties);
    const doc0 = EVERYTHING as Record<string, any>;
    // every object of EVERYTHING by the schema definition it is, as a path from the root
    const objects: { kind: string; keys: string[]; path: (string | number)[] }[] = [{ kind: 'root', keys: keysOf(schema), path: [] }];
    doc0.instructions.forEach((step: Record<string, any>, i: number) => {
      objects.push({ kind: 'step', keys: keysOf(defs.step), path: ['instructions', i] });
      if (step.limit) objects.push({ kind: 'limit', keys: keysOf(defs.limit), path: ['instructions', i, 'limit'] });
      (step.choices ?? []).forEach((choice: Record<string, unknown>, j: number) => {
        objects.push({ kind: 'choice', keys: keysOf(defs.choice), path: ['instructions', i, 'choices', j] });
        if (choice.when) objects.push({ kind: 'condition', keys: keysOf(defs.condition), path: ['instructions', i, 'choices', j, 'when'] });
      });
    });
    for (const [name, field] of Object.entries(doc0.fields as Record<string, Record<string, unknown>>)) {
      objects.push({ kind: 'field', keys: keysOf(defs.field), path: ['fields', name] });
      if (field.items) objects.push({ kind: 'listItems', keys: keysOf(defs.listItems), path: ['fields', name, 'items'] });
    }
    // a plausible value for each key of each kind: the first one EVERYTHING gives it
    const plausible = new Map<string, unknown>();
    for (const o of objects)
      for (const [k, v] of Object.entries(at(doc0, o.path))) if (!plausible.has(`${o.kind}.${k}`)) plausible.set(`${o.kind}.${k}`, v);
    let cases = 0;
    const compare = (doc: unknown, what: string) => {
      cases++;
      expect(isSchemaValid(doc), what).toBe(validateSchema(doc));
    };
    for (const o of objects) {
      // one or two keys added (a plausible value) or removed: dependencies, conflicts, required, sizes
      for (let a = 0; a < o.keys.length; a++) {
        for (let b = a; b < o.keys.length; b++) {
          const doc = structuredClone(doc0);
          const target = at(doc, o.path);
          for (const key of new Set([o.keys[a]!, o.keys[b]!])) {
            if (key in target) delete target[key];
            else target[key] = structuredClone(plausible.get(`${o.kind}.${key}`) ?? 'a');
          }
          compare(doc, `${o.path.join('.')}: ${o.keys[a]} ${o.keys[b]}`);
        }
      }
      // every value in every key it has, and an unknown key
      for (const key of [...Object.keys(at(doc0, o.path)), 'unknown']) {
        for (const value of VALUES) {
          const doc = structuredClone(doc0);
          at(doc, o.path)[key] = structuredClone(value);
          compare(doc, `${o.path.join('.')}.${key} = ${JSON.stringify(value)}`);
        }
      }
    }
    expect(cases).toBeGreaterThan(5000);
  });
});

/** The object at `path` in `doc`. */
function at(doc: Record<string, any>, path: (string | number)[]): Record<string, any> {
  return path.reduce((node, key) => node[key], doc);
}

describe('the generator of isSchemaValid', () => {
  test('refuses a keyword it does not compile, naming it, instead of ignoring it', () => {
    const schema = { type: 'object', properties: { a: { type: 'string', maxLength: 3 } } };
    expect(() => generateIsSchemaValidSource(schema, '')).toThrow(/unsupported keyword "maxLength" at #\/properties\/a\/maxLength/);
    expect(() => generateIsSchemaValidSource({ $ref: '#/definitions/missing' }, '')).toThrow(/unsupported \$ref/);
    expect(() => generateIsSchemaValidSource({ const: { a: 1 } }, '')).toThrow(/const/);
  });

  test('counts code points for minLength above 1, as ajv does', async () => {
    const source = generateIsSchemaValidSource({ type: 'string', minLength: 2 }, '') as string;
    const check = (await import(`data:text/javascript,${encodeURIComponent(source)}`)).default as (d: unknown) => boolean;
    expect(check('ab')).toBe(true);
    expect(check('\ud83d\ude00')).toBe(false); // one code point in two code units
    expect(check('\ud83d\ude00x')).toBe(true);
  });
});
