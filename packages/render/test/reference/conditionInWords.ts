import { own, type Condition, type FieldDef, type ScalarValue } from '@sopflow/model';
import type { Line, Part } from './checklistItems.js';

/** A field as people call it: its label, else its name. */
export function fieldLabel(fields: Readonly<Record<string, FieldDef>>, name: string): string {
  const label = own(fields, name)?.label;
  return typeof label === 'string' && label.trim() !== '' ? label.trim() : name;
}

/** A value as people read it: text as written, true/false as yes/no. */
export function valueInWords(value: ScalarValue | undefined): string {
  if (value === true) return 'yes';
  if (value === false) return 'no';
  return value === undefined ? '' : String(value);
}

/** `a`, `a or b`, `a, b or c`, each part emphasised. */
function either(values: readonly ScalarValue[]): Part[] {
  const out: Part[] = [];
  values.forEach((v, i) => {
    if (i > 0) out.push(i === values.length - 1 ? ' or ' : ', ');
    out.push({ em: valueInWords(v) });
  });
  return out;
}

/**
 * A `when` condition in words, with the field's label and the values emphasised:
 * *What the call is about* is not *rewards*; *Amount* is more than *250*; *Tags* include *vip*;
 * *Call-back time* is not recorded. Each format renders the emphasis its way.
 */
export function conditionInWords(c: Condition, fields: Readonly<Record<string, FieldDef>>): Line {
  const field: Part = { em: fieldLabel(fields, c.field) };
  if (c.set !== undefined) return [field, c.set ? ' is recorded' : ' is not recorded'];
  if ('equals' in c) return [field, ' is ', { em: valueInWords(c.equals) }];
  if ('not_equals' in c) return [field, ' is not ', { em: valueInWords(c.not_equals) }];
  if (c.in !== undefined) return [field, ' is ', ...either(c.in)];
  if ('contains' in c) return [field, ' include ', { em: valueInWords(c.contains) }];
  if (c.gt !== undefined) return [field, ' is more than ', { em: String(c.gt) }];
  if (c.gte !== undefined) return [field, ' is ', { em: String(c.gte) }, ' or more'];
  if (c.lt !== undefined) return [field, ' is less than ', { em: String(c.lt) }];
  if (c.lte !== undefined) return [field, ' is ', { em: String(c.lte) }, ' or less'];
  return [field];
}

/** The same, as plain text (for diagram labels). */
export function conditionText(c: Condition, fields: Readonly<Record<string, FieldDef>>): string {
  return conditionInWords(c, fields)
    .map((p) => (typeof p === 'string' ? p : 'em' in p ? p.em : ''))
    .join('');
}
