import type { Sop, SopGraph } from '@sopflow/model';
import { filled } from './filled.js';
import { proseOf, type Prose } from './texts.js';
import { LastOne } from './LastOne.js';

/**
 * Abbreviations everybody knows, and capitalised words writers use for emphasis
 * ("Do NOT hang up"): never reported as undefined terms.
 */
export const COMMON_CAPS = new Set([
  'OK',
  'ID',
  'AM',
  'PM',
  'US',
  'USA',
  'UK',
  'EU',
  'TV',
  'PC',
  'PDF',
  'URL',
  'FAQ',
  'PIN',
  'SMS',
  'ASAP',
  'FYI',
  'CEO',
  'VIP',
  'SOP',
  'IT',
  'HR',
  'QA',
  'NA',
  'ETA',
  'AI',
  'API',
  'USB',
  'PS',
  'ZIP',
  'ATM',
  'TBD',
  'PPS',
  'GMT',
  'UTC',
  'BST',
  'CET',
  'CEST',
  'EST',
  'EDT',
  'CST',
  'CDT',
  'MST',
  'MDT',
  'PST',
  'PDT',
  'USD',
  'EUR',
  'GBP',
  'NOT',
  'NO',
  'NEVER',
  'ALWAYS',
  'MUST',
  'DO',
  'DON',
  'ONLY',
  'ALL',
  'AND',
  'OR',
  'IF',
  'THEN',
  'STOP',
  'IMPORTANT',
  'NOTE',
  'WARNING',
  'CAUTION',
  'YES',
  'ANY',
  'NOW',
  'BEFORE',
  'AFTER',
  'EVERY',
  'NEW',
  'FREE',
  'URGENT',
  'THE',
  'TO',
  'IS',
  'ARE',
  'BE',
  'ON',
  'IN',
  'AT',
  'OF',
  'BY',
  'AS',
  'WE',
  'YOU',
  'HE',
  'SHE',
  'MY',
  'ME',
  'SO',
  'UP',
  'TIP',
  'END',
  'CALL',
  'HOLD',
  'WAIT',
  'ASK',
  'CHECK',
  'READ',
  'NEXT',
  'FIRST',
  'LAST',
  'DONE',
  'TODO',
  'SEE',
  'ALSO',
  'NONE',
]);

const IS_WORD_CHAR = /[\p{L}\p{N}_]/u;
const UPPER = /\p{Lu}/u;
/** An acronym-like word: a capital letter, then capitals or digits (2+ characters), a plural `s` allowed. */
const ACRONYM_WORD = /^(\p{Lu}[\p{Lu}\p{N}]+)s?$/u;
/** Only ASCII: then `[A-Z]` and `[a-z]` say what `\p{Lu}` and `\p{Ll}` say. */
export const ONLY_ASCII = /^[\x00-\x7f]*$/;
const ROMAN = /^[IVXLC]+$/;
/** Between the words of one run of shouting ("DO NOT HANG UP"): only spaces and light punctuation. */
const LIGHT = /^[\s,!-]*$/;

/** ASCII letters, digits and `_`, by code. */
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letterOrDigit = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
  ASCII_WORD[c] = letterOrDigit || c === 0x5f ? 1 : 0; // 0x5f: _
}

/** A letter, a digit or `_` (the `\b` of the term rules): ASCII by table, the rest by `\p{L}`/`\p{N}`. */
function isWordCode(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x80) return ASCII_WORD[c] === 1;
  if (c >= 0xd800 && c <= 0xdbff) return IS_WORD_CHAR.test(text.slice(i, i + 2));
  if (c >= 0xdc00 && c <= 0xdfff) return false; // the second half of a pair was judged with the first
  return IS_WORD_CHAR.test(text[i]!);
}

export interface Acronym {
  word: string;
  /** offsets in the text */
  index: number;
  end: number;
}

/** What the term rules need from a SOP's text, from one pass over it (cached per SOP). */
export interface ProseIndex {
  prose: Prose;
  /**
   * per text (same order), its acronym-like words (none for metadata); `candidates` narrows them
   * to the undefined-term candidates (outside shouting, URLs, e-mail addresses and paths), which
   * is worth doing only for a text with a word that is not a defined term
   */
  acronyms: Acronym[][];
  /** the terms (`terms` keys) of plain ASCII words that the text uses outside their own definition */
  usedTerms: Set<string>;
}

const SIMPLE_TERM = /^[A-Za-z0-9_]+$/;
/** Where an acronym (or an acronym term) can start in ASCII text: a capital, then a capital or a digit; or any text outside ASCII. */
const NEEDS_SCAN = /[A-Z][A-Z0-9]|[^\x00-\x7f]/;
const NONE: Acronym[] = [];
const cache = new LastOne<Sop, ProseIndex>();

