import type { Diagnostic, DocPath } from '@sopflow/model';
import type { LocatedDocument } from '../parse/LocatedDocument.js';
import type { SchemaError } from '../generated/validateSchema.js';
import { placeFinding } from '../registry/placeFindings.js';
import { ruleFor } from '../registry/registry.js';
import { code } from '../shared/show.js';
import { noteOf, toPath, where, type KeywordError, type SchemaMessage, type TranslateContext } from './describe.js';
import { KEYWORDS } from './keywords/index.js';
import { suggestionFor } from './keywords/additionalProperties.js';

/**
 * The one place validator errors become diagnostics: one precise message per mistake, pointing
 * at the offending node, with a "did you mean" hint and a fix where one is certain. Each keyword
 * has its own file in `keywords/`; what a schema node is (a step, a step id, a duration…) and
 * the messages for missing or conflicting keys come from the schema's `x-sopflow` annotations.
 */
export function translateSchemaErrors(errors: readonly SchemaError[], data: unknown, located: LocatedDocument): Diagnostic[] {
  const all: KeywordError[] = withoutBranchErrors(errors).map((error) => ({
    error,
    ...toPath(error.instancePath, data),
    note: noteOf(error),
  }));
  const pathKey = (p: DocPath) => JSON.stringify(p);

  // nodes of the wrong type: that is the one mistake there
  const typed = new Set(all.filter((e) => e.error.keyword === 'type').map((e) => pathKey(e.path)));
  // unknown keys, with what they probably meant, per mapping
  const unknownByObject = new Map<string, (string | undefined)[]>();
  for (const e of all) {
    if (e.error.keyword !== 'additionalProperties') continue;
    const list = unknownByObject.get(pathKey(e.path)) ?? [];
    list.push(suggestionFor(e.note, String(e.error.params.additionalProperty)));
    unknownByObject.set(pathKey(e.path), list);
  }
  const context: TranslateContext = { data, unknownKeys: (path) => unknownByObject.get(pathKey(path)) ?? [] };

  const out: SchemaMessage[] = [];
  for (const e of all) {
    const keyword = e.error.keyword;
    if (keyword === 'if') continue;
    if (keyword !== 'type' && typed.has(pathKey(e.path))) continue;
    // a key's own errors (`propertyName`) are reported through `propertyNames`
    if ((e.error as { propertyName?: string }).propertyName !== undefined && keyword !== 'propertyNames') continue;
    const handler = KEYWORDS[keyword];
    if (handler) out.push(...handler(e, context));
    else
      out.push({
        path: e.path,
        target: 'value',
        message: `${code(e.value)} is not valid here (${e.error.message ?? keyword}) ${where(e.path, data)}`,
      });
  }

  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const m of out) {
    const id = `${pathKey(m.path)}|${m.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    diagnostics.push(placeFinding(ruleFor(m.code ?? 'schema'), m, located));
  }
  return diagnostics;
}

/** Errors inside an anyOf's branches are reported through the anyOf itself. */
function withoutBranchErrors(errors: readonly SchemaError[]): SchemaError[] {
  const anyOfs = new Map<string, string[]>(); // instancePath -> schemaPaths of failed anyOfs there
  for (const e of errors)
    if (e.keyword === 'anyOf') anyOfs.set(e.instancePath, [...(anyOfs.get(e.instancePath) ?? []), `${e.schemaPath}/`]);
  if (anyOfs.size === 0) return [...errors];
  const inBranch = (e: SchemaError) => {
    if (e.keyword === 'anyOf') return false;
    // the anyOf sits at this node or at one of its ancestors
    for (let p = e.instancePath; ; p = p.slice(0, p.lastIndexOf('/'))) {
      if (anyOfs.get(p)?.some((sp) => e.schemaPath.startsWith(sp))) return true;
      if (p === '') return false;
    }
  };
  return errors.filter((e) => !inBranch(e));
}
