import { checkFieldValue, type FieldValue } from '@sopflow/model';
import type { CompiledProcedure, CompiledSop, StepMeta } from '@sopflow/compiler';
import { JOURNAL_ENTRY_TYPES, type JournalEntry } from '../journal.js';
import { RunError } from '../RunError.js';
import type { Data, Frame, RunState } from '../types.js';
import { isUsableTime, toIso } from '../engine/time.js';
import { deriveState } from './deriveState.js';
import { SNAPSHOT_FORMAT, type RunSnapshot } from './RunSnapshot.js';

const ENTRY_TYPES: ReadonlySet<string> = new Set(JOURNAL_ENTRY_TYPES);
/** the entries that say where in the run they happened (every type but the run-wide ones) */
const RUN_WIDE_ENTRIES: ReadonlySet<string> = new Set(['migrated', 'run-ended', 'run-cancelled']);
const STEP_ENTRIES: ReadonlySet<string> = new Set(JOURNAL_ENTRY_TYPES.filter((type) => !RUN_WIDE_ENTRIES.has(type)));
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown): boolean => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
/** A recorded value: one value, or a list field's list of them. */
const isValue = (v: unknown): v is FieldValue => isScalar(v) || (Array.isArray(v) && v.every(isScalar));
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

const SNAPSHOT_KEYS = new Set(['sopflow', 'format', 'id', 'sop', 'revision', 'meta', 'seal', 'state', 'journal']);
const SOP_KEYS = new Set(['id', 'version', 'hash']);
const STATE_KEYS = new Set(['status', 'outcome', 'stack', 'startedAt', 'seq']);
const FRAME_KEYS = new Set(['sop', 'step', 'since', 'data']);
const ENTRY_KEYS = new Set([
  'type',
  'at',
  'ms',
  'step',
  'sop',
  'kind',
  'segment',
  'path',
  'answer',
  'when',
  'data',
  'after',
  'deadline',
  'signal',
  'procedure',
  'outcome',
  'by',
  'action',
  'ref',
  'error',
  'from',
  'to',
  'reason',
  'target',
  'met',
]);

/** Refuses keys the format does not have (`__proto__` and the like included). */
function onlyKeys(value: Record<string, unknown>, keys: ReadonlySet<string>, where: string): void {
  const extra = Object.keys(value).find((k) => !keys.has(k));
  if (extra !== undefined) invalid(`${where} has a key the format does not have: ${JSON.stringify(extra)}`);
}

function invalid(message: string): never {
  throw new RunError('invalid-snapshot', `the snapshot cannot be restored: ${message}`);
}

/**
 * Checks that a value is a snapshot this runtime wrote and that nobody edited it into
 * something else: its shape, its journal (every entry well-formed, timestamps agreeing), and
 * its state, which must be exactly what its journal leads to. Says nothing yet about the SOP
 * it runs (see `checkFitsSop`). Throws `RunError('invalid-snapshot')` naming the first problem.
 */
export function checkSnapshotShape(value: unknown): RunSnapshot {
  if (!isObject(value) || value.sopflow !== 'run') invalid('it was not made by persist() (no `sopflow: "run"`)');
  onlyKeys(value, SNAPSHOT_KEYS, 'the snapshot');
  if (value.format !== SNAPSHOT_FORMAT) {
    invalid(
      typeof value.format === 'number' && value.format < SNAPSHOT_FORMAT
        ? `it has format ${value.format}, made by an earlier sopflow whose runs this version cannot continue`
        : `it has format ${JSON.stringify(value.format)}; this sopflow reads format ${SNAPSHOT_FORMAT}`,
    );
  }
  if (!isNonEmptyString(value.id) || value.id.length > 256) invalid('`id` is not a run id');
  const sop = value.sop;
  if (
    !isObject(sop) ||
    !isNonEmptyString(sop.id) ||
    !isNonEmptyString(sop.hash) ||
    (sop.version !== undefined && typeof sop.version !== 'string')
  ) {
    invalid('`sop` must be { id, version?, hash }');
  }
  onlyKeys(sop, SOP_KEYS, '`sop`');
  if (!Number.isSafeInteger(value.revision) || (value.revision as number) < 0) invalid('`revision` is not a count');
  if (value.seal !== undefined && typeof value.seal !== 'string') invalid('`seal` is not a string');
  if (!Array.isArray(value.journal)) invalid('`journal` is not a list');
  const state = checkStateShape(value.state);
  value.journal.forEach((e, i) => checkEntry(e, i, state.startedAt));
  const journal = value.journal as JournalEntry[];
  if (state.seq !== journal.length) invalid(`the state counts ${state.seq} journal entries, the journal has ${journal.length}`);
  const derived = deriveState(journal, state.startedAt);
  if (typeof derived === 'string') invalid(derived);
  const difference = compareStates(state, derived);
  if (difference) invalid(`${difference}, which its journal does not lead to`);
  return value as unknown as RunSnapshot;
}

