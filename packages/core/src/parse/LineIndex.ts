/** Offsets -> 1-based line and column. Lines end at `\n`; a `\r` before it is not counted as a column. */
export class LineIndex {
  readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 1-based { line, column } of an offset (clamped to the text). */
  position(offset: number): { line: number; column: number } {
    const at = Math.max(0, Math.min(Number.isFinite(offset) ? offset : 0, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: at - this.starts[lo]! + 1 };
  }

  /** The offset just after the last visible character of line `line` (1-based). */
  lineEnd(line: number): number {
    const next = this.starts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > 0 && this.text[end - 1] === '\r') end -= 1;
    return end;
  }
}
