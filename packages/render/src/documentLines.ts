/** Where a render writes its lines: an array, or a `DocumentLines`. */
export interface LineSink {
  push(...lines: string[]): unknown;
}

/** Lines joined into a chunk at a time: few enough that they die young, cheap for the garbage collector. */
const CHUNK_LINES = 1024;

/**
 * The lines of a large document, joined by `\n`, kept as chunks of lines already joined: a
 * document of 50,000 steps has some 270,000 lines, and that many strings kept alive to the end
 * are copied again and again by the garbage collector, while a chunk of 1,024 is not.
 *
 * The lines after the last one with text in it are never joined into a chunk, so `trimEnd`
 * only ever changes lines not yet joined.
 */
export class DocumentLines implements LineSink {
  private readonly chunks: string[] = [];
  private pending: string[] = [];
  private joined = 0;

  /** how many lines were written */
  get length(): number {
    return this.joined + this.pending.length;
  }

  push(...lines: string[]): void {
    for (const line of lines) this.pending.push(line);
    if (this.pending.length >= CHUNK_LINES) this.joinPending();
  }

  /** What `.trimEnd()` would do to the lines written since `from` joined: only the last lines change. */
  trimEnd(from: number): void {
    const lines = this.pending;
    if (this.length === from) lines.push('');
    const start = Math.max(0, from - this.joined);
    // when `from` is in a chunk, lines[0] holds text (see joinPending): the loop stops there
    while (lines.length > start + 1 && lines[lines.length - 1]!.trimEnd() === '') lines.pop();
    lines[lines.length - 1] = lines[lines.length - 1]!.trimEnd();
  }

  /** All the lines, joined by `\n`. */
  toString(): string {
    const tail = this.pending.length > 0 ? [this.pending.join('\n')] : [];
    return this.chunks.concat(tail).join('\n');
  }

  /** Joins the pending lines up to (not including) the last with text in it. */
  private joinPending(): void {
    let keep = this.pending.length - 1;
    while (keep > 0 && this.pending[keep]!.trimEnd() === '') keep--;
    if (keep === 0) return;
    this.chunks.push(this.pending.slice(0, keep).join('\n'));
    this.pending = this.pending.slice(keep);
    this.joined += keep;
  }
}
