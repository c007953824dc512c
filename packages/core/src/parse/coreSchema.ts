/**
 * yaml 2.9's YAML 1.2 core schema (yaml/dist/schema/core, common/null): which plain scalars
 * are not strings. One table, used by the fast path's reader (so it resolves exactly as
 * yaml 2 does) and by fixes (so a replacement that would read as a number gets quotes).
 */
export const CORE_NULL = /^(?:~|[Nn]ull|NULL)?$/;
export const CORE_BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
export const CORE_INT_OCT = /^0o[0-7]+$/;
export const CORE_INT = /^[-+]?[0-9]+$/;
export const CORE_INT_HEX = /^0x[0-9a-fA-F]+$/;
export const CORE_FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
export const CORE_FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
export const CORE_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** True when a plain scalar with this text reads as something other than a string. */
export function isCoreNonString(text: string): boolean {
  return (
    CORE_NULL.test(text) ||
    CORE_BOOL.test(text) ||
    CORE_INT_OCT.test(text) ||
    CORE_INT.test(text) ||
    CORE_INT_HEX.test(text) ||
    CORE_FLOAT_NAN.test(text) ||
    CORE_FLOAT_EXP.test(text) ||
    CORE_FLOAT.test(text)
  );
}

/** Characters a replacement may hold and still be written plain, in block and flow context alike. */
const PLAIN_SAFE = /^[\p{L}\p{N}_][\p{L}\p{N}_ ./()+-]*$/u;

/**
 * `text` written as a YAML scalar in place of `original` (the source it replaces): in the same
 * quoting style where that is safe, plain when plain reads back as the same string, else
 * double-quoted (a JSON string is a valid YAML double-quoted scalar).
 */
export function writeScalar(text: string, original = ''): string {
  const quote = original[0];
  if (quote === "'" && !/[\n\r]/.test(text)) return `'${text.replace(/'/g, "''")}'`;
  if (quote === '"') return JSON.stringify(text);
  if (PLAIN_SAFE.test(text) && !text.endsWith(' ') && !text.includes('  ') && !isCoreNonString(text)) return text;
  return JSON.stringify(text);
}

/** The first characters a plain scalar that is not a string can start with (`~`, `null`, `true`, digits, signs, `.`). */
const NON_STRING_START = new Set('~nNtTfF0123456789+-.');

/**
 * A plain scalar's value, exactly as yaml 2's core schema resolves it (in its order: null,
 * bool, octal, decimal and hexadecimal ints, .inf/.nan, floats with and without exponent).
 */
export function resolvePlain(text: string): string | number | boolean | null {
  if (text !== '' && !NON_STRING_START.has(text[0]!)) return text;
  if (CORE_NULL.test(text)) return null;
  if (CORE_BOOL.test(text)) return text[0] === 't' || text[0] === 'T';
  if (CORE_INT_OCT.test(text)) return parseInt(text.substring(2), 8);
  if (CORE_INT.test(text)) return parseInt(text, 10);
  if (CORE_INT_HEX.test(text)) return parseInt(text.substring(2), 16);
  if (CORE_FLOAT_NAN.test(text))
    return text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (CORE_FLOAT_EXP.test(text) || CORE_FLOAT.test(text)) return parseFloat(text);
  return text;
}
