import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { resolvePlain } from './coreSchema.js';

/**
 * The fast path's reader: builds the data of a text in the plain subset of YAML that
 * `isPlainYaml` admits (block mappings and sequences, one-line plain, quoted and flow values,
 * `|` and `>` block scalars), with scalars resolved exactly as yaml 2's YAML 1.2 core schema
 * does. Linear: one pass over the lines, each value read once, no regex over a line. Anything
 * it is not certain of (a duplicate key, an escape it does not know, a folded scalar with
 * more-indented lines, `+` chomping, a key that is not text…) returns `undefined`, and the
 * file is read by yaml 2, the authority. test/yamlDifferential.test.ts and fastPath.test.ts
 * hold it to yaml 2's data on the official yaml-test-suite, the examples and fuzzed text.
 */
export function parsePlain(text: string): Record<string, unknown> | undefined {
  return read(text, false)?.data;
}

/**
 * The data of a plain text and its document with positions: yaml 2 nodes (maps, lists, scalars,
 * pairs) whose ranges are the ones yaml 2's own parse gives (start and end of every scalar and
 * key, start of every collection), for placing findings without yaml 2's parse.
 */
export function parsePlainDocument(text: string): { data: Record<string, unknown>; doc: Document } | undefined {
  const result = read(text, true);
  if (!result) return undefined;
  const doc = new Document();
  doc.contents = result.node;
  return { data: result.data, doc };
}

function read(text: string, track: boolean): { data: Record<string, unknown>; node: Node | null } | undefined {
  try {
    const reader = new Reader(text, track);
    reader.skipBlank();
    if (reader.done()) return undefined;
    const line = reader.current();
    if (line.indent !== 0) return undefined;
    const root = reader.node();
    const node = reader.last;
    reader.skipBlank();
    if (!reader.done() || root === null || typeof root !== 'object' || Array.isArray(root)) return undefined;
    return { data: root as Record<string, unknown>, node };
  } catch (error) {
    if (error === REFUSE) return undefined;
    throw error;
  }
}

/** A node's range as yaml 2 writes it: start, end of the value, end of the node. */
function at<T extends Node>(node: T, start: number, end: number): T {
  node.range = [start, end, end];
  return node;
}

/** Thrown inside the reader to give the text to yaml 2 (made once: a sentinel, its stack never read). */
const REFUSE = new Error('not plain');
const refuse = (): never => {
  throw REFUSE;
};

/** Keys longer than this are left to yaml 2 (the fast path's `keysAgree` rule). */
const MAX_KEY = 150;

/** Deeper nesting is left to yaml 2 (after its nesting scan): the reader recurses, and an SOP nests about 8 levels. */
const MAX_DEPTH = 64;

interface Line {
  /** the line's text, without its line break (and `\r`) */
  text: string;
  /** its offset in the text */
  start: number;
  indent: number;
  /** a blank line or a comment */
  blank: boolean;
  /** ended by a line break (the last line of a file may not be) */
  broken: boolean;
}

class Reader {
  private readonly lines: Line[] = [];
  private at = 0;
  /** where on the current line the next node starts (after `- ` marks already consumed) */
  private column = 0;
  /** how many collections are open */
  private depth = 0;
  /** with `track`: the node of the value read last */
  last: Node | null = null;

  constructor(
    private readonly text: string,
    private readonly track = false,
  ) {
    for (let start = 0; start < text.length;) {
      let end = text.indexOf('\n', start);
      const broken = end !== -1;
      if (end === -1) end = text.length;
      let line = text.slice(start, end);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      let indent = 0;
      while (line.charCodeAt(indent) === 0x20) indent++;
      this.lines.push({ text: line, start, indent, blank: indent === line.length || line.charCodeAt(indent) === 0x23, broken });
      start = end + 1;
    }
  }

  done(): boolean {
    return this.at >= this.lines.length;
  }

  /** Just after the line break of the last line that held content (where yaml 2 ends a collection: blank and comment lines after it are not part of it). */
  private contentEnd = 0;

  /** Moves past the current line, which held content. */
  private consumeLine(): void {
    this.at++;
    this.contentEnd = this.at < this.lines.length ? this.lines[this.at]!.start : this.text.length;
  }

  current(): Line {
    return this.lines[this.at]!;
  }

