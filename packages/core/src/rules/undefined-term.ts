import { acronymOf, ONLY_ASCII, proseIndex } from '../shared/prose.js';
import { code } from '../shared/show.js';
import { defineRule, type Finding } from '../registry/defineRule.js';

const WORD = /[\p{L}\p{N}_]+/gu;
// the same on ASCII text (where \p{L} is [A-Za-z] and \p{N} is [0-9]): a Unicode class costs
// ~0.5 ms to compile, a noticeable part of a one-file `validate` start
const ASCII_WORD = /[A-Za-z0-9_]+/g;

/** The terms, and the acronyms in them (`CSRs (customer service reps)` defines `CSR`). */
function definedTerms(terms: Record<string, string> | undefined): Set<string> {
  const defined = new Set<string>();
  for (const term of Object.keys(terms ?? {})) {
    defined.add(term.trim());
    for (const m of term.matchAll(ONLY_ASCII.test(term) ? ASCII_WORD : WORD)) {
      const acronym = acronymOf(m[0]);
      if (acronym) defined.add(acronym);
    }
  }
  return defined;
}

export default defineRule({
  code: 'undefined-term',
  severity: 'warning',
  scope: 'flow',
  description:
    'An acronym (a word of two or more capital letters, possibly with digits: `CRM`, `SLA`, `B2B`, plural `CSRs`) appears in the text but is not defined in `terms`.',
  check({ sop, graph }) {
    const out: Finding[] = [];
    let defined: Set<string> | undefined; // made when the text has a candidate
    const reported = new Set<string>();
    const { prose, acronyms } = proseIndex(sop, graph);
    for (let i = 0; i < acronyms.length; i++) {
      for (const token of acronyms[i]!) {
        if ((defined ??= definedTerms(sop.terms)).has(token.word) || reported.has(token.word)) continue;
        reported.add(token.word);
        out.push({
          path: prose.pathOf(i),
          word: token.word,
          message: `the acronym ${code(token.word)} is used but not defined in \`terms\``,
          hint: `add it to \`terms\`, e.g. ${code(`${token.word}: <what it stands for>`, 60)}`,
        });
      }
    }
    return out;
  },
});
