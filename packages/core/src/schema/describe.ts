import { suggestReviewPeriod, type DiagnosticCode, type DocPath } from '@sopflow/model';
import { annotations, nodes, type SchemaAnnotation } from '../generated/schemaAnnotations.js';
import type { SchemaError } from '../generated/validateSchema.js';
import type { Finding } from '../registry/defineRule.js';
import { replaceWith } from '../registry/defineRule.js';
import { code, hasOwn, isRecord, show } from '../shared/show.js';
import { KIND_NOUN } from './vocabulary.js';
import { slug } from '../shared/slug.js';

export type { SchemaAnnotation };

/** A schema failure as a finding; one that has a rule of its own (a duration that cannot be read) keeps that rule's code. */
export interface SchemaMessage extends Finding {
  code?: DiagnosticCode;
}

/** One validator error, located in the data, with the annotations of the schema node that failed. */
export interface KeywordError {
  error: SchemaError;
  path: DocPath;
  /** the data at `path` */
  value: unknown;
  /** the `x-sopflow` notes of the schema node whose keyword failed */
  note: SchemaAnnotation | undefined;
}

/** What a keyword's translation may ask about the other errors of the file. */
export interface TranslateContext {
  data: unknown;
  /** the keys suggested for the unknown keys of the mapping at `path` (undefined: no suggestion) */
  unknownKeys: (path: DocPath) => readonly (string | undefined)[];
}

/** Turns one error of its keyword into zero or more messages. One file per keyword in `keywords/`. */
export type KeywordHandler = (error: KeywordError, context: TranslateContext) => SchemaMessage[];

/**
 * The annotations of the schema node an error's keyword sits on. The precompiled validator
 * writes a schemaPath relative to the definition it was compiled in (`#/required` inside the
 * step definition), so the node is found from the data's side: walk the instance path through
 * the schema (properties, items, additionalProperties, $ref), collecting each definition
 * entered, and read the schemaPath against the innermost one where it names a schema node.
 * `then`/`else` branches belong to the node that holds them.
 */
export function noteOf(error: SchemaError): SchemaAnnotation | undefined {
  const owner = ownerOf(error);
  if (owner === undefined) return undefined;
  // an `if`'s `then` / `else` may carry notes of its own (what a list field needs)
  const branch = /\/(then|else)\//.exec(error.schemaPath)?.[1];
  if (branch !== undefined && hasOwn(annotations, `${owner}/${branch}`)) return annotations[`${owner}/${branch}`];
  return hasOwn(annotations, owner) ? annotations[owner] : undefined;
}

function ownerOf(error: SchemaError): string | undefined {
  const bases = ['#'];
  let pointer: string | undefined = '#';
  const enter = () => {
    for (let hops = 0; pointer !== undefined && nodes[pointer]?.ref !== undefined && hops < 16; hops++) {
      pointer = nodes[pointer]!.ref;
      if (pointer !== undefined) bases.push(pointer);
    }
  };
  enter();
  for (const raw of error.instancePath.split('/').slice(1)) {
    const node: (typeof nodes)[string] | undefined = pointer === undefined ? undefined : nodes[pointer];
    if (!node) break;
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    pointer =
      (node.properties && hasOwn(node.properties, segment) ? node.properties[segment] : undefined) ??
      (/^\d+$/.test(segment) ? node.items : undefined) ??
      node.additionalProperties;
    enter();
  }
  let relative = error.schemaPath.slice(1, Math.max(1, error.schemaPath.lastIndexOf('/')));
  if (relative.endsWith('/then') || relative.endsWith('/else')) relative = relative.slice(0, relative.lastIndexOf('/'));
  for (let i = bases.length - 1; i >= 0; i--) {
    const candidate = bases[i] === '#' ? `#${relative}` : `${bases[i]}${relative}`;
    if (hasOwn(nodes, candidate)) return candidate;
  }
  return undefined;
}

/** JSON pointer -> path, with numbers for list indexes (decided by the data). */
export function toPath(pointer: string, data: unknown): { path: DocPath; value: unknown } {
  const path: DocPath = [];
  let value: unknown = data;
  if (pointer === '') return { path, value };
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(value) && /^\d+$/.test(segment)) {
      path.push(Number(segment));
      value = value[Number(segment)];
    } else {
      path.push(segment);
      value = isRecord(value) && hasOwn(value, segment) ? value[segment] : undefined;
    }
  }
  return { path, value };
}

export function valueAt(data: unknown, path: DocPath): unknown {
  let value = data;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === 'number') value = value[segment];
    else if (isRecord(value) && hasOwn(value, String(segment))) value = value[String(segment)];
    else return undefined;
  }
  return value;
}

/** "in step `triage`", "in step 3", "at the top level"… (where the node sits in the document). */
export function where(path: DocPath, data: unknown): string {
  if (path[0] === 'instructions' && typeof path[1] === 'number') {
    const step = valueAt(data, path.slice(0, 2));
    const id = isRecord(step) && typeof step.id === 'string' ? step.id : undefined;
    const name = id !== undefined ? `step ${code(id)}` : `step ${path[1] + 1}`;
    if (path.length >= 4 && path[2] === 'choices' && typeof path[3] === 'number') {
      const inWhen = path[4] === 'when';
      return `${inWhen ? 'in the `when` of ' : 'in '}choice ${path[3] + 1} of ${name}`;
    }
    if (path[2] === 'limit') return `in the \`limit\` of ${name}`;
    return `in ${name}`;
  }
  if (path[0] === 'fields' && path.length >= 2) return `in field ${code(path[1])}`;
  return KIND_NOUN.sop;
}

