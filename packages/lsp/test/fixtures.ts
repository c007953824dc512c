/** SOP texts the tests share: a sub-procedure and a parent with one mistake of each kind. */
export const CHILD = `# yaml-language-server: $schema=../schemas/sop.schema.json
sopflow: 1
id: verify-identity
title: Verifying a caller's identity
fields:
  customer_number: { type: string, label: Customer number }
instructions:
  - id: ask
    ask: Can the caller give the account PIN?
    choices:
      - { answer: "Yes", next: verified }
      - { answer: "No", next: failed }
  - id: verified
    end: verified
  - id: failed
    end: not-verified
`;

export const PARENT_CLEAN = `sopflow: 1
id: inbound-call
title: Handling an inbound support call
terms:
  CSR: Customer service representative.
fields:
  customer_id: { type: string, label: Customer number }
  issue: { type: string, enum: [billing, technical] }
instructions:
  - id: greet
    do: Greet the caller; the CSR owns the call.
    record: [customer_id, issue]
  - id: verify
    use: verify-identity
    outcomes: { not-verified: done }
    next: triage
  - id: triage
    ask: What is the issue about?
    choices:
      - { when: { field: issue, equals: technical }, next: research }
      - { answer: "Billing", next: research }
  - id: research
    do: Put the caller on hold while you research.
    limit: { after: 60s, next: check-back }
    next: done
  - id: check-back
    do: Return to the caller and offer a call-back.
    next: research
  - id: done
    end: resolved
`;

/** The clean parent with a typo in a step id, a field, a duration, a term and an SOP id. */
export const PARENT_BROKEN = PARENT_CLEAN.replace('record: [customer_id,', 'record: [customer_idd,')
  .replace('use: verify-identity', 'use: verify-identty')
  .replace('next: check-back }', 'next: chek-back }')
  .replace('after: 60s', 'after: 60 seconds')
  .replace('Put the caller on hold', 'Put the caller on hold in the CRM');
