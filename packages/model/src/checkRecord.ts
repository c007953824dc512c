import { checkFieldValue } from './checkFieldValue.js';
import { own } from './own.js';
import type { FieldDef } from './sop.js';

/** Why `data` cannot be recorded against `fields`, or undefined when it can. */
export function checkRecord(fields: Record<string, FieldDef>, data: unknown): string | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return 'expected an object of field values';
  for (const [name, value] of Object.entries(data)) {
    const field = own(fields, name);
    if (!field) return `"${name}" is not a declared field`;
    const problem = checkFieldValue(field, value);
    if (problem) return `field "${name}": ${problem}`;
  }
  return undefined;
}
