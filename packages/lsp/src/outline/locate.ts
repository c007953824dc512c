import { isMap, isScalar, isSeq, type Document, type Node, type Scalar } from 'yaml';
import type { Outline } from './readOutline.js';

export type PathSegment = string | number;

/**
 * What the cursor is on: a key of the mapping at `path` (or a place where a new key goes), or
 * a value at `path` (a scalar, an empty value, or a new item of a list).
 */
export interface Slot {
  kind: 'key' | 'value';
  path: PathSegment[];
  /** the scalar under the cursor, when there is one */
  scalar?: Scalar;
}

const MAX_DEPTH = 64;

/** The slot at `offset` in a parsed document. Tolerant of half-written text; never throws. */
export function locate(doc: Document | undefined, text: string, offset: number): Slot | undefined {
  if (!doc?.contents) return undefined;
  try {
    return descend(doc.contents, [], offset, text, 0);
  } catch {
    return undefined;
  }
}

/**
 * The slot at `offset` in an outline's text. A spliced outline answers from the step it read
 * again (inside that step) or from its base (elsewhere, the offset moved back by the edit).
 */
export function locateIn(outline: Outline, offset: number): Slot | undefined {
  const splice = outline.splice;
  if (!splice) return locate(outline.doc, outline.text, offset);
  if (offset >= splice.start && offset <= splice.end) {
    const slot = locate(splice.stepDoc, outline.text, offset);
    return slot ? { ...slot, path: ['instructions', splice.index, ...slot.path] } : undefined;
  }
  return locateIn(splice.base, offset > splice.end ? offset - splice.delta : offset);
}

const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
const sameLine = (text: string, a: number, b: number) => !text.slice(Math.min(a, b), Math.max(a, b)).includes('\n');
const indentOf = (text: string, offset: number) => {
  const start = lineStart(text, offset);
  let i = start;
  while (text[i] === ' ') i++;
  return i - start;
};
const columnOf = (text: string, offset: number) => offset - lineStart(text, offset);

function descend(node: Node, path: PathSegment[], offset: number, text: string, depth: number): Slot | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (isMap(node)) {
    let chosen: (typeof node.items)[number] | undefined;
    for (const pair of node.items) {
      const start = (pair.key as Node | null)?.range?.[0];
      if (start !== undefined && start <= offset) chosen = pair;
    }
    if (chosen && isScalar(chosen.key) && chosen.key.range) {
      const key = chosen.key;
      const keyRange = key.range!;
      if (offset <= keyRange[1]) return { kind: 'key', path, scalar: key };
      const name = String(key.value);
      const value = chosen.value as Node | null;
      const range = value?.range;
      if (value && range && offset >= range[0] && offset <= (isScalar(value) ? range[1] : range[2])) {
        if (!(isScalar(value) && value.value === null && range[0] === range[1] && !sameLine(text, keyRange[1], offset))) {
          return descend(value, [...path, name], offset, text, depth + 1);
        }
      }
      const empty = !value || (isScalar(value) && (value.value === null || value.value === ''));
      if (empty && (sameLine(text, keyRange[1], offset) || indentOf(text, offset) > columnOf(text, keyRange[0]))) {
        return { kind: 'value', path: [...path, name] };
      }
    }
    return { kind: 'key', path };
  }
  if (isSeq(node)) {
    for (let i = 0; i < node.items.length; i++) {
      const item = node.items[i] as Node | null;
      const range = item?.range;
      if (item && range && offset >= range[0] && offset <= (isScalar(item) ? range[1] : range[2])) {
        return descend(item, [...path, i], offset, text, depth + 1);
      }
    }
    return { kind: 'value', path: [...path, node.items.length] };
  }
  if (isScalar(node)) return { kind: 'value', path, scalar: node };
  return undefined;
}
