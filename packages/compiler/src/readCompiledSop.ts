import { MAX_DURATION_MS, own, procedureGraph, type FieldDef, type FieldValue, type StepKind } from '@sopflow/model';
import { hashJson } from './hashConfig.js';
import { isTrustedCompiled } from './trustCompiled.js';
import { CONFIG_FORMAT, CompileError, type SopMachineConfig, type StepMeta } from './types.js';

/** One SOP of a compiled config (the root or a procedure), indexed for running it. */
export interface CompiledProcedure {
  id: string;
  title: string;
  version?: string;
  hash: string;
  /** the first step's id */
  start: string;
  /** every step by id (a Map: any id is safe, `constructor` and `__proto__` included) */
  steps: ReadonlyMap<string, StepMeta>;
  fields: ReadonlyMap<string, FieldDef>;
  outcomes: readonly string[];
  /** the named actions of this SOP's own steps */
  actions: readonly string[];
  /** conduct that holds for the whole SOP */
  rules: readonly string[];
  /** a time goal for a whole run of this SOP */
  target?: { after: string; ms: number };
}

/** A compiled config, checked and indexed: what `@sopflow/runtime` and the hosts run. */
export interface CompiledSop extends CompiledProcedure {
  config: SopMachineConfig;
  /** every procedure run at any depth, by SOP id */
  procedures: ReadonlyMap<string, CompiledProcedure>;
  /** every named action of the SOP and its procedures (sorted) */
  allActions: readonly string[];
}

const KINDS: ReadonlySet<StepKind> = new Set(['task', 'decision', 'subprocedure', 'handoff', 'wait', 'end']);
const SCALAR_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'date']);
const FIELD_TYPES = new Set([...SCALAR_TYPES, 'list']);
const CONDITION_OPS = ['equals', 'not_equals', 'in', 'contains', 'gt', 'gte', 'lt', 'lte', 'set'];

/** A time goal as compiled: `{ after, ms }` with ms in range. */
const isTarget = (t: unknown): t is { after: string; ms: number } =>
  !!t &&
  typeof t === 'object' &&
  typeof (t as { after?: unknown }).after === 'string' &&
  Number.isSafeInteger((t as { ms?: unknown }).ms) &&
  (t as { ms: number }).ms > 0 &&
  (t as { ms: number }).ms <= MAX_DURATION_MS;

const cache = new WeakMap<object, CompiledSop>();

/**
 * Checks a compiled config (from `toMachineConfig`, usually parsed from JSON that came from
 * outside) and indexes it. Throws `CompileError` naming the first problem: not a config, a
 * format this version does not read, a config edited after it was compiled (its content hash
 * no longer matches), or a structure that cannot run (a step leading nowhere, a missing
 * procedure, a time limit out of range). Cached per config object.
 */
export function readCompiledSop(config: unknown): CompiledSop {
  if (config && typeof config === 'object') {
    const cached = cache.get(config);
    if (cached) return cached;
  }
  const root = asConfig(config, 'the config');
  const meta = root.meta.sopflow;
  const trusted = isTrustedCompiled(root);
  const procedures = new Map<string, CompiledProcedure>();
  const rawProcedures = meta.procedures;
  if (rawProcedures !== undefined) {
    if (!isObject(rawProcedures)) fail('meta.sopflow.procedures is not an object');
    for (const [id, child] of Object.entries(rawProcedures)) {
      const c = asConfig(child, `procedure "${id}"`);
      if (!trusted) checkHash(c, `procedure "${id}"`);
      if (c.meta.sopflow.id !== id) fail(`procedure "${id}" is compiled as "${c.meta.sopflow.id}"`);
      procedures.set(id, readProcedure(c, `procedure "${id}"`));
    }
  }
  if (!trusted) checkHash(root, 'the config');
  const top = readProcedure(root, `SOP "${meta.id}"`);
  // every `use:` names a procedure of the config, and none runs itself
  const all = [top, ...procedures.values()];
  for (const p of all) {
    for (const step of p.steps.values()) {
      if (step.kind === 'subprocedure' && !procedures.has(step.use!))
        fail(`step "${step.id}" of "${p.id}" uses procedure "${step.use}", which the config does not hold`);
    }
  }
  checkNoCycle(top, procedures);
  if (!isStringArray(meta.actions)) fail('meta.sopflow.actions is not a list of names');
  const allActions = new Set<string>();
  for (const p of all) for (const a of p.actions) allActions.add(a);
  for (const a of allActions) if (!meta.actions.includes(a)) fail(`action "${a}" is missing from meta.sopflow.actions`);
  const compiled: CompiledSop = { ...top, config: root, procedures, allActions: [...allActions].sort() };
  cache.set(root, compiled);
  return compiled;
}

