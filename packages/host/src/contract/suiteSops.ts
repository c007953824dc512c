import type { Sop } from '@sopflow/model';

/*
 * The SOPs the contract suite serves: a help desk with every feature a host must carry —
 * a required field, a decision (by a person and by data), a 1-second hold limit that leads
 * back, an action, a sub-procedure with data in and out, a waiting step, roles, a hand-off.
 */

export const ticketSop: Sop = {
  sopflow: 1,
  id: 'ticket',
  title: 'Open a ticket',
  version: '1.0.0',
  fields: {
    customer_number: { type: 'string', required: true },
    case_no: { type: 'string' },
  },
  instructions: [
    { id: 'create', do: 'Create the ticket in the CRM.', record: ['case_no'], action: 'crm.open-ticket' },
    { id: 'opened', end: 'opened' },
  ],
};

export function deskSop(version = '1.0.0', checkBackText = 'Return to the caller and apologise for the wait.'): Sop {
  return {
    sopflow: 1,
    id: 'desk',
    title: 'Help desk call',
    version,
    fields: {
      customer_id: { type: 'string', label: 'Customer ID', required: true },
      issue: { type: 'string', enum: ['billing', 'technical', 'other'] },
      case_number: { type: 'string' },
    },
    instructions: [
      { id: 'identify', do: 'Find the customer.', record: ['customer_id', 'issue'], role: 'CSR' },
      {
        id: 'triage',
        ask: 'Can you solve it yourself?',
        choices: [
          { when: { field: 'issue', equals: 'technical' }, next: 'escalate-case' },
          { answer: 'Yes', next: 'hold' },
          { answer: 'No', next: 'hand-off' },
        ],
      },
      { id: 'hold', do: 'Research on hold.', limit: { after: '1s', next: 'check-back' }, next: 'resolve' },
      { id: 'check-back', do: checkBackText, next: 'hold' },
      { id: 'resolve', do: 'Resolve it and confirm.', action: 'crm.save-notes', role: 'CSR', end: 'resolved' },
      {
        id: 'escalate-case',
        use: 'ticket',
        with: { customer_number: 'customer_id' },
        returns: { case_number: 'case_no' },
        outcomes: { refused: 'hand-off' },
      },
      { id: 'wait-ack', wait: 'The escalation queue acknowledges the case.', until: 'acknowledged', next: 'approve' },
      { id: 'approve', do: 'Approve the goodwill credit.', role: 'Team lead', end: 'escalated' },
      { id: 'hand-off', transfer: 'Billing', end: 'transferred' },
    ],
  };
}
