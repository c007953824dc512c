import { RunError } from '../RunError.js';
import type { Actor, Move } from '../types.js';

const KINDS = ['complete', 'choose', 'record', 'signal'] as const;
const ALLOWED = new Set<string>([...KINDS, 'data', 'step', 'by']);

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Checks a move that came from outside (an HTTP body, a script, a message) and returns it
 * typed. Throws `RunError('invalid-move')` saying what is wrong: not an object, not exactly one
 * of complete / choose / record / signal, an unknown key, a value of the wrong type.
 */
export function parseMove(value: unknown): Move {
  if (!isObject(value))
    throw new RunError(
      'invalid-move',
      `a move is an object such as { "complete": true }, { "choose": "Yes" }, { "record": { … } } or { "signal": "name" }; got ${describe(value)}`,
    );
  // one pass over the keys (a move is made for every click: no arrays on the way)
  let kind: (typeof KINDS)[number] | undefined;
  let kinds = 0;
  for (const k in value) {
    if (!Object.prototype.hasOwnProperty.call(value, k)) continue;
    if (!ALLOWED.has(k))
      throw new RunError('invalid-move', `unknown key ${JSON.stringify(k)} in a move (complete, choose, record, signal, data, step, by)`);
    if ((k === 'complete' || k === 'choose' || k === 'record' || k === 'signal') && value[k] !== undefined) {
      kind = k;
      kinds++;
    }
  }
  if (kinds !== 1) {
    throw new RunError(
      'invalid-move',
      kinds === 0
        ? 'a move needs one of complete, choose, record or signal'
        : `a move is one of complete, choose, record or signal, not ${KINDS.filter((k) => value[k] !== undefined).join(' and ')}`,
    );
  }
  if (kind === undefined) throw new RunError('invalid-move', 'a move needs one of complete, choose, record or signal');
  if (kind === 'complete' && value.complete !== true) throw new RunError('invalid-move', '"complete" takes true');
  if (kind === 'choose' && typeof value.choose !== 'string')
    throw new RunError('invalid-move', `"choose" takes the answer's text, got ${describe(value.choose)}`);
  if (kind === 'record' && !isObject(value.record))
    throw new RunError('invalid-move', `"record" takes an object of field values, got ${describe(value.record)}`);
  if (kind === 'signal' && (typeof value.signal !== 'string' || value.signal === ''))
    throw new RunError('invalid-move', `"signal" takes the signal's name, got ${describe(value.signal)}`);
  if (value.data !== undefined && (kind !== 'signal' || !isObject(value.data))) {
    throw new RunError(
      'invalid-move',
      kind === 'signal'
        ? `"data" takes an object of field values, got ${describe(value.data)}`
        : '"data" goes with a signal; record data with { "record": { … } }',
    );
  }
  if (value.step !== undefined && typeof value.step !== 'string')
    throw new RunError('invalid-move', `"step" takes a step id, got ${describe(value.step)}`);
  if (value.by !== undefined) parseActor(value.by);
  return value as unknown as Move;
}

/** Checks an actor: an id, or `{ id, roles? }`. */
export function parseActor(value: unknown): Actor {
  if (typeof value === 'string' && value !== '') return { id: value };
  if (
    isObject(value) &&
    typeof value.id === 'string' &&
    value.id !== '' &&
    (value.roles === undefined || (Array.isArray(value.roles) && value.roles.every((r) => typeof r === 'string')))
  ) {
    return value.roles === undefined ? { id: value.id } : { id: value.id, roles: [...value.roles] };
  }
  throw new RunError('invalid-move', `"by" takes who makes the move: an id, or { "id": …, "roles": [ … ] }; got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'a list' : typeof value;
}
