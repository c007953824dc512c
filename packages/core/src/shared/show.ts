/** A value as it appears in a message: short, on one line, never huge. */
export function show(value: unknown, max = 40): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === undefined) text = 'nothing';
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  text = text.replace(/\s+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '?');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** `text` in backticks, shortened. */
export function code(value: unknown, max = 40): string {
  return `\`${show(value, max)}\``;
}

/** What kind of value this is, for "expected X, got Y" messages. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return value === '' ? 'empty text' : `the text ${code(value)}`;
    case 'number':
      return `the number ${show(value)}`;
    case 'boolean':
      return `\`${value}\``;
    case 'object':
      return 'a mapping';
    default:
      return typeof value;
  }
}

export const hasOwn = (object: unknown, key: string): boolean =>
  object !== null && typeof object === 'object' && Object.prototype.hasOwnProperty.call(object, key);

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);
