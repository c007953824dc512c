import type { Step } from './sop.js';

/** Every key a step can have, each holding the step's value or undefined. */
export type StepValues = { [K in keyof Required<Step>]: Step[K] };

/**
 * A step's values in an object of one shape, read in one pass over the step's keys. Steps read
 * from YAML come in as many shapes as there are sets and orders of keys, so each named read of
 * one (`step.ask`, `step.next`…, some twenty per step to build its graph node) is a megamorphic
 * lookup, and with that many shapes V8's lookup cache misses. A plain object (what YAML and
 * JSON give) is read by `for…in`, which visits only the keys it has; any other object (a class
 * instance, a proxy) by name, as before.
 */
export function readStep(step: Step): StepValues {
  const v: StepValues = {
    id: undefined,
    do: undefined,
    ask: undefined,
    choices: undefined,
    use: undefined,
    outcomes: undefined,
    transfer: undefined,
    escalate: undefined,
    end: undefined,
    next: undefined,
    role: undefined,
    segment: undefined,
    checks: undefined,
    record: undefined,
    action: undefined,
    limit: undefined,
    note: undefined,
    wait: undefined,
    until: undefined,
    with: undefined,
    returns: undefined,
    target: undefined,
  };
  const proto: unknown = Object.getPrototypeOf(step);
  if (proto !== Object.prototype && proto !== null) {
    for (const key of Object.keys(v) as (keyof Step)[]) (v as Record<string, unknown>)[key] = step[key];
    return v;
  }
  for (const key in step) {
    const value = (step as Record<string, unknown>)[key];
    switch (key) {
      case 'id':
        v.id = value as Step['id'];
        break;
      case 'do':
        v.do = value as Step['do'];
        break;
      case 'ask':
        v.ask = value as Step['ask'];
        break;
      case 'choices':
        v.choices = value as Step['choices'];
        break;
      case 'use':
        v.use = value as Step['use'];
        break;
      case 'outcomes':
        v.outcomes = value as Step['outcomes'];
        break;
      case 'transfer':
        v.transfer = value as Step['transfer'];
        break;
      case 'escalate':
        v.escalate = value as Step['escalate'];
        break;
      case 'end':
        v.end = value as Step['end'];
        break;
      case 'next':
        v.next = value as Step['next'];
        break;
      case 'role':
        v.role = value as Step['role'];
        break;
      case 'segment':
        v.segment = value as Step['segment'];
        break;
      case 'checks':
        v.checks = value as Step['checks'];
        break;
      case 'record':
        v.record = value as Step['record'];
        break;
      case 'action':
        v.action = value as Step['action'];
        break;
      case 'limit':
        v.limit = value as Step['limit'];
        break;
      case 'note':
        v.note = value as Step['note'];
        break;
      case 'wait':
        v.wait = value as Step['wait'];
        break;
      case 'until':
        v.until = value as Step['until'];
        break;
      case 'with':
        v.with = value as Step['with'];
        break;
      case 'returns':
        v.returns = value as Step['returns'];
        break;
      case 'target':
        v.target = value as Step['target'];
        break;
    }
  }
  return v;
}
