import { acronymOf, candidates, COMMON_CAPS, ONLY_ASCII, proseIndex } from '../shared/prose.js';
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
    let defined: Set<string> | undefined; // made when some text has an acronym-like word
    const reported = new Set<string>();
    const { prose, acronyms } = proseIndex(sop, graph);
    for (let i = 0; i < acronyms.length; i++) {
      const words = acronyms[i]!;
      if (words.length === 0) continue;
      defined ??= definedTerms(sop.terms);
      // Only a text with a word that is neither defined, nor a common word, nor reported already can
      // add a finding (candidates are some of its words, never a common one): most texts' acronyms
      // are the SOP's own terms, and they skip the candidate filter.
      let open = false;
      for (let t = 0; t < words.length && !open; t++) {
        const word = words[t]!.word;
        open = !defined.has(word) && !COMMON_CAPS.has(word) && !reported.has(word);
      }
      if (!open) continue;
      for (const token of candidates(prose.texts[i]!, words)) {
        if (defined.has(token.word) || reported.has(token.word)) continue;
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