/**
 * A message template from the schema's annotations, filled in: `{where}` "in step `x`",
 * `{where-}` "step `x`", `{Where}` "Step `x`", `{name}` the mapping's own key (a field's name).
 */
export function fill(template: string, path: DocPath, data: unknown): string {
  return template.replace(/\{(where-?|Where|name)\}/g, (_, slot: string) => {
    if (slot === 'name') return code(path[path.length - 1]);
    const w = where(path, data);
    if (slot === 'where-') return w.replace(/^in /, '');
    if (slot === 'Where') return w.replace(/^in s/, 'S');
    return w;
  });
}

export const ID_RULE = 'letters, digits, `-`, `_` or `.`, starting with a letter or digit (no spaces)';

export { slug };

type ValueKind = NonNullable<SchemaAnnotation['value']>;

/** "write it as `x`", with the fix that does it, when `suggestion` differs from what was written. */
function writeAs(
  path: DocPath,
  value: unknown,
  suggestion: string,
  target: 'value' | 'key' = 'value',
): Pick<SchemaMessage, 'hint' | 'fixes'> {
  if (!suggestion || suggestion === value) return {};
  return { hint: `write it as \`${suggestion}\``, fixes: [replaceWith(path, suggestion, target)] };
}

/** The message for a value (or, with target `key`, a key) that does not match the pattern of its kind. */
export function valueMessage(
  kind: ValueKind | undefined,
  path: DocPath,
  value: unknown,
  target: 'value' | 'key' = 'value',
): Omit<SchemaMessage, 'path'> {
  const key = String(path[path.length - 1]);
  const shown = code(value);
  const text = typeof value === 'string' ? value : undefined;
  switch (kind) {
    case 'stepId':
      return {
        message: `${shown} is not a valid step id: use ${ID_RULE}`,
        ...(text !== undefined ? writeAs(path, text, slug(text), target) : {}),
      };
    case 'sopId':
      return {
        message: `${shown} is not a valid SOP id: use ${ID_RULE}`,
        ...(text !== undefined ? writeAs(path, text, slug(text), target) : {}),
      };
    case 'outcome':
      return {
        message: `${shown} is not a valid outcome name: use ${ID_RULE}${target === 'key' ? '' : ', e.g. `resolved`'}`,
        ...(text !== undefined ? writeAs(path, text, slug(text), target) : {}),
      };
    case 'fieldName':
      return {
        message: `${shown} is not a valid field name: use a letter, then letters, digits or \`_\``,
        ...(text !== undefined ? writeAs(path, text, slug(text, true), target) : {}),
      };
    case 'action':
      return {
        message: `${shown} is not a valid action name: use letters, digits, \`_\`, \`.\`, \`:\`, \`/\` or \`-\` (no spaces), e.g. \`crm.save-notes\``,
      };
    case 'date':
      return { message: `\`${key}\` must be a date written YYYY-MM-DD, got ${shown}`, hint: 'e.g. `review_by: 2027-06-30`' };
    case 'period': {
      const exact = text !== undefined ? suggestReviewPeriod(text) : undefined;
      return {
        message: `cannot read the review cycle ${shown}`,
        ...(exact !== undefined
          ? { hint: `write \`${exact}\``, fixes: [replaceWith(path, exact)] }
          : { hint: 'write e.g. `1y`, `6mo`, `2w`, `90d` or ISO 8601 `P1Y` (a month is `mo`)' }),
      };
    }
    case 'duration':
      return {
        code: 'invalid-duration',
        message: `cannot read the duration ${shown}`,
        hint: 'write e.g. `45s`, `5m`, `2h`, `3d`, `1m30s` or ISO 8601 `PT60S`',
      };
    default:
      return { message: `${shown} is not a valid value for \`${key}\`` };
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  null: 'nothing',
};

/** What a value of this kind (or these JSON types) looks like, for "must be X" messages. */
export function expected(types: string, kind: ValueKind | undefined): string {
  switch (kind) {
    case 'stepId':
      return 'the id of a step';
    case 'sopId':
      return 'the id of an SOP';
    case 'outcome':
      return 'an outcome name such as `resolved`';
    case 'fieldName':
      return 'the name of a field';
    case 'date':
      return 'a date written YYYY-MM-DD';
    case 'duration':
      return 'a duration such as `60s`';
    case 'period':
      return 'a review cycle such as `1y`';
    default:
      return types
        .split(',')
        .map((t) => TYPE_NAMES[t] ?? t)
        .join(' or ');
  }
}

/** "item 2 of `checks`" or "`title`". */
export function nameOf(path: DocPath): string {
  const key = path[path.length - 1];
  return typeof key === 'number' ? `item ${key + 1} of \`${String(path[path.length - 2])}\`` : `\`${String(key)}\``;
}

export { show };
