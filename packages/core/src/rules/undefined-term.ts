import { proseOf } from '../shared/texts.js';
import { defineRule, type Finding } from '../registry/defineRule.js';

/**
 * Abbreviations everybody knows, and capitalised words writers use for emphasis
 * ("Do NOT hang up"): never reported.
 */
const COMMON = new Set([
  'OK', 'ID', 'AM', 'PM', 'US', 'USA', 'UK', 'EU', 'TV', 'PC', 'PDF', 'URL', 'FAQ', 'PIN', 'SMS', 'ASAP', 'FYI',
  'CEO', 'VIP', 'SOP', 'IT', 'HR', 'QA', 'NA', 'ETA', 'AI', 'API', 'USB', 'PS', 'ZIP', 'ATM', 'TBD', 'PPS',
  'GMT', 'UTC', 'BST', 'CET', 'CEST', 'EST', 'EDT', 'CST', 'CDT', 'MST', 'MDT', 'PST', 'PDT', 'USD', 'EUR', 'GBP',
  'NOT', 'NO', 'NEVER', 'ALWAYS', 'MUST', 'DO', 'DON', 'ONLY', 'ALL', 'AND', 'OR', 'IF', 'THEN', 'STOP', 'IMPORTANT',
  'NOTE', 'WARNING', 'CAUTION', 'YES', 'ANY', 'NOW', 'BEFORE', 'AFTER', 'EVERY', 'NEW', 'FREE', 'URGENT', 'THE', 'TO',
  'IS', 'ARE', 'BE', 'ON', 'IN', 'AT', 'OF', 'BY', 'AS', 'WE', 'YOU', 'HE', 'SHE', 'MY', 'ME', 'SO', 'UP', 'TIP', 'END',
  'CALL', 'HOLD', 'WAIT', 'ASK', 'CHECK', 'READ', 'NEXT', 'FIRST', 'LAST', 'DONE', 'TODO', 'SEE', 'ALSO', 'NONE',
]);

/** An acronym-like token: a capital letter, then capitals or digits (2+ characters), plural `s` allowed. */
const TOKEN = /(?<![\p{L}\p{N}_])(\p{Lu}[\p{Lu}\p{N}]+)(?:s|'s|’s)?(?![\p{L}\p{N}_])/gu;

function isAcronymToken(token: string): boolean {
  if (/^[IVXLC]+$/.test(token)) return false; // Roman numerals: Tier II, Level III
  let letters = 0;
  let digits = 0;
  for (const ch of token) {
    if (ch >= '0' && ch <= '9') digits++;
    else letters++;
  }
  // `INC0042`, `ISO8601`: codes and numbers, not jargon
  return letters >= 2 && digits <= letters;
}

interface Token { word: string; index: number; end: number }

/** Acronyms in a text, skipping runs of shouting that contain a common word ("DO NOT HANG UP"). */
export function acronymsIn(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(TOKEN)) tokens.push({ word: m[1]!, index: m.index!, end: m.index! + m[0].length });
  const out: Token[] = [];
  let i = 0;
  while (i < tokens.length) {
    // a run of tokens separated only by spaces or light punctuation
    let j = i + 1;
    while (j < tokens.length && /^[\s,!-]*$/.test(text.slice(tokens[j - 1]!.end, tokens[j]!.index))) j++;
    const run = tokens.slice(i, j);
    const shouting = run.length >= 2 && run.some((t) => COMMON.has(t.word));
    if (!shouting) {
      for (const t of run) {
        if (COMMON.has(t.word) || !isAcronymToken(t.word)) continue;
        // part of a URL, an e-mail address or a path
        const before = text.lastIndexOf(' ', t.index) + 1;
        let after = text.indexOf(' ', t.end);
        if (after === -1) after = text.length;
        if (/:\/\/|@|\//.test(text.slice(before, after))) continue;
        out.push(t);
      }
    }
    i = j;
  }
  return out;
}

export default defineRule({
  code: 'undefined-term',
  severity: 'warning',
  scope: 'flow',
  description: 'An acronym (a word of two or more capital letters, possibly with digits: `CRM`, `SLA`, `B2B`, plural `CSRs`) appears in the text but is not defined in `terms`.',
  check({ sop }) {
    const out: Finding[] = [];
    const defined = new Set<string>();
    for (const term of Object.keys(sop.terms ?? {})) {
      defined.add(term.trim());
      for (const m of term.matchAll(TOKEN)) defined.add(m[1]!);
    }
    const reported = new Set<string>();
    for (const item of proseOf(sop)) {
      if (item.metadata) continue;
      for (const token of acronymsIn(item.text)) {
        if (defined.has(token.word) || reported.has(token.word)) continue;
        reported.add(token.word);
        out.push({
          path: item.path, word: token.word,
          message: `the acronym \`${token.word}\` is used but not defined in \`terms\``,
          hint: `add it to \`terms\`, e.g. \`${token.word}: <what it stands for>\``,
        });
      }
    }
    return out;
  },
});