  /** Moves to the next line that is not blank or a comment. */
  skipBlank(): void {
    while (this.at < this.lines.length && this.lines[this.at]!.blank) this.at++;
    this.column = this.at < this.lines.length ? this.lines[this.at]!.indent : 0;
  }

  /** The node that starts at the current position (column `this.column`): a sequence or a mapping. */
  node(): unknown {
    const line = this.current();
    const col = this.column;
    if (line.text.startsWith('- ', col)) return this.sequence(col);
    return this.mapping(col);
  }

  /** A block sequence whose `- ` marks sit at column `col`. */
  private sequence(col: number): unknown[] {
    if (++this.depth > MAX_DEPTH) refuse();
    const items: unknown[] = [];
    const node = this.track ? new YAMLSeq() : undefined;
    const start = this.current().start + col;
    for (;;) {
      const line = this.current();
      // consume `- ` and the spaces after it
      let c = col + 2;
      while (line.text.charCodeAt(c) === 0x20) c++;
      if (c >= line.text.length || line.text.charCodeAt(c) === 0x23) refuse(); // an empty item
      this.column = c;
      items.push(this.itemValue(line, c, col));
      if (node) node.items.push(this.last);
      this.skipBlank();
      if (!this.done()) {
        const next = this.current();
        if (next.indent === col && next.text.startsWith('- ', col)) continue;
        if (next.indent > col) refuse();
      }
      this.depth--;
      if (node) this.last = at(node, start, this.contentEnd);
      return items;
    }
  }

  /** What follows `- ` at column `c`: a nested sequence, a mapping, or a value on this line. */
  private itemValue(line: Line, c: number, dash: number): unknown {
    if (line.text.startsWith('- ', c)) return this.sequence(c);
    const key = splitKey(line.text, c);
    if (key) return this.mapping(c);
    return this.inlineValue(line.text.slice(c), dash, line.start + c);
  }

  /** A block mapping whose keys sit at column `col`. */
  private mapping(col: number): Record<string, unknown> {
    if (++this.depth > MAX_DEPTH) refuse();
    const map: Record<string, unknown> = {};
    const node = this.track ? new YAMLMap() : undefined;
    const start = this.current().start + col;
    for (;;) {
      const line = this.current();
      const key = splitKey(line.text, col);
      if (!key) refuse();
      const { name, valueAt, keyEnd } = key!;
      if (Object.prototype.hasOwnProperty.call(map, name) || name === '__proto__' || name === '<<') refuse();
      const rest = line.text.slice(valueAt);
      let value: unknown;
      // `key:` with nothing after it: null, as yaml 2 places it (zero length, after the spaces)
      this.last = this.track ? at(new Scalar(null), line.start + valueAt, line.start + valueAt) : null;
      if (rest === '' || rest.charCodeAt(0) === 0x23) {
        // `key:`: the value, if any, is on the next lines
        this.consumeLine();
        this.skipBlank();
        const next = this.done() ? undefined : this.current();
        if (next && next.indent > col) value = this.node();
        else if (next && next.indent === col && next.text.startsWith('- ', col)) value = this.sequence(col);
        else {
          value = null;
          // yaml 2 ends a null without a comment where it stands, before the line break
          if (rest === '') this.contentEnd = line.start + valueAt;
        }
      } else {
        value = this.inlineValue(rest, col, line.start + valueAt);
        this.skipBlank();
      }
      map[name] = value;
      if (node) node.items.push(new Pair(at(new Scalar(name), line.start + col, line.start + keyEnd), this.last));
      if (!this.done()) {
        const next = this.current();
        if (next.indent === col && !next.text.startsWith('- ', col)) continue;
        if (next.indent > col) refuse();
      }
      this.depth--;
      if (node) this.last = at(node, start, this.contentEnd);
      return map;
    }
  }

