import { isSeq, parseAllDocuments, visit, type Document } from 'yaml';
import { CHOICE_KEYS, CONDITION_KEYS, FIELD_KEYS, LIMIT_KEYS, SOP_KEYS, STEP_KEYS } from '@sopflow/model';
import type { Replacement } from './OffsetMap.js';

/** One edit of a repair: `[start, end)` becomes `text` (offsets of the text being repaired). */
export interface RepairEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * A mistake found at its cause, with the edit that mends it: what the diagnostic says. Offsets
 * are those of the text the repair applies to.
 */
export interface Repair {
  edits: RepairEdit[];
  /** what the diagnostic points at */
  at: [number, number];
  message: string;
  hint: string;
  /** the fix's title */
  title: string;
}

export interface RepairResult {
  /** the text with every repair made */
  text: string;
  docs: Document.Parsed[];
  /** the repairs, in the order made, each with the text it was made in */
  repairs: { repair: Repair; text: string }[];
}

/** Most repairs made in one file; a file needing more is reported as it is after them. */
const MAX_REPAIRS = 8;
/** Files larger than this are not repaired (each try parses the file again). */
const MAX_LENGTH = 256 * 1024;
/** How many characters all the tries of one file may parse together: repairs stay a small
 *  multiple of one read, even for a hostile file. */
const PARSE_BUDGET = 1024 * 1024;
/** A line longer than this is not edited: no SOP needs it, and a hostile one is costly. */
const MAX_LINE = 2000;
/** A key is moved to a sibling's column only when it is off by at most this many columns. */
const MAX_SHIFT = 4;

/** Every key name the format has: a line starting with one of them is a key, never prose. */
const FORMAT_KEYS: ReadonlySet<string> = new Set(
  [SOP_KEYS, STEP_KEYS, CHOICE_KEYS, LIMIT_KEYS, FIELD_KEYS, CONDITION_KEYS].flatMap((t) => Object.keys(t)),
);

export const parseYaml = (text: string): Document.Parsed[] => {
  const docs = parseAllDocuments(text, {
    prettyErrors: false,
    uniqueKeys: true,
    keepSourceTokens: false,
    logLevel: 'silent',
    merge: true,
  }) as Document.Parsed[];
  return Array.isArray(docs) ? docs : [];
};

interface Problem {
  code: string;
  start: number;
}

const fatalErrors = (docs: readonly Document.Parsed[]): Problem[] =>
  (docs[0]?.errors ?? [])
    .filter((e) => e.code !== 'DUPLICATE_KEY')
    .map((e) => ({ code: e.code, start: e.pos?.[0] ?? 0 }))
    .sort((a, b) => a.start - b.start);

/**
 * Looks for the cause of the first YAML error (and of a key that repeats because a list dash
 * is missing), tries the edit that would mend it, and keeps it when the text then reads
 * without that error: so a tab, a key indented one space too far, a missing `- ` or an
 * unquoted `: ` is reported once, where it is, with its fix, instead of as the cascade of
 * errors yaml reports after it. Repairs go on from the mended text, up to a few; the text is
 * then read as mended, so the rest of the file is still checked.
 */
export function repairYaml(text: string, docs: Document.Parsed[]): RepairResult {
  const result: RepairResult = { text, docs, repairs: [] };
  if (text.length > MAX_LENGTH || docs.length === 0) return result;
  let budget = PARSE_BUDGET;
  const tryParse = (next: string): Document.Parsed[] | undefined => {
    budget -= next.length;
    return budget >= 0 ? parseYaml(next) : undefined;
  };
  for (let round = 0; round < MAX_REPAIRS && budget > 0; round++) {
    const current = result.text;
    const fatal = fatalErrors(result.docs);
    const lines = new Lines(current);
    let found: { repair: Repair; text: string; docs: Document.Parsed[] } | undefined;
    if (fatal.length > 0) {
      const first = fatal[0]!;
      const line = lines.lineOf(first.start);
      for (const repair of candidates(lines, first, line)) {
        if (repair.edits.some((e) => lines.at(lines.lineOf(e.start)).length > MAX_LINE)) continue;
        const next = applyEdits(current, repair.edits);
        const nextDocs = tryParse(next);
        if (!nextDocs) break;
        const after = fatalErrors(nextDocs);
        const touched = Math.max(line, ...repair.edits.map((e) => lines.lineOf(e.start)));
        if (after.length < fatal.length && after.every((e) => lines.lineOf(e.start) > touched)) {
          found = { repair, text: next, docs: nextDocs };
          break;
        }
      }
    } else {
      for (const repair of missingDashes(lines, result.docs[0]!)) {
        const next = applyEdits(current, repair.edits);
        const nextDocs = tryParse(next);
        if (!nextDocs) break;
        const before = result.docs[0]!.errors.length;
        if (fatalErrors(nextDocs).length === 0 && (nextDocs[0]?.errors.length ?? 0) < before) {
          found = { repair, text: next, docs: nextDocs };
          break;
        }
      }
    }
    if (!found) break;
    result.repairs.push({ repair: found.repair, text: current });
    result.text = found.text;
    result.docs = found.docs;
  }
  return result;
}

