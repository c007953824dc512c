import type { FieldDef, FieldValue } from './sop.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Why `value` does not fit `field`, or `undefined` when it fits. Shared by the `field-value`
 *  rule and the runtime's `record()` so both judge a value the same way. */
export function checkFieldValue(field: FieldDef, value: unknown): string | undefined {
  const shown = JSON.stringify(value);
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') return `expected a string, got ${shown}`;
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `expected a number, got ${shown}`;
      break;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `expected an integer, got ${shown}`;
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return `expected true or false, got ${shown}`;
      break;
    case 'date':
      if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(value))) return `expected a date (YYYY-MM-DD), got ${shown}`;
      break;
    default:
      return `unknown field type ${JSON.stringify(field.type)}`;
  }
  if (field.enum && !field.enum.includes(value as FieldValue)) {
    return `expected one of ${field.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${shown}`;
  }
  if (typeof value === 'number') {
    if (field.minimum !== undefined && value < field.minimum) return `expected at least ${field.minimum}, got ${value}`;
    if (field.maximum !== undefined && value > field.maximum) return `expected at most ${field.maximum}, got ${value}`;
  }
  return undefined;
}