/** Word lengths below this are looked up in a table; longer ones in a set. */
const SHORT = 32;

/**
 * The forms of a SOP's plain-word terms, and quick tests that rule most words out before a
 * string is cut out of the text and looked up: a word's length, and its first character.
 */
class TermForms {
  /** exact forms (acronyms: `CSR`, `CSRs`) -> terms */
  readonly exact = new Map<string, string[]>();
  /** lower-case forms (words: `hold`, `holds`, `holding`) -> terms */
  readonly lower = new Map<string, string[]>();
  private readonly shortLengths = filled(SHORT);
  private readonly longLengths = new Set<number>();
  /** first character codes: exact forms as written, lower-case forms in either case (forms are ASCII) */
  private readonly firsts = filled(128);

  add(exact: boolean, form: string, term: string): void {
    const map = exact ? this.exact : this.lower;
    const list = map.get(form);
    if (list) list.push(term);
    else map.set(form, [term]);
    if (form.length < SHORT) this.shortLengths[form.length] = 1;
    else this.longLengths.add(form.length);
    this.firsts[form.charCodeAt(0)] = 1;
    if (!exact) this.firsts[form[0]!.toUpperCase().charCodeAt(0)] = 1;
  }

  /** whether some form has this length and starts with this character */
  mayMatch(length: number, first: number): boolean {
    if (length < SHORT ? this.shortLengths[length] === 0 : !this.longLengths.has(length)) return false;
    return first < 0x80 && this.firsts[first] === 1;
  }
}

/** Marks `terms` used, but not by a term's own definition (`source`). */
function markUsed(used: Set<string>, terms: string[] | undefined, source: string | undefined): void {
  if (terms === undefined) return;
  for (let i = 0; i < terms.length; i++) if (terms[i] !== source) used.add(terms[i]!);
}

/**
 * The acronym `ACRONYM_WORD` finds in an ASCII word (`CSR`, `B2B`, `CSRs` -> `CSR`), without
 * cutting the word out of the text: a capital, then capitals or digits, a plural `s` allowed.
 */
function asciiAcronym(text: string, start: number, end: number): string | undefined {
  const last = text.charCodeAt(end - 1) === 0x73 /* s */ ? end - 1 : end;
  if (last - start < 2) return undefined;
  for (let k = start + 1; k < last; k++) {
    const c = text.charCodeAt(k);
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39))) return undefined;
  }
  return text.slice(start, last);
}

/**
 * The acronym a whole word is (`CSR`, `B2B`, `CSRs` -> `CSR`), or undefined: `ACRONYM_WORD`, read
 * by character when the word is ASCII (no Unicode class to compile on a one-file start).
 */
export function acronymOf(word: string): string | undefined {
  if (!ONLY_ASCII.test(word)) return ACRONYM_WORD.exec(word)?.[1];
  const first = word.charCodeAt(0);
  return first >= 0x41 && first <= 0x5a ? asciiAcronym(word, 0, word.length) : undefined; // A-Z
}

/** A capital followed by a capital or a digit: where an acronym, or a form of an acronym term, can be. */
const PAIR = /[A-Z][A-Z0-9]/g;

/**
 * One word of a text (`start` to `end`, a maximal run of word characters): marks the terms it is
 * a form of as used, and returns it as an acronym candidate when it is one.
 */
function visitWord(
  text: string,
  start: number,
  end: number,
  ascii: boolean,
  forms: TermForms,
  anyLower: boolean,
  usedTerms: Set<string>,
  definition: string | undefined,
  metadata: boolean,
): Acronym | undefined {
  const code = text.charCodeAt(start);
  const length = end - start;
  if (forms.mayMatch(length, code)) {
    const word = text.slice(start, end);
    markUsed(usedTerms, forms.exact.get(word), definition);
    if (anyLower) markUsed(usedTerms, forms.lower.get(word.toLowerCase()), definition);
  }
  if (metadata || length < 2) return undefined;
  // acronym candidates start with a capital letter, and go on with another or a digit
  if (code < 0x80 ? code < 0x41 || code > 0x5a : !UPPER.test(text.slice(start, start + 2))) return undefined;
  const d = text.charCodeAt(start + 1);
  if (d >= 0x61 && d <= 0x7a) return undefined;
  const word = ascii ? asciiAcronym(text, start, end) : ACRONYM_WORD.exec(text.slice(start, end))?.[1];
  if (word === undefined) return undefined;
  let tokenEnd = end;
  // a possessive `'s` / `’s` belongs to the token ("CSR's")
  if (
    (text[tokenEnd] === "'" || text[tokenEnd] === '’') &&
    text[tokenEnd + 1] === 's' &&
    !(tokenEnd + 2 < text.length && isWordCode(text, tokenEnd + 2))
  )
    tokenEnd += 2;
  return { word, index: start, end: tokenEnd };
}

