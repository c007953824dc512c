import { isMap, isNode, isPair, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import type { Diagnostic, DiagnosticCode, DocPath, Severity } from '@sopflow/model';
import { LineIndex } from './LineIndex.js';

export interface SourceRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * Where to point for a path:
 * - `value`: the node's value (a bad value),
 * - `key`: the key of the pair holding it (an unknown or misplaced key),
 * - `head`: one line naming the node: its key, or for a list item its first key
 *   (a missing key, a problem with a whole step).
 */
export type Target = 'value' | 'key' | 'head';

export interface DiagnosticInit {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  path: DocPath;
  target?: Target;
  hint?: string | undefined;
  /** point at this range instead of the node's (e.g. a word inside a text) */
  range?: [number, number];
}

interface Found {
  node: Node | null | undefined;
  pair?: Pair<unknown, unknown>;
  /** how many path segments were resolved */
  depth: number;
}

const keyText = (key: unknown): string | undefined => {
  if (isScalar(key)) return key.value === null ? '' : String(key.value);
  if (typeof key === 'string') return key;
  return undefined;
};

/** A parsed YAML document with its source: maps a path in the data to the source range. */
export class LocatedDocument {
  readonly lines: LineIndex;

  constructor(
    readonly file: string,
    readonly text: string,
    readonly doc: Document | undefined,
    lines?: LineIndex,
  ) {
    this.lines = lines ?? new LineIndex(text);
  }

  private find(path: DocPath): Found {
    let node = this.doc?.contents;
    let pair: Pair<unknown, unknown> | undefined;
    let depth = 0;
    for (const segment of path) {
      if (isMap(node)) {
        const name = String(segment);
        let match: Pair<unknown, unknown> | undefined;
        // the last pair wins, as in the data (a repeated key is reported on its own)
        for (const item of node.items) if (keyText(item.key) === name) match = item;
        if (!match) break;
        pair = match;
        node = match.value as Node | null;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) break;
        pair = undefined;
        node = (isPair(item) ? item.value : item) as Node | null;
      } else break;
      depth++;
    }
    return pair ? { node, pair, depth } : { node, depth };
  }

  /** The source range (offsets) for a path. */
  offsets(path: DocPath, target: Target = 'value'): [number, number] {
    const found = this.find(path);
    const resolved = found.depth === path.length;
    const { node, pair } = found;
    const keyNode = pair && isNode(pair.key) ? pair.key : undefined;
    const keyRange = keyNode?.range ? ([keyNode.range[0], keyNode.range[1]] as [number, number]) : undefined;
    const nodeRange = node && node.range ? ([node.range[0], node.range[1]] as [number, number]) : undefined;
    if (target === 'key' || !resolved) {
      if (keyRange) return keyRange;
    }
    if (target === 'head' || !resolved) {
      if (keyRange && resolved) return keyRange;
      if (isMap(node)) {
        const first = node.items[0];
        const k = first && (first.key as Node | null);
        if (k && k.range) return [k.range[0], k.range[1]];
      }
      if (nodeRange) return this.firstLine(nodeRange);
      if (keyRange) return keyRange;
    }
    if (nodeRange && nodeRange[1] > nodeRange[0]) {
      return isScalar(node) ? nodeRange : this.firstLine(nodeRange);
    }
    if (keyRange) return keyRange;
    if (nodeRange) return nodeRange;
    const root = this.doc?.contents;
    if (root && root.range) return this.firstLine([root.range[0], root.range[1]]);
    return [0, 0];
  }

  /** A multi-line range shortened to its first line. */
  private firstLine([start, end]: [number, number]): [number, number] {
    const { line } = this.lines.position(start);
    const eol = this.lines.lineEnd(line);
    return [start, Math.max(start, Math.min(end, eol))];
  }

  range(path: DocPath, target: Target = 'value'): SourceRange {
    return this.toRange(this.offsets(path, target));
  }

  toRange([start, end]: [number, number]): SourceRange {
    const a = this.lines.position(start);
    let b = this.lines.position(Math.max(start, end));
    // a range ending just after a newline ends at the end of the previous line
    if (b.line > a.line && b.column === 1) {
      const eol = this.lines.lineEnd(b.line - 1);
      b = this.lines.position(eol);
    }
    if (b.line === a.line && b.column <= a.column) b = { line: a.line, column: a.column + 1 };
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  /** Builds a diagnostic pointing at the node for `path`. */
  diagnostic(init: DiagnosticInit): Diagnostic {
    const where = init.range ? this.toRange(init.range) : this.range(init.path, init.target ?? 'value');
    const d: Diagnostic = {
      code: init.code,
      severity: init.severity,
      message: init.message,
      file: this.file,
      ...where,
      path: [...init.path],
    };
    if (init.hint !== undefined) d.hint = init.hint;
    return d;
  }

  /**
   * The exact range of the scalar key (`key`) or scalar value (`value`) at `path`, with its
   * source text (quotes included): what a fix replaces. Undefined unless the path resolves
   * fully to a scalar.
   */
  scalarAt(path: DocPath, target: 'value' | 'key'): { range: [number, number]; text: string } | undefined {
    const { node, pair, depth } = this.find(path);
    if (depth !== path.length) return undefined;
    const scalar = target === 'key' ? pair?.key : node;
    if (!isScalar(scalar) || !scalar.range) return undefined;
    const [start, end] = scalar.range;
    if (!(end > start)) return undefined;
    return { range: [start, end], text: this.text.slice(start, end) };
  }

  /** The source text of the node at `path` and its start offset (for finding a word inside it). */
  source(path: DocPath): { text: string; start: number } | undefined {
    const { node, depth } = this.find(path);
    if (depth !== path.length || !node || !node.range) return undefined;
    return { text: this.text.slice(node.range[0], node.range[1]), start: node.range[0] };
  }
}
