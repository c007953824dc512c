import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { resolvePlain } from './coreSchema.js';
import { hasNonPlainMarks, isYamlSpace } from './hasNonPlainMarks.js';

/**
 * The fast path's reader, for texts in a deliberately small, plain subset of YAML: block
 * mappings and sequences, one-line plain, quoted and flow values, `|` and `>` block scalars,
 * with scalars resolved exactly as yaml 2's YAML 1.2 core schema does. It walks the text once
 * and checks the subset's rules as it reads (after `hasNonPlainMarks`, a few indexOf over the
 * whole text): the moment it meets anything outside the subset, or anything it is not certain
 * of (a duplicate key, an escape it does not know, a folded scalar with more-indented lines,
 * `+` chomping, a key that is not text…), it returns `undefined` and the file is read by yaml
 * 2, the authority. Linear, and no regex over a line; it slices only the strings it returns
 * (keys and scalars) and the flow collections it reads. test/yamlDifferential.test.ts and
 * fastPath.test.ts hold it to yaml 2's data on the official yaml-test-suite, the examples and
 * fuzzed text.
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
  if (hasNonPlainMarks(text)) return undefined;
  try {
    const reader = new Reader(text, track);
    reader.skipBlank();
    if (reader.done() || reader.indent !== 0) return undefined;
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

/** Implicit keys longer than this (padding included) are left to yaml 2, which refuses past 1,024. */
const MAX_KEY_SPAN = 1000;

/** Deeper nesting is left to yaml 2 (after its nesting scan): the reader recurses, and an SOP nests about 8 levels. */
const MAX_DEPTH = 64;

/** Characters a plain key or value may not start with (besides white space), by character code. */
const INDICATORS = new Uint8Array(128);
for (const c of '#\'"[]{},&*!|>%@`?:-') INDICATORS[c.charCodeAt(0)] = 1;
const isIndicator = (code: number): boolean => code < 128 && INDICATORS[code] === 1;

/**
 * Keys repeat from line to line and from file to file (`id`, `do`, `type`…). A fresh slice used
 * as a property name is first hashed and looked up in the engine's string table, and that was
 * the reader's largest single cost; this direct-mapped table hands back the string made the last
 * time the same key was read, which the engine has already internalised. It changes no result
 * (an equal string either way). Only short keys: a slice of 13 characters or more keeps the
 * whole text alive, and the table would keep it.
 */
const KEY_TABLE_SIZE = 512;
const MAX_TABLED_KEY = 12;
const keyTable: string[] = new Array<string>(KEY_TABLE_SIZE).fill('');

/**
 * The plain key written from `start` to `end` in `text`, as a string; refuses a key that reads as
 * something other than text (`1:`, `true:`, `~:` become other keys in yaml 2's data). A key
 * handed back from the table was checked when it went in.
 */
function keyString(text: string, start: number, end: number): string {
  const length = end - start;
  if (length > MAX_TABLED_KEY) return textKey(text.slice(start, end));
  let hash = length;
  for (let i = start; i < end; i++) hash = (hash * 31 + text.charCodeAt(i)) | 0;
  const slot = hash & (KEY_TABLE_SIZE - 1);
  const known = keyTable[slot]!;
  if (known.length === length && text.startsWith(known, start)) return known;
  const name = textKey(text.slice(start, end));
  keyTable[slot] = name;
  return name;
}

/** A plain key that reads as text, or a refusal. */
function textKey(name: string): string {
  if (typeof resolvePlain(name) !== 'string') refuse();
  return name;
}

/**
 * Finds the next occurrence of one character with indexOf and remembers its answer. The reader
 * moves forward, so each stretch of the text is searched about once: a file whose lines hold no
 * `:` does not send a search to the end of the text for every line.
 */
class CharFinder {
  /** no occurrence in [from, found); found is the text's length when there is none */
  private from = 0;
  private found = -1;

  constructor(
    private readonly text: string,
    private readonly char: string,
  ) {}

  /** The offset of the first occurrence at or after `at`, or the text's length. */
  next(at: number): number {
    if (at > this.found) {
      const i = this.text.indexOf(this.char, at);
      this.found = i === -1 ? this.text.length : i;
      this.from = at;
    } else if (at < this.from) {
      // a step back within the line being read (a value after its key was looked for): a short walk
      const code = this.char.charCodeAt(0);
      for (let i = at; i < this.from; i++) if (this.text.charCodeAt(i) === code) return i;
      this.from = at;
    }
    return this.found;
  }
}