function fail(message: string): never {
  throw new CompileError(`not a runnable compiled SOP: ${message}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const isStringMap = (v: unknown): v is Record<string, string> => isObject(v) && Object.values(v).every((x) => typeof x === 'string');

function asConfig(value: unknown, what: string): SopMachineConfig {
  if (!isObject(value) || !isObject(value.meta) || !isObject(value.meta.sopflow) || !isObject(value.states)) {
    fail(`${what} is not a config made by toMachineConfig (it needs meta.sopflow and states)`);
  }
  const meta = value.meta.sopflow;
  if (meta.format !== CONFIG_FORMAT) {
    fail(`${what} has format ${JSON.stringify(meta.format)}, this sopflow reads format ${CONFIG_FORMAT}: compile the SOP again`);
  }
  for (const key of ['id', 'title', 'hash', 'start'])
    if (typeof meta[key] !== 'string') fail(`${what}: meta.sopflow.${key} is not a string`);
  if (meta.version !== undefined && typeof meta.version !== 'string') fail(`${what}: meta.sopflow.version is not a string`);
  return value as unknown as SopMachineConfig;
}

function checkHash(config: SopMachineConfig, what: string): void {
  const meta = config.meta.sopflow;
  // the hash is of the config with `hash` itself empty (key order kept: JSON.stringify follows it)
  const copy = { ...config, meta: { ...config.meta, sopflow: { ...meta, hash: '' } } };
  if (hashJson(copy) !== meta.hash) {
    fail(`${what} was changed after it was compiled (its content no longer matches hash ${meta.hash}): compile the SOP again`);
  }
}

function readProcedure(config: SopMachineConfig, what: string): CompiledProcedure {
  const meta = config.meta.sopflow;
  const fields = readFields(meta.fields, what);
  const steps = new Map<string, StepMeta>();
  for (const [key, state] of Object.entries(config.states)) {
    if (!isObject(state) || !isObject(state.meta)) fail(`${what}: state "${key}" has no meta`);
    const step = state.meta.step;
    if (step === undefined) continue;
    if (!isObject(step)) fail(`${what}: state "${key}" has a malformed meta.step`);
    const m = step as unknown as StepMeta;
    if (typeof m.id !== 'string' || m.id === '') fail(`${what}: state "${key}" has no step id`);
    if (!steps.has(m.id)) steps.set(m.id, m);
  }
  const at = (id: string) => `${what}, step "${id}"`;
  const exists = (from: string, to: unknown, role: string) => {
    if (typeof to !== 'string' || !steps.has(to)) fail(`${at(from)}: ${role} ${JSON.stringify(to)} is not a step`);
  };
  const actions = new Set<string>();
  for (const m of steps.values()) {
    if (!KINDS.has(m.kind)) fail(`${at(m.id)}: unknown kind ${JSON.stringify(m.kind)}`);
    if (typeof m.text !== 'string') fail(`${at(m.id)}: text is not a string`);
    for (const key of ['checks', 'record', 'required', 'actions'] as const) {
      if (!isStringArray(m[key])) fail(`${at(m.id)}: ${key} is not a list of strings`);
    }
    for (const f of [...m.record, ...m.required]) if (!fields.has(f)) fail(`${at(m.id)}: field "${f}" is not declared`);
    for (const a of m.actions) actions.add(a);
    for (const key of ['role', 'segment', 'note', 'end'] as const) {
      if (m[key] !== undefined && typeof m[key] !== 'string') fail(`${at(m.id)}: ${key} is not a string`);
    }
    if (m.next !== undefined) exists(m.id, m.next, 'next');
    if (m.target !== undefined && !isTarget(m.target))
      fail(`${at(m.id)}: the time target is malformed or out of range (1 ms to ${MAX_DURATION_MS} ms)`);
    if (m.limit !== undefined) {
      const l = m.limit;
      if (!isObject(l) || typeof l.after !== 'string' || !Number.isSafeInteger(l.ms) || l.ms <= 0 || l.ms > MAX_DURATION_MS) {
        fail(`${at(m.id)}: the time limit is malformed or out of range (1 ms to ${MAX_DURATION_MS} ms)`);
      }
      exists(m.id, l.next, 'limit.next');
    }
    switch (m.kind) {
      case 'decision':
        if (!Array.isArray(m.choices)) fail(`${at(m.id)}: a decision without choices`);
        for (const c of m.choices) {
          if (!isObject(c) || (c.answer !== undefined && typeof c.answer !== 'string')) fail(`${at(m.id)}: a malformed choice`);
          if (c.answer === undefined && c.when === undefined) fail(`${at(m.id)}: a choice with neither answer nor when`);
          if (c.when !== undefined) checkCondition(c.when, fields, at(m.id));
          exists(m.id, c.next, 'a choice leads to');
        }
        break;
      case 'subprocedure':
        if (typeof m.use !== 'string' || m.use === '') fail(`${at(m.id)}: a sub-procedure step without use`);
        if (!isStringMap(m.outcomes)) fail(`${at(m.id)}: outcomes is not a map of steps`);
        for (const to of Object.values(m.outcomes)) exists(m.id, to, 'an outcome leads to');
        if (m.with !== undefined && !isStringMap(m.with)) fail(`${at(m.id)}: with is not a map of fields`);
        if (m.returns !== undefined && !isStringMap(m.returns)) fail(`${at(m.id)}: returns is not a map of fields`);
        for (const f of Object.values(m.with ?? {}))
          if (!fields.has(f)) fail(`${at(m.id)}: with names field "${f}", which is not declared`);
        for (const f of Object.keys(m.returns ?? {}))
          if (!fields.has(f)) fail(`${at(m.id)}: returns names field "${f}", which is not declared`);
        if (m.next === undefined && m.end === undefined) fail(`${at(m.id)}: no way on after the sub-procedure`);
        break;
      case 'end':
        if (m.end === undefined) fail(`${at(m.id)}: an end step without an outcome`);
        break;
      case 'wait':
        if (typeof m.until !== 'string' || m.until === '') fail(`${at(m.id)}: a waiting step without until`);
        if (m.next === undefined && m.end === undefined) fail(`${at(m.id)}: no way on after the wait`);
        break;
      default:
        if (m.next === undefined && m.end === undefined) fail(`${at(m.id)}: no way on after the step`);
    }
  }
  if (!steps.has(meta.start)) fail(`${what}: the first step "${meta.start}" is not a step`);
  if (!isStringArray(meta.outcomes)) fail(`${what}: meta.sopflow.outcomes is not a list`);
  if (!isStringArray(meta.actions)) fail(`${what}: meta.sopflow.actions is not a list`);
  if (meta.rules !== undefined && !isStringArray(meta.rules)) fail(`${what}: meta.sopflow.rules is not a list of texts`);
  if (meta.target !== undefined && !isTarget(meta.target)) fail(`${what}: meta.sopflow.target is malformed or out of range`);
  return {
    id: meta.id,
    title: meta.title,
    ...(meta.version !== undefined ? { version: meta.version } : {}),
    hash: meta.hash,
    start: meta.start,
    steps,
    fields,
    outcomes: meta.outcomes,
    actions: [...actions].sort(),
    rules: meta.rules ?? [],
    ...(meta.target !== undefined ? { target: meta.target } : {}),
  };
}

function readFields(raw: unknown, what: string): Map<string, FieldDef> {
  if (!isObject(raw)) fail(`${what}: meta.sopflow.fields is not an object`);
  const fields = new Map<string, FieldDef>();
  for (const [name, def] of Object.entries(raw)) {
    if (!isObject(def) || !FIELD_TYPES.has(def.type as string)) fail(`${what}: field "${name}" has no known type`);
    if (def.enum !== undefined && !(Array.isArray(def.enum) && def.enum.every(isScalar)))
      fail(`${what}: field "${name}" has a malformed enum`);
    for (const key of ['minimum', 'maximum'])
      if (def[key] !== undefined && typeof def[key] !== 'number') fail(`${what}: field "${name}": ${key} is not a number`);
    if (def.type === 'list') {
      const items = def.items;
      if (!isObject(items) || !SCALAR_TYPES.has(items.type as string)) fail(`${what}: list field "${name}" has no known item type`);
      if (items.enum !== undefined && !(Array.isArray(items.enum) && items.enum.every(isScalar)))
        fail(`${what}: list field "${name}" has a malformed items.enum`);
      for (const key of ['minimum', 'maximum'])
        if (items[key] !== undefined && typeof items[key] !== 'number') fail(`${what}: list field "${name}": items.${key} is not a number`);
    }
    fields.set(name, def as unknown as FieldDef);
  }
  return fields;
}

const isScalar = (v: unknown): v is FieldValue =>
  typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

function checkCondition(when: unknown, fields: ReadonlyMap<string, FieldDef>, at: string): void {
  if (!isObject(when) || typeof when.field !== 'string') fail(`${at}: a malformed when`);
  if (!fields.has(when.field)) fail(`${at}: when tests field "${when.field}", which is not declared`);
  const ops = Object.keys(when).filter((k) => k !== 'field');
  if (ops.length !== 1 || !CONDITION_OPS.includes(ops[0]!)) fail(`${at}: a when needs exactly one operator (${CONDITION_OPS.join(', ')})`);
  const v = own(when, ops[0]!);
  const ok =
    ops[0] === 'in'
      ? Array.isArray(v) && v.every(isScalar)
      : ops[0] === 'set'
        ? typeof v === 'boolean'
        : ['gt', 'gte', 'lt', 'lte'].includes(ops[0]!)
          ? typeof v === 'number'
          : isScalar(v);
  if (!ok) fail(`${at}: when ${ops[0]} has a malformed value`);
}

function checkNoCycle(top: CompiledProcedure, procedures: ReadonlyMap<string, CompiledProcedure>): void {
  const usesOf = (p: CompiledProcedure) => [...p.steps.values()].filter((s) => s.kind === 'subprocedure').map((s) => s.use!);
  const calls = procedureGraph([{ id: top.id, uses: usesOf(top) }, ...[...procedures].map(([id, p]) => ({ id, uses: usesOf(p) }))]);
  for (const id of [top.id, ...calls.closure(top.id, { known: true })]) {
    if (!calls.inCycle(id)) continue;
    const loop = calls
      .usesOf(id)
      .map((to) => calls.loopThrough(id, to))
      .find((l) => l !== undefined) ?? [id, id];
    fail(`procedure "${id}" runs itself (${loop.join(' -> ')})`);
  }
}
