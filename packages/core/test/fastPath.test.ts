import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { loadFile } from '../src/loadSop.js';
import { fastParse } from '../src/parse/fastParse.js';
import { isYamlSpace } from '../src/parse/hasNonPlainMarks.js';
import { parseSource } from '../src/parse/parseSource.js';
import { checkProject } from '../src/project/validateProject.js';
import { RULES } from '../src/registry/registry.js';
import { generateSop, toYaml } from './kit.js';
import { expectSamePositions } from './positions.js';
import { TODAY } from './helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const FIXTURES = path.join(ROOT, 'packages/core/test/fixtures');

function sopFiles(dir: string): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sopFiles(full));
    else if (entry.name.endsWith('.sop.yaml')) out.push({ file: path.relative(ROOT, full), text: readFileSync(full, 'utf8') });
  }
  return out;
}

/** The data with key order, NaN, -0 and infinities spelt out (toEqual ignores key order). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number') return Object.is(v, -0) ? '#-0' : Number.isFinite(v) ? v : `#${v}`;
    if (typeof v === 'string') return `s:${v}`;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      if (Object.getPrototypeOf(v) !== Object.prototype) return { '#proto': String(Object.getPrototypeOf(v)) };
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [`k:${k}`, x]));
    }
    return v;
  });
}

/** yaml 2's reading of a text, as the full path does it. */
function yaml2(text: string) {
  const parsed = parseSource(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, 'x.sop.yaml', { plain: false });
  return { data: parsed.data, clean: parsed.readable && parsed.diagnostics.length === 0 };
}

/** loadFile with the fast path on and off: the public fields and declaredId. */
function both(text: string, file = 'x.sop.yaml') {
  const run = (enabled: boolean) => {
    const r = loadFile(text, { file, today: TODAY, fastPath: enabled });
    return { file: r.file, sop: canonical(r.sop), diagnostics: r.diagnostics, declaredId: r.declaredId };
  };
  return { fast: run(true), slow: run(false) };
}

function project(files: { file: string; text: string }[], enabled: boolean) {
  const r = checkProject(files, { today: TODAY, fastPath: enabled });
  return {
    results: r.results.map((x) => ({ ...x, sop: canonical(x.sop) })),
    diagnostics: r.diagnostics,
    procedures: [...r.procedures.keys()],
  };
}

const examples = sopFiles(path.join(ROOT, 'examples'));
const valid = [...sopFiles(path.join(FIXTURES, 'valid')), ...sopFiles(path.join(FIXTURES, 'project'))];
const broken = sopFiles(path.join(FIXTURES, 'broken'));
const generated = Array.from({ length: 40 }, (_, i) => {
  const procedures = i > 0 && i % 5 === 0 ? [{ id: `gen-${i - 1}` }] : [];
  return { file: `gen-${i}.sop.yaml`, text: toYaml(generateSop({ id: `gen-${i}`, steps: 4 + (i % 30), seed: 1000 + i, procedures })) };
});

