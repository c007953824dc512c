import { code } from '../shared/show.js';
import { proseIndex, termIsUsed } from '../shared/prose.js';
import { defineRule, type Finding } from '../registry/defineRule.js';

export default defineRule({
  code: 'unused-term',
  severity: 'warning',
  scope: 'flow',
  description:
    "A term is defined in `terms` but never appears in the text: the title, purpose, rules, step texts (`do`, `ask`, answers, `transfer`, `escalate`), `role`, `segment`, `checks`, `note`, field labels and descriptions, other terms' definitions, or the department, owner and tags.",
  check({ sop, graph }) {
    const out: Finding[] = [];
    const terms = Object.keys(sop.terms ?? {});
    if (terms.length === 0) return out;
    const index = proseIndex(sop, graph);
    for (const term of terms) {
      if (term.trim() === '' || termIsUsed(index, term)) continue;
      out.push({
        path: ['terms', term],
        target: 'key',
        message: `the term ${code(term)} is defined but never used in the text`,
        hint: 'use it in a step, or remove it from `terms`',
      });
    }
    return out;
  },
});
