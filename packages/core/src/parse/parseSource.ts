import { isAlias, isPair, isScalar, isSeq, visit, type Document, type Node } from 'yaml';
import type { Diagnostic } from '@sopflow/model';
import { LineIndex } from './LineIndex.js';
import { LocatedDocument } from './LocatedDocument.js';
import { MAX_NESTING, scanNesting } from './scanNesting.js';
import { parsePlainDocument } from './plainParse.js';
import { OffsetMap } from './OffsetMap.js';
import { parseYaml, repairYaml, replacementsOf } from './repairYaml.js';

export interface ParsedSource {
  /** the document with positions (of the text given: `loadFile` drops a byte order mark first) */
  located: LocatedDocument;
  /** the data of the first document; `undefined` when the YAML could not be read */
  data: unknown;
  /** true when the YAML was read (duplicate keys and extra documents are reported, not fatal) */
  readable: boolean;
  /** true when the file holds nothing but blanks and comments */
  empty: boolean;
  diagnostics: Diagnostic[];
  /**
   * Set when the text was mended to be read (a tab, a key indented off its siblings, a missing
   * list dash, an unquoted `: `): one diagnostic per mistake, at its cause, with its fix (placed
   * in the text as written), and the map from the mended text, which `located`, `data` and
   * `diagnostics` are of, back to it.
   */
  repair?: { map: OffsetMap; diagnostics: Diagnostic[] };
}

/**
 * The verdict on a text is a function of the text alone (no state carried between files): the
 * nesting scan bounds the depth the parser recurses to, well below where it overflows (about 900
 * levels; a second overflow in one process can abort Node, see stack-notes). Should the parser
 * overflow all the same, the file gets `nesting-depth`.
 */
const isOverflow = (error: unknown) => error instanceof RangeError || /call stack/i.test(String((error as Error)?.message ?? ''));

/** At most this many `yaml-syntax` diagnostics per file (binary garbage yields thousands). */
export const MAX_SYNTAX_ERRORS = 50;

/** The first line of a yaml error message, without yaml's own "at line X, column Y" tail. */
function cleanMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?\s*$/, '').trim() || 'invalid YAML';
}

/** Advice for the YAML mistakes people make most. */
function yamlHint(code: string, message: string, line: string): string | undefined {
  if (code === 'TAB_AS_INDENT' || /tab/i.test(message)) return 'indent with spaces, not tabs';
  if (/end with an? [\]}]/.test(message)) return 'close the bracket: every `[` needs a `]` and every `{` a `}`';
  const value = line.slice(line.indexOf(': ') + 2);
  if (/nested mappings are not allowed in compact mappings/i.test(message) || code === 'BLOCK_AS_IMPLICIT_KEY') {
    return line.includes(': ') && /:(\s|$)/.test(value) && !/^\s*(?:[-?]\s*)?[\w.-]+:\s*$/.test(line)
      ? 'a text containing ": " must be quoted, e.g. `do: "Say: hello"`'
      : 'check the indentation: the keys of one step line up at the same column';
  }
  if (code === 'MULTILINE_IMPLICIT_KEY') return 'a key is missing its `:`, or a text containing ": " needs quotes';
  if (code === 'BAD_INDENT' || /same column|indent/i.test(message))
    return 'line up the keys of one mapping (or the `-` of one list) at the same column';
  if (code === 'MISSING_CHAR' && /quote/i.test(message)) return 'close the quote, or remove it';
  if (code === 'MISSING_CHAR') return 'close the bracket: every `[` needs a `]` and every `{` a `}`';
  if (code === 'BAD_ALIAS') return 'an alias `*name` needs an anchor `&name` earlier in the file; quote text that starts with `*`';
  if (code === 'BAD_SCALAR_START') return 'quote a text that starts with a special character such as `@`, `` ` ``, `%` or `|`';
  return undefined;
}

interface RepeatedKey {
  name: string;
  range: [number, number];
  path: (string | number)[];
}

/** The keys that start at `offsets` (yaml reports a repeated key by its first character only):
 *  each one's name, whole range, and document path. One walk of the document for all of them,
 *  so a file with thousands of repeated keys stays linear. */
function findKeysAt(doc: Document, offsets: ReadonlySet<number>): Map<number, RepeatedKey> {
  const found = new Map<number, RepeatedKey>();
  const paths = new Map<unknown, (string | number)[]>();
  visit(doc, (key, node, ancestors) => {
    const parent = ancestors[ancestors.length - 1];
    const base = paths.get(parent) ?? [];
    let own = base;
    if (isPair(parent) && key === 'value' && isScalar(parent.key)) own = [...base, String(parent.key.value)];
    else if (isSeq(parent) && typeof key === 'number') own = [...base, key];
    paths.set(node, own);
    if (isPair(node) && isScalar(node.key) && node.key.range && offsets.has(node.key.range[0])) {
      const name = String(node.key.value);
      found.set(node.key.range[0], { name, range: [node.key.range[0], node.key.range[1]], path: [...own, name] });
    }
    return undefined;
  });
  return found;
}

