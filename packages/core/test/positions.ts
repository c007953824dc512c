import { expect } from 'vitest';
import type { DocPath } from '@sopflow/model';
import { LocatedDocument, type Target } from '../src/parse/LocatedDocument.js';
import { parseSource } from '../src/parse/parseSource.js';
import { parsePlainDocument } from '../src/parse/plainParse.js';

/** Every path into the data (each key and list item, at any depth), and whether it holds a scalar. */
function paths(value: unknown, base: DocPath = [], out: [DocPath, boolean][] = []): [DocPath, boolean][] {
  const collection = value !== null && typeof value === 'object';
  out.push([base, !collection]);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...base, i], out));
  else if (collection) for (const [k, v] of Object.entries(value)) paths(v, [...base, k], out);
  return out;
}

/**
 * When the plain reader reads `text`, every path resolves to the same source range in its
 * document as in yaml 2's, for every target (what diagnostics point at), the text of every
 * scalar is the same (where a word is searched for), and so are the ranges fixes replace.
 * (Where a collection ends after its last line is not compared: nothing reads it, and yaml 2
 * varies there, e.g. after a null with a comment.) Returns whether the plain reader read it.
 */
export function expectSamePositions(text: string): boolean {
  const plain = parsePlainDocument(text);
  if (!plain) return false;
  const yaml = parseSource(text, 'x.sop.yaml', { plain: false });
  expect(yaml.diagnostics, text).toEqual([]);
  const a = new LocatedDocument('x', text, plain.doc);
  const b = yaml.located;
  for (const [path, scalar] of [...paths(plain.data), [['nowhere'], true], [['instructions', 99, 'next'], true]] as [DocPath, boolean][]) {
    for (const target of ['value', 'key', 'head'] as Target[]) {
      expect(a.offsets(path, target), `${JSON.stringify(path)} ${target}\n${text}`).toEqual(b.offsets(path, target));
    }
    if (scalar) expect(a.source(path), JSON.stringify(path)).toEqual(b.source(path));
    expect(a.scalarAt(path, 'value'), JSON.stringify(path)).toEqual(b.scalarAt(path, 'value'));
    expect(a.scalarAt(path, 'key'), JSON.stringify(path)).toEqual(b.scalarAt(path, 'key'));
  }
  return true;
}
