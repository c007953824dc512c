import { addPeriod, formatReviewPeriod, parseReviewPeriod } from '@sopflow/model';
import { defineRule, replaceWith, type Finding } from '../registry/defineRule.js';

/** The cycle when the SOP gives none: policies are reviewed at least yearly. */
const YEARLY = { years: 1, months: 0, days: 0 };

export default defineRule({
  code: 'review-overdue',
  severity: 'warning',
  scope: 'node',
  description: '`review_by` is a date that has passed: every policy must be reviewed at least yearly (or as often as `review_every` says).',
  check({ sop, today }) {
    const out: Finding[] = [];
    if (typeof sop.review_by === 'string' && sop.review_by < today) {
      const given = typeof sop.review_every === 'string' ? parseReviewPeriod(sop.review_every) : undefined;
      const next = addPeriod(today, given ?? YEARLY);
      out.push({
        path: ['review_by'],
        message: `this SOP was due for review on ${sop.review_by} (today is ${today}${given ? `; it is reviewed every ${formatReviewPeriod(given)}` : ''})`,
        hint: `review the procedure, then set \`review_by\` to the next review: ${next}${given ? '' : ' (a year from today)'}`,
        fixes: [replaceWith(['review_by'], next, 'value', `Reviewed today: next review on ${next}`)],
      });
    }
    return out;
  },
});
