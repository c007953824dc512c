// Generates valid, realistic SOPs (customer-service flavoured text) from a seed.
// Every SOP produced here must pass both the JSON Schema (ajv-cli) and every sopflow rule with
// zero diagnostics: all ids unique, every target exists, every step reachable and able to reach
// an end, every recorded / tested field declared, every `when` value fits its field, every
// acronym used is defined in `terms` and every term is used.
import { Rng } from './prng.mjs';

export const FIELDS = {
  customer_id: { type: 'string', label: 'Customer number', required: true },
  issue_type: { type: 'string', label: 'Issue type', enum: ['billing', 'technical', 'account', 'delivery', 'other'] },
  priority: { type: 'string', label: 'Priority', enum: ['low', 'normal', 'high', 'urgent'] },
  channel: { type: 'string', label: 'Contact channel', enum: ['phone', 'email', 'chat'] },
  order_total: { type: 'number', label: 'Order total', minimum: 0 },
  callback_requested: { type: 'boolean', label: 'Call-back requested' },
  satisfaction: { type: 'integer', label: 'Satisfaction score', minimum: 1, maximum: 5 },
  follow_up_date: { type: 'date', label: 'Follow-up date' },
};

const TERMS = {
  CRM: 'The customer relationship management system where every contact is logged.',
  CSR: 'Customer service representative.',
  SLA: 'Service level agreement: the response time promised to the customer.',
  RMA: 'Return merchandise authorisation, the reference for a product return.',
  ETA: 'Estimated time of arrival of a delivery or a fix.',
  KB: 'The knowledge base of approved answers.',
};
const ACRONYM = /\b[A-Z]{2,}\b/g;

const DEPARTMENTS = [
  'Customer Service',
  'Billing Support',
  'Technical Support',
  'Returns and Repairs',
  'Account Care',
  'Delivery Operations',
];
const SUBJECTS = [
  'an inbound support call',
  'a billing dispute',
  'a late delivery',
  'a damaged product return',
  'a password reset request',
  'a service outage report',
  'a refund request',
  'a subscription cancellation',
  'a complaint about a previous call',
  'a change of address',
  'a warranty claim',
  'a chat enquiry about an order',
  'a missing invoice',
  'a product feedback call',
  'an escalated complaint',
];
const ROLES = ['associate', 'team lead', 'billing specialist', 'technical specialist', 'returns coordinator', 'supervisor'];
const SEGMENTS = ['greeting', 'research', 'hold', 'wrap-up'];
const QUEUES = ['Escalation queue', 'Priority escalation queue', 'Complaints queue'];
const ACTIONS = [
  'crm.save-notes',
  'crm.open-ticket',
  'crm.update-contact',
  'mail.send-survey',
  'billing.issue-credit',
  'logistics.track-parcel',
  'kb.link-article',
];
const DURATIONS = ['30s', '45s', '60s', '90s', '2m', '5m'];