/**
 * Reads the text line by line; the current line is a range of the text (no string per line).
 * Columns (`col`, `indent`, `owner`) count from the start of the line, positions (`pos`) from
 * the start of the text.
 */
class Reader {
  /** where the current line starts, where its text ends (before `\r\n` or `\n`), where the next one starts */
  private lineStart = 0;
  private lineEnd = 0;
  private nextStart = 0;
  /** the current line's indentation */
  indent = 0;
  /** the current line is blank or a comment */
  private blank = false;
  /** the current line is ended by a line break (the last line of a file may not be) */
  private broken = false;
  /** where on the current line the next node starts (after `- ` marks already consumed) */
  private column = 0;
  /** how many collections are open */
  private depth = 0;
  /** with `track`: the node of the value read last */
  last: Node | null = null;
  /** Just after the line break of the last line that held content (where yaml 2 ends a collection: blank and comment lines after it are not part of it). */
  private contentEnd = 0;
  /** the key `splitKey` found last: where it starts and ends, its name, where its value starts */
  private keyStart = -1;
  private keyEnd = 0;
  private keyName = '';
  private valueAt = 0;
  private readonly colons: CharFinder;
  private readonly hashes: CharFinder;
  private readonly flow: FlowReader;

  constructor(
    private readonly text: string,
    private readonly track: boolean,
  ) {
    this.colons = new CharFinder(text, ':');
    this.hashes = new CharFinder(text, '#');
    this.flow = new FlowReader(text, track);
    this.loadLine(0);
  }

  /** Makes the line starting at `start` the current one. */
  private loadLine(start: number): void {
    const text = this.text;
    this.lineStart = start;
    if (start >= text.length) {
      this.lineEnd = this.nextStart = text.length;
      this.indent = 0;
      this.blank = false;
      this.broken = false;
      return;
    }
    const newline = text.indexOf('\n', start);
    this.broken = newline !== -1;
    let end = newline === -1 ? text.length : newline;
    this.nextStart = newline === -1 ? text.length : newline + 1;
    if (end > start && text.charCodeAt(end - 1) === 0x0d) end--;
    this.lineEnd = end;
    let indent = 0;
    while (text.charCodeAt(start + indent) === 0x20) indent++;
    // a line of spaces only: yaml 2's block scalar indentation rules for it are not worth copying
    if (indent > 0 && start + indent === end) refuse();
    this.indent = indent;
    this.blank = start + indent === end || text.charCodeAt(start + indent) === 0x23;
  }

  done(): boolean {
    return this.lineStart >= this.text.length;
  }

  /** Moves past the current line, which held content. */
  private consumeLine(): void {
    this.loadLine(this.nextStart);
    this.contentEnd = this.lineStart;
  }

  /** Moves to the next line that is not blank or a comment. */
  skipBlank(): void {
    while (!this.done() && this.blank) this.loadLine(this.nextStart);
    this.column = this.done() ? 0 : this.indent;
  }

  /** A `- ` item mark at `pos` (a position on the current line). */
  private isDash(pos: number): boolean {
    return this.text.charCodeAt(pos) === 0x2d && this.text.charCodeAt(pos + 1) === 0x20;
  }

  /** The node that starts at the current position (column `this.column`): a sequence or a mapping. */
  node(): unknown {
    const col = this.column;
    return this.isDash(this.lineStart + col) ? this.sequence(col) : this.mapping(col);
  }

  /** A block sequence whose `- ` marks sit at column `col`. */
  private sequence(col: number): unknown[] {
    if (++this.depth > MAX_DEPTH) refuse();
    const items: unknown[] = [];
    const node = this.track ? new YAMLSeq() : undefined;
    const start = this.lineStart + col;
    for (;;) {
      // consume `- ` and the spaces after it
      let pos = this.lineStart + col + 2;
      while (this.text.charCodeAt(pos) === 0x20) pos++;
      if (pos >= this.lineEnd || this.text.charCodeAt(pos) === 0x23) refuse(); // an empty item: yaml 2 nests what follows in ways not worth copying
      this.column = pos - this.lineStart;
      items.push(this.itemValue(pos, col));
      if (node) node.items.push(this.last);
      this.skipBlank();
      if (!this.done()) {
        if (this.indent === col && this.isDash(this.lineStart + col)) continue;
        if (this.indent > col) refuse();
      }
      this.depth--;
      if (node) this.last = at(node, start, this.contentEnd);
      return items;
    }
  }