describe('the fast path reads what yaml 2 reads, and changes no result', () => {
  test('the corpora are there', () => {
    expect(examples.length).toBeGreaterThan(3);
    expect(valid.length).toBeGreaterThan(3);
    expect(broken.length).toBeGreaterThan(10);
  });

  test.each([...examples, ...valid, ...generated, ...broken].map((f) => [f.file, f] as const))(
    '%s: same data, same positions, same result',
    (_name, f) => {
      const data = fastParse(f.text);
      if (data !== undefined) {
        expect(canonical(data)).toBe(canonical(yaml2(f.text).data));
        expectSamePositions(f.text.charCodeAt(0) === 0xfeff ? f.text.slice(1) : f.text);
      }
      const { fast, slow } = both(f.text, f.file);
      expect(fast).toEqual(slow);
    },
  );

  test("the generated corpus (like the benchmark's) takes the fast path", () => {
    for (const f of generated) expect(fastParse(f.text), f.file).toBeDefined();
    const accepted = [...examples, ...valid].filter((f) => fastParse(f.text) !== undefined);
    expect(accepted.length).toBeGreaterThan(0);
  });

  test.each(broken.map((f) => [f.file, f] as const))('%s: exactly the diagnostics of the full path', (_name, f) => {
    const { fast, slow } = both(f.text, f.file);
    expect(fast).toEqual(slow);
  });

  test('the broken fixtures do have diagnostics (the cross-file ones only together)', () => {
    const alone = broken.filter((f) => both(f.text, f.file).slow.diagnostics.length > 0);
    // only the cross-file codes (the registry's project rules) need company
    expect(alone.length).toBeGreaterThanOrEqual(broken.length - RULES.filter((r) => r.scope === 'project').length);
    expect(project(broken, true).diagnostics.length).toBeGreaterThan(broken.length);
  });

  test('validateProject: same results on and off (cross-file positions come from the lazy yaml read)', () => {
    const files = [...valid, ...generated, ...broken, ...examples];
    expect(project(files, true)).toEqual(project(files, false));
    // a clean file whose `use:` names a missing SOP: the cross-file diagnostic needs positions
    const lonely = generated.filter((f) => /use: /.test(f.text));
    expect(lonely.length).toBeGreaterThan(0);
    const on = project(lonely, true);
    expect(on.diagnostics.some((d) => d.code === 'missing-procedure' && d.line > 1)).toBe(true);
    expect(on).toEqual(project(lonely, false));
  });

  test('a number for `version`, warnings and schema errors take the full path', () => {
    const base = generated[0]!.text;
    for (const text of [
      base.replace(/^version: .*$/m, 'version: 1.10'),
      base.replace(/^title: .*$/m, 'title: Use the XYZZY tool'),
      base.replace(/^id: .*$/m, 'id: 12'),
      `${base}\nunknown_key: 1\n`,
    ]) {
      const { fast, slow } = both(text);
      expect(fast).toEqual(slow);
    }
    expect(both(base.replace(/^version: .*$/m, 'version: 1.10')).fast.sop).toContain('s:1.10');
  });

  test('no prototype pollution, and `__proto__` / `constructor` keys are read by yaml 2', () => {
    const base = generated[0]!.text;
    for (const text of [
      `${base}__proto__: { polluted: yes }\n`,
      base.replace(/^terms:\n/m, 'terms:\n  __proto__: polluted\n  constructor: x\n'),
      '__proto__:\n  polluted: true\n',
    ]) {
      if (/__proto__/.test(text)) expect(fastParse(text)).toBeUndefined();
      const { fast, slow } = both(text);
      expect(fast).toEqual(slow);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
    const withConstructor = base.replace(/^terms:\n/m, 'terms:\n  constructor: the one who builds\n');
    expect(canonical(fastParse(withConstructor))).toBe(canonical(yaml2(withConstructor).data));
  });

  test("hostile input gives exactly the full path's diagnostics", () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    const inputs = [
      `${bomb.join('\n')}\n`,
      `instructions: ${'['.repeat(300)}${']'.repeat(300)}\n`,
      `a: ${'{a: '.repeat(80)}${'}'.repeat(80)}\n`,
      Array.from({ length: 90 }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n'),
      '\u0000\u0001binary\u00ff\ufffe',
      `${'k'.repeat(2000)}: v\n`,
      `"${'k'.repeat(2000)}": v\n`,
      'a: 1\na: 2\n',
      'a: 1\n---\nb: 2\n',
      '? [a, b]\n: c\n',
      '[a, b]: c\n',
      '{a: 1}: c\n',
      '~: x\nnull: y\n',
      'a: "unclosed\n',
      'a: [1,\n2]\n',
      'x:\n  a: [1,\n  2]\n',
      'a: b\n  c\n',
      'a: |\n  one\n two\n',
      '',
      '# only a comment\n',
      '- a\n- b\n',
      'plain text',
    ];
    for (const text of inputs) {
      const { fast, slow } = both(text);
      expect(fast).toEqual(slow);
    }
  });
});

// ---- property: whenever the fast path accepts a text, yaml 2 reads it cleanly, the same

const TRICKY = [
  '',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'true',
  'True',
  'TRUE',
  'false',
  'FALSE',
  'tRue',
  '0x1F',
  '0X1F',
  '0o17',
  '017',
  '0b11',
  '1e3',
  '1E3',
  '-1e-3',
  '+12',
  '-0',
  '0',
  '00',
  '1_000',
  '1,000',
  '.5',
  '5.',
  '-.5',
  '.inf',
  '-.Inf',
  '+.INF',
  '.NaN',
  '.nan',
  '.NAN',
  'nan',
  '~',
  'null',
  'Null',
  'NULL',
  'nULL',
  '2027-06-30',
  '2027-06-30T10:00:00Z',
  '12:30',
  '1:30:00',
  '1.10',
  '1.0',
  '3.14159',
  '10%',
  '$5',
  'a b',
  'a  b',
  'a # not a comment?',
  'a#b',
  'a: b',
  'key:value',
  '"quoted: text"',
  "'single ''q'''",
  '"esc \\" \\n \\t \\u00e9 \\x41"',
  '"bad \\q"',
  "'unclosed",
  '"unclosed',
  '[a, b]',
  '[a, [b, c]]',
  '{a: 1, b: [x]}',
  '{a, b}',
  '[a, , b]',
  '[a,]',
  '[]',
  '{}',
  '[a: b]',
  '{"a":1}',
  'Äpfel',
  'naïve café',
  '日本語テキスト',
  '😀 emoji 🎉',
  'tab\there',
  '@at',
  '`tick',
  '%pct',
  '!bang',
  '&amp',
  '*star',
  '- dash',
  '-dash',
  '? q',
  ':colon',
  'a:',
  'end:',
  '|',
  '>',
  '=',
  '<<',
  'a, b',
  '   ',
  "it's",
  'say "hi"',
  '#',
  ' # c',
  'x ]',
  'x }',
  '{',
  ']',
];
const KEYS = [
  'id',
  'title',
  'a',
  'b b',
  'c-d',
  '__proto__',
  'constructor',
  'toString',
  'null',
  '~',
  '1',
  '0x1F',
  'true',
  '"quoted key"',
  "'sq'",
  'Ünï',
  '😀',
  'k#x',
  'a:b',
  '? x',
  '- y',
  '"dup"',
  'dup',
  '',
  '[k]',
  '{k: v}',
];

const PLAIN_SCALARS = [
  'text',
  'Call the customer back.',
  "it's fine",
  'a: "b"',
  'x y z',
  '42',
  '-7',
  '3.5',
  'true',
  'null',
  '~',
  '"a: b"',
  "'a # b'",
  '[a, b]',
  '{ a: 1, b: [x, "y"] }',
  '2027-06-30',
  'PT15M',
];
const scalar = fc.oneof({ arbitrary: fc.constantFrom(...PLAIN_SCALARS), weight: 4 }, { arbitrary: fc.constantFrom(...TRICKY), weight: 1 });
const PLAIN_KEYS = ['id', 'title', 'do', 'next', 'a', 'b b', 'c-d', 'x_y', 'Ünï', '😀', 'CRM', '1', 'true', 'constructor', '"dq"', "'sq'"];
const key = fc.oneof({ arbitrary: fc.constantFrom(...PLAIN_KEYS), weight: 8 }, { arbitrary: fc.constantFrom(...KEYS), weight: 1 });
const blockScalar = fc.record({
  head: fc.constantFrom('|', '>', '|-', '>-', '|+', '>+', '|2', '> # c'),
  lines: fc.array(fc.constantFrom('text', 'more: text', '# not comment', '', '  indented', 'x\ty', '😀', '- item', '"q"', '   '), {
    minLength: 0,
    maxLength: 4,
  }),
});

type Node =
  | { kind: 'scalar'; v: string }
  | { kind: 'block'; head: string; lines: string[] }
  | { kind: 'map'; entries: [string, Node][] }
  | { kind: 'seq'; items: Node[] };

const node: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar.map((v) => ({ kind: 'scalar' as const, v })),
    blockScalar.map((b) => ({ kind: 'block' as const, ...b })),
    fc.array(fc.tuple(key, tie('node')), { minLength: 1, maxLength: 4 }).map((entries) => ({ kind: 'map' as const, entries })),
    fc.array(tie('node'), { minLength: 1, maxLength: 4 }).map((items) => ({ kind: 'seq' as const, items })),
  ),
})).node;

