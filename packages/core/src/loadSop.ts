import { buildSopGraph, localDate, type Diagnostic, type DocPath, type Sop, type SopGraph } from '@sopflow/model';
import { parseSource } from './parse/parseSource.js';
import { LocatedDocument } from './parse/LocatedDocument.js';
import type { OffsetMap } from './parse/OffsetMap.js';
import { fastParse } from './parse/fastParse.js';
import { checkSchema } from './schema/checkSchema.js';
import isSchemaValid from './generated/isSchemaValid.js';
import { PROJECT_RULES, SOP_RULES } from './registry/registry.js';
import { placeFindings } from './registry/placeFindings.js';
import type { ProcedureView, RuleContext } from './registry/defineRule.js';
import { procedureView } from './shared/procedureView.js';
import { isRecord } from './shared/show.js';
import { stripBom } from './shared/stripBom.js';

export interface LoadOptions {
  /** the file name written into every diagnostic (default `<input>`) */
  file?: string;
  /** YYYY-MM-DD, the date `review_by` is compared with (default: today, from the clock) */
  today?: string;
}

export interface LoadResult {
  file: string;
  /** set when the file parsed as YAML and passed the JSON Schema (semantic errors may remain: see `hasErrors`) */
  sop: Sop | undefined;
  diagnostics: Diagnostic[];
  /** with `sop`: the one intermediate graph the rules judged, for the compiler and the renders
   *  to build on (`toMachineConfig(graph)`, `renderDocument(graph)`) instead of building it
   *  again; not enumerable (a copy of the result does not carry it) */
  readonly graph?: SopGraph;
}

/** Attaches the graph to a result without making it part of the result's data. */
function withGraph<T extends LoadResult>(result: T, graph: SopGraph | undefined): T {
  if (graph) Object.defineProperty(result, 'graph', { value: graph, enumerable: false });
  return result;
}

/** Internal options (tests): what the public options say, and whether to try the fast path. */
export interface LoadFileOptions extends LoadOptions {
  /** default true; false reads every file with the positioned parser (the two must agree) */
  fastPath?: boolean;
  /** for validateProject: take the file's `procedure` view and what each project rule gathers */
  project?: boolean;
  /** default true; false: the result carries no `sop` and no `graph`, so neither outlives this call */
  keepSop?: boolean;
}

/** A project rule's `gather` that threw on a file: the project step reports it as that rule's failure there. */
export class GatherFailed {
  constructor(readonly reason: string) {}
}

/** Internal: a load result with what validateProject needs besides the public fields. */
export interface LoadedFile extends LoadResult {
  /** the `id` as written, even when the file failed the schema */
  declaredId: string | undefined;
  located: LocatedDocument;
  /** set when the text was mended to be read: `located` is of the mended text, and this maps a
   *  diagnostic placed in it back to the text as written */
  repaired?: OffsetMap;
  /** with the `project` option, for a schema-valid file: what project rules read of its SOP */
  procedure?: ProcedureView;
  /** with `procedure`: what each of PROJECT_RULES gathered (by its place in that list) */
  gathered?: unknown[];
}