  /** What follows `- ` at `pos`: a nested sequence, a mapping, or a value on this line. */
  private itemValue(pos: number, dash: number): unknown {
    if (this.isDash(pos)) return this.sequence(pos - this.lineStart);
    if (this.splitKey(pos)) return this.mapping(pos - this.lineStart);
    return this.inlineValue(pos, dash);
  }

  /** A block mapping whose keys sit at column `col`. */
  private mapping(col: number): Record<string, unknown> {
    if (++this.depth > MAX_DEPTH) refuse();
    const map: Record<string, unknown> = {};
    const node = this.track ? new YAMLMap() : undefined;
    const start = this.lineStart + col;
    for (;;) {
      const keyStart = this.lineStart + col;
      // (an item's first key was split already, to tell a mapping from a value)
      if (this.keyStart !== keyStart && !this.splitKey(keyStart)) refuse();
      const name = this.keyName;
      const keyEnd = this.keyEnd;
      const valueAt = this.valueAt;
      if (Object.prototype.hasOwnProperty.call(map, name) || name === '__proto__' || name === '<<') refuse();
      let value: unknown;
      // `key:` with nothing after it: null, as yaml 2 places it (zero length, after the spaces)
      this.last = this.track ? at(new Scalar(null), valueAt, valueAt) : null;
      const nothingAfter = valueAt >= this.lineEnd;
      if (nothingAfter || this.text.charCodeAt(valueAt) === 0x23) {
        // `key:` or `key: # comment`: the value, if any, is on the next lines
        this.consumeLine();
        this.skipBlank();
        if (!this.done() && this.indent > col) value = this.node();
        else if (!this.done() && this.indent === col && this.isDash(this.lineStart + col)) value = this.sequence(col);
        else {
          value = null;
          // yaml 2 ends a null without a comment where it stands, before the line break
          if (nothingAfter) this.contentEnd = valueAt;
        }
      } else {
        value = this.inlineValue(valueAt, col);
        this.skipBlank();
      }
      map[name] = value;
      if (node) node.items.push(new Pair(at(new Scalar(name), keyStart, keyEnd), this.last));
      if (!this.done()) {
        if (this.indent === col && !this.isDash(this.lineStart + col)) continue;
        if (this.indent > col) refuse();
      }
      this.depth--;
      if (node) this.last = at(node, start, this.contentEnd);
      return map;
    }
  }

  /**
   * The key that starts at `pos` on the current line (its name, end and where its value starts go
   * to `keyName`, `keyEnd`, `valueAt`), or false when the line is not `key:` there. A plain key
   * runs to the first `:` followed by a space or the end of the line; a `:` before other white
   * space, or a comment (`#` after white space) before it, means the line is not `key:`.
   */
  private splitKey(pos: number): boolean {
    const text = this.text;
    const end = this.lineEnd;
    const first = text.charCodeAt(pos);
    let name: string;
    let colon = -1;
    let keyEnd: number;
    if (first === 0x22 || first === 0x27) {
      name = first === 0x22 ? readDoubleQuoted(text, pos, end) : readSingleQuoted(text, pos, end);
      keyEnd = quoteEnd;
      colon = keyEnd;
      while (text.charCodeAt(colon) === 0x20) colon++;
      if (text.charCodeAt(colon) !== 0x3a) return false;
      if (colon + 1 < end && text.charCodeAt(colon + 1) !== 0x20) refuse(); // `"a":b`
    } else {
      if (pos >= end || isIndicator(first) || isYamlSpace(first)) return false;
      let searched = pos + 1; // no comment starts in [pos + 1, searched)
      for (let i = this.colons.next(pos + 1); i < end; i = this.colons.next(i + 1)) {
        if (this.commentIn(searched, i)) return false;
        searched = i;
        if (i + 1 === end || text.charCodeAt(i + 1) === 0x20) {
          colon = i;
          break;
        }
        if (isYamlSpace(text.charCodeAt(i + 1))) return false;
      }
      if (colon < 0) return false;
      keyEnd = colon;
      while (keyEnd > pos && text.charCodeAt(keyEnd - 1) === 0x20) keyEnd--;
      name = keyString(text, pos, keyEnd); // (refuses a key that reads as something other than text)
    }
    if (colon - pos > MAX_KEY_SPAN || name.length > MAX_KEY || name.includes(',')) refuse();
    let valueAt = colon + 1;
    while (text.charCodeAt(valueAt) === 0x20) valueAt++;
    this.keyStart = pos;
    this.keyEnd = keyEnd;
    this.keyName = name;
    this.valueAt = valueAt;
    return true;
  }

