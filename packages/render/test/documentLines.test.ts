import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DocumentLines } from '../src/documentLines.js';

/** What DocumentLines stands for: an array of lines, a section of which is joined and trimmed at its end. */
function reference(ops: (string[] | 'trim')[]): string {
  let section: string[] = [];
  const done: string[] = [];
  for (const op of ops) {
    if (op === 'trim') {
      done.push(section.join('\n').trimEnd());
      section = [];
    } else section.push(...op);
  }
  done.push(...section);
  return done.join('\n');
}

describe('DocumentLines', () => {
  it('joins like an array of lines, and trims a section as its joined text would be trimmed, across chunks', () => {
    const line = fc.oneof(fc.constantFrom('', ' ', '\t', 'x', 'x ', ' x', '\u2028'), fc.string({ maxLength: 3 }));
    const op = fc.oneof(
      { weight: 20, arbitrary: fc.array(line, { minLength: 1, maxLength: 3 }) },
      { weight: 1, arbitrary: fc.array(fc.constant(' '), { minLength: 1000, maxLength: 2100 }) },
      { weight: 1, arbitrary: fc.array(fc.constant('y'), { minLength: 1000, maxLength: 2100 }) },
      { weight: 2, arbitrary: fc.constant('trim' as const) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const lines = new DocumentLines();
        let from = 0;
        for (const o of ops) {
          if (o === 'trim') {
            lines.trimEnd(from);
            from = lines.length;
          } else lines.push(...o);
        }
        expect(lines.toString()).toBe(reference(ops));
      }),
      { numRuns: 300 },
    );
  });
});