  /**
   * A value written on the line (`rest`, which starts at column `at`): a block scalar header, a
   * quoted or flow value, or a plain scalar. `owner` is the column of the key or `-` it belongs
   * to (block scalar content must be deeper). Leaves the reader on the line after the value.
   */
  private inlineValue(rest: string, owner: number, offset: number): unknown {
    const first = rest.charCodeAt(0);
    if (first === 0x7c || first === 0x3e) return this.blockScalar(rest, owner, offset); // | >
    this.consumeLine();
    if (first === 0x22 || first === 0x27) {
      const { value, end } = first === 0x22 ? readDoubleQuoted(rest, 0) : readSingleQuoted(rest, 0);
      if (!onlyCommentAfter(rest, end)) refuse();
      if (this.track) this.last = at(new Scalar(value), offset, offset + end);
      return value;
    }
    if (first === 0x5b || first === 0x7b) {
      const flow = new FlowReader(rest, this.track, offset);
      const value = flow.value();
      if (!onlyCommentAfter(rest, flow.at)) refuse();
      this.last = flow.last;
      return value;
    }
    const text = plainText(rest);
    const value = resolvePlain(text);
    if (this.track) this.last = at(new Scalar(value), offset, offset + text.length);
    return value;
  }

  /** A `|` or `>` block scalar whose header is `rest`; content lines are deeper than column `owner`. */
  private blockScalar(rest: string, owner: number, offset: number): string {
    const folded = rest[0] === '>';
    let chomp = '';
    let i = 1;
    if (rest[1] === '-' || rest[1] === '+') {
      chomp = rest[1];
      i = 2;
    }
    if (chomp === '+') refuse();
    if (!onlyCommentAfter(rest, i)) refuse();
    this.at++;
    const content: string[] = [];
    let indent = -1;
    let lastBroken = true;
    let lastContent = -1;
    while (this.at < this.lines.length) {
      const line = this.lines[this.at]!;
      if (line.text === '') {
        content.push('');
        this.at++;
        continue;
      }
      if (line.indent <= owner) break;
      if (indent < 0) indent = line.indent;
      else if (line.indent < indent) refuse();
      if (folded && line.indent > indent) refuse(); // more-indented lines fold differently
      content.push(line.text.slice(indent));
      lastBroken = line.broken;
      lastContent = this.at;
      this.at++;
    }
    // trailing empty lines are not content (clip and strip chomping drop them)
    while (content.length > 0 && content[content.length - 1] === '') content.pop();
    if (content.length === 0 || !lastBroken) refuse();
    let value: string;
    if (folded) {
      value = '';
      let breaks = 0;
      let started = false;
      for (const l of content) {
        if (l === '') {
          breaks++;
          continue;
        }
        value += started ? (breaks > 0 ? '\n'.repeat(breaks) : ' ') : '\n'.repeat(breaks);
        value += l;
        breaks = 0;
        started = true;
      }
    } else value = content.join('\n');
    if (!(chomp === '-')) value += '\n';
    // yaml 2's range: from the header to just after the last content line's line break
    this.contentEnd = this.lines[lastContent + 1]?.start ?? this.text.length;
    if (this.track) this.last = at(new Scalar(value), offset, this.contentEnd);
    this.column = 0;
    this.skipBlank();
    return value;
  }
}

/** Characters a plain key cannot start with. */
const KEY_INDICATORS = '#\'"[]{},&*!|>%@`?:- ';

/** The key that starts at column `col`, its name and where its value starts, or undefined when the line is not `key:` there. */
function splitKey(text: string, col: number): { name: string; valueAt: number; keyEnd: number } | undefined {
  const first = text.charCodeAt(col);
  let name: string;
  let colon: number;
  let keyEnd: number;
  if (first === 0x22 || first === 0x27) {
    const q = first === 0x22 ? readDoubleQuoted(text, col) : readSingleQuoted(text, col);
    let i = q.end;
    while (text.charCodeAt(i) === 0x20) i++;
    if (text.charCodeAt(i) !== 0x3a) return undefined;
    name = q.value;
    colon = i;
    keyEnd = q.end;
  } else {
    if (Number.isNaN(first) || KEY_INDICATORS.includes(text[col]!)) return undefined;
    colon = -1;
    for (let i = col + 1; i < text.length; i++) {
      if (text.charCodeAt(i) === 0x3a && (i + 1 === text.length || text.charCodeAt(i + 1) === 0x20)) {
        colon = i;
        break;
      }
    }
    if (colon < 0) return undefined;
    let end = colon;
    while (end > col && text.charCodeAt(end - 1) === 0x20) end--;
    name = text.slice(col, end);
    keyEnd = end;
    // a key that reads as something other than text (`1:`, `true:`, `~:`) becomes another key in yaml 2's data
    if (typeof resolvePlain(name) !== 'string') refuse();
  }
  if (name.length > MAX_KEY || name.includes(',')) refuse();
  if (colon + 1 < text.length && text.charCodeAt(colon + 1) !== 0x20) refuse();
  let v = colon + 1;
  while (text.charCodeAt(v) === 0x20) v++;
  return { name, valueAt: v, keyEnd };
}