  /** A comment starts in [from, to): a `#` after white space. */
  private commentIn(from: number, to: number): boolean {
    for (let i = this.hashes.next(from); i < to; i = this.hashes.next(i + 1)) {
      if (isYamlSpace(this.text.charCodeAt(i - 1))) return true;
    }
    return false;
  }

  /**
   * A value written on the current line from `pos`: a block scalar header, a quoted or flow
   * value, or a plain scalar. `owner` is the column of the key or `-` it belongs to (block scalar
   * content must be deeper). Leaves the reader on the line after the value.
   */
  private inlineValue(pos: number, owner: number): unknown {
    const text = this.text;
    const end = this.lineEnd;
    const first = text.charCodeAt(pos);
    if (first === 0x7c || first === 0x3e) return this.blockScalar(pos, owner); // | >
    if (first === 0x22 || first === 0x27) {
      const value = first === 0x22 ? readDoubleQuoted(text, pos, end) : readSingleQuoted(text, pos, end);
      const close = quoteEnd;
      if (!onlyCommentAfter(text, close, end)) refuse();
      if (this.track) this.last = at(new Scalar(value), pos, close);
      this.consumeLine();
      return value;
    }
    if (first === 0x5b || first === 0x7b) {
      const value = this.flow.read(pos, end);
      if (!onlyCommentAfter(text, this.flow.at, end)) refuse();
      this.last = this.flow.last;
      this.consumeLine();
      return value;
    }
    const valueEnd = this.plainEnd(pos, end);
    const value = resolvePlain(text.slice(pos, valueEnd));
    if (this.track) this.last = at(new Scalar(value), pos, valueEnd);
    this.consumeLine();
    return value;
  }

  /**
   * Where the one-line plain scalar at `pos` ends: before a comment (` #`) and trailing spaces.
   * Refuses a line that is not one plain value: white space or an indicator first (`-`, `?`,
   * `:` are text before a non-space), a `:` before white space or at the end of the line,
   * comment included (a key, or more than yaml 2 reads the same way).
   */
  private plainEnd(pos: number, end: number): number {
    const text = this.text;
    const first = text.charCodeAt(pos);
    if (isYamlSpace(first)) refuse();
    if (isIndicator(first)) {
      const startsText = first === 0x2d || first === 0x3f || first === 0x3a;
      if (!startsText || pos + 1 >= end || isYamlSpace(text.charCodeAt(pos + 1))) refuse();
    }
    // (a `:` or `#` at `pos` itself was judged as the first character)
    for (let i = this.colons.next(pos + 1); i < end; i = this.colons.next(i + 1)) {
      if (i + 1 === end || isYamlSpace(text.charCodeAt(i + 1))) refuse();
    }
    let valueEnd = end;
    for (let i = this.hashes.next(pos + 1); i < end; i = this.hashes.next(i + 1)) {
      if (text.charCodeAt(i - 1) === 0x20) {
        valueEnd = i;
        break;
      }
    }
    while (valueEnd > pos && text.charCodeAt(valueEnd - 1) === 0x20) valueEnd--;
    return valueEnd;
  }

