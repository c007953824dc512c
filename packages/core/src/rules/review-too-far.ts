import { addPeriod, formatReviewPeriod, parseReviewPeriod, type ReviewPeriod } from '@sopflow/model';
import { defineRule, replaceWith, type Finding } from '../registry/defineRule.js';

/** The cycle when the SOP gives none: policies are reviewed at least yearly. */
const YEARLY = { years: 1, months: 0, days: 0 };

/** today + cycle, for the few (today, cycle) pairs a run of validate meets. */
const latestByCycle = new Map<string, string>();
function latestReview(today: string, cycle: ReviewPeriod): string {
  const key = `${today}|${cycle.years}|${cycle.months}|${cycle.days}`;
  let date = latestByCycle.get(key);
  if (date === undefined) {
    if (latestByCycle.size > 1000) latestByCycle.clear();
    latestByCycle.set(key, (date = addPeriod(today, cycle)));
  }
  return date;
}

export default defineRule({
  code: 'review-too-far',
  severity: 'warning',
  scope: 'node',
  description:
    '`review_by` is further ahead than one review cycle (`review_every`, or twelve months): the SOP would go unreviewed for longer than its policy allows.',
  check({ sop, today }) {
    const out: Finding[] = [];
    if (typeof sop.review_by !== 'string' || sop.review_by <= today) return out;
    const given = typeof sop.review_every === 'string' ? parseReviewPeriod(sop.review_every) : undefined;
    if (typeof sop.review_every === 'string' && !given) return out; // the schema reports an unreadable cycle
    const cycle = given ?? YEARLY;
    const latest = latestReview(today, cycle);
    if (sop.review_by <= latest) return out;
    out.push({
      path: ['review_by'],
      message: `the next review, ${sop.review_by}, is more than ${given ? `one review cycle (${formatReviewPeriod(cycle)}, \`review_every\`)` : 'twelve months'} ahead (today is ${today})`,
      hint: `review it by ${latest} at the latest${given ? '' : ': policies are reviewed at least yearly (or set `review_every`)'}`,
      fixes: [replaceWith(['review_by'], latest, 'value', `Change to ${latest}`)],
    });
    return out;
  },
});
