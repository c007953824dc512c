import { isAlias, parseAllDocuments, visit, type Document, type Node } from 'yaml';
import type { Diagnostic } from '@sopflow/model';
import { LineIndex } from './LineIndex.js';
import { LocatedDocument } from './LocatedDocument.js';
import { MAX_NESTING, scanNesting } from './scanNesting.js';

export interface ParsedSource {
  /** the document with positions (its text has the BOM stripped) */
  located: LocatedDocument;
  /** the data of the first document; `undefined` when the YAML could not be read */
  data: unknown;
  /** true when the YAML was read (duplicate keys and extra documents are reported, not fatal) */
  readable: boolean;
  /** true when the file holds nothing but blanks and comments */
  empty: boolean;
  diagnostics: Diagnostic[];
}

/** At most this many `yaml-syntax` diagnostics per file (binary garbage yields thousands). */
export const MAX_SYNTAX_ERRORS = 50;

/** The first line of a yaml error message, without yaml's own "at line X, column Y" tail. */
function cleanMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?\s*$/, '').trim() || 'invalid YAML';
}

/** Text -> YAML document with positions. Reports yaml-syntax, duplicate-key, nesting-depth and
 *  multiple-documents. Never throws. */
export function parseSource(input: string, file: string): ParsedSource {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const lines = new LineIndex(text);
  const diagnostics: Diagnostic[] = [];
  const bare = new LocatedDocument(file, text, undefined, lines);
  const fail = (located: LocatedDocument): ParsedSource => ({ located, data: undefined, readable: false, empty: false, diagnostics });

  const nesting = scanNesting(text, MAX_NESTING);
  if (nesting.offset !== undefined) {
    const at = nesting.offset;
    diagnostics.push(bare.diagnostic({
      code: 'nesting-depth', severity: 'error', path: [], range: [at, at + 1],
      message: `the file nests more than ${MAX_NESTING} levels deep; sopflow does not read it (an SOP needs about 8)`,
    }));
    return fail(bare);
  }

  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true, keepSourceTokens: false }) as Document.Parsed[];
    if (!Array.isArray(docs)) docs = [];
  } catch (error) {
    diagnostics.push(bare.diagnostic({
      code: error instanceof RangeError ? 'nesting-depth' : 'yaml-syntax', severity: 'error', path: [], range: [0, 0],
      message: error instanceof RangeError ? 'the file nests too deeply to be read' : `the file could not be read as YAML (${String((error as Error)?.message ?? error).slice(0, 200)})`,
    }));
    return fail(bare);
  }

  const documents = docs.filter((d, i) => i === 0 || d.contents !== null || d.errors.length > 0);
  const doc = documents[0];
  const located = new LocatedDocument(file, text, doc, lines);
  if (!doc) return { located, data: null, readable: true, empty: true, diagnostics };

  let syntax = 0;
  let fatal = false;
  for (const error of doc.errors) {
    const [start, end] = error.pos ?? [0, 0];
    if (error.code === 'DUPLICATE_KEY') {
      const key = text.slice(start, end).trim() || text.slice(start, Math.min(text.length, start + 40)).split(/[:\n]/)[0]!.trim();
      diagnostics.push(located.diagnostic({
        code: 'duplicate-key', severity: 'error', path: [], range: [start, Math.max(end, start + 1)],
        message: `the key \`${key.slice(0, 40)}\` appears twice in this mapping; the later value wins`,
        hint: 'remove one of them, or merge their content',
      }));
      continue;
    }
    fatal = true;
    syntax++;
    if (syntax <= MAX_SYNTAX_ERRORS) {
      diagnostics.push(located.diagnostic({
        code: 'yaml-syntax', severity: 'error', path: [], range: [start, end],
        message: cleanMessage(error.message),
      }));
    }
  }
  if (syntax > MAX_SYNTAX_ERRORS) {
    const more = syntax - MAX_SYNTAX_ERRORS;
    diagnostics.push(located.diagnostic({
      code: 'yaml-syntax', severity: 'error', path: [], range: [text.length, text.length],
      message: `… and ${more} more YAML error${more === 1 ? '' : 's'}: is this a YAML file?`,
    }));
  }

  const second = documents[1];
  if (second) {
    const start = second.range?.[0] ?? 0;
    diagnostics.push(located.diagnostic({
      code: 'multiple-documents', severity: 'error', path: [], range: [start, Math.max(start + 3, start + 1)],
      message: `the file holds ${documents.length} YAML documents; an SOP file holds exactly one (only the first is read)`,
      hint: 'put each SOP in its own file, or remove the `---` separator',
    }));
  }

  if (fatal) return fail(located);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    const message = String((error as Error)?.message ?? error);
    const alias = firstAlias(doc);
    diagnostics.push(located.diagnostic({
      code: 'yaml-syntax', severity: 'error', path: [], range: alias ?? [0, 0],
      message: /alias/i.test(message)
        ? 'too many aliases expand here (an alias bomb?); sopflow does not read the file'
        : `the file could not be read: ${message.slice(0, 200)}`,
    }));
    return fail(located);
  }
  return { located, data, readable: true, empty: doc.contents === null, diagnostics };
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
  } catch { /* positions are best effort */ }
  return found;
}
