import type { Diagnostic } from '@sopflow/model';
import type { Rule } from './RuleContext.js';

export const reviewOverdue: Rule = {
  code: 'review-overdue',
  severity: 'warning',
  check({ sop, located, today }) {
    const out: Diagnostic[] = [];
    if (typeof sop.review_by === 'string' && sop.review_by < today) {
      out.push(located.diagnostic({
        code: 'review-overdue', severity: 'warning', path: ['review_by'],
        message: `this SOP was due for review on ${sop.review_by} (today is ${today})`,
        hint: 'review the procedure, then set a new `review_by` date',
      }));
    }
    return out;
  },
};
