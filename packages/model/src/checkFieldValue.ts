import type { FieldDef, ListItems } from './sop.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date in YYYY-MM-DD (not 2026-02-30, not 2025-02-29). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** A value as the messages show it: JSON, except what JSON cannot say (NaN, Infinity, undefined). */
function show(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value === undefined) return 'nothing';
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/** Why `value` does not fit `field`, or `undefined` when it fits. Shared by the `field-value`
 *  rule and the runtime's `record()` so both judge a value the same way. A `list` field holds a
 *  list whose every item fits its `items`. */
export function checkFieldValue(field: FieldDef, value: unknown): string | undefined {
  if (field.type === 'list') {
    if (!Array.isArray(value)) return `expected a list, got ${show(value)}`;
    const items: ListItems = field.items && typeof field.items === 'object' ? field.items : { type: 'string' };
    for (let i = 0; i < value.length; i++) {
      const problem = checkScalar(items, value[i]);
      if (problem) return `item ${i + 1} of the list: ${problem}`;
    }
    return undefined;
  }
  return checkScalar(field, value);
}

/** Why `value` is not one value of this type, enum and range. */
export function checkScalar(field: Pick<FieldDef, 'enum' | 'minimum' | 'maximum'> & { type: string }, value: unknown): string | undefined {
  // the value is shown (JSON.stringify) only in a message: a value that fits costs no string
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') return `expected a string, got ${show(value)}`;
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `expected a number, got ${show(value)}`;
      break;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `expected an integer, got ${show(value)}`;
      break;
    case 'boolean':
      if (typeof value !== 'boolean') return `expected true or false, got ${show(value)}`;
      break;
    case 'date':
      if (!isCalendarDate(value)) return `expected a date (YYYY-MM-DD) that is on the calendar, got ${show(value)}`;
      break;
    default:
      return `unknown field type ${JSON.stringify(field.type)}`;
  }
  if (Array.isArray(field.enum) && !field.enum.includes(value)) {
    return `expected one of ${field.enum.map((e) => show(e)).join(', ')}, got ${show(value)}`;
  }
  if (typeof value === 'number') {
    if (field.minimum !== undefined && value < field.minimum) return `expected at least ${field.minimum}, got ${value}`;
    if (field.maximum !== undefined && value > field.maximum) return `expected at most ${field.maximum}, got ${value}`;
  }
  return undefined;
}