/**
 * `prefix` is the line so far (`  key:` or `  -`); children go two columns deeper than `indent`.
 * A mapping in a list starts on the dash's line (`- id: x`); with `indentless`, a list under a
 * key starts at the key's column (`key:` then `- a`).
 */
function render(n: Node, indent: number, out: string[], prefix: string, indentless: boolean): void {
  const pad = ' '.repeat(indent + 2);
  if (n.kind === 'scalar') {
    out.push(`${prefix} ${n.v}`);
    return;
  }
  if (n.kind === 'block') {
    out.push(`${prefix} ${n.head}`);
    for (const l of n.lines) out.push(l === '' ? '' : `${pad}${l}`);
    return;
  }
  if (n.kind === 'map') {
    const inItem = prefix.endsWith('-');
    n.entries.forEach(([k, v], i) => {
      if (i === 0 && inItem) render(v, indent + 2, out, `${prefix} ${k}:`, indentless);
      else {
        if (i === 0) out.push(prefix);
        render(v, indent + 2, out, `${pad}${k}:`, indentless);
      }
    });
    return;
  }
  out.push(prefix);
  const seqPad = indentless && prefix.endsWith(':') ? ' '.repeat(indent) : pad;
  for (const v of n.items) render(v, seqPad.length, out, `${seqPad}-`, indentless);
}

const EDITS = fc.array(
  fc.tuple(
    fc.nat(),
    fc.constantFrom(
      ' ',
      '  ',
      '\t',
      '\n',
      '#',
      ':',
      '- ',
      '"',
      "'",
      '[',
      ']',
      '{',
      '}',
      ',',
      '&a ',
      '*a',
      '!',
      '---\n',
      '...',
      '%',
      '|',
      '>',
      '\r',
      'x',
      '',
    ),
  ),
  { minLength: 1, maxLength: 3 },
);
const doc = fc.record({
  entries: fc.array(fc.tuple(key, node), { minLength: 1, maxLength: 6 }),
  crlf: fc.boolean(),
  bom: fc.boolean(),
  comment: fc.boolean(),
  indentless: fc.boolean(),
  edits: fc.oneof({ arbitrary: fc.constant([] as [number, string][]), weight: 2 }, { arbitrary: EDITS, weight: 1 }),
});

