import type { Diagnostic, TextEdit } from '@sopflow/model';
import { LineIndex } from './LineIndex.js';

/** One replacement made to a text: `[start, end)` of the text it was made in became `length` characters. */
export interface Replacement {
  start: number;
  end: number;
  length: number;
}

/**
 * Maps positions in a repaired text back to the text as written. The repairs sopflow makes to
 * read a broken file (a tab made spaces, a value quoted) never add or remove a line, so every
 * line keeps its number and only columns after an edit on the same line move.
 */
export class OffsetMap {
  private readonly steps: Replacement[][] = [];

  constructor(
    readonly original: string,
    readonly repaired: string,
  ) {}

  /** Records the replacements of one repair (in the coordinates of the text they were made in). */
  push(replacements: readonly Replacement[]): void {
    this.steps.push([...replacements].sort((a, b) => b.start - a.start));
  }

  /** An offset of the text after repair number `upTo` (all of them by default) in the original text. */
  back(offset: number, upTo = this.steps.length): number {
    let at = offset;
    for (let s = upTo - 1; s >= 0; s--) {
      // the replacements of one repair do not overlap: walk them from the last one back
      for (const r of this.steps[s]!) {
        if (at >= r.start + r.length) at += r.end - r.start - r.length;
        else if (at > r.start) at = r.start + Math.min(at - r.start, r.end - r.start);
      }
    }
    return at;
  }

  /** Whether `[start, end)` of the repaired text touches text a repair wrote. */
  touchesRepair(start: number, end: number): boolean {
    let [a, b] = [start, end];
    for (let s = this.steps.length - 1; s >= 0; s--) {
      for (const r of this.steps[s]!) if (a < r.start + r.length && b > r.start) return true;
      [a, b] = [this.backOne(a, s), this.backOne(b, s)];
    }
    return false;
  }

  private backOne(offset: number, step: number): number {
    let at = offset;
    for (const r of this.steps[step]!) {
      if (at >= r.start + r.length) at += r.end - r.start - r.length;
      else if (at > r.start) at = r.start + Math.min(at - r.start, r.end - r.start);
    }
    return at;
  }

  /** A diagnostic placed in the repaired text, placed in the original one (a fix that edits repaired text is dropped). */
  diagnostic(d: Diagnostic): Diagnostic {
    const from = (this.fromLines ??= new LineIndex(this.repaired));
    const to = (this.toLines ??= new LineIndex(this.original));
    const move = (line: number, column: number) => to.position(this.back(offsetOf(from, line, column)));
    const start = move(d.line, d.column);
    const end = move(d.endLine, d.endColumn);
    const out: Diagnostic = {
      ...d,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: Math.max(end.column, end.line === start.line ? start.column + 1 : end.column),
    };
    if (d.fixes) {
      const fixes = d.fixes
        .filter((fix) =>
          fix.edits.every((e) => !this.touchesRepair(offsetOf(from, e.line, e.column), offsetOf(from, e.endLine, e.endColumn))),
        )
        .map((fix) => ({
          ...fix,
          edits: fix.edits.map((e): TextEdit => {
            const a = move(e.line, e.column);
            const b = move(e.endLine, e.endColumn);
            return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column, newText: e.newText };
          }),
        }));
      if (fixes.length > 0) out.fixes = fixes;
      else delete out.fixes;
    }
    return out;
  }

  private fromLines: LineIndex | undefined;
  private toLines: LineIndex | undefined;
}

/** The offset of a 1-based line and column. */
function offsetOf(lines: LineIndex, line: number, column: number): number {
  const start = lines.starts[line - 1] ?? lines.text.length;
  return Math.min(lines.text.length, start + column - 1);
}
