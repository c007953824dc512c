import { defineRule, type Finding } from '../registry/defineRule.js';

export default defineRule({
  code: 'review-overdue',
  severity: 'warning',
  scope: 'node',
  description: '`review_by` is a date that has passed: every policy must be reviewed at least yearly.',
  check({ sop, today }) {
    const out: Finding[] = [];
    if (typeof sop.review_by === 'string' && sop.review_by < today) {
      out.push({
        path: ['review_by'],
        message: `this SOP was due for review on ${sop.review_by} (today is ${today})`,
        hint: 'review the procedure, then set a new `review_by` date',
      });
    }
    return out;
  },
});