/** A one-line plain scalar in block context: up to a comment (` #`), trailing spaces dropped. */
function plainText(rest: string): string {
  let end = rest.length;
  for (let i = rest.indexOf('#'); i !== -1; i = rest.indexOf('#', i + 1)) {
    if (i > 0 && rest.charCodeAt(i - 1) === 0x20) {
      end = i;
      break;
    }
  }
  while (end > 0 && rest.charCodeAt(end - 1) === 0x20) end--;
  return rest.slice(0, end);
}

/** Only spaces from `from`, or spaces and then a comment (a space before `#`). */
function onlyCommentAfter(s: string, from: number): boolean {
  let i = from;
  while (s.charCodeAt(i) === 0x20) i++;
  return i >= s.length || (s.charCodeAt(i) === 0x23 && i > from);
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  '\t': '\t',
};
const HEX_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

/** A double-quoted scalar on one line, opening at `from`: its value and the offset after the closing quote. */
function readDoubleQuoted(s: string, from: number): { value: string; end: number } {
  let value = '';
  let chunk = from + 1;
  for (let i = from + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) return { value: value + s.slice(chunk, i), end: i + 1 };
    if (c !== 0x5c) continue;
    value += s.slice(chunk, i);
    const e = s[i + 1];
    if (e === undefined) refuse();
    const hex = HEX_LENGTH[e!];
    if (hex !== undefined) {
      const digits = s.slice(i + 2, i + 2 + hex);
      if (digits.length !== hex || !/^[0-9a-fA-F]+$/.test(digits)) refuse();
      const code = parseInt(digits, 16);
      if (code > 0x10ffff) refuse();
      value += String.fromCodePoint(code);
      i += 1 + hex;
    } else if (Object.prototype.hasOwnProperty.call(ESCAPES, e!)) {
      value += ESCAPES[e!];
      i += 1;
    } else refuse();
    chunk = i + 1;
  }
  return refuse();
}

/** A single-quoted scalar on one line, opening at `from` (`''` is a quote). */
function readSingleQuoted(s: string, from: number): { value: string; end: number } {
  let value = '';
  let chunk = from + 1;
  for (let i = from + 1; i < s.length; i++) {
    if (s.charCodeAt(i) !== 0x27) continue;
    if (s.charCodeAt(i + 1) === 0x27) {
      value += s.slice(chunk, i + 1);
      i++;
      chunk = i + 1;
      continue;
    }
    return { value: value + s.slice(chunk, i), end: i + 1 };
  }
  return refuse();
}

/** Characters a plain scalar inside a flow collection may not start with. */
const FLOW_INDICATORS = '#\'"[]{},&*!|>%@`?:-';

/** A flow collection on one line (`[a, "b", {c: 1}]`), read once, left to right. */
class FlowReader {
  at = 0;
  private depth = 0;
  /** with `track`: the node of the value read last */
  last: Node | null = null;
  /** `offset`: where `s` starts in the text (for node ranges) */
  constructor(
    private readonly s: string,
    private readonly track = false,
    private readonly offset = 0,
  ) {}

  private spaces(): void {
    while (this.s.charCodeAt(this.at) === 0x20) this.at++;
  }

  value(): unknown {
    this.spaces();
    const c = this.s.charCodeAt(this.at);
    if (c === 0x5b) return this.sequence();
    if (c === 0x7b) return this.mapping();
    if (c === 0x22 || c === 0x27) {
      const start = this.at;
      const q = c === 0x22 ? readDoubleQuoted(this.s, this.at) : readSingleQuoted(this.s, this.at);
      this.at = q.end;
      if (this.track) this.last = at(new Scalar(q.value), this.offset + start, this.offset + q.end);
      return q.value;
    }
    const start = this.at;
    const text = this.plain(false);
    const value = resolvePlain(text);
    if (this.track) this.last = at(new Scalar(value), this.offset + start, this.offset + start + text.length);
    return value;
  }

