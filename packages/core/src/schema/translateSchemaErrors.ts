import type { Diagnostic, DiagnosticCode, DocPath } from '@sopflow/model';
import type { LocatedDocument, Target } from '../parse/LocatedDocument.js';
import type { SchemaError } from '../generated/validateSchema.js';
import { closest } from '../shared/didYouMean.js';
import { code, describeValue, hasOwn, isRecord, show } from '../shared/show.js';
import { KEYS, KIND_NOUN, SYNONYMS, TYPE_SYNONYMS, kindAt, type ObjectKind } from './vocabulary.js';

const FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'date'];
const STEP_KIND_KEYS = ['do', 'ask', 'choices', 'use', 'transfer', 'escalate', 'end'];
const OPERATORS = ['equals', 'not_equals', 'in', 'gt', 'gte', 'lt', 'lte', 'set'];

interface Located {
  error: SchemaError;
  path: DocPath;
  /** the data at `path` */
  value: unknown;
}

interface Message {
  path: DocPath;
  target: Target;
  message: string;
  hint?: string | undefined;
  /** a schema failure that has a rule of its own (a duration that cannot be read) keeps that rule's code */
  code?: DiagnosticCode;
}

/** JSON pointer -> path, with numbers for list indexes (decided by the data). */
function toPath(pointer: string, data: unknown): { path: DocPath; value: unknown } {
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

function valueAt(data: unknown, path: DocPath): unknown {
  let value = data;
  for (const segment of path) {
    if (Array.isArray(value) && typeof segment === 'number') value = value[segment];
    else if (isRecord(value) && hasOwn(value, String(segment))) value = value[String(segment)];
    else return undefined;
  }
  return value;
}

/** The key that names the nearest valid one for `key` in a `kind` mapping. */
export function suggestKey(kind: ObjectKind, key: string): string | undefined {
  const synonyms = SYNONYMS[kind];
  if (hasOwn(synonyms, key)) return synonyms[key];
  const lower = key.toLowerCase();
  if (hasOwn(synonyms, lower)) return synonyms[lower];
  return closest(key, KEYS[kind]);
}

/** "in step `triage`", "in step 3", "at the top level"… */
function where(path: DocPath, data: unknown): string {
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

type LeafKind = 'stepId' | 'sopId' | 'outcome' | 'fieldName' | 'action' | 'date' | 'duration' | 'text' | 'other';

/** What a leaf value at `path` is (by the format's shape). */
function leafKind(path: DocPath): LeafKind {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  const inStep = path[0] === 'instructions' && typeof path[1] === 'number';
  if (path.length === 1 && last === 'id') return 'sopId';
  if (path.length === 1 && last === 'review_by') return 'date';
  if (inStep) {
    if (last === 'id' || last === 'next') return 'stepId';
    if (last === 'use') return 'sopId';
    if (last === 'end') return 'outcome';
    if (last === 'after') return 'duration';
    if (last === 'field') return 'fieldName';
    if (parent === 'record') return 'fieldName';
    if (last === 'action' || parent === 'action') return 'action';
    if (parent === 'outcomes') return 'stepId';
  }
  if (typeof last === 'string' && ['title', 'department', 'owner', 'purpose', 'do', 'ask', 'answer', 'transfer', 'escalate', 'role', 'segment', 'note', 'label', 'description'].includes(last)) return 'text';
  return 'other';
}

const ID_RULE = 'letters, digits, `-`, `_` or `.`, starting with a letter or digit (no spaces)';

/** `Check Back!` -> `check-back`: a valid id close to what was written. */
function slug(text: string, underscore = false): string {
  const sep = underscore ? '_' : '-';
  const s = text.trim().toLowerCase().replace(/[^a-z0-9_.-]+/g, sep).replace(new RegExp(`^[^a-z0-9]+|[${sep}]+$`, 'g'), '');
  return underscore ? s.replace(/^[^a-z]+/, '') : s;
}

function patternMessage(path: DocPath, value: unknown): { message: string; hint?: string; code?: DiagnosticCode } {
  const key = String(path[path.length - 1]);
  const shown = code(value);
  const suggest = (s: string) => (s && s !== value ? `write it as \`${s}\`` : undefined);
  switch (leafKind(path)) {
    case 'stepId': {
      const hint = typeof value === 'string' ? suggest(slug(value)) : undefined;
      return { message: `${shown} is not a valid step id: use ${ID_RULE}`, ...(hint ? { hint } : {}) };
    }
    case 'sopId': {
      const hint = typeof value === 'string' ? suggest(slug(value)) : undefined;
      return { message: `${shown} is not a valid SOP id: use ${ID_RULE}`, ...(hint ? { hint } : {}) };
    }
    case 'outcome': {
      const hint = typeof value === 'string' ? suggest(slug(value)) : undefined;
      return { message: `${shown} is not a valid outcome name: use ${ID_RULE}, e.g. \`resolved\``, ...(hint ? { hint } : {}) };
    }
    case 'fieldName': {
      const hint = typeof value === 'string' ? suggest(slug(value, true)) : undefined;
      return { message: `${shown} is not a valid field name: use a letter, then letters, digits or \`_\``, ...(hint ? { hint } : {}) };
    }
    case 'action':
      return { message: `${shown} is not a valid action name: use letters, digits, \`_\`, \`.\`, \`:\`, \`/\` or \`-\` (no spaces), e.g. \`crm.save-notes\`` };
    case 'date':
      return { message: `\`${key}\` must be a date written YYYY-MM-DD, got ${shown}`, hint: 'e.g. `review_by: 2027-06-30`' };
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
  string: 'text', number: 'a number', integer: 'a whole number', boolean: 'true or false', array: 'a list', object: 'a mapping', null: 'nothing',
};

function expected(types: string, path: DocPath): string {
  const kind = leafKind(path);
  if (kind === 'stepId') return 'the id of a step';
  if (kind === 'sopId') return 'the id of an SOP';
  if (kind === 'outcome') return 'an outcome name such as `resolved`';
  if (kind === 'fieldName') return 'the name of a field';
  if (kind === 'date') return 'a date written YYYY-MM-DD';
  if (kind === 'duration') return 'a duration such as `60s`';
  return types.split(',').map((t) => TYPE_NAMES[t] ?? t).join(' or ');
}

function typeMessage(path: DocPath, value: unknown, types: string, data: unknown): { message: string; hint?: string; target?: Target } {
  const key = path[path.length - 1];
  const kind = kindAt(path);
  const got = describeValue(value);
  if (path.length === 0) {
    if (value === null || value === undefined) {
      return { message: 'the file is empty: an SOP needs at least `sopflow: 1`, `id`, `title` and `instructions`' };
    }
    return {
      message: `an SOP file is a mapping of keys (\`sopflow\`, \`id\`, \`title\`, \`instructions\`…), not ${Array.isArray(value) ? 'a list' : got}`,
      ...(Array.isArray(value) ? { hint: 'put the steps under `instructions:`' } : {}),
    };
  }
  if (kind === 'step') {
    const hint = typeof value === 'string' ? `write \`- do: ${show(value, 30)}\`` : undefined;
    return { message: `a step is a mapping of keys such as \`- do: Greet the caller\`, not ${got}`, ...(hint ? { hint } : {}), target: 'value' };
  }
  if (kind === 'choice') return { message: `a choice is a mapping such as \`{ answer: "Yes", next: research }\`, not ${got}` };
  if (kind === 'field') {
    const t = typeof value === 'string' ? (FIELD_TYPES.includes(value) ? value : TYPE_SYNONYMS[value]) : undefined;
    return { message: `field ${code(key)} must be a mapping such as \`{ type: string }\`, not ${got}`, ...(t ? { hint: `write \`${String(key)}: { type: ${t} }\`` } : {}) };
  }
  if (kind === 'condition') return { message: `\`when\` must be a condition such as \`{ field: issue, equals: billing }\`, not ${got}` };
  if (kind === 'limit') return { message: `\`limit\` must be a mapping such as \`{ after: 60s, next: check-back }\`, not ${got}` };
  if (path.length === 1 && key === 'instructions') return { message: `\`instructions\` must be a list of steps (each starting with \`- \`), not ${got}` };
  if (path.length === 2 && path[0] === 'terms') return { message: `the meaning of term ${code(key)} must be text, not ${got}` };
  if (value === null || value === undefined) {
    return { message: `\`${String(key)}\` is empty ${where(path, data)}: write ${expected(types, path)}`, target: 'key' };
  }
  const name = typeof key === 'number' ? `item ${key + 1} of \`${String(path[path.length - 2])}\`` : `\`${String(key)}\``;
  let hint: string | undefined;
  if (leafKind(path) === 'duration' && typeof value === 'number') {
    return { message: `the duration ${show(value)} has no unit: write \`${value}s\` (seconds), \`${value}m\` (minutes)…`, hint: `write \`${value}s\`` };
  }
  const leaf = leafKind(path);
  if (leaf === 'outcome') hint = 'name the outcome, e.g. `end: resolved`';
  else if (leaf === 'stepId' && typeof value === 'number' && Number.isInteger(value)) hint = `steps are named by their id; a step without one is called \`step-${value}\``;
  else if (types.split(',').includes('string') && (typeof value === 'number' || typeof value === 'boolean')) {
    hint = `put it in quotes: \`"${String(value)}"\``;
  }
  if (key === 'choices' && isRecord(value)) {
    const [answer, next] = Object.entries(value)[0] ?? ['Yes', 'step-id'];
    hint = `write each choice as \`- { answer: "${show(answer, 20)}", next: ${show(next, 20)} }\``;
  }
  if (types === 'array' && typeof value === 'string') hint = `write a list: \`[${show(value, 30)}]\``;
  return { message: `${name} must be ${expected(types, path)} ${where(path, data)}, not ${got}`, ...(hint ? { hint } : {}) };
}

const MISSING: Record<string, (path: DocPath, data: unknown) => string> = {
  'sop.sopflow': () => 'missing `sopflow: 1`, the format version, at the top of the file',
  'sop.id': () => 'missing `id`: every SOP needs an id (e.g. `id: inbound-call`) so that others can `use` it',
  'sop.title': () => 'missing `title`: the title people read at the top of the SOP',
  'sop.instructions': () => 'missing `instructions`: the list of steps',
  'choice.next': (p, d) => `a choice needs \`next\`: the step it leads to (${where(p, d)})`,
  'choice.answer': (p, d) => `a choice needs an \`answer\` (picked by the person) or a \`when\` (decided from data) (${where(p, d)})`,
  'limit.after': (p, d) => `a \`limit\` needs \`after\`: how long before it moves on, e.g. \`after: 60s\` (${where(p, d)})`,
  'limit.next': (p, d) => `a \`limit\` needs \`next\`: the step to go to when the time is up (${where(p, d)})`,
  'field.type': (p) => `field ${code(p[1])} needs a \`type\`: string, number, integer, boolean or date`,
  'condition.field': (p, d) => `a \`when\` condition needs \`field\`: the field it tests (${where(p, d)})`,
};

const CONFLICTS: Record<string, Record<string, string>> = {
  ask: {
    do: 'a step cannot both `ask` and `do`: put the task in its own step before the decision',
    use: 'a decision (`ask`) cannot also `use` a sub-procedure: split it into two steps',
    transfer: 'a decision (`ask`) cannot also `transfer`: point one of its choices at a transfer step',
    escalate: 'a decision (`ask`) cannot also `escalate`: point one of its choices at an escalate step',
    next: 'a decision leaves by its choices, not by `next`: give each choice its own `next`',
    end: 'a decision cannot `end` the run: point a choice at a step with `end`',
    outcomes: '`outcomes` belongs to a sub-procedure step (`use`), not to a decision',
  },
  use: {
    transfer: 'a step cannot both `use` a sub-procedure and `transfer`: split it into two steps',
    escalate: 'a step cannot both `use` a sub-procedure and `escalate`: split it into two steps',
  },
  transfer: {
    escalate: 'a step either transfers or escalates, not both: split it into two steps',
  },
  end: {
    next: 'a step that ends the run has no `next`: remove `next`, or remove `end` to go on',
  },
};

/**
 * The one place ajv errors become diagnostics: one precise message per mistake, pointing at
 * the offending node, with a "did you mean" hint for misspelled keys and values.
 */
export function translateSchemaErrors(errors: readonly SchemaError[], data: unknown, located: LocatedDocument): Diagnostic[] {
  // errors inside an anyOf's branches are reported through the anyOf itself
  const anyOfs = new Map<string, string[]>(); // instancePath -> schemaPaths of failed anyOfs there
  for (const e of errors) if (e.keyword === 'anyOf') anyOfs.set(e.instancePath, [...(anyOfs.get(e.instancePath) ?? []), `${e.schemaPath}/`]);
  const inBranch = (e: SchemaError) => {
    if (anyOfs.size === 0 || e.keyword === 'anyOf') return false;
    // the anyOf sits at this node or at one of its ancestors
    for (let p = e.instancePath; ; p = p.slice(0, p.lastIndexOf('/'))) {
      if (anyOfs.get(p)?.some((sp) => e.schemaPath.startsWith(sp))) return true;
      if (p === '') return false;
    }
  };
  const all: Located[] = errors.filter((e) => !inBranch(e)).map((error) => ({ error, ...toPath(error.instancePath, data) }));
  const out: Message[] = [];
  const pathKey = (p: DocPath) => JSON.stringify(p);

  // nodes of the wrong type: that is the one mistake there
  const typed = new Set(all.filter((e) => e.error.keyword === 'type').map((e) => pathKey(e.path)));
  // unknown keys, with what they probably meant, per mapping
  const unknownByObject = new Map<string, (string | undefined)[]>();
  for (const e of all) {
    if (e.error.keyword !== 'additionalProperties') continue;
    const kind = kindAt(e.path);
    const key = String(e.error.params.additionalProperty);
    const list = unknownByObject.get(pathKey(e.path)) ?? [];
    list.push(kind ? suggestKey(kind, key) : undefined);
    unknownByObject.set(pathKey(e.path), list);
  }
  const suggested = (path: DocPath, keys: string[]) => (unknownByObject.get(pathKey(path)) ?? []).some((s) => s !== undefined && keys.includes(s));
  const hasUnknown = (path: DocPath) => (unknownByObject.get(pathKey(path)) ?? []).length > 0;

  for (const e of all) {
    const { error, path, value } = e;
    const kw = error.keyword;
    const sp = error.schemaPath;
    if (kw === 'if') continue;
    if (kw !== 'type' && typed.has(pathKey(path))) continue;
    if ((error as { propertyName?: string }).propertyName !== undefined && kw !== 'propertyNames') continue;

    switch (kw) {
      case 'type': {
        const t = typeMessage(path, value, Array.isArray(error.params.type) ? error.params.type.join(',') : String(error.params.type), data);
        out.push({ path, target: t.target ?? (value === null ? 'key' : 'value'), message: t.message, hint: t.hint });
        break;
      }
      case 'additionalProperties': {
        const key = String(error.params.additionalProperty);
        const kind = kindAt(path);
        const suggestion = kind ? suggestKey(kind, key) : undefined;
        const inObject = isRecord(value) && suggestion !== undefined && hasOwn(value, suggestion);
        let hint = suggestion !== undefined && !inObject ? `did you mean \`${suggestion}\`?` : undefined;
        if (!hint && kind) hint = `${KIND_NOUN[kind]} the keys are: ${KEYS[kind].join(', ')}`;
        out.push({ path: [...path, key], target: 'key', message: `unknown key ${code(key)} ${where([...path, key], data)}`, hint });
        break;
      }
      case 'required': {
        const missing = String(error.params.missingProperty);
        const kind = kindAt(path);
        const dependency = /\/dependencies\/(\w+)\/required$/.exec(sp)?.[1];
        if (dependency === 'ask') {
          out.push({ path: [...path, 'ask'], target: 'key', message: `the decision asks a question but has no \`choices\` (${where(path, data).replace(/^in /, '')})`, hint: 'add `choices:` with an `answer` and `next` for each way out, or use `do` for a task' });
          break;
        }
        if (dependency === 'choices') {
          out.push({ path: [...path, 'choices'], target: 'key', message: `\`choices\` need a question in \`ask\` ${where(path, data)}`, hint: isRecord(value) && hasOwn(value, 'do') ? 'write the question as `ask:` instead of `do:`' : 'add `ask: <the question>`' });
          break;
        }
        if (dependency === 'outcomes') {
          out.push({ path: [...path, 'outcomes'], target: 'key', message: `\`outcomes\` belongs to a sub-procedure step: add \`use: <sop id>\` ${where(path, data)}` });
          break;
        }
        if (suggested(path, [missing])) break; // a misspelled key already says it
        const fn = kind ? MISSING[`${kind}.${missing}`] : undefined;
        const message = fn ? fn(path, data) : `missing \`${missing}\` ${where(path, data)}`;
        out.push({ path, target: 'head', message });
        break;
      }
      case 'anyOf': {
        if (/\/properties\/action\/anyOf$/.test(sp) || path[path.length - 1] === 'action') {
          if (typeof value === 'string') out.push({ path, target: 'value', ...patternMessage(path, value) });
          else if (Array.isArray(value)) {
            value.forEach((item, i) => {
              if (typeof item !== 'string') out.push({ path: [...path, i], target: 'value', message: `item ${i + 1} of \`action\` must be an action name, not ${describeValue(item)}` });
              else if (!/^[A-Za-z0-9_][A-Za-z0-9_.:/-]*$/.test(item)) out.push({ path: [...path, i], target: 'value', ...patternMessage([...path, i], item) });
            });
          } else out.push({ path, target: value === null ? 'key' : 'value', message: `\`action\` must be an action name or a list of them ${where(path, data)}, not ${describeValue(value)}` });
          break;
        }
        if (kindAt(path) === 'step') {
          if (suggested(path, STEP_KIND_KEYS)) break;
          out.push({ path, target: 'head', message: `${where(path, data).replace(/^in s/, 'S')} does nothing: give it \`do\` (a task), \`ask\` + \`choices\` (a decision), \`use\` (a sub-procedure), \`transfer\`, \`escalate\` or \`end\`` });
          break;
        }
        out.push({ path, target: 'value', message: `${code(value)} is not valid here` });
        break;
      }
      case 'not': {
        const trigger = /\/dependencies\/(\w+)\/not$/.exec(sp)?.[1];
        const table = trigger ? CONFLICTS[trigger] : undefined;
        if (table && isRecord(value)) {
          for (const [other, message] of Object.entries(table)) {
            if (hasOwn(value, other)) out.push({ path: [...path, other], target: 'key', message: `${message} (${where(path, data).replace(/^in /, '')})` });
          }
          break;
        }
        out.push({ path, target: 'head', message: `this combination of keys is not allowed ${where(path, data)}` });
        break;
      }
      case 'const':
        out.push({ path, target: 'value', message: `\`sopflow\` must be 1, the format version, not ${describeValue(value)}` });
        break;
      case 'enum': {
        const allowed = (error.params.allowedValues as unknown[]).map(String);
        const text = String(value);
        const hinted = typeof value === 'string' ? (hasOwn(TYPE_SYNONYMS, text.toLowerCase()) ? TYPE_SYNONYMS[text.toLowerCase()] : closest(text, allowed)) : undefined;
        const isType = path[path.length - 1] === 'type';
        out.push({
          path, target: 'value',
          message: `${code(value)} is not ${isType ? 'a field type' : 'allowed here'}: use ${allowed.join(', ')}`,
          hint: hinted ? `did you mean \`${hinted}\`?` : undefined,
        });
        break;
      }
      case 'pattern':
        out.push({ path, target: 'value', ...patternMessage(path, value) });
        break;
      case 'propertyNames': {
        const name = String(error.params.propertyName);
        const container = path[path.length - 1];
        const keyPath = [...path, name];
        if (container === 'fields') {
          const s = slug(name, true);
          out.push({ path: keyPath, target: 'key', message: `${code(name)} is not a valid field name: use a letter, then letters, digits or \`_\``, hint: s && s !== name ? `write it as \`${s}\`` : undefined });
        } else if (container === 'outcomes') {
          const s = slug(name);
          out.push({ path: keyPath, target: 'key', message: `${code(name)} is not a valid outcome name: use ${ID_RULE}`, hint: s && s !== name ? `write it as \`${s}\`` : undefined });
        } else {
          out.push({ path: keyPath, target: 'key', message: 'a term needs a name' });
        }
        break;
      }
      case 'minLength': {
        const key = path[path.length - 1];
        const name = typeof key === 'number' ? `item ${key + 1} of \`${String(path[path.length - 2])}\`` : `\`${String(key)}\``;
        out.push({ path, target: typeof key === 'number' ? 'value' : 'key', message: `${name} is empty ${where(path, data)}` });
        break;
      }
      case 'minItems': {
        const key = path[path.length - 1];
        out.push({
          path, target: 'key',
          message: key === 'instructions' ? '`instructions` is empty: add at least one step' : `\`${String(key)}\` is empty: list at least one value ${where(path, data)}`,
        });
        break;
      }
      case 'minProperties':
        if (kindAt(path) === 'condition') {
          if (hasUnknown(path)) break;
          out.push({ path, target: 'head', message: `this \`when\` condition tests nothing (${where(path, data).replace(/^in the `when` of /, '')}): add one operator: ${OPERATORS.join(', ')}`, hint: 'e.g. `when: { field: issue, equals: billing }`' });
        }
        break;
      case 'maxProperties':
        if (kindAt(path) === 'condition' && isRecord(value)) {
          const ops = Object.keys(value).filter((k) => OPERATORS.includes(k));
          if (ops.length < 2) break; // an unknown key is reported on its own
          out.push({
            path: [...path, ops[1]!], target: 'key',
            message: `a \`when\` condition takes one operator besides \`field\`; found ${ops.map((o) => `\`${o}\``).join(' and ')} (${where(path, data).replace(/^in the `when` of /, '')})`,
            hint: 'use `in: [a, b]` for several values, or split it into several choices',
          });
        }
        break;
      default:
        out.push({ path, target: 'value', message: `${code(value)} is not valid here (${error.message ?? kw}) ${where(path, data)}` });
    }
  }

  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const m of out) {
    const id = `${pathKey(m.path)}|${m.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    diagnostics.push(located.diagnostic({ code: m.code ?? 'schema', severity: 'error', message: m.message, path: m.path, target: m.target, hint: m.hint }));
  }
  return diagnostics;
}