const GREETINGS = [
  'Answer the call within three rings and greet the caller with your name and the company name.',
  'Pick up the chat within one minute and introduce yourself by first name.',
  'Answer at once, thank the customer for calling and ask how you can help.',
];
const TASKS = [
  'Find the customer in the CRM using their phone number or email address.',
  "Confirm the customer's identity with two of the security questions on file.",
  'Listen to the whole problem before offering a solution, and take notes as you go.',
  'Repeat the problem back to the customer in your own words and confirm you understood it.',
  'Check the order history in the CRM for earlier contacts about the same issue.',
  "Search the KB for an approved answer that matches the customer's question.",
  'Explain the next steps and the expected ETA in plain words.',
  'Tell the customer which SLA applies to their request and when they will hear back.',
  'Create an RMA for the returned item and read the reference number to the customer.',
  'Record what you learned about the customer in the CRM before moving on.',
  'Check whether the same fault has been reported by other customers today.',
  'Offer a goodwill gesture if the company made a mistake, within your approval limit.',
  'Update the contact details if the customer mentions a new address or phone number.',
  'Pass any product, packaging or marketing feedback to the department it concerns.',
  'Note the time spent in each segment of the call so the team can measure performance.',
  'Summarise the agreed actions and ask whether anything else is needed.',
  'Schedule a follow-up and tell the customer the date you will call back.',
  'Link the relevant KB article to the ticket so the next CSR can find it.',
];
const CHECKS = [
  "Use the customer's name",
  'Keep a friendly tone',
  'Do not promise dates you cannot keep',
  'Read back any reference numbers',
  'Ask permission before placing on hold',
  'Note the time of the call',
  'Confirm the spelling of names',
  'Offer a written summary by email',
];
const NOTES = [
  'Stay on the line until the transfer connects.',
  'Never leave a caller on hold for more than 60 seconds.',
  'If the customer is upset, acknowledge the feeling before solving the problem.',
  'Every policy is reviewed at least yearly.',
];
const DECISIONS = [
  {
    ask: 'Can you resolve this yourself?',
    yes: 'Yes',
    no: 'No, it needs a specialist',
    branch: [
      'Gather the account details the specialist will need.',
      'Warn the customer that a specialist will take over and stay on the line.',
    ],
  },
  {
    ask: 'Is the customer calling about an existing ticket?',
    yes: 'No, this is new',
    no: 'Yes, an open ticket exists',
    branch: [
      'Open the existing ticket in the CRM and read the latest notes.',
      'Tell the customer what has happened since their last contact.',
    ],
  },
  {
    ask: 'Does the issue match a known outage?',
    yes: 'No',
    no: 'Yes, it is a known outage',
    branch: ['Read the approved outage statement from the KB.', 'Add the customer to the outage notification list.'],
  },
  {
    ask: 'Is the product still under warranty?',
    yes: 'No',
    no: 'Yes',
    branch: ['Create an RMA and email the return label.', 'Explain how to pack the item safely for return.'],
  },
  {
    ask: 'Did the customer agree to the proposed solution?',
    yes: 'Yes',
    no: 'No, they want another option',
    branch: ['Offer the alternatives listed in the KB for this case.', 'Record which alternative the customer chose.'],
  },
  {
    ask: 'Does the research take longer than a few minutes?',
    yes: 'No',
    no: 'Yes, it will take a while',
    branch: ['Offer a call-back at a time that suits the customer.', 'Record the agreed call-back time in the CRM.'],
  },
];
const HOLDS = [
  ['Put the caller on hold while you research the account.', 'Return to the caller, apologise for the wait and offer a call-back.'],
  ['Put the caller on hold while you check stock with the warehouse.', 'Pick the call back up, apologise for the wait and give an update.'],
  ['Place the chat on hold while you ask a colleague.', 'Return to the chat, apologise for the delay and share what you know so far.'],
];
const CONDITIONS = [
  { field: 'issue_type', equals: 'billing', to: 'Billing' },
  { field: 'issue_type', equals: 'technical', to: 'Technical Support' },
  { field: 'issue_type', in: ['delivery', 'other'], to: 'Logistics' },
  { field: 'priority', in: ['high', 'urgent'], escalate: true },
  { field: 'order_total', gt: 500, escalate: true },
  { field: 'callback_requested', equals: true, to: 'Account Security' },
  { field: 'channel', not_equals: 'phone', to: 'Returns' },
];

