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

/** The words among plain scalars that are not strings: null and the booleans (each starts with a letter). */
const CORE_WORDS: ReadonlyMap<string, null | boolean> = new Map<string, null | boolean>([
  ['null', null],
  ['Null', null],
  ['NULL', null],
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['false', false],
  ['False', false],
  ['FALSE', false],
]);

/** The first letters of CORE_WORDS, by character code. */
const NULL_OR_BOOL_START = new Uint8Array(128);
for (const word of CORE_WORDS.keys()) NULL_OR_BOOL_START[word.charCodeAt(0)] = 1;

/**
 * A plain scalar's value, exactly as yaml 2's core schema resolves it (in its order: null,
 * bool, octal, decimal and hexadecimal ints, .inf/.nan, floats with and without exponent).
 * Text starting with a letter can only be one of the null and boolean words, so most scalars
 * are judged by their first character and a map lookup, without a regex.
 */
export function resolvePlain(text: string): string | number | boolean | null {
  if (text === '') return null;
  const first = text.charCodeAt(0);
  if ((first >= 0x61 && first <= 0x7a) || (first >= 0x41 && first <= 0x5a)) {
    // a-z, A-Z: only the null and boolean words (n, t, f in either case, at most 5 letters) are not text
    if (text.length > 5 || !NULL_OR_BOOL_START[first]) return text;
    const word = CORE_WORDS.get(text);
    return word === undefined ? text : word;
  }
  if (first !== 0x7e && !(first >= 0x30 && first <= 0x39) && first !== 0x2b && first !== 0x2d && first !== 0x2e) return text; // ~ 0-9 + - .
  if (CORE_NULL.test(text)) return null;
  if (CORE_INT_OCT.test(text)) return parseInt(text.substring(2), 8);
  if (CORE_INT.test(text)) return parseInt(text, 10);
  if (CORE_INT_HEX.test(text)) return parseInt(text.substring(2), 16);
  if (CORE_FLOAT_NAN.test(text))
    return text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (CORE_FLOAT_EXP.test(text) || CORE_FLOAT.test(text)) return parseFloat(text);
  return text;
}
