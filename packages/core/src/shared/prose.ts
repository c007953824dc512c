import type { DocPath, Sop } from '@sopflow/model';
import { proseOf, type TextItem } from './texts.js';

/**
 * Abbreviations everybody knows, and capitalised words writers use for emphasis
 * ("Do NOT hang up"): never reported as undefined terms.
 */
export const COMMON_CAPS = new Set([
  'OK', 'ID', 'AM', 'PM', 'US', 'USA', 'UK', 'EU', 'TV', 'PC', 'PDF', 'URL', 'FAQ', 'PIN', 'SMS', 'ASAP', 'FYI',
  'CEO', 'VIP', 'SOP', 'IT', 'HR', 'QA', 'NA', 'ETA', 'AI', 'API', 'USB', 'PS', 'ZIP', 'ATM', 'TBD', 'PPS',
  'GMT', 'UTC', 'BST', 'CET', 'CEST', 'EST', 'EDT', 'CST', 'CDT', 'MST', 'MDT', 'PST', 'PDT', 'USD', 'EUR', 'GBP',
  'NOT', 'NO', 'NEVER', 'ALWAYS', 'MUST', 'DO', 'DON', 'ONLY', 'ALL', 'AND', 'OR', 'IF', 'THEN', 'STOP', 'IMPORTANT',
  'NOTE', 'WARNING', 'CAUTION', 'YES', 'ANY', 'NOW', 'BEFORE', 'AFTER', 'EVERY', 'NEW', 'FREE', 'URGENT', 'THE', 'TO',
  'IS', 'ARE', 'BE', 'ON', 'IN', 'AT', 'OF', 'BY', 'AS', 'WE', 'YOU', 'HE', 'SHE', 'MY', 'ME', 'SO', 'UP', 'TIP', 'END',
  'CALL', 'HOLD', 'WAIT', 'ASK', 'CHECK', 'READ', 'NEXT', 'FIRST', 'LAST', 'DONE', 'TODO', 'SEE', 'ALSO', 'NONE',
]);

/** A word: a maximal run of letters, digits and `_` (the `\b` of the term rules). */
const WORD = /[\p{L}\p{N}_]+/gu;
const IS_WORD_CHAR = /[\p{L}\p{N}_]/u;
/** An acronym-like word: a capital letter, then capitals or digits (2+ characters), a plural `s` allowed. */
const ACRONYM_WORD = /^(\p{Lu}[\p{Lu}\p{N}]+)s?$/u;
const ROMAN = /^[IVXLC]+$/;
/** Between the words of one run of shouting ("DO NOT HANG UP"): only spaces and light punctuation. */
const LIGHT = /^[\s,!-]*$/;

export interface Acronym {
  word: string;
  /** offsets in the text */
  index: number;
  end: number;
}

/** Where a word was seen: in the body text, or in the definition of this term. */
type Source = typeof BODY | string;
const BODY = Symbol('body');

/** What the term rules need from a SOP's text, from one pass over it (cached per SOP). */
export interface ProseIndex {
  items: TextItem[];
  /** per item (same order), the undefined-term candidates: acronyms outside shouting, URLs, e-mail addresses and paths */
  acronyms: Acronym[][];
  /** word -> the first two distinct places it was seen (exact case) */
  exact: Map<string, Source[]>;
  /** lower-cased word -> the first two distinct places it was seen */
  lower: Map<string, Source[]>;
}

const cache = new WeakMap<Sop, ProseIndex>();

/** One pass over every text people read: the words of each, and its acronym candidates. */
export function proseIndex(sop: Sop): ProseIndex {
  const cached = cache.get(sop);
  if (cached) return cached;
  const items = proseOf(sop);
  const exact = new Map<string, Source[]>();
  const lower = new Map<string, Source[]>();
  const note = (map: Map<string, Source[]>, word: string, source: Source) => {
    const seen = map.get(word);
    if (!seen) map.set(word, [source]);
    else if (seen.length < 2 && seen[0] !== source) seen.push(source);
  };
  const acronyms: Acronym[][] = [];
  for (const item of items) {
    const source: Source = item.term ?? BODY;
    const tokens: Acronym[] = [];
    for (const m of item.text.matchAll(WORD)) {
      const word = m[0];
      note(exact, word, source);
      note(lower, word.toLowerCase(), source);
      if (item.metadata) continue;
      const a = ACRONYM_WORD.exec(word);
      if (!a) continue;
      const index = m.index!;
      let end = index + word.length;
      // a possessive `'s` / `’s` belongs to the token ("CSR's")
      const text = item.text;
      if ((text[end] === "'" || text[end] === '’') && text[end + 1] === 's' && !IS_WORD_CHAR.test(text[end + 2] ?? ' ')) end += 2;
      tokens.push({ word: a[1]!, index, end });
    }
    acronyms.push(item.metadata ? [] : candidates(item.text, tokens));
  }
  const index = { items, acronyms, exact, lower };
  cache.set(sop, index);
  return index;
}

/** Tokens minus runs of shouting that contain a common word, common words, codes and numbers, and parts of URLs, e-mail addresses or paths. Linear. */
function candidates(text: string, tokens: Acronym[]): Acronym[] {
  const out: Acronym[] = [];
  // the space-delimited chunk around a token, and whether it looks like a URL, an address or a path
  let chunkStart = 0;
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
          chunkStart = text.lastIndexOf(' ', t.index) + 1;
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

/** Acronyms in a text, as the undefined-term rule sees them (for tests and tools). */
export function acronymsIn(text: string): Acronym[] {
  return proseIndex({ sopflow: 1, id: 'x', title: text, instructions: [] }).acronyms[0] ?? [];
}

/** true for a term written like an acronym (no lower-case letters: `CSR`, `B2B`). */
export const isAcronym = (term: string): boolean => /\p{Lu}/u.test(term) && !/\p{Ll}/u.test(term);

const SIMPLE_TERM = /^[A-Za-z0-9_]+$/;

/**
 * True when `term` is used anywhere in the text but its own definition: as a whole word,
 * case-sensitive for acronyms (`CSR`, `CSRs`, `CSR's`), any case for other words (with `s` /
 * `es` plurals). Terms of ASCII letters, digits and `_` are looked up in the word index (no
 * pass over the text per term); others (several words, other scripts) with a whole-word
 * pattern, built from the escaped term.
 */
export function termIsUsed(index: ProseIndex, term: string): boolean {
  const name = term.trim();
  const usedBy = (sources: Source[] | undefined) => sources !== undefined && sources.some((s) => s !== term);
  if (SIMPLE_TERM.test(name)) {
    if (isAcronym(name)) return usedBy(index.exact.get(name)) || usedBy(index.exact.get(`${name}s`));
    const t = name.toLowerCase();
    return usedBy(index.lower.get(t)) || usedBy(index.lower.get(`${t}s`)) || usedBy(index.lower.get(`${t}es`));
  }
  let pattern: RegExp;
  try {
    pattern = termPattern(name);
  } catch {
    return true; // a term no pattern can hold (far too long): not reported
  }
  return index.items.some((item) => item.term !== term && pattern.test(item.text));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A whole-word pattern for a term: case-sensitive for acronyms, with plural / possessive forms. */
export function termPattern(term: string): RegExp {
  const word = escape(term.trim()).replace(/\s+/g, '\\s+');
  const suffix = isAcronym(term) ? "(?:s|'s|’s)?" : "(?:s|es|'s|’s)?";
  return new RegExp(`(?<![\\p{L}\\p{N}_])${word}${suffix}(?![\\p{L}\\p{N}_])`, `u${isAcronym(term) ? '' : 'i'}`);
}

export type { DocPath };
