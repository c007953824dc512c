import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { locate, locateIn } from '../src/outline/locate.js';
import { readOutline, type Outline } from '../src/outline/readOutline.js';
import { spliceOutline } from '../src/outline/spliceOutline.js';
import { CHILD, PARENT_CLEAN } from './fixtures.js';

/** What the features read of an outline (everything but the parsed documents). */
const visible = (o: Outline) => {
  const { doc: _doc, splice: _splice, ...rest } = o;
  return JSON.parse(JSON.stringify(rest));
};

const BIG =
  PARENT_CLEAN +
  Array.from({ length: 40 }, (_, i) =>
    [
      `  - id: extra-${i}`,
      `    do: Extra step ${i}, with a "quoted" part and a CSR.`,
      i % 3 === 0 ? `    limit: { after: 5m, next: extra-${i + 1} }` : `    next: extra-${i + 1}`,
      i % 4 === 0 ? '    record: [customer_id, issue]' : '    role: CSR',
      i % 5 === 0 ? '    note: |\n      a block of text\n      on two lines' : '    # a comment',
    ].join('\n'),
  ).join('\n') +
  '\n  - id: extra-40\n    end: done\n';

const INSERTS = [
  'x',
  ' ',
  'é',
  '😀',
  '\n    ',
  '\n    note: n',
  ': ',
  '"',
  "'",
  '- ',
  '#',
  '{',
  '}',
  '[',
  ']',
  '|',
  '\n  - id: new\n    do: d',
  'next: greet',
  '\r\n',
];

describe('spliceOutline: one step read again gives the outline a full read gives', () => {
  test.each([
    ['the fixture', PARENT_CLEAN],
    ['a bigger SOP', BIG],
    ['a sub-procedure', CHILD],
  ])('random edits inside a step of %s', (_name, text) => {
    const base = readOutline(text);
    let spliced = 0;
    let runs = 0;
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat(),
        fc.nat({ max: 6 }),
        fc.constantFrom(...INSERTS),
        fc.array(fc.nat(), { minLength: 5, maxLength: 5 }),
        (pickStep, pickAt, cut, insert, probes) => {
          runs++;
          const step = base.steps[pickStep % base.steps.length]!;
          const at = step.span.start + 1 + (pickAt % Math.max(1, step.span.end - step.span.start));
          const edited = text.slice(0, at) + insert + text.slice(Math.min(text.length, at + cut));
          const splice = spliceOutline(base, edited);
          if (!splice) return;
          spliced++;
          const full = readOutline(edited);
          expect(visible(splice)).toEqual(visible(full));
          for (const probe of probes) {
            const offset = probe % (edited.length + 1);
            const a = locateIn(splice, offset);
            const b = locate(full.doc, edited, offset);
            expect(a && { kind: a.kind, path: a.path }).toEqual(b && { kind: b.kind, path: b.path });
          }
        },
      ),
      { numRuns: 600 },
    );
    // a good share of these random edits (many of them break the YAML) are spliced, not read in full
    expect(spliced / runs).toBeGreaterThan(0.25);
  });

  test('typing in a text or a next, one character at a time: every keystroke is spliced', () => {
    let text = BIG;
    let base = readOutline(text);
    for (const [anchor, typed] of [
      ['do: Extra step 17', ' (call back)'],
      ['next: extra-30', '-again'],
    ] as const) {
      let at = text.indexOf(anchor) + anchor.length;
      for (const ch of typed) {
        const next = text.slice(0, at) + ch + text.slice(at);
        const splice = spliceOutline(base, next);
        expect(splice, `typing ${JSON.stringify(ch)} after ${anchor}`).toBeDefined();
        expect(visible(splice!)).toEqual(visible(readOutline(next)));
        text = next;
        at++;
      }
      base = readOutline(text);
    }
  });

  test('splices on splices: random edits one after another, each spliced on the last outline, equal a full read', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat({ max: 3 }), fc.constantFrom('x', ' ', 'é', ': y', '\n    note: n')), {
          minLength: 1,
          maxLength: 30,
        }),
        (edits) => {
          let text = BIG;
          let outline = readOutline(text);
          for (const [pickStep, pickAt, cut, insert] of edits) {
            const step = outline.steps[pickStep % outline.steps.length]!;
            const at = step.span.start + 1 + (pickAt % Math.max(1, step.span.end - step.span.start));
            text = text.slice(0, at) + insert + text.slice(Math.min(text.length, at + cut));
            const full = readOutline(text);
            const splice = spliceOutline(outline, text);
            if (splice) {
              expect(visible(splice)).toEqual(visible(full));
              for (const offset of [0, at, at + 3, text.length >> 1, text.length - 5]) {
                const a = locateIn(splice, offset);
                const b = locate(full.doc, text, offset);
                expect(a && { kind: a.kind, path: a.path }).toEqual(b && { kind: b.kind, path: b.path });
              }
            }
            outline = splice ?? full;
          }
        },
      ),
      {
        numRuns: 150,
        // found by this property: an edit that breaks the YAML (` : y` at a line's start), then one
        // spliced into a step beside it: the splice placed a position by the step alone, the full
        // read by how the parser recovered from the break
        examples: [
          [
            [
              [901790177, 1307067827, 0, ': y'],
              [817131575, 111011205, 0, 'x'],
              [0, 0, 0, 'x'],
            ],
          ],
        ],
      },
    );
  });

  test('a change across steps, or outside any step, is read in full', () => {
    const base = readOutline(PARENT_CLEAN);
    expect(spliceOutline(base, PARENT_CLEAN.replace('id: greet', 'id: hello').replace('next: done', 'next: finish'))).toBeUndefined();
    expect(spliceOutline(base, PARENT_CLEAN.replace('title: Handling', 'title: Taking'))).toBeUndefined();
    expect(spliceOutline(base, PARENT_CLEAN.replace('do: Put the caller', 'do: Place the caller'))).toBeDefined();
  });
});