  /** A `|` or `>` block scalar whose header is at `pos`; content lines are deeper than column `owner`. */
  private blockScalar(pos: number, owner: number): string {
    const text = this.text;
    const folded = text.charCodeAt(pos) === 0x3e;
    const chomp = text.charCodeAt(pos + 1);
    if (chomp === 0x2b) refuse(); // `+`: keep chomping
    const strip = chomp === 0x2d;
    if (!onlyCommentAfter(text, strip ? pos + 2 : pos + 1, this.lineEnd)) refuse();
    this.loadLine(this.nextStart);
    const content: string[] = [];
    let indent = -1;
    let lastBroken = true;
    let afterContent = text.length;
    while (!this.done()) {
      if (this.lineStart === this.lineEnd) {
        content.push('');
        this.loadLine(this.nextStart);
        continue;
      }
      if (this.indent <= owner) break;
      if (indent < 0) indent = this.indent;
      else if (this.indent < indent) refuse();
      if (folded && this.indent > indent) refuse(); // more-indented lines fold differently
      content.push(text.slice(this.lineStart + indent, this.lineEnd));
      lastBroken = this.broken;
      afterContent = this.nextStart;
      this.loadLine(this.nextStart);
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
    if (!strip) value += '\n';
    // yaml 2's range: from the header to just after the last content line's line break
    this.contentEnd = afterContent;
    if (this.track) this.last = at(new Scalar(value), pos, this.contentEnd);
    this.column = 0;
    this.skipBlank();
    return value;
  }
}

/** Only spaces from `from` to `end`, or spaces and then a comment (a space before `#`). */
function onlyCommentAfter(s: string, from: number, end: number): boolean {
  let i = from;
  while (i < end && s.charCodeAt(i) === 0x20) i++;
  return i >= end || (s.charCodeAt(i) === 0x23 && i > from);
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

/** Where the quoted scalar read last ended (just after its closing quote): the readers' second result, without an object per scalar. */
let quoteEnd = 0;

/** A double-quoted scalar opening at `from` and closing before `end` (the end of its line): its value; its end goes to `quoteEnd`. */
function readDoubleQuoted(s: string, from: number, end: number): string {
  let value = '';
  let chunk = from + 1;
  for (let i = from + 1; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) {
      quoteEnd = i + 1;
      return value + s.slice(chunk, i);
    }
    if (c !== 0x5c) continue;
    value += s.slice(chunk, i);
    if (i + 1 >= end) refuse();
    const e = s[i + 1]!;
    const hex = HEX_LENGTH[e];
    if (hex !== undefined) {
      const digits = s.slice(i + 2, Math.min(i + 2 + hex, end));
      if (digits.length !== hex || !/^[0-9a-fA-F]+$/.test(digits)) refuse();
      const code = parseInt(digits, 16);
      if (code > 0x10ffff) refuse();
      value += String.fromCodePoint(code);
      i += 1 + hex;
    } else if (Object.prototype.hasOwnProperty.call(ESCAPES, e)) {
      value += ESCAPES[e];
      i += 1;
    } else refuse();
    chunk = i + 1;
  }
  return refuse();
}

/** A single-quoted scalar opening at `from` and closing before `end` (`''` is a quote): its value; its end goes to `quoteEnd`. */
function readSingleQuoted(s: string, from: number, end: number): string {
  let value = '';
  let chunk = from + 1;
  for (let i = from + 1; i < end; i++) {
    if (s.charCodeAt(i) !== 0x27) continue;
    if (i + 1 < end && s.charCodeAt(i + 1) === 0x27) {
      value += s.slice(chunk, i + 1);
      i++;
      chunk = i + 1;
      continue;
    }
    quoteEnd = i + 1;
    return value + s.slice(chunk, i);
  }
  return refuse();
}

/**
 * `[`, `{` or `,`, spaces, then `,`, `]` or `}` in `s` from `from` to `to`: an empty entry, which
 * the subset refuses even inside quoted text in a flow collection (it always has). Each run of
 * spaces is walked once: linear.
 */
function hasEmptyEntry(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x5b && c !== 0x7b && c !== 0x2c) continue;
    let j = i + 1;
    while (j < to && s.charCodeAt(j) === 0x20) j++;
    const next = s.charCodeAt(j);
    if (j < to && (next === 0x2c || next === 0x5d || next === 0x7d)) return true;
    i = j - 1;
  }
  return false;
}

/**
 * A flow collection on one line (`[a, "b", {c: 1}]`), read once, left to right, in place in the
 * text, and held to the subset as it is read: no `#`, `?` or `"` inside plain text, `:` only as
 * `key: ` in a mapping, no empty entries (`[a, , b]`, `[a,]`, `[[], a]`, `[ ]`) but a whole
 * empty `[]` or `{}`, quotes that close on the line. One per reader, reused for each collection.
 */
class FlowReader {
  /** where the reader is; after `read`, just after the collection */
  at = 0;
  /** the end of the line the collection is on */
  private end = 0;
  private depth = 0;
  /** where the collection read starts */
  private start = 0;
  /** with `track`: the node of the value read last */
  last: Node | null = null;

  constructor(
    private readonly s: string,
    private readonly track: boolean,
  ) {}

  /** The flow collection opening at `from` on a line that ends at `end`. */
  read(from: number, end: number): unknown {
    this.at = this.start = from;
    this.end = end;
    this.depth = 0;
    this.last = null;
    return this.value();
  }

  private spaces(): void {
    while (this.s.charCodeAt(this.at) === 0x20) this.at++;
  }