/** The replacements a repair makes, for mapping positions back. */
export const replacementsOf = (repair: Repair): Replacement[] =>
  repair.edits.map((e) => ({ start: e.start, end: e.end, length: e.text.length }));

function applyEdits(text: string, edits: readonly RepairEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The lines of a text, with offsets. */
class Lines {
  readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  get count(): number {
    return this.starts.length;
  }
  /** 0-based line of an offset */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
  /** the text of line `i` (0-based), without its line break */
  at(i: number): string {
    const start = this.starts[i] ?? this.text.length;
    const next = this.starts[i + 1];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text[end - 1] === '\r') end--;
    return this.text.slice(start, end);
  }
  start(i: number): number {
    return this.starts[i] ?? this.text.length;
  }
  /** blank or a comment only */
  isEmpty(i: number): boolean {
    return /^\s*(?:#.*)?$/.test(this.at(i));
  }
  /** the nearest line before `i` that holds something, or -1 */
  previous(i: number): number {
    for (let j = i - 1; j >= 0; j--) if (!this.isEmpty(j)) return j;
    return -1;
  }
  /** the nearest line after `i` that holds something, or -1 */
  following(i: number): number {
    for (let j = i + 1; j < this.count; j++) if (!this.isEmpty(j)) return j;
    return -1;
  }
}

/** `  - key: value` / `    key: value`: indentation, the list dash, the key (no backtracking: linear). */
const KEY_START = /^( *)(-[ ]+)?([A-Za-z_][A-Za-z0-9_-]*|"[^"\\]*"|'[^']*')[ ]*:(?=[ \t]|$)/;

interface KeyLine {
  indent: number;
  dash: string;
  key: string;
  keyColumn: number;
  value: string;
  valueColumn: number;
}

/** The text before a comment (` #`), without trailing blanks: found with indexOf, never a backtracking pattern. */
function withoutComment(text: string): string {
  let end = text.length;
  for (let i = text.indexOf('#'); i !== -1; i = text.indexOf('#', i + 1)) {
    if (i === 0 || text[i - 1] === ' ' || text[i - 1] === '\t') {
      end = i;
      break;
    }
  }
  return text.slice(0, end).trimEnd();
}

function keyLine(line: string): KeyLine | undefined {
  if (line.length > MAX_LINE) return undefined;
  const m = KEY_START.exec(line);
  if (!m) return undefined;
  const indent = m[1]!.length;
  const dash = m[2] ?? '';
  const key = m[3]!.replace(/^["']|["']$/g, '');
  const keyColumn = indent + dash.length;
  const rest = line.slice(m[0].length);
  const lead = rest.length - rest.trimStart().length;
  const value = rest.trimStart().startsWith('#') ? '' : withoutComment(rest.slice(lead));
  return { indent, dash, key, keyColumn, value, valueColumn: value === '' ? line.length : m[0].length + lead };
}

/** The column where the content of a line starts (after its indentation and a list dash). */
function contentColumn(line: string): number {
  const m = /^( *)(-[ ]+)?/.exec(line)!;
  return m[0].length;
}

/** Candidate repairs for the first error, most plausible first. */
function* candidates(lines: Lines, problem: Problem, line: number): Generator<Repair> {
  yield* tabs(lines, problem, line);
  yield* flowValues(lines, line);
  // a line after the error, indented off its siblings, that starts with a key of the format
  for (let j = lines.following(line), n = 0; j !== -1 && n < 2; j = lines.following(j), n++) {
    const k = keyLine(lines.at(j));
    if (k && FORMAT_KEYS.has(k.key)) yield* reindent(lines, j);
  }
  yield* quoteValue(lines, line);
  yield* reindent(lines, line);
}

// ---- tabs

/** The lines (0-based) whose indentation holds a tab. */
function tabIndented(lines: Lines): number[] {
  const out: number[] = [];
  for (let i = 0; i < lines.count; i++) {
    const text = lines.at(i);
    const indent = /^[ \t]*/.exec(text)![0];
    if (indent.includes('\t') && indent.length < text.length && text[indent.length] !== '#') out.push(i);
  }
  return out;
}

function* tabs(lines: Lines, problem: Problem, line: number): Generator<Repair> {
  const tabbed = tabIndented(lines);
  if (tabbed.length === 0) return;
  if (problem.code !== 'TAB_AS_INDENT' && !tabbed.some((t) => Math.abs(t - line) <= 1)) return;
  const first = tabbed.find((t) => t >= line - 1) ?? tabbed[0]!;
  const text = lines.at(first);
  const indent = /^[ \t]*/.exec(text)![0];
  const at: [number, number] = [lines.start(first) + indent.indexOf('\t'), lines.start(first) + indent.indexOf('\t') + 1];
  if (tabbed.length > 1) {
    // a whole file indented with tabs: every tab in an indentation becomes the same number of spaces
    for (const width of [2, 4, 8]) {
      const edits = tabbed.map((i) => {
        const own = /^[ \t]*/.exec(lines.at(i))![0];
        return { start: lines.start(i), end: lines.start(i) + own.length, text: own.replace(/\t/g, ' '.repeat(width)) };
      });
      const shown =
        tabbed
          .slice(0, 5)
          .map((i) => i + 1)
          .join(', ') + (tabbed.length > 5 ? ', …' : '');
      yield {
        edits,
        at,
        message: `the file is indented with tabs (lines ${shown}): YAML indents with spaces only`,
        hint: `indent with spaces: each tab as ${width} spaces`,
        title: `Replace each tab of the indentation with ${width} spaces`,
      };
    }
  }
  for (const { width, like } of tabWidths(lines, first)) {
    yield {
      edits: [{ start: lines.start(first), end: lines.start(first) + indent.length, text: ' '.repeat(width) }],
      at,
      message: 'this line is indented with a tab: YAML indents with spaces only',
      hint: like !== undefined ? `indent it with ${width} spaces, to line up with \`${like}:\` above` : `indent it with ${width} spaces`,
      title: `Indent with ${width} spaces`,
    };
  }
}

/** Indentations worth trying for a line written with a tab: its siblings' first. */
function tabWidths(lines: Lines, i: number): { width: number; like?: string }[] {
  const out: { width: number; like?: string }[] = [];
  const add = (width: number, like?: string) => {
    if (width >= 0 && !out.some((o) => o.width === width)) out.push(like !== undefined ? { width, like } : { width });
  };
  const p = lines.previous(i);
  if (p !== -1) {
    const prev = lines.at(p);
    const k = keyLine(prev);
    if (k && k.value === '') add(k.keyColumn + 2);
    if (k) add(k.keyColumn, k.key);
    add(contentColumn(prev));
    add(/^ */.exec(prev)![0].length);
  }
  const n = lines.following(i);
  if (n !== -1 && !/^[ ]*\t/.test(lines.at(n))) {
    const k = keyLine(lines.at(n));
    add(k ? k.keyColumn : contentColumn(lines.at(n)), k?.key);
  }
  const indent = /^[ \t]*/.exec(lines.at(i))![0];
  for (const w of [2, 4, 8]) add(indent.replace(/\t/g, ' '.repeat(w)).length);
  return out;
}

// ---- indentation of a key

/**
 * Re-indents key line `j` to the column of a key above it, nearest first; a line that starts a
 * list item (`- key:`) to the column of a list dash above it.
 */
function* reindent(lines: Lines, j: number): Generator<Repair> {
  const text = lines.at(j);
  const k = keyLine(text);
  if (!k || text.includes('\t')) return;
  const columns: { indent: number; key: string; line: number }[] = [];
  for (let p = lines.previous(j), n = 0; p !== -1 && n < 8; p = lines.previous(p), n++) {
    const above = keyLine(lines.at(p));
    if (!above || (k.dash !== '' && above.dash === '')) continue;
    // a key lines up with a key, a list dash with a list dash
    const indent = k.dash !== '' ? above.indent : above.keyColumn - k.dash.length;
    if (indent !== k.indent && !columns.some((c) => c.indent === indent)) columns.push({ indent, key: above.key, line: p });
  }
  columns.sort((a, b) => Math.abs(a.indent - k.indent) - Math.abs(b.indent - k.indent));
  for (const { indent, key, line } of columns) {
    const diff = k.indent - indent;
    if (indent < 0 || Math.abs(diff) > MAX_SHIFT) continue;
    const amount = diff > 0 ? `${plural(diff, 'space')} more` : `${plural(-diff, 'space')} less`;
    const effect = diff > 0 ? 'reads it as part of what comes before' : 'cannot tell what it belongs to';
    yield {
      edits: [{ start: lines.start(j), end: lines.start(j) + k.indent, text: ' '.repeat(indent) }],
      at: [lines.start(j) + Math.min(k.indent, indent), lines.start(j) + k.keyColumn + k.key.length],
      message:
        k.dash !== ''
          ? `the \`- \` of \`${k.key}\` is indented ${amount} than the \`- \` of line ${line + 1}, so YAML ${effect}`
          : `\`${k.key}\` is indented ${amount} than \`${key}\` above it, so YAML ${effect}`,
      hint:
        k.dash !== ''
          ? `line the \`- \` up with the one on line ${line + 1} (column ${indent + 1})`
          : `line \`${k.key}:\` up with \`${key}:\` (column ${indent + k.dash.length + 1})`,
      title: k.dash !== '' ? `Line the \`- \` up with line ${line + 1}` : `Line \`${k.key}\` up with \`${key}\``,
    };
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

// ---- a text with ": " that needs quotes

/** Characters that make a value something other than a plain text. */
const NOT_PLAIN_START = /^["'[{|>&*!%@`#]/;

/** Quotes the plain value of the key line that holds line `line` (the line itself, or the key its text continues). */
function* quoteValue(lines: Lines, line: number): Generator<Repair> {
  let owner = line;
  let k = keyLine(lines.at(owner));
  const indentOf = (i: number) => /^ */.exec(lines.at(i))![0].length;
  if (!k || k.value === '') {
    // a continuation line: its key is the nearest line above that is less indented
    const own = indentOf(line);
    for (let p = lines.previous(line); p !== -1; p = lines.previous(p)) {
      if (indentOf(p) < own) {
        owner = p;
        k = keyLine(lines.at(p));
        break;
      }
    }
  }
  if (!k || k.value === '' || NOT_PLAIN_START.test(k.value)) return;
  // the value and its continuation lines (more indented than the key, up to a blank line)
  let last = owner;
  for (let n = owner + 1; n < lines.count && !lines.isEmpty(n) && indentOf(n) > k.keyColumn && !/^\s*-\s/.test(lines.at(n)); n++) last = n;
  const start = lines.start(owner) + k.valueColumn;
  if (lines.at(last).length > MAX_LINE) return;
  const endText = last === owner ? lines.at(last).slice(0, k.valueColumn + k.value.length) : withoutComment(lines.at(last));
  const end = lines.start(last) + endText.length;
  const value = lines.text.slice(start, end);
  const colon = /:(?=[ \t]|$)/m.exec(value);
  if (!colon) return;
  const quoted = quote(value);
  const colonAt = start + colon.index;
  yield {
    edits: [{ start, end, text: quoted }],
    at: [colonAt, colonAt + 1],
    message: `the text of \`${k.key}\` holds \`: \`, which YAML reads as the start of a key and its value`,
    hint: `put the whole text in quotes: \`${k.key}: ${shorten(quoted)}\``,
    title: 'Put the text in quotes',
  };
}

function quote(value: string): string {
  if (!/["\\]/.test(value)) return `"${value}"`;
  return `'${value.replace(/'/g, "''")}'`;
}

function shorten(text: string, max = 48): string {
  const one = text.replace(/\s*\n\s*/g, ' ');
  return one.length > max ? `${one.slice(0, max - 2)}…${one[one.length - 1]}` : one;
}

// ---- inside { } and [ ]

/** `{ answer: No: a manager is needed, next: x }`: a value holding ": " inside a flow collection, quoted. */
function* flowValues(lines: Lines, line: number): Generator<Repair> {
  for (const i of [line, lines.previous(line)]) {
    if (i < 0) continue;
    const text = lines.at(i);
    if (text.length > MAX_LINE || !/[{[]/.test(text)) continue;
    for (const entry of flowEntries(text)) {
      const pair = /^([A-Za-z_][\w-]*|"[^"]*"|'[^']*')[ ]*:[ \t]+(.*)$/.exec(entry.text);
      if (!pair) continue;
      const value = pair[2]!;
      if (NOT_PLAIN_START.test(value)) continue;
      const colon = /:(?=[ \t]|$)/.exec(value);
      if (!colon) continue;
      const key = pair[1]!.replace(/^["']|["']$/g, '');
      const valueStart = lines.start(i) + entry.start + entry.text.length - value.length;
      const quoted = quote(value);
      const colonAt = valueStart + colon.index;
      yield {
        edits: [{ start: valueStart, end: valueStart + value.length, text: quoted }],
        at: [colonAt, colonAt + 1],
        message: `${key === 'answer' ? 'the answer' : `the value of \`${key}\``} \`${shorten(value, 40)}\` holds \`: \`, which YAML reads as another key inside the braces`,
        hint: `put it in quotes: \`${key}: ${shorten(quoted)}\``,
        title: 'Put the text in quotes',
      };
    }
  }
}

/** The entries of the flow collections on a line: text between `{`, `[`, `,`, `}` and `]` outside quotes (trimmed, with their start). */
function flowEntries(line: string): { start: number; text: string }[] {
  const out: { start: number; text: string }[] = [];
  let depth = 0;
  let from = -1;
  const flush = (end: number) => {
    if (from < 0) return;
    const raw = line.slice(from, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text !== '') out.push({ start: from + lead, text });
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '#' && (i === 0 || line[i - 1] === ' ')) break;
    if ((c === '"' || c === "'") && depth > 0 && (from < 0 || line.slice(from, i).trim() === '' || /:\s*$/.test(line.slice(from, i)))) {
      const close = c === '"' ? /"(?:[^"\\]|\\.)*"/y : /'(?:[^']|'')*'/y;
      close.lastIndex = i;
      if (close.exec(line)) {
        i = close.lastIndex - 1;
        continue;
      }
      return out; // an unclosed quote: nothing to say here
    }
    if (c === '{' || c === '[') {
      if (depth > 0) flush(i);
      depth++;
      from = i + 1;
      continue;
    }
    if (depth === 0) continue;
    if (c === ',' || c === '}' || c === ']') {
      flush(i);
      from = i + 1;
      if (c !== ',') depth--;
    }
  }
  if (depth > 0) flush(line.length);
  return out;
}

// ---- a missing list dash

/**
 * A key that repeats the first key of a list item (or repeats `id`), at the column of that
 * item's keys: the line very likely starts the next item and lacks its `- `. The dash takes the
 * place of the two spaces before the key, so the text keeps its length.
 */
function* missingDashes(lines: Lines, doc: Document.Parsed): Generator<Repair> {
  const repeated = new Set(doc.errors.filter((e) => e.code === 'DUPLICATE_KEY').map((e) => e.pos?.[0] ?? -1));
  if (repeated.size === 0) return;
  const found: Repair[] = [];
  visit(doc, {
    Seq(_key, seq) {
      const listName = listNameOf(doc, seq);
      for (const item of seq.items) {
        const map = item as { items?: { key?: { range?: [number, number, number]; value?: unknown } }[] };
        if (!map || !Array.isArray(map.items) || map.items.length === 0) continue;
        const firstKey = map.items[0]!.key;
        const firstName = firstKey && typeof firstKey.value === 'string' ? firstKey.value : undefined;
        const firstStart = firstKey?.range?.[0];
        if (firstName === undefined || firstStart === undefined) continue;
        const column = firstStart - lines.start(lines.lineOf(firstStart));
        if (column < 2 || lines.text.slice(firstStart - 2, firstStart - 1) !== '-') continue;
        for (const pair of map.items.slice(1)) {
          const key = pair.key;
          const start = key?.range?.[0];
          if (start === undefined || !repeated.has(start) || typeof key?.value !== 'string') continue;
          if (key.value !== firstName && key.value !== 'id') continue;
          const line = lines.lineOf(start);
          if (start - lines.start(line) !== column || lines.text.slice(start - 2, start) !== '  ') continue;
          const owner = map.items.find((p) => p.key?.value === 'id') as { value?: { value?: unknown } } | undefined;
          const ownerId = typeof owner?.value?.value === 'string' ? ` \`${owner.value.value}\`` : '';
          const text = lines.at(line).trim();
          found.push({
            edits: [{ start: start - 2, end: start, text: '- ' }],
            at: [start, start + key.value.length],
            message: `${listName.article} ${listName.item} is missing its \`- \`: \`${shorten(text, 40)}\` starts a new ${listName.item}, but without the dash YAML reads it as a second \`${key.value}\` of the ${listName.item}${ownerId} above`,
            hint: `start the line with \`- \`, lined up with the \`- \` of the ${listName.item} above`,
            title: 'Insert the list dash `- `',
          });
        }
      }
      return undefined;
    },
  });
  yield* found;
}

/** What the items of a list are called: `step` under `instructions`, `choice` under `choices`. */
function listNameOf(doc: Document.Parsed, seq: unknown): { item: string; article: string } {
  let name: { item: string; article: string } = { item: 'list item', article: 'a' };
  visit(doc, {
    Pair(_key, pair) {
      if (pair.value === seq && isSeq(pair.value)) {
        const key = (pair.key as { value?: unknown } | null)?.value;
        if (key === 'instructions') name = { item: 'step', article: 'a' };
        else if (key === 'choices') name = { item: 'choice', article: 'a' };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return name;
}