function textOf(d: {
  entries: [string, Node][];
  crlf: boolean;
  bom: boolean;
  comment: boolean;
  indentless: boolean;
  edits: [number, string][];
}): string {
  const out: string[] = [];
  if (d.comment) out.push('# a comment: with [brackets] and "quotes"');
  for (const [k, v] of d.entries) {
    const lines: string[] = [];
    render(v, 0, lines, `${k}:`, d.indentless);
    out.push(...lines);
  }
  let text = `${out.join('\n')}\n`;
  for (const [at, insert] of d.edits) {
    const i = at % (text.length + 1);
    text = text.slice(0, i) + insert + text.slice(i);
  }
  if (d.crlf) text = text.replace(/\n/g, '\r\n');
  return (d.bom ? '\ufeff' : '') + text;
}

describe('property: the fast path accepts only what yaml 2 reads cleanly, to the same data', () => {
  test('generated YAML with tricky scalars, keys, block scalars, flow, comments, CRLF, BOM and random edits', () => {
    let accepted = 0;
    fc.assert(
      fc.property(doc, (d) => {
        const text = textOf(d);
        const data = fastParse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
        if (data === undefined) return;
        accepted++;
        const y = yaml2(text);
        expect(y.clean, text).toBe(true);
        expect(canonical(data), text).toBe(canonical(y.data));
        // and the positions the plain reader gives are yaml 2's, for every path and target
        expectSamePositions(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
      }),
      { numRuns: Number(process.env.FAST_PATH_RUNS ?? 5000), seed: Number(process.env.FAST_PATH_SEED ?? 20261124) },
    );
    // the property must exercise the fast path, not only its refusals
    expect(accepted).toBeGreaterThan(300);
    if (process.env.FAST_PATH_RUNS) console.log(`fast path accepted ${accepted} texts`);
  });
});

describe('the plain reader checks the subset as it reads', () => {
  test('white space by character code is what a regular expression means by \\s', () => {
    for (let code = 0; code <= 0xffff; code++) expect(isYamlSpace(code), code.toString(16)).toBe(/\s/.test(String.fromCharCode(code)));
  });

  // each of these once passed the reader only because a separate line scan had refused the text first
  test.each([
    ['a lone dash as a value', 'k: -\n'],
    ['a lone dash as an item', 'k:\n  - -\n'],
    ['a comment inside a key', 'a #b: c\n'],
    ['a comment inside an item key', 'k:\n  - a #b: c\n'],
    ['a colon before a no-break space', 'a:\u00a0b: c\n'],
    ['a no-break space before a value', 'k: \u00a0a\n'],
    ['a no-break space before a key', '\u00a0a: b\n'],
    ['a line of spaces', 'a: b\n  \nc: d\n'],
    ['a key padded past 1,000 characters', `"a"${' '.repeat(1000)}: b\n`],
    ['`: ` inside a comment', 'k: a # b: c\n'],
    ['an empty list inside a flow collection', 'k: {a: []}\n'],
    ['an empty list as a flow item', 'k: [[], a]\n'],
    ['an empty list with a space', 'k: [ ]\n'],
    ['an empty mapping with a space', 'k: { }\n'],
    ['an empty entry inside quotes in a flow collection', 'k: ["a, ]"]\n'],
    ['brackets inside quotes in a flow collection', "k: ['[]']\n"],
    ['`#` inside flow text', 'k: [a#b]\n'],
    ['`?` inside flow text', 'k: [a?b]\n'],
    ['`"` inside flow text', 'k: [a"b]\n'],
    ['`:` inside flow text', 'k: [a:b]\n'],
    ['`:` inside a flow value', 'k: {a: b:c}\n'],
  ])('%s: left to yaml 2', (_name, text) => {
    expect(fastParse(text)).toBeUndefined();
  });

  test('what the subset does admit in the same places', () => {
    expect(fastParse('k: [a]\nl: []\nm: {}\n')).toEqual({ k: ['a'], l: [], m: {} });
    expect(fastParse("k: ['it''s', \"a\\tb\"]\nl: a#b\n")).toEqual({ k: ["it's", 'a\tb'], l: 'a#b' });
    expect(fastParse('k:\n  - a: 1\n    b: -x\n  - c # note\n')).toEqual({ k: [{ a: 1, b: '-x' }, 'c'] });
  });
});