function checkStateShape(value: unknown): RunState {
  if (!isObject(value)) invalid('`state` is not an object');
  onlyKeys(value, STATE_KEYS, '`state`');
  if (value.status !== 'active' && value.status !== 'done' && value.status !== 'cancelled')
    invalid('`state.status` is not active, done or cancelled');
  if (value.status === 'done' ? typeof value.outcome !== 'string' : value.outcome !== undefined)
    invalid('`state.outcome` is set exactly when the run is done');
  if (!isUsableTime(value.startedAt)) invalid('`state.startedAt` is not a time');
  if (!Number.isSafeInteger(value.seq) || (value.seq as number) < 0) invalid('`state.seq` is not a count');
  if (!Array.isArray(value.stack) || value.stack.length === 0) invalid('`state.stack` has no level');
  value.stack.forEach((f, level) => {
    if (!isObject(f) || !isNonEmptyString(f.sop) || typeof f.step !== 'string' || !isUsableTime(f.since) || !isObject(f.data)) {
      invalid(`level ${level} of the stack must be { sop, step, since, data }`);
    }
    onlyKeys(f, FRAME_KEYS, `level ${level} of the stack`);
    for (const [name, v] of Object.entries(f.data))
      if (!isValue(v)) invalid(`level ${level}: "${name}" holds ${JSON.stringify(v) ?? String(v)}, not a field value`);
  });
  return value as unknown as RunState;
}

function checkEntry(e: unknown, i: number, startedAt: number): void {
  const where = `journal entry ${i}`;
  if (!isObject(e) || typeof e.type !== 'string' || !ENTRY_TYPES.has(e.type)) invalid(`${where} is not a journal entry`);
  onlyKeys(e, ENTRY_KEYS, where);
  if (e.when !== undefined && !isObject(e.when)) invalid(`${where} has a malformed when`);
  for (const key of ['from', 'to'] as const) {
    const b = e[key];
    if (
      b !== undefined &&
      !(
        isObject(b) &&
        isNonEmptyString(b.hash) &&
        (b.version === undefined || typeof b.version === 'string') &&
        Object.keys(b).every((k) => k === 'hash' || k === 'version')
      )
    ) {
      invalid(`${where}: \`${key}\` must be { version?, hash }`);
    }
  }
  if (typeof e.ms !== 'number' || !Number.isFinite(e.ms) || e.ms < 0 || !isUsableTime(startedAt + e.ms))
    invalid(`${where} has no valid \`ms\``);
  if (e.at !== toIso(startedAt + e.ms))
    invalid(`${where} is stamped ${JSON.stringify(e.at)}, which is not ${e.ms} ms after the run started`);
  if (STEP_ENTRIES.has(e.type) && (!isNonEmptyString(e.step) || !isNonEmptyString(e.sop)))
    invalid(`${where} (${e.type}) names no step or SOP`);
  if (e.path !== undefined && !(Array.isArray(e.path) && e.path.length > 0 && e.path.every(isNonEmptyString)))
    invalid(`${where} has a malformed path`);
  if (e.data !== undefined && !(isObject(e.data) && Object.values(e.data).every(isValue))) invalid(`${where} has malformed data`);
  for (const key of [
    'answer',
    'after',
    'deadline',
    'signal',
    'procedure',
    'outcome',
    'by',
    'action',
    'error',
    'reason',
    'kind',
    'segment',
    'target',
  ] as const) {
    if (e[key] !== undefined && typeof e[key] !== 'string') invalid(`${where}: \`${key}\` is not a string`);
  }
  if ((e.target === undefined) !== (e.met === undefined) || (e.met !== undefined && typeof e.met !== 'boolean'))
    invalid(`${where}: \`target\` and \`met\` (true or false) go together`);
  if (e.target !== undefined && e.type !== 'step-left' && e.type !== 'run-ended' && e.type !== 'procedure-ended')
    invalid(`${where} (${e.type}) cannot measure a time target`);
  if ((e.type === 'run-ended' || e.type === 'procedure-ended') && typeof e.outcome !== 'string') invalid(`${where} has no outcome`);
  if (e.type === 'procedure-started' && !isNonEmptyString(e.procedure)) invalid(`${where} names no procedure`);
  if (
    (e.type === 'action-done' || e.type === 'action-failed') &&
    (!Number.isSafeInteger(e.ref) || (e.ref as number) < 0 || (e.ref as number) >= i)
  ) {
    invalid(`${where} answers no earlier action-requested entry`);
  }
}

