import { describe, expect, test } from 'vitest';
import { validateProject } from '../src/index.js';

const sop = (id: string, uses: string[]) => ({
  file: `${id}.sop.yaml`,
  text: `sopflow: 1\nid: ${id}\ntitle: ${id}\ninstructions:\n${uses.map((u, i) => `  - id: u${i}\n    use: ${u}\n`).join('')}  - id: done\n    end: ok\n`,
});
const cycles = (files: { file: string; text: string }[]) =>
  validateProject(files, { today: '2026-01-01' })
    .diagnostics.filter((d) => d.code === 'procedure-cycle')
    .map((d) => `${d.file}:${d.line}:${d.column} ${/\(([^)]*)\)/.exec(d.message)![1]}`);

describe('procedure-cycle', () => {
  test('a procedure that uses itself', () => {
    expect(cycles([sop('a', ['a'])])).toEqual(['a.sop.yaml:6:10 a -> a']);
  });

  test('a loop through other procedures is reported at every use on it, with the loop written out', () => {
    expect(cycles([sop('a', ['b']), sop('b', ['c']), sop('c', ['a'])])).toEqual([
      'a.sop.yaml:6:10 a -> b -> c -> a',
      'b.sop.yaml:6:10 b -> c -> a -> b',
      'c.sop.yaml:6:10 c -> a -> b -> c',
    ]);
  });

  test('sharing a procedure is no loop; only the uses on a loop are reported', () => {
    expect(cycles([sop('a', ['b', 'c']), sop('b', ['c']), sop('c', [])])).toEqual([]);
    expect(cycles([sop('a', ['b']), sop('b', ['c']), sop('c', ['b'])])).toEqual([
      'b.sop.yaml:6:10 b -> c -> b',
      'c.sop.yaml:6:10 c -> b -> c',
    ]);
  });

  test('a long chain is checked without recursion', () => {
    const n = 20_000;
    const files = Array.from({ length: n }, (_, i) => sop(`p${i}`, [`p${(i + 1) % n}`]));
    const found = cycles(files);
    expect(found).toHaveLength(n);
    expect(found[0]).toBe(`p0.sop.yaml:6:10 p0 -> p1 -> … ${n - 2} more … -> p0`);
  });
});
