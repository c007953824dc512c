import { checkRecord, own } from '@sopflow/model';
import type { StepMeta } from '@sopflow/compiler';
import { RunError } from '../../RunError.js';
import type { Transition } from '../Transition.js';

/** The answers a person may pick at a decision (`when` choices are taken by data). */
export function answersOf(meta: StepMeta): string[] {
  return (meta.choices ?? []).filter((c) => c.when === undefined).map((c) => c.answer ?? '');
}

/** Refuses to leave a step before its required fields are recorded (a required list with at least one item). */
export function requireFields(t: Transition, level: number, meta: StepMeta): void {
  const data = t.stack[level]!.data;
  const missing = meta.required.filter((f) => {
    const value = own(data, f);
    return value === undefined || (Array.isArray(value) && value.length === 0);
  });
  if (missing.length) {
    const fields = t.procedureAt(level).fields;
    throw new RunError(
      'missing-field',
      `step "${meta.id}" needs ${missing.map((f) => `"${fields.get(f)?.label ?? f}" (${f})`).join(', ')} recorded first`,
    );
  }
}

/** Refuses data that names an undeclared field or does not fit a field's type, enum or range. */
export function checkData(t: Transition, level: number, step: string, data: unknown): void {
  const procedure = t.procedureAt(level);
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    const unknown = Object.keys(data).find((k) => !procedure.fields.has(k));
    if (unknown !== undefined) {
      throw new RunError(
        'unknown-field',
        `"${unknown}" is not a field of SOP "${procedure.id}" (fields: ${[...procedure.fields.keys()].join(', ') || 'none'})`,
      );
    }
  }
  const problem = checkRecord(Object.fromEntries(procedure.fields), data);
  if (problem) throw new RunError('invalid-value', `cannot record at step "${step}": ${problem}`);
}