export interface ParseOptions {
  /**
   * default true: a text in the plain subset is read by sopflow's plain reader,
   * which builds the same data and a document with the same positions as yaml 2 (held to it by
   * test/yamlDifferential.test.ts); false reads every text with yaml 2.
   */
  plain?: boolean;
}

/** Text -> YAML document with positions. Reports yaml-syntax, duplicate-key, nesting-depth and
 *  multiple-documents. Never throws. */
export function parseSource(source: string, file: string, options: ParseOptions = {}): ParsedSource {
  // no nesting scan needed: the plain reader gives up past 64 levels
  const plain = options.plain !== false ? parsePlainDocument(source) : undefined;
  if (plain)
    return {
      located: new LocatedDocument(file, source, plain.doc, new LineIndex(source)),
      data: plain.data,
      readable: true,
      empty: false,
      diagnostics: [],
    };
  const diagnostics: Diagnostic[] = [];
  let text = source;
  let lines = new LineIndex(text);
  const bare = new LocatedDocument(file, text, undefined, lines);
  const fail = (located: LocatedDocument): ParsedSource => ({ located, data: undefined, readable: false, empty: false, diagnostics });

  const nesting = scanNesting(text, MAX_NESTING);
  if (nesting.offset !== undefined) {
    const at = nesting.offset;
    diagnostics.push(
      bare.diagnostic({
        code: 'nesting-depth',
        severity: 'error',
        path: [],
        range: [at, at + 1],
        message: `the file nests more than ${MAX_NESTING} levels deep; sopflow does not read it (an SOP needs about 8)`,
      }),
    );
    return fail(bare);
  }

  let docs: Document.Parsed[];
  let repair: ParsedSource['repair'];
  try {
    docs = parseYaml(text);
    const repaired = repairYaml(text, docs);
    if (repaired.repairs.length > 0) {
      repair = placeRepairs(file, source, repaired.text, repaired.repairs);
      text = repaired.text;
      docs = repaired.docs;
      lines = new LineIndex(text);
    }
  } catch (error) {
    diagnostics.push(
      bare.diagnostic({
        code: isOverflow(error) ? 'nesting-depth' : 'yaml-syntax',
        severity: 'error',
        path: [],
        range: [0, 0],
        message: isOverflow(error)
          ? 'the file nests too deeply to be read'
          : `the file could not be read as YAML (${String((error as Error)?.message ?? error).slice(0, 200)})`,
      }),
    );
    return fail(bare);
  }

  const documents = docs.filter((d, i) => i === 0 || d.contents !== null || d.errors.length > 0);
  const doc = documents[0];
  const located = new LocatedDocument(file, text, doc, lines);
  if (!doc) return { located, data: null, readable: true, empty: true, diagnostics };
  const withRepair = (result: ParsedSource): ParsedSource => (repair ? { ...result, repair } : result);

  let syntax = 0;
  let fatal = false;
  let repeatedKeys: Map<number, RepeatedKey> | undefined;
  for (const error of doc.errors) {
    const [start, end] = error.pos ?? [0, 0];
    if (error.code === 'DUPLICATE_KEY') {
      repeatedKeys ??= findKeysAt(doc, new Set(doc.errors.filter((e) => e.code === 'DUPLICATE_KEY').map((e) => e.pos?.[0] ?? 0)));
      const repeated = repeatedKeys.get(start);
      const key =
        repeated?.name ??
        (text
          .slice(start, Math.min(text.length, start + 40))
          .split(/[:\n]/)[0]!
          .trim() ||
          text.slice(start, end));
      diagnostics.push(
        located.diagnostic({
          code: 'duplicate-key',
          severity: 'error',
          path: repeated?.path ?? [],
          range: repeated?.range ?? [start, Math.max(end, start + 1)],
          message: `the key \`${key.slice(0, 40)}\` appears twice in this mapping; the later value wins`,
          hint: 'remove one of them, or merge their content',
        }),
      );
      continue;
    }
    fatal = true;
    if (isOverflow(error)) {
      diagnostics.push(
        located.diagnostic({
          code: 'nesting-depth',
          severity: 'error',
          path: [],
          range: [start, end],
          message: 'the file nests too deeply to be read',
        }),
      );
      continue;
    }
    syntax++;
    if (syntax <= MAX_SYNTAX_ERRORS) {
      // point at the token, not at the spaces before it
      let at = start;
      let to = end;
      while (text[at] === ' ') at++;
      if (text[at] === '\n' || text[at] === '\r' || at >= text.length) at = start;
      const message = cleanMessage(error.message);
      // an unclosed quote is found at the end of the file: point at the quote that opened it
      const quote = error.code === 'MISSING_CHAR' ? /closing (["'])/.exec(message)?.[1] : undefined;
      if (quote) {
        const open = text.lastIndexOf(quote, Math.min(start, text.length - 1));
        if (open !== -1) {
          at = open;
          to = open + 1;
        }
      }
      const lineStart = text.lastIndexOf('\n', start) + 1;
      const lineEnd = text.indexOf('\n', start);
      const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
      diagnostics.push(
        located.diagnostic({
          code: 'yaml-syntax',
          severity: 'error',
          path: [],
          range: [at, Math.max(to, at + 1)],
          message,
          hint: yamlHint(error.code, message, line),
        }),
      );
    }
  }
  if (syntax > MAX_SYNTAX_ERRORS) {
    const more = syntax - MAX_SYNTAX_ERRORS;
    diagnostics.push(
      located.diagnostic({
        code: 'yaml-syntax',
        severity: 'error',
        path: [],
        range: [text.length, text.length],
        message: `… and ${more} more YAML error${more === 1 ? '' : 's'}: is this a YAML file?`,
      }),
    );
  }

  const second = documents[1];
  if (second) {
    const start = second.range?.[0] ?? 0;
    diagnostics.push(
      located.diagnostic({
        code: 'multiple-documents',
        severity: 'error',
        path: [],
        range: [start, Math.max(start + 3, start + 1)],
        message: `the file holds ${documents.length} YAML documents; an SOP file holds exactly one (only the first is read)`,
        hint: 'put each SOP in its own file, or remove the `---` separator',
      }),
    );
  }

  if (fatal) return withRepair(fail(located));

  // a list or mapping used as a key: no SOP needs one, and turning nested ones into JS keys
  // takes time exponential in their depth, so such a file is refused before toJS
  const complexKey = firstComplexKey(doc);
  if (complexKey) {
    diagnostics.push(
      located.diagnostic({
        code: 'schema',
        severity: 'error',
        path: [],
        range: complexKey,
        message: 'a key must be plain text, not a list, a mapping or an alias',
      }),
    );
    return withRepair(fail(located));
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (isOverflow(error)) {
      diagnostics.push(
        located.diagnostic({
          code: 'nesting-depth',
          severity: 'error',
          path: [],
          range: [0, 0],
          message: 'the file nests too deeply to be read',
        }),
      );
      return withRepair(fail(located));
    }
    const message = String((error as Error)?.message ?? error);
    const alias = firstAlias(doc);
    diagnostics.push(
      located.diagnostic({
        code: 'yaml-syntax',
        severity: 'error',
        path: [],
        range: alias ?? [0, 0],
        message: /alias/i.test(message)
          ? 'too many aliases expand here (an alias bomb?); sopflow does not read the file'
          : `the file could not be read: ${message.slice(0, 200)}`,
      }),
    );
    return withRepair(fail(located));
  }
  return withRepair({ located, data, readable: true, empty: doc.contents === null, diagnostics });
}

/** The repairs as diagnostics of the text as written: each at its cause, with its fix. */
function placeRepairs(
  file: string,
  source: string,
  repaired: string,
  repairs: ReturnType<typeof repairYaml>['repairs'],
): NonNullable<ParsedSource['repair']> {
  const map = new OffsetMap(source, repaired);
  const original = new LocatedDocument(file, source, undefined);
  const diagnostics: Diagnostic[] = [];
  repairs.forEach(({ repair }, k) => {
    const back = (offset: number) => map.back(offset, k);
    const d = original.diagnostic({
      code: 'yaml-syntax',
      severity: 'error',
      path: [],
      range: [back(repair.at[0]), Math.max(back(repair.at[1]), back(repair.at[0]) + 1)],
      message: repair.message,
      hint: repair.hint,
    });
    d.fixes = [
      {
        title: repair.title,
        edits: repair.edits.map((e) => {
          const a = original.lines.position(back(e.start));
          const b = original.lines.position(back(e.end));
          return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column, newText: e.text };
        }),
      },
    ];
    diagnostics.push(d);
    map.push(replacementsOf(repair));
  });
  return { map, diagnostics };
}

function firstAlias(doc: Document): [number, number] | undefined {
  let found: [number, number] | undefined;
  try {
    visit(doc, {
      Alias(_key, node) {
        if (isAlias(node) && (node as Node).range) {
          const r = (node as Node).range!;
          found = [r[0], r[1]];
          return visit.BREAK;
        }
        return undefined;
      },
    });
  } catch {
    /* positions are best effort */
  }
  return found;
}

function firstComplexKey(doc: Document): [number, number] | undefined {
  let found: [number, number] | undefined;
  try {
    visit(doc, {
      Pair(_key, pair) {
        const key = pair.key as Node | null;
        if (key !== null && key !== undefined && !isScalar(key)) {
          const r = key.range ?? [0, 0];
          found = [r[0], Math.max(r[0] + 1, Math.min(r[1], r[0] + 1))];
          return visit.BREAK;
        }
        return undefined;
      },
    });
  } catch {
    found = [0, 0];
  }
  return found;
}