function slug(text, max = 3) {
  return (
    text
      .toLowerCase()
      .replace(/'/g, '')
      .replace(/[^a-z0-9 ]+/g, ' ')
      .split(/\s+/)
      .filter((w) => w && !['the', 'a', 'an', 'and', 'to', 'of', 'in', 'for', 'with', 'you', 'your', 'it', 'is', 'if', 'any'].includes(w))
      .slice(0, max)
      .join('-') || 'step'
  );
}

const NEXT = Symbol('next block');

/**
 * One SOP as a plain object, in the sopflow format.
 * @param {{ id: string, steps: number, seed: number, procedures?: { id: string }[], title?: string }} options
 *   steps: the number of steps wanted (>= 4; reached exactly). procedures: SOPs this one may `use`
 *   (each must end with the outcome `resolved`).
 */
export function generateSop({ id, steps: target, seed, procedures = [], title }) {
  const rng = new Rng(seed);
  const subject = rng.pick(SUBJECTS);
  let count = 0;
  const newId = (text) => `${slug(text)}-${++count}`;
  const blocks = [];

  const task = (text) => {
    const step = { id: newId(text), do: text };
    if (rng.chance(0.3)) step.role = rng.pick(ROLES);
    if (rng.chance(0.4)) step.segment = rng.pick(SEGMENTS);
    if (rng.chance(0.25)) step.checks = rng.sample(CHECKS, rng.int(2, 3));
    if (rng.chance(0.3)) step.record = rng.sample(Object.keys(FIELDS), rng.int(1, 2));
    if (rng.chance(0.2)) step.action = rng.pick(ACTIONS);
    if (rng.chance(0.1)) step.note = rng.pick(NOTES);
    return step;
  };

  // the greeting records what the decisions later test (a `when` on data nothing records is a dead branch)
  blocks.push([
    {
      ...task(rng.pick(GREETINGS)),
      segment: 'greeting',
      record: ['customer_id', 'channel', 'issue_type', 'priority', 'order_total', 'callback_requested'],
    },
  ]);
  const body = target - 3; // the closing block has 3 steps
  let usedProcedure = false;
  while (count < body) {
    const room = body - count;
    const roll = rng.next();
    if (room >= 4 && roll < 0.22) {
      const d = rng.pick(DECISIONS);
      const decision = { id: newId(d.ask), ask: d.ask, choices: [] };
      const branch1 = task(d.branch[0]);
      const branch2 = { ...task(d.branch[1]), next: NEXT };
      delete branch2.end;
      const c = rng.pick(CONDITIONS);
      const { to, escalate, ...when } = c;
      const handoff = escalate
        ? { id: newId('escalate'), escalate: rng.pick(QUEUES), end: 'escalated' }
        : { id: newId(`transfer ${to}`), transfer: to, end: 'transferred' };
      if (rng.chance(0.3)) handoff.note = NOTES[0];
      decision.choices.push({ when, next: handoff.id });
      decision.choices.push({ answer: d.yes, next: NEXT });
      decision.choices.push({ answer: d.no, next: branch1.id });
      blocks.push([decision, branch1, branch2, handoff]);
    } else if (room >= 2 && roll < 0.32) {
      const [holdText, backText] = rng.pick(HOLDS);
      const hold = { id: newId(holdText), do: holdText, segment: 'hold' };
      const back = { id: newId(backText), do: backText, next: hold.id };
      hold.limit = { after: rng.pick(DURATIONS), next: back.id };
      hold.next = NEXT;
      blocks.push([hold, back]);
    } else if (procedures.length > 0 && !usedProcedure && roll < 0.36) {
      const proc = rng.pick(procedures);
      usedProcedure = true;
      blocks.push([{ id: newId(`follow ${proc.id}`), use: proc.id, outcomes: { resolved: NEXT } }]);
    } else {
      blocks.push([task(rng.pick(TASKS))]);
    }
  }
  const survey = { id: newId('customer satisfied'), ask: 'Is the customer satisfied with the resolution?', choices: [] };
  const escalation = { id: newId('escalate complaint'), escalate: rng.pick(QUEUES), end: 'escalated' };
  const close = {
    id: newId('send survey close'),
    do: 'Send the satisfaction survey and close the ticket in the CRM.',
    record: ['satisfaction'],
    action: 'mail.send-survey',
    segment: 'wrap-up',
    end: 'resolved',
  };
  survey.choices.push({ answer: 'Yes', next: close.id }, { answer: 'No', next: escalation.id });
  blocks.push([survey, escalation, close]);

  // resolve "the step after this block"
  for (let b = 0; b < blocks.length; b++) {
    const following = blocks[b + 1]?.[0]?.id;
    for (const step of blocks[b]) {
      if (step.next === NEXT) step.next = following;
      for (const c of step.choices ?? []) if (c.next === NEXT) c.next = following;
      for (const [k, v] of Object.entries(step.outcomes ?? {})) if (v === NEXT) step.outcomes[k] = following;
    }
  }
  const instructions = blocks.flat();

  const purpose = `Every customer contact about ${subject} is answered at once, handled by the first CSR who can help, and recorded in the CRM.`;
  const text = [purpose, ...instructions.flatMap((s) => [s.do, s.ask].filter(Boolean))].join('\n');
  const used = new Set(text.match(ACRONYM) ?? []);
  const terms = Object.fromEntries(Object.entries(TERMS).filter(([k]) => used.has(k)));

  const sop = {
    sopflow: 1,
    id,
    title: title ?? `Handling ${subject}`,
    department: rng.pick(DEPARTMENTS),
    version: `${rng.int(1, 3)}.${rng.int(0, 9)}.${rng.int(0, 9)}`,
    owner: 'cs-ops@example.com',
    review_by: `20${rng.int(30, 35)}-0${rng.int(1, 9)}-${10 + rng.int(0, 18)}`,
    // a far review date keeps the corpus clean for years; the cycle says how far ahead it may be
    review_every: '10y',
    tags: rng.sample(['phone', 'chat', 'email', 'billing', 'returns', 'complaints', 'tier-1', 'tier-2'], 2),
    purpose,
    terms,
    fields: FIELDS,
    instructions,
  };
  return sop;
}

// ---- YAML emitter (block style, flow style for short leaf objects; deterministic) ----

const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n|~)$/i;
function scalar(v, flow) {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const s = String(v);
  const plain = flow ? /^[A-Za-z][A-Za-z0-9 .'_@()/-]*$/ : /^[A-Za-z][A-Za-z0-9 .,'_@()/-]*$/;
  if (plain.test(s) && !RESERVED.test(s) && !s.endsWith(' ') && !s.includes(' -')) return s;
  return JSON.stringify(s);
}
const isLeafObject = (v) =>
  v &&
  typeof v === 'object' &&
  !Array.isArray(v) &&
  Object.values(v).every(
    (x) =>
      typeof x !== 'object' ||
      (x && !Array.isArray(x) && Object.values(x).every((y) => typeof y !== 'object')) ||
      (Array.isArray(x) && x.every((y) => typeof y !== 'object')),
  );