export function compareStates(state: RunState, derived: RunState): string | undefined {
  if (state.status !== derived.status) return `its state says the run is ${state.status}`;
  if (state.outcome !== derived.outcome) return `its state says the outcome is ${JSON.stringify(state.outcome)}`;
  if (state.stack.length !== derived.stack.length) return `its state has ${state.stack.length} levels`;
  for (let level = 0; level < state.stack.length; level++) {
    const a = state.stack[level]!;
    const b = derived.stack[level]!;
    if (a.sop !== b.sop || a.step !== b.step) return `its state is at step "${a.step}" of "${a.sop}" on level ${level}`;
    if (Math.abs(a.since - b.since) > 0.001) return `its state says step "${a.step}" was entered at ${toIso(a.since)}`;
    if (!sameData(a.data, b.data)) return `its state holds other data on level ${level}`;
  }
  return undefined;
}

function sameData(a: Data, b: Data): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue(a[k], b[k]));
}

function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (Array.isArray(a) || Array.isArray(b))
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

/**
 * What keeps a run's state from running on this SOP build: a level's SOP or step the build
 * does not have, a level that is not below a `use:` step of that SOP, data in a field it does
 * not declare or of another type. Empty when the state fits.
 */
export function misfits(sop: CompiledSop, state: RunState): string[] {
  const problems: string[] = [];
  let parent: StepMeta | undefined;
  state.stack.forEach((frame: Frame, level) => {
    const procedure: CompiledProcedure | undefined = level === 0 ? (frame.sop === sop.id ? sop : undefined) : sop.procedures.get(frame.sop);
    if (!procedure) {
      problems.push(`level ${level} runs SOP "${frame.sop}", which this build does not run`);
      parent = undefined;
      return;
    }
    if (level > 0 && parent && parent.use !== frame.sop)
      problems.push(`step "${parent.id}" runs "${parent.use}" in this build, not "${frame.sop}"`);
    const meta = procedure.steps.get(frame.step);
    if (!meta) {
      problems.push(`step "${frame.step}" of "${frame.sop}" does not exist in this build`);
      parent = undefined;
      return;
    }
    const last = level === state.stack.length - 1;
    if (!last && meta.kind !== 'subprocedure')
      problems.push(`step "${frame.step}" of "${frame.sop}" is a ${meta.kind} in this build, not a sub-procedure`);
    if (last && state.status === 'active' && (meta.kind === 'subprocedure' || meta.kind === 'end')) {
      problems.push(
        `step "${frame.step}" of "${frame.sop}" is a ${meta.kind === 'end' ? 'bare end' : 'sub-procedure'} in this build; the run waits there`,
      );
    }
    for (const [name, value] of Object.entries(frame.data)) {
      const field = procedure.fields.get(name);
      if (!field) {
        problems.push(`field "${name}" (recorded in "${frame.sop}") is not declared in this build`);
        continue;
      }
      const problem = checkFieldValue(field, value);
      if (problem) problems.push(`field "${name}" of "${frame.sop}": ${problem}`);
    }
    parent = meta;
  });
  if (state.status === 'done' && state.stack.length !== 1) problems.push('a finished run is on one level');
  return problems;
}
