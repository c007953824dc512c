import { describe, expect, test } from 'vitest';
import { loadSop, MAX_NESTING, validateProject } from '../src/index.js';
import { HEAD, TODAY, codes, load, where } from './helpers.js';

/** A deterministic byte generator (no Math.random in tests). */
function bytes(length: number, seed: number): string {
  let x = seed;
  let out = '';
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out += String.fromCharCode(x % 256);
  }
  return out;
}

describe('hostile input: diagnostics, never a throw, a crash or pollution', () => {
  test('an alias bomb is refused with a diagnostic', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    const { sop, diagnostics } = load(`${levels.join('\n')}\n`);
    expect(sop).toBeUndefined();
    expect(codes(diagnostics)).toEqual(['yaml-syntax']);
    expect(diagnostics[0]!.message).toMatch(/alias/);
  });

  test('20,000-deep nesting in every form, several files in one process', () => {
    const d = 20_000;
    const deep = {
      flowSeq: `instructions: ${'['.repeat(d)}${']'.repeat(d)}`,
      flowMap: `a: ${'{a: '.repeat(d)}${'}'.repeat(d)}`,
      unclosed: `a: ${'['.repeat(d)}`,
      compactSeq: `${'- '.repeat(d)}x`,
      explicitKeys: `${'? '.repeat(d)}x`,
      tagged: `a: ${'!t ['.repeat(d)}${']'.repeat(d)}`,
      anchored: `a: ${Array.from({ length: d }, (_, i) => `&n${i} [`).join('')}${']'.repeat(d)}`,
      indented: Array.from({ length: 1500 }, (_, i) => `${' '.repeat(i)}a:`).join('\n'),
    };
    for (let round = 0; round < 2; round++) {
      for (const [name, text] of Object.entries(deep)) {
        const { sop, diagnostics } = load(text);
        expect(sop, name).toBeUndefined();
        expect(codes(diagnostics), name).toEqual(['nesting-depth']);
        expect(diagnostics[0]!.message, name).toMatch(/levels deep/);
      }
    }
    // …and nesting just under the limit is read normally, right after
    expect(codes(load(`a: ${'['.repeat(MAX_NESTING - 2)}${']'.repeat(MAX_NESTING - 2)}`).diagnostics)).not.toContain('nesting-depth');
  });

  test('nested lists or mappings as keys (exponential to convert) are refused', () => {
    const { diagnostics } = load(`${'? '.repeat(400)}x`);
    expect(where(diagnostics)).toEqual(['schema 1:3']);
    expect(diagnostics[0]!.message).toMatch(/a key must be plain text/);
  });

  test('a 5 MB file of 50,000 steps passes, and the same file broken everywhere is checked in linear time', () => {
    const n = 50_000;
    const lines = [HEAD, 'instructions:\n'];
    for (let i = 0; i < n; i++)
      lines.push(`  - id: step-${i}\n    do: Do thing number ${i} carefully and note what you did in the ticket.\n`);
    const text = lines.join('');
    expect(text.length).toBeGreaterThan(4_500_000);
    const valid = load(text);
    expect(valid.diagnostics).toEqual([]);
    expect(valid.sop!.instructions).toHaveLength(n);
    const broken = load(text.replace(/ {4}do: Do thing number (\d+) /g, '    do: Do thing number $1 \n    next: nowhere-$1\n    x: '));
    // each step: the unknown key `x` (schema) and, checked despite it, the `next` naming no step
    expect(broken.diagnostics.length).toBe(2 * n);
    expect(new Set(codes(broken.diagnostics))).toEqual(new Set(['schema', 'unknown-step']));
  });

  // Linear in line length: a regex that backtracks over a long line takes seconds to minutes here
  // (a 200 KB line took 31 s before). No timing assertion: the test's own timeout is the guard.
  test('a 200 KB line in every position a line can take', () => {
    const long = 'word '.repeat(40_000).trimEnd(); // 200 KB
    const tail = `${HEAD}instructions:\n  - id: a\n    do: x\n`;
    const texts: Record<string, string> = {
      value: `${HEAD}purpose: ${long}\ninstructions:\n  - do: x\n`,
      key: `${long}: v\n${tail}`,
      paddedKey: `title${' '.repeat(200_000)}: v\n${tail}`,
      noSpaces: `${HEAD}purpose: ${'x'.repeat(200_000)}\ninstructions:\n  - do: x\n`,
      colons: `${HEAD}purpose: ${'a:'.repeat(100_000)}\ninstructions:\n  - do: x\n`,
      colonSpaces: `${'a :'.repeat(70_000)}\n${tail}`,
      hashes: `${HEAD}purpose: ${'a #'.repeat(70_000)}\ninstructions:\n  - do: x\n`,
      quotes: `${HEAD}purpose: "${'\\"'.repeat(100_000)}\ninstructions:\n  - do: x\n`,
      flow: `${HEAD}tags: [${'"a", '.repeat(50_000)}b]\ninstructions:\n  - do: x\n`,
      dashes: `${'- '.repeat(100_000)}x\n`,
      spaces: `${' '.repeat(200_000)}x: y\n${tail}`,
      duration: `${HEAD}instructions:\n  - do: x\n    limit: { after: "0${' '.repeat(200_000)}!", next: b }\n  - id: b\n    end: done\n`,
      id: `${HEAD}instructions:\n  - id: "a ${'-'.repeat(200_000)}b"\n    do: x\n`,
      urlish: `${HEAD}purpose: ${'AB/'.repeat(70_000)}\ninstructions:\n  - do: x\n`,
      shouting: `${HEAD}purpose: ${'AB-'.repeat(70_000)}\ninstructions:\n  - do: x\n`,
    };
    for (const [name, text] of Object.entries(texts)) {
      const { diagnostics } = load(text);
      for (const d of diagnostics) {
        expect(d.message.length, name).toBeLessThan(400);
        expect(d.line, name).toBeGreaterThan(0);
      }
    }
    expect(codes(load(texts.value!).diagnostics)).toEqual([]);
    expect(codes(load(texts.paddedKey!).diagnostics)).toContain('yaml-syntax');
  }, 60_000);

  test('a 40,000-letter all-caps word: reported once, briefly, at the word', () => {
    const word = 'A'.repeat(40_000);
    const r = load(`${HEAD}instructions:\n  - do: Call ${word} now\n`);
    expect(where(r.diagnostics)).toEqual(['undefined-term 5:14']);
    expect(r.diagnostics[0]!.endColumn - r.diagnostics[0]!.column).toBe(40_000);
    expect(r.diagnostics[0]!.message.length).toBeLessThan(120);
    // a key that long is not YAML (implicit keys end at 1,024 characters); one of 1,000 is a term like any other
    expect(codes(load(`${HEAD}terms:\n  ${word}: a very long word\ninstructions:\n  - do: x\n`).diagnostics)).toEqual(['yaml-syntax']);
    const term = 'B'.repeat(1000);
    expect(load(`${HEAD}terms:\n  ${term}: a long word\ninstructions:\n  - do: Call ${term} now\n`).diagnostics).toEqual([]);
    expect(codes(load(`${HEAD}terms:\n  ${term}: a long word\ninstructions:\n  - do: x\n`).diagnostics)).toEqual(['unused-term']);
    // and as a step id, a field name and a SOP id
    for (const text of [
      `${HEAD}instructions:\n  - id: ${word}\n    do: x\n    next: ${word}x\n`,
      `${HEAD}fields:\n  ${word}: { type: string }\ninstructions:\n  - do: x\n    record: [${word}S]\n`,
    ])
      expect(load(text).diagnostics.length).toBeGreaterThan(0);
    const project = validateProject(
      [
        {
          file: 'a.sop.yaml',
          text: `sopflow: 1\nid: ${word}\ntitle: T\ninstructions:\n  - use: ${word}\n    outcomes: { x: b }\n  - id: b\n    use: ${word}B\n`,
        },
      ],
      { today: TODAY },
    );
    expect(codes(project.diagnostics).sort()).toEqual(['missing-procedure', 'procedure-cycle', 'unknown-outcome']);
  }, 60_000);

  test('thousands of repeated keys: each named, spanned and placed at its own key', () => {
    const n = 10_000;
    let text = `${HEAD}instructions:\n`;
    for (let i = 0; i < n; i++) text += `  - id: s${i}\n    do: x\n    do: y\n`;
    const dups = load(text).diagnostics.filter((d) => d.code === 'duplicate-key');
    expect(dups).toHaveLength(n);
    expect(dups[n - 1]).toMatchObject({
      path: ['instructions', n - 1, 'do'],
      message: 'the key `do` appears twice in this mapping; the later value wins',
      column: 5,
      endColumn: 7,
    });
  });

  test('__proto__ and constructor keys: no prototype pollution', () => {
    const before = Object.getOwnPropertyNames(Object.prototype).sort();
    const texts = [
      `${HEAD}__proto__: { polluted: true }\ninstructions:\n  - do: x\n`,
      `${HEAD}terms:\n  __proto__: { polluted: true }\n  constructor: A thing.\ninstructions:\n  - do: Use the constructor.\n`,
      `${HEAD}fields:\n  constructor: { type: string }\n  __proto__: { type: string }\ninstructions:\n  - do: x\n    record: [constructor, toString, hasOwnProperty]\n`,
      `${HEAD}instructions:\n  - id: constructor\n    do: x\n    next: toString\n  - id: valueOf\n    __proto__: { end: x }\n`,
    ];
    for (const text of texts) {
      const r = load(text);
      expect(r.diagnostics.length).toBeGreaterThan(0);
    }
    const r = load(`${HEAD}fields:\n  constructor: { type: string }\ninstructions:\n  - do: x\n    record: [constructor, toString]\n`);
    expect(where(r.diagnostics)).toEqual(['undeclared-field 8:27']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(before);
  });

  test('binary garbage gets YAML diagnostics (capped), never a throw', () => {
    for (let seed = 1; seed <= 8; seed++) {
      const r = load(bytes(50_000, seed));
      expect(r.sop).toBeUndefined();
      expect(r.diagnostics.length).toBeGreaterThan(0);
      expect(r.diagnostics.length).toBeLessThanOrEqual(52);
      for (const d of r.diagnostics) {
        expect(d.line).toBeGreaterThanOrEqual(1);
        expect(d.column).toBeGreaterThanOrEqual(1);
        expect(d.message).not.toMatch(/[\u0000-\u0008]/);
      }
    }
  });

  test('inputs that are not text at all', () => {
    for (const input of [undefined, null, 42, {}, []]) {
      const r = loadSop(input as string, { today: TODAY });
      expect(r.sop).toBeUndefined();
      expect(r.diagnostics.length).toBeGreaterThan(0);
    }
    expect(validateProject(null as never).results).toEqual([]);
  });

  test('an empty file, a list instead of a map', () => {
    expect(load('').diagnostics.map((d) => [d.code, d.message])).toEqual([['schema', expect.stringMatching(/^the file is empty/)]]);
    expect(load('- do: a\n').diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([['schema', 1, 1]]);
  });

  test('several YAML documents: multiple-documents at the second, the first still checked', () => {
    const r = load(`${HEAD}instructions:\n  - do: x\n---\n${HEAD}instructions:\n  - do: y\n---\nz: 1\n`);
    expect(where(r.diagnostics)).toEqual(['multiple-documents 6:1']);
    expect(r.diagnostics[0]!.message).toMatch(/3 YAML documents/);
    expect(r.sop?.instructions[0]!.do).toBe('x');
    // a leading `---` and a trailing `...` are one document
    expect(load(`---\n${HEAD}instructions:\n  - do: x\n...\n`).diagnostics).toEqual([]);
  });

  test('a BOM with CRLF line ends: positions still right', () => {
    const text = `\uFEFF${HEAD}instructions:\n  - id: a\n    do: Use the CRM.\n    nxt: b\n  - id: b\n    end: done\n`.replace(
      /\n/g,
      '\r\n',
    );
    expect(load(text).diagnostics.map((d) => `${d.code} ${d.line}:${d.column}-${d.endLine}:${d.endColumn}`)).toEqual(['schema 7:5-7:8']);
    const semantic = text.replace('nxt: b', 'next: c');
    expect(load(semantic).diagnostics.map((d) => `${d.code} ${d.line}:${d.column}-${d.endLine}:${d.endColumn}`)).toEqual([
      'undefined-term 6:17-6:20',
      'unknown-step 7:11-7:12',
      'unreachable-step 8:9-8:10',
    ]);
  });

  test('a 1 MB line: as a value, as a key, as a flow list of steps', () => {
    expect(load(`${HEAD}instructions:\n  - do: ${'x'.repeat(1 << 20)}\n`).diagnostics).toEqual([]);
    expect(codes(load(`${HEAD}instructions:\n  - do: x\n    ${'k'.repeat(1 << 20)}: 1\n`).diagnostics)).toEqual(['yaml-syntax']);
    const flow = load(`${HEAD}instructions: [${'{do: x}, '.repeat(100_000)}{do: y}]\n`);
    expect(flow.diagnostics).toEqual([]);
    expect(flow.sop!.instructions).toHaveLength(100_001);
  });

  test('control characters and invalid UTF-16 inside values', () => {
    const r = load(`sopflow: 1\nid: a\u0000b\ntitle: "\ud800"\ninstructions:\n  - do: x\n`);
    expect(r.sop).toBeUndefined();
    expect(r.diagnostics.length).toBeGreaterThan(0);
  });
});