  /** A plain scalar in flow context: up to `,`, `]`, `}` (or `: ` in a mapping key), trimmed. */
  private plain(key: boolean): string {
    const start = this.at;
    const first = this.s[start];
    if (first === undefined) refuse();
    if (FLOW_INDICATORS.includes(first!)) {
      const second = this.s[start + 1];
      if (!(first === '-' || first === '?' || first === ':') || second === undefined || second === ' ' || ',[]{}'.includes(second))
        refuse();
    }
    let i = start;
    for (; i < this.s.length; i++) {
      const ch = this.s.charCodeAt(i);
      if (ch === 0x2c || ch === 0x5d || ch === 0x7d || ch === 0x5b || ch === 0x7b) break;
      if (ch === 0x3a && (this.s.charCodeAt(i + 1) === 0x20 || key)) break;
      if (ch === 0x23 && this.s.charCodeAt(i - 1) === 0x20) refuse();
    }
    let end = i;
    while (end > start && this.s.charCodeAt(end - 1) === 0x20) end--;
    if (end === start) refuse();
    this.at = i;
    return this.s.slice(start, end);
  }

  private sequence(): unknown[] {
    if (++this.depth > MAX_DEPTH) refuse();
    const start = this.at;
    const node = this.track ? new YAMLSeq() : undefined;
    this.at++; // [
    const items: unknown[] = [];
    this.spaces();
    if (this.s.charCodeAt(this.at) === 0x5d) {
      this.at++;
      this.depth--;
      if (node) this.last = at(node, this.offset + start, this.offset + this.at);
      return items;
    }
    for (;;) {
      items.push(this.value());
      if (node) node.items.push(this.last);
      this.spaces();
      const c = this.s.charCodeAt(this.at);
      if (c === 0x3a) refuse(); // `[a: b]`, a pair in a list
      this.at++;
      if (c === 0x5d) {
        this.depth--;
        if (node) this.last = at(node, this.offset + start, this.offset + this.at);
        return items;
      }
      if (c !== 0x2c) refuse();
      this.spaces();
      if (this.s.charCodeAt(this.at) === 0x5d || this.s.charCodeAt(this.at) === 0x2c) refuse(); // `[a, ]`, `[a, , b]`
    }
  }

  private mapping(): Record<string, unknown> {
    if (++this.depth > MAX_DEPTH) refuse();
    const start = this.at;
    const node = this.track ? new YAMLMap() : undefined;
    this.at++; // {
    const map: Record<string, unknown> = {};
    this.spaces();
    if (this.s.charCodeAt(this.at) === 0x7d) {
      this.at++;
      this.depth--;
      if (node) this.last = at(node, this.offset + start, this.offset + this.at);
      return map;
    }
    for (;;) {
      this.spaces();
      const c = this.s.charCodeAt(this.at);
      const keyStart = this.at;
      let name: string;
      let keyEnd: number;
      if (c === 0x22 || c === 0x27) {
        const q = c === 0x22 ? readDoubleQuoted(this.s, this.at) : readSingleQuoted(this.s, this.at);
        this.at = q.end;
        name = q.value;
        keyEnd = q.end;
      } else {
        name = this.plain(true);
        keyEnd = keyStart + name.length;
        if (typeof resolvePlain(name) !== 'string') refuse();
      }
      if (
        name.length > MAX_KEY ||
        name.includes(',') ||
        name === '__proto__' ||
        name === '<<' ||
        Object.prototype.hasOwnProperty.call(map, name)
      )
        refuse();
      this.spaces();
      if (this.s.charCodeAt(this.at) !== 0x3a || this.s.charCodeAt(this.at + 1) !== 0x20) refuse(); // `{a}`, `{a:b}`
      this.at += 2;
      this.spaces();
      const v = this.s.charCodeAt(this.at);
      if (v === 0x2c || v === 0x7d || Number.isNaN(v)) refuse(); // `{a: }`: an empty value
      map[name] = this.value();
      if (node) node.items.push(new Pair(at(new Scalar(name), this.offset + keyStart, this.offset + keyEnd), this.last));
      this.spaces();
      const next = this.s.charCodeAt(this.at);
      this.at++;
      if (next === 0x7d) {
        this.depth--;
        if (node) this.last = at(node, this.offset + start, this.offset + this.at);
        return map;
      }
      if (next !== 0x2c) refuse();
      this.spaces();
      if (this.s.charCodeAt(this.at) === 0x7d || this.s.charCodeAt(this.at) === 0x2c) refuse();
    }
  }
}