/**
 * One pass over every text people read: its words (scanned by character, no regex per word),
 * the acronym candidates of each text, and which plain-word terms are used where. Only words
 * of the length and first letter of a term form are looked up, so the cost is the length of
 * the text.
 */
export function proseIndex(sop: Sop, graph?: SopGraph): ProseIndex {
  const cached = cache.get(sop);
  if (cached) return cached;
  const prose = proseOf(sop, graph);
  const texts = prose.texts;
  const forms = new TermForms();
  for (const term of Object.keys(sop.terms ?? {})) {
    const name = term.trim();
    if (!SIMPLE_TERM.test(name)) continue;
    if (isAcronym(name)) {
      forms.add(true, name, term);
      forms.add(true, `${name}s`, term);
    } else for (const form of inflections(name.toLowerCase())) forms.add(false, form, term);
  }
  const anyLower = forms.lower.size > 0;
  // Most texts need no scan. With no word-like terms, and every acronym term's forms holding a
  // capital followed by a capital or a digit, an ASCII text can hold neither an acronym
  // candidate nor a term's form unless it holds such a pair too: the one regex test (linear,
  // no quantifier) passes over the many texts that do not.
  const skipPlain = !anyLower && [...forms.exact.keys()].every((form) => NEEDS_SCAN.test(form));
  const usedTerms = new Set<string>();
  const acronyms: Acronym[][] = [];
  for (let t = 0; t < texts.length; t++) {
    const text = texts[t]!;
    if (skipPlain && !NEEDS_SCAN.test(text)) {
      acronyms.push(NONE);
      continue;
    }
    const metadata = prose.isMetadata(t);
    const definition = prose.termOf(t);
    let tokens: Acronym[] | undefined;
    const n = text.length;
    if (skipPlain && ONLY_ASCII.test(text)) {
      // Only words holding a capital followed by a capital or a digit can matter here (see
      // skipPlain): the regex engine finds those pairs (no quantifier: linear), and each one's
      // word is read around it. Cheaper than reading every word, above all before the JIT has
      // optimised the loop below.
      PAIR.lastIndex = 0;
      for (let m = PAIR.exec(text); m !== null; m = PAIR.exec(text)) {
        let start = m.index;
        while (start > 0 && ASCII_WORD[text.charCodeAt(start - 1)] === 1) start--;
        let end = m.index + 2;
        while (end < n && ASCII_WORD[text.charCodeAt(end)] === 1) end++;
        const token = visitWord(text, start, end, true, forms, anyLower, usedTerms, definition, metadata);
        if (token) (tokens ??= []).push(token);
        PAIR.lastIndex = end;
      }
    } else {
      let i = 0;
      while (i < n) {
        const code = text.charCodeAt(i);
        if (code < 0x80 ? ASCII_WORD[code] === 0 : !isWordCode(text, i)) {
          i++;
          continue;
        }
        const start = i;
        let ascii = true;
        while (i < n) {
          const k = text.charCodeAt(i);
          if (k < 0x80) {
            if (ASCII_WORD[k] === 0) break;
            i++;
            continue;
          }
          if (!isWordCode(text, i)) break;
          ascii = false;
          i += k >= 0xd800 && k <= 0xdbff ? 2 : 1;
        }
        const token = visitWord(text, start, i, ascii, forms, anyLower, usedTerms, definition, metadata);
        if (token) (tokens ??= []).push(token);
      }
    }
    acronyms.push(tokens === undefined || metadata ? NONE : tokens);
  }
  const index = { prose, acronyms, usedTerms };
  cache.set(sop, index);
  return index;
}

/** Tokens minus runs of shouting that contain a common word, common words, codes and numbers, and parts of URLs, e-mail addresses or paths. Linear. */
export function candidates(text: string, tokens: Acronym[]): Acronym[] {
  const out: Acronym[] = [];
  // the space-delimited chunk around a token, and whether it looks like a URL, an address or a path
  let chunkEnd = -1;
  let chunkIsLink = false;
  let i = 0;
  while (i < tokens.length) {
    // a run of tokens separated only by spaces or light punctuation
    let j = i + 1;
    while (j < tokens.length && LIGHT.test(text.slice(tokens[j - 1]!.end, tokens[j]!.index))) j++;
    const run = tokens.slice(i, j);
    const shouting = run.length >= 2 && run.some((t) => COMMON_CAPS.has(t.word));
    if (!shouting) {
      for (const t of run) {
        if (COMMON_CAPS.has(t.word) || !isAcronymToken(t.word)) continue;
        if (t.index >= chunkEnd) {
          const chunkStart = text.lastIndexOf(' ', t.index) + 1;
          chunkEnd = text.indexOf(' ', t.end);
          if (chunkEnd === -1) chunkEnd = text.length;
          const chunk = text.slice(chunkStart, chunkEnd);
          chunkIsLink = chunk.includes('://') || chunk.includes('@') || chunk.includes('/');
        }
        if (!chunkIsLink) out.push(t);
      }
    }
    i = j;
  }
  return out;
}

