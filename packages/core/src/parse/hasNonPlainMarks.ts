/**
 * The part of the plain subset's rules that is about the whole text, not its structure: marks
 * that send a text to yaml 2 wherever they stand. The plain reader (plainParse.ts) checks the
 * rest, line by line, as it reads.
 */

/**
 * Control characters (tab included), line and paragraph separators, a byte order mark: never
 * plain. Written as the complement of what may stand in a plain text, printable ASCII first:
 * the engine then settles most characters with its first range check (9.5 against 12.2 ms per
 * pass over the 1,000 bench files for the same class spelt positively).
 */
const CONTROL = /[^ -~\n\r\x80-\u2027\u202a-\ufefe\uff00-\uffff]/;

/**
 * White space as a regular expression's `\s` means it (NBSP, ideographic space, line breaks…),
 * by character code: no one-character string and no regex call per character.
 */
export function isYamlSpace(code: number): boolean {
  if (code < 0xa0) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Before an anchor, an alias, a tag or an explicit key: the start of a line, white space, or a flow indicator. */
function opensNode(text: string, i: number, withColon: boolean): boolean {
  if (i === 0) return true;
  const c = text.charCodeAt(i - 1);
  return c === 0x5b || c === 0x7b || c === 0x2c || (withColon && c === 0x3a) || isYamlSpace(c); // [ { , :
}

/** The character after `i` is white space, or there is none. */
const endsToken = (text: string, i: number): boolean => i + 1 >= text.length || isYamlSpace(text.charCodeAt(i + 1));

/**
 * Texts with any of these go to yaml 2: anchors, aliases and tags in a node position, explicit
 * `?` keys, merge keys (`<<`), tabs, a lone `\r`, `__proto__`, control characters. (Directives,
 * document markers and collections used as keys cannot pass the plain reader.) Each is found
 * with indexOf, and most texts hold none of the characters involved: no regex over the text
 * but one character class.
 */
export function hasNonPlainMarks(text: string): boolean {
  if (CONTROL.test(text) || text.includes('__proto__') || text.includes('<<')) return true;
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) if (text.charCodeAt(i + 1) !== 0x0a) return true;
  for (let i = text.indexOf('!'); i !== -1; i = text.indexOf('!', i + 1)) if (opensNode(text, i, true)) return true;
  for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) if (opensNode(text, i, true) && !endsToken(text, i)) return true;
  for (let i = text.indexOf('*'); i !== -1; i = text.indexOf('*', i + 1)) if (opensNode(text, i, true) && !endsToken(text, i)) return true;
  for (let i = text.indexOf('?'); i !== -1; i = text.indexOf('?', i + 1)) if (opensNode(text, i, false) && endsToken(text, i)) return true;
  return false;
}
