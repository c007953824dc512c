import type { Condition, FieldValue, ScalarValue } from './sop.js';

/** Whether a `when` condition holds for the recorded data. Pure; shared by compiler and tools. */
export function evaluateCondition(condition: Condition, data: Readonly<Record<string, FieldValue | undefined>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(data, condition.field) && data[condition.field] !== undefined;
  const value = has ? data[condition.field] : undefined;
  if (condition.set !== undefined) return condition.set === has;
  if (!has) return false;
  if ('equals' in condition) return value === condition.equals;
  if ('not_equals' in condition) return value !== condition.not_equals;
  if (condition.in !== undefined) return condition.in.includes(value as ScalarValue);
  if ('contains' in condition) return Array.isArray(value) && value.includes(condition.contains as ScalarValue);
  if (typeof value !== 'number') return false;
  if (condition.gt !== undefined) return value > condition.gt;
  if (condition.gte !== undefined) return value >= condition.gte;
  if (condition.lt !== undefined) return value < condition.lt;
  if (condition.lte !== undefined) return value <= condition.lte;
  return false;
}

/** A short human reading of a condition: `issue = technical`, `amount > 100`. */
export function describeCondition(c: Condition): string {
  const v = (x: unknown) => (typeof x === 'string' ? x : JSON.stringify(x));
  if (c.set !== undefined) return c.set ? `${c.field} is recorded` : `${c.field} is not recorded`;
  if ('equals' in c) return `${c.field} = ${v(c.equals)}`;
  if ('not_equals' in c) return `${c.field} ≠ ${v(c.not_equals)}`;
  if (c.in !== undefined) return `${c.field} in [${c.in.map(v).join(', ')}]`;
  if ('contains' in c) return `${c.field} contains ${v(c.contains)}`;
  if (c.gt !== undefined) return `${c.field} > ${c.gt}`;
  if (c.gte !== undefined) return `${c.field} ≥ ${c.gte}`;
  if (c.lt !== undefined) return `${c.field} < ${c.lt}`;
  if (c.lte !== undefined) return `${c.field} ≤ ${c.lte}`;
  return c.field;
}