function isAcronymToken(token: string): boolean {
  if (ROMAN.test(token)) return false; // Roman numerals: Tier II, Level III
  let letters = 0;
  let digits = 0;
  for (const ch of token) {
    if (ch >= '0' && ch <= '9') digits++;
    else letters++;
  }
  // `INC0042`, `ISO8601`: codes and numbers, not jargon
  return letters >= 2 && digits <= letters;
}

const ANY_UPPER = /\p{Lu}/u;
const ANY_LOWER = /\p{Ll}/u;
const ASCII_UPPER = /[A-Z]/;
const ASCII_LOWER = /[a-z]/;

/**
 * true for a term written like an acronym (no lower-case letters: `CSR`, `B2B`). An ASCII term is
 * tested without the Unicode classes: compiling one is ~0.2-0.5 ms, a noticeable part of a one-file
 * `validate` start, and most terms are ASCII.
 */
export const isAcronym = (term: string): boolean =>
  ONLY_ASCII.test(term) ? ASCII_UPPER.test(term) && !ASCII_LOWER.test(term) : ANY_UPPER.test(term) && !ANY_LOWER.test(term);

/**
 * True when `term` is used anywhere in the text but its own definition: as a whole word,
 * case-sensitive for acronyms (`CSR`, `CSRs`, `CSR's`), any case for other words (with `s` /
 * `es` plurals). Terms of ASCII letters, digits and `_` come from the one pass; others (several
 * words, other scripts) with a whole-word pattern, built from the escaped term.
 */
export function termIsUsed(index: ProseIndex, term: string): boolean {
  const name = term.trim();
  if (SIMPLE_TERM.test(name)) return index.usedTerms.has(term);
  let pattern: RegExp;
  try {
    pattern = termPattern(name);
  } catch {
    return true; // a term no pattern can hold (far too long): not reported
  }
  const { texts } = index.prose;
  for (let i = 0; i < texts.length; i++) if (index.prose.termOf(i) !== term && pattern.test(texts[i]!)) return true;
  return false;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A whole-word pattern for a term: case-sensitive for acronyms (with plural / possessive forms),
 * any case for words, each word of which may be inflected: "follow through" is used by "follows
 * through", "followed through" and "following through".
 */
export function termPattern(term: string): RegExp {
  if (isAcronym(term)) {
    const word = escape(term.trim()).replace(/\s+/g, '\\s+');
    return new RegExp(`(?<![\\p{L}\\p{N}_])${word}(?:s|'s|’s)?(?![\\p{L}\\p{N}_])`, 'u');
  }
  const words = term
    .trim()
    .split(/\s+/)
    .map((w) => {
      const forms = /^[A-Za-z]+$/.test(w) ? inflections(w.toLowerCase()) : [w];
      return `(?:${forms.map(escape).join('|')})`;
    });
  return new RegExp(`(?<![\\p{L}\\p{N}_])${words.join('\\s+')}(?:'s|’s)?(?![\\p{L}\\p{N}_])`, 'iu');
}

/**
 * The forms a word takes in running text (lower-case), so a term counts as used when the text
 * inflects it: plural and third person (`holds`, `escalates`, `queries`), past (`held` aside:
 * `escalated`, `stopped`) and gerund (`escalating`, `following`).
 */
export function inflections(word: string): string[] {
  const out = new Set([word, `${word}s`, `${word}es`, `${word}ed`, `${word}ing`]);
  if (word.endsWith('e')) {
    out.add(`${word}d`);
    out.add(`${word.slice(0, -1)}ing`);
  }
  if (/[^aeiou]y$/.test(word)) {
    out.add(`${word.slice(0, -1)}ies`);
    out.add(`${word.slice(0, -1)}ied`);
  }
  if (/(?:^|[^aeiou])[aeiou][bdgklmnprt]$/.test(word) && word.length <= 6) {
    out.add(`${word}${word.at(-1)}ed`);
    out.add(`${word}${word.at(-1)}ing`);
  }
  return [...out];
}
