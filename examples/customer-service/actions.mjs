// The named actions of these SOPs, for `sopflow serve examples/customer-service --actions
// examples/customer-service/actions.mjs`. A demo binding: each request is written once (by its
// idempotency key) as a JSON line to sopflow-actions.jsonl in the working folder (or the file
// in SOPFLOW_ACTIONS_LOG), where a real app would call its CRM, billing or mail system.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';

const LOG = process.env.SOPFLOW_ACTIONS_LOG ?? 'sopflow-actions.jsonl';
const done = new Set(
  existsSync(LOG)
    ? readFileSync(LOG, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line).key)
    : [],
);

/** One request: a repeat of a key already done (after a crash) is dropped, as a real system should. */
function record(call) {
  if (done.has(call.key)) return;
  appendFileSync(
    LOG,
    `${JSON.stringify({ key: call.key, action: call.action, run: call.runId, step: call.step, data: call.data, meta: call.meta, by: call.by, at: new Date().toISOString() })}\n`,
  );
  done.add(call.key);
}

const ACTIONS = [
  'billing.hold-collection',
  'billing.issue-credit',
  'billing.reverse-charge',
  'billing.send-credit-note',
  'calendar.book-review',
  'chat.notify-queue',
  'crm.assign-queue',
  'crm.close-ticket',
  'crm.find-customer',
  'crm.log-contact',
  'crm.log-feedback',
  'crm.open-ticket',
  'crm.reopen-ticket',
  'crm.save-notes',
  'docs.publish',
  'docs.request-approval',
  'email.send-final-notice',
  'feedback.forward-marketing',
  'feedback.forward-packaging',
  'feedback.forward-product',
  'feedback.forward-safety',
  'feedback.forward-service-quality',
  'identity.send-otp',
  'it.open-ticket',
  'phone.complete-transfer',
  'phone.consult-transfer',
  'reports.export-segments',
  'reports.list-long-holds',
  'reports.publish',
  'survey.send',
];

export default Object.fromEntries(ACTIONS.map((name) => [name, record]));