function flow(v) {
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (v && typeof v === 'object')
    return `{ ${Object.entries(v)
      .map(([k, x]) => `${k}: ${flow(x)}`)
      .join(', ')} }`;
  return scalar(v, true);
}
function block(v, indent) {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x !== 'object')) return ` ${flow(v)}\n`;
    return (
      '\n' +
      v
        .map((item) => {
          if (item && typeof item === 'object' && !Array.isArray(item) && indent > 2 && isLeafObject(item))
            return `${pad}- ${flow(item)}\n`;
          const inner = block(item, indent + 2);
          return `${pad}- ${inner.replace(/^\n\s*/, '')}`;
        })
        .join('')
    );
  }
  if (v && typeof v === 'object') {
    const entries = Object.entries(v);
    if (entries.length === 0) return ' {}\n';
    return (
      '\n' +
      entries
        .map(([k, x]) => {
          if (x && typeof x === 'object' && !Array.isArray(x) && indent > 0 && isLeafObject(x) && Object.keys(x).length <= 4)
            return `${pad}${k}: ${flow(x)}\n`;
          return `${pad}${k}:${block(x, indent + 2)}`;
        })
        .join('')
    );
  }
  return ` ${scalar(v, false)}\n`;
}

/** The SOP as YAML text, with the schema comment editors use. */
export function toYaml(sop, schemaRef = '../../../schemas/sop.schema.json') {
  return `# yaml-language-server: $schema=${schemaRef}\n` + block(sop, 0).replace(/^\n/, '');
}