/** What the project rules take of one schema-valid file while it is loaded. Never throws. */
function gatherProject(context: RuleContext): { procedure?: ProcedureView; gathered?: unknown[] } {
  let procedure: ProcedureView;
  try {
    procedure = procedureView(context.graph);
  } catch {
    return {}; // the project rules then pass over this file, as over one without an SOP
  }
  const gathered: unknown[] = [];
  for (const rule of PROJECT_RULES) {
    if (!rule.gather) gathered.push(undefined);
    else {
      try {
        gathered.push(rule.gather(context));
      } catch (error) {
        gathered.push(new GatherFailed(String((error as Error)?.message ?? error).slice(0, 200)));
      }
    }
  }
  return { procedure, gathered };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Positions first, then by code for a stable order. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** A number written for `version` (`version: 1.0`) keeps the text as written. */
function normalise(sop: Sop, located: LocatedDocument): Sop {
  if (typeof (sop as { version?: unknown }).version === 'number') {
    const source = located.source(['version']);
    sop.version = source ? source.text.trim() : String(sop.version);
  }
  return sop;
}

export function loadFile(text: string, options: LoadFileOptions = {}): LoadedFile {
  const file = typeof options.file === 'string' && options.file !== '' ? options.file : '<input>';
  const today = typeof options.today === 'string' && DATE.test(options.today) ? options.today : localDate();
  // the one place a byte order mark is dropped: positions count from the text after it
  const input = stripBom(typeof text === 'string' ? text : text == null ? '' : String(text));
  const project = options.project === true;
  const keepSop = options.keepSop !== false;
  if (options.fastPath !== false) {
    const clean = loadClean(input, file, today, project, keepSop);
    if (clean) return clean;
  }
  let located = new LocatedDocument(file, input, undefined);
  const diagnostics: Diagnostic[] = [];
  let sop: Sop | undefined;
  let graph: SopGraph | undefined;
  let declaredId: string | undefined;
  let repaired: OffsetMap | undefined;
  try {
    const parsed = parseSource(input, file, { plain: options.fastPath !== false });
    located = parsed.located;
    repaired = parsed.repair?.map;
    diagnostics.push(...parsed.diagnostics);
    if (parsed.readable) {
      if (isRecord(parsed.data) && typeof parsed.data.id === 'string') declaredId = parsed.data.id;
      const schema = checkSchema(parsed.data, located);
      diagnostics.push(...schema);
      if (schema.length === 0) {
        sop = normalise(parsed.data as Sop, located);
        graph = buildSopGraph(sop);
        for (const rule of SOP_RULES) {
          try {
            diagnostics.push(...placeFindings(rule, rule.check({ file, sop, graph, today }), located));
          } catch (error) {
            diagnostics.push(internalError(located, error, rule.code));
          }
        }
      } else {
        diagnostics.push(...checkDespiteSchemaErrors(parsed.data, schema, { file, today }, located));
      }
    }
    if (parsed.repair) {
      // the file as written does not read: what was found in the mended text is placed back in it
      const found = diagnostics.splice(0).map((d) => parsed.repair!.map.diagnostic(d));
      diagnostics.push(...parsed.repair.diagnostics, ...found);
      sop = undefined;
    }
  } catch (error) {
    diagnostics.push(internalError(located, error));
  }
  const result: LoadedFile = {
    file,
    sop,
    diagnostics: sortDiagnostics(diagnostics),
    declaredId,
    located,
    ...(repaired ? { repaired } : {}),
  };
  if (sop && graph && project) Object.assign(result, gatherProject({ file, sop, graph, today }));
  if (keepSop) return withGraph(result, graph);
  result.sop = undefined;
  return result;
}

/**
 * The fast path, for the common case of a clean file: plain YAML read by `fastParse` (no
 * positions), the schema (as a yes/no question: `isSchemaValid`, the same answer as ajv's
 * validator without its error objects) and every rule on that data. It only ever answers "clean": if the
 * text is not plain YAML, the schema or any rule finds anything, or anything else is unusual,
 * it returns `undefined` and the file is read again from scratch by the full path, which
 * produces every diagnostic. Rules return findings by path, so they need no positions here.
 * The positioned document is built only if something asks for it later (a cross-file rule).
 */
function loadClean(text: string, file: string, today: string, project: boolean, keepSop: boolean): LoadedFile | undefined {
  try {
    // no nesting scan needed here: the plain reader gives up past 64 levels
    const data = fastParse(text);
    if (!data || typeof data.version === 'number' || !isSchemaValid(data)) return undefined;
    const sop = data as unknown as Sop;
    // one context for every rule (rules only read it)
    const context: RuleContext = { file, sop, graph: buildSopGraph(sop), today };
    for (const rule of SOP_RULES) {
      if (rule.check(context).length > 0) return undefined;
    }
    const result = {
      file,
      sop: keepSop ? sop : undefined,
      diagnostics: [] as Diagnostic[],
      declaredId: typeof data.id === 'string' ? data.id : undefined,
    } as CleanFile;
    Object.defineProperty(result, TO_LOCATE, { value: { text, file } satisfies ToLocate });
    Object.defineProperties(result, LOCATED_ON_FIRST_READ);
    if (project) Object.assign(result, gatherProject(context));
    return keepSop ? withGraph(result, context.graph) : result;
  } catch {
    return undefined;
  }
}

/** What a file the fast path read needs to be positioned later, and its positioned document once made. */
interface ToLocate {
  text: string;
  file: string;
  located?: LocatedDocument;
}

const TO_LOCATE = Symbol('sopflow.loaded.toLocate');

type CleanFile = LoadedFile & { [TO_LOCATE]: ToLocate };

/*
 * `located` of a file the fast path read, made on first read. One accessor shared by every such
 * file: a closure per file made each result an object with a hidden class of its own (and slow,
 * dictionary-mode properties), and the accessor pair V8 allocates in the old generation kept the
 * closure's text and result alive across young-generation collections.
 */
const LOCATED_ON_FIRST_READ: PropertyDescriptorMap = {
  located: {
    enumerable: false,
    get(this: CleanFile) {
      const toLocate = this[TO_LOCATE];
      return (toLocate.located ??= readLocated(toLocate.text, toLocate.file, this));
    },
  },
};

/**
 * The positioned document of a file the fast path read. The two readers agree on the fast
 * path's subset (test/yamlDifferential.test.ts); should they ever not, what the positioned
 * reader says is reported, never dropped.
 */
function readLocated(text: string, file: string, result: LoadedFile): LocatedDocument {
  const parsed = parseSource(text, file);
  if (parsed.diagnostics.length > 0) {
    result.diagnostics.push(...parsed.diagnostics);
    sortDiagnostics(result.diagnostics);
  }
  return parsed.located;
}

/**
 * A file that fails the schema still gets the rules that judge one node at a time (a `next`
 * naming no step, an undeclared field, a bad duration…), so one typo does not hide every other
 * mistake. Flow rules (reachability, ways out) and term rules wait for a schema-valid file: a
 * misspelt `next` would make their findings wrong. Findings inside a node the schema already
 * rejected are dropped, and a rule that trips over malformed data says nothing.
 */
function checkDespiteSchemaErrors(
  data: unknown,
  schema: Diagnostic[],
  context: Omit<RuleContext, 'sop' | 'graph'>,
  located: LocatedDocument,
): Diagnostic[] {
  if (!isRecord(data) || !Array.isArray(data.instructions)) return [];
  if (data.fields !== undefined && !isRecord(data.fields)) return [];
  // A finding is dropped when its path and a rejected node's path are prefixes of one another:
  // every rejected path and every prefix of one go into sets, so the check stays linear.
  const rejected = new Set<string>();
  const aboveRejected = new Set<string>();
  for (const { path } of schema) {
    if (path.length === 0) continue;
    rejected.add(pathKey(path));
    for (let i = 1; i <= path.length; i++) aboveRejected.add(pathKey(path.slice(0, i)));
  }
  const inside = (path: DocPath) => {
    if (aboveRejected.has(pathKey(path))) return true;
    for (let i = 1; i < path.length; i++) if (rejected.has(pathKey(path.slice(0, i)))) return true;
    return false;
  };
  const sop = data as unknown as Sop;
  const graph = buildSopGraph(sop);
  const out: Diagnostic[] = [];
  for (const rule of SOP_RULES) {
    if (rule.scope !== 'node' || rule.needs?.some((path) => aboveRejected.has(pathKey(path)) || inside(path))) continue;
    try {
      out.push(
        ...placeFindings(
          rule,
          rule.check({ ...context, sop, graph }).filter((f) => !inside(f.path)),
          located,
        ),
      );
    } catch {
      // malformed data this rule cannot judge: the schema diagnostics already say what is wrong
    }
  }
  return out;
}

const pathKey = (path: DocPath) => path.map((p) => (typeof p === 'number' ? `#${p}` : `.${p}`)).join('');

function internalError(located: LocatedDocument, error: unknown, code: Diagnostic['code'] = 'yaml-syntax'): Diagnostic {
  const reason = error instanceof RangeError ? 'the file nests too deeply' : String((error as Error)?.message ?? error).slice(0, 200);
  return located.diagnostic({
    code: error instanceof RangeError ? 'nesting-depth' : code,
    severity: 'error',
    path: [],
    range: [0, 0],
    message: `sopflow could not check this file: ${reason}`,
  });
}

/**
 * Parses and validates one SOP file: YAML, the JSON Schema, then every semantic rule.
 * Never throws: every problem, even an internal one, is a diagnostic.
 */
export function loadSop(text: string, options: LoadOptions = {}): LoadResult {
  const loaded = loadFile(text, options ?? {});
  return withGraph({ file: loaded.file, sop: loaded.sop, diagnostics: loaded.diagnostics }, loaded.graph);
}