  private value(): unknown {
    this.spaces();
    const c = this.s.charCodeAt(this.at);
    if (c === 0x5b) return this.sequence();
    if (c === 0x7b) return this.mapping();
    const start = this.at;
    if (c === 0x22 || c === 0x27) {
      const value = this.quoted(c);
      if (this.track) this.last = at(new Scalar(value), start, this.at);
      return value;
    }
    const end = this.plain();
    const value = resolvePlain(this.s.slice(start, end));
    if (this.track) this.last = at(new Scalar(value), start, end);
    return value;
  }

  /** A quoted scalar opening at `at` with the quote `c`. */
  private quoted(c: number): string {
    const start = this.at;
    const value = c === 0x22 ? readDoubleQuoted(this.s, start, this.end) : readSingleQuoted(this.s, start, this.end);
    this.at = quoteEnd;
    if (hasEmptyEntry(this.s, start, this.at)) refuse();
    return value;
  }

  /** A plain scalar in flow context, up to `,`, `[`, `]`, `{`, `}` or `: `: where its text ends, trailing spaces trimmed. */
  private plain(): number {
    const s = this.s;
    const start = this.at;
    const end = this.end;
    if (start >= end) refuse();
    const first = s.charCodeAt(start);
    if (isIndicator(first)) {
      // `-`, `?` and `:` start text before anything but a space, a flow indicator or the end
      const second = start + 1 < end ? s.charCodeAt(start + 1) : 0x20;
      const startsText = first === 0x2d || first === 0x3f || first === 0x3a;
      if (!startsText || second === 0x20 || second === 0x2c || second === 0x5b || second === 0x5d || second === 0x7b || second === 0x7d)
        refuse();
    }
    let i = start;
    for (; i < end; i++) {
      const ch = s.charCodeAt(i);
      if (ch === 0x2c || ch === 0x5d || ch === 0x7d || ch === 0x5b || ch === 0x7b) break;
      if (ch === 0x3a) {
        // `: ` ends a key (or a value, and the collection then refuses what follows); `:` before anything else is not plain here
        if (s.charCodeAt(i + 1) !== 0x20) refuse();
        break;
      }
      if (ch === 0x23 || ch === 0x3f || ch === 0x22) refuse(); // # ? "
    }
    let trimmed = i;
    while (trimmed > start && s.charCodeAt(trimmed - 1) === 0x20) trimmed--;
    if (trimmed === start) refuse();
    this.at = i;
    return trimmed;
  }

  /** An empty collection (`[]`, `{}`) is plain only as the whole flow value, written without spaces. */
  private emptyAllowed(start: number): boolean {
    return this.depth === 1 && start === this.start && this.at === start + 1;
  }

  private sequence(): unknown[] {
    if (++this.depth > MAX_DEPTH) refuse();
    const start = this.at;
    const node = this.track ? new YAMLSeq() : undefined;
    this.at++; // [
    const items: unknown[] = [];
    this.spaces();
    if (this.s.charCodeAt(this.at) === 0x5d) {
      if (!this.emptyAllowed(start)) refuse();
      this.at++;
      this.depth--;
      if (node) this.last = at(node, start, this.at);
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
        if (node) this.last = at(node, start, this.at);
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
      if (!this.emptyAllowed(start)) refuse();
      this.at++;
      this.depth--;
      if (node) this.last = at(node, start, this.at);
      return map;
    }
    for (;;) {
      this.spaces();
      const c = this.s.charCodeAt(this.at);
      const keyStart = this.at;
      let name: string;
      let keyEnd: number;
      if (c === 0x22 || c === 0x27) {
        name = this.quoted(c);
        keyEnd = this.at;
      } else {
        keyEnd = this.plain();
        name = keyString(this.s, keyStart, keyEnd);
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
      if (v === 0x2c || v === 0x7d || this.at >= this.end) refuse(); // `{a: }`: an empty value
      map[name] = this.value();
      if (node) node.items.push(new Pair(at(new Scalar(name), keyStart, keyEnd), this.last));
      this.spaces();
      const next = this.s.charCodeAt(this.at);
      this.at++;
      if (next === 0x7d) {
        this.depth--;
        if (node) this.last = at(node, start, this.at);
        return map;
      }
      if (next !== 0x2c) refuse();
      this.spaces();
      if (this.s.charCodeAt(this.at) === 0x7d || this.s.charCodeAt(this.at) === 0x2c) refuse();
    }
  }
}
