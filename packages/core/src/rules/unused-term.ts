import type { Diagnostic } from '@sopflow/model';
import { code } from '../shared/show.js';
import { proseOf, termPattern } from './texts.js';
import type { Rule } from './RuleContext.js';

export const unusedTerm: Rule = {
  code: 'unused-term',
  severity: 'warning',
  check({ sop, located }) {
    const out: Diagnostic[] = [];
    const terms = Object.keys(sop.terms ?? {});
    if (terms.length === 0) return out;
    const prose = proseOf(sop);
    const body = prose.filter((t) => t.term === undefined).map((t) => t.text).join('\n');
    const definitions = prose.filter((t) => t.term !== undefined);
    for (const term of terms) {
      if (term.trim() === '') continue;
      const pattern = termPattern(term);
      if (pattern.test(body)) continue;
      if (definitions.some((d) => d.term !== term && pattern.test(d.text))) continue;
      out.push(located.diagnostic({
        code: 'unused-term', severity: 'warning', path: ['terms', term], target: 'key',
        message: `the term ${code(term)} is defined but never used in the text`,
        hint: 'use it in a step, or remove it from `terms`',
      }));
    }
    return out;
  },
};
