import { closest } from '../shared/didYouMean.js';
import { hasOwn } from '../shared/show.js';

/** The kinds of mapping in an SOP file (the schema marks each with `x-sopflow.kind`). */
export type ObjectKind = 'sop' | 'step' | 'choice' | 'condition' | 'limit' | 'field';

/** Common words authors reach for, mapped to the key sopflow uses. Checked before edit distance. */
export const SYNONYMS: Record<ObjectKind, Record<string, string>> = {
  sop: {
    name: 'title', heading: 'title', steps: 'instructions', procedure: 'instructions', flow: 'instructions',
    description: 'purpose', objective: 'purpose', goal: 'purpose', scope: 'purpose', summary: 'purpose',
    glossary: 'terms', definitions: 'terms', acronyms: 'terms', abbreviations: 'terms',
    review: 'review_by', review_date: 'review_by', reviewby: 'review_by', reviewBy: 'review_by', next_review: 'review_by', expires: 'review_by',
    author: 'owner', maintainer: 'owner', contact: 'owner', dept: 'department', team: 'department',
    data: 'fields', variables: 'fields', inputs: 'fields', tag: 'tags', labels: 'tags', keywords: 'tags',
    format: 'sopflow', schema: 'sopflow',
  },
  step: {
    then: 'next', goto: 'next', go_to: 'next', next_step: 'next', to: 'next', jump: 'next',
    question: 'ask', decision: 'ask', if: 'ask', prompt: 'ask',
    options: 'choices', answers: 'choices', branches: 'choices', choice: 'choices',
    outcome: 'end', result: 'end', finish: 'end', stop: 'end', ends: 'end',
    call: 'use', procedure: 'use', run: 'use', include: 'use', subprocedure: 'use', sub_procedure: 'use', sop: 'use',
    handoff: 'transfer', hand_off: 'transfer', forward: 'transfer', route: 'transfer', transfer_to: 'transfer',
    escalation: 'escalate', escalate_to: 'escalate',
    description: 'do', text: 'do', task: 'do', instruction: 'do', step: 'do', say: 'do', action_text: 'do', todo: 'do',
    timeout: 'limit', time_limit: 'limit', timer: 'limit', after: 'limit', deadline: 'limit', sla: 'limit',
    notes: 'note', comment: 'note', tip: 'note', remark: 'note',
    check: 'checks', checklist: 'checks', substeps: 'checks',
    records: 'record', capture: 'record', collect: 'record', save: 'record', fields: 'record',
    actions: 'action', effect: 'action', effects: 'action',
    who: 'role', owner: 'role', assignee: 'role', actor: 'role', performer: 'role',
    phase: 'segment', stage: 'segment',
    name: 'id', key: 'id', label: 'id',
  },
  choice: {
    label: 'answer', text: 'answer', option: 'answer', value: 'answer', reply: 'answer', if_answer: 'answer',
    condition: 'when', if: 'when', where: 'when',
    then: 'next', goto: 'next', go_to: 'next', to: 'next', step: 'next',
  },
  limit: {
    timeout: 'after', duration: 'after', time: 'after', within: 'after', wait: 'after',
    then: 'next', goto: 'next', go_to: 'next', to: 'next',
  },
  field: {
    kind: 'type', datatype: 'type', data_type: 'type',
    name: 'label', title: 'label', options: 'enum', values: 'enum', choices: 'enum', allowed: 'enum',
    min: 'minimum', max: 'maximum', mandatory: 'required', optional: 'required', desc: 'description', help: 'description',
  },
  condition: {
    name: 'field', key: 'field', variable: 'field',
    is: 'equals', eq: 'equals', equal: 'equals', equal_to: 'equals', value: 'equals',
    ne: 'not_equals', neq: 'not_equals', not: 'not_equals', is_not: 'not_equals', not_equal: 'not_equals',
    one_of: 'in', any_of: 'in', oneOf: 'in', values: 'in',
    greater_than: 'gt', more_than: 'gt', above: 'gt', min: 'gte', at_least: 'gte',
    less_than: 'lt', below: 'lt', max: 'lte', at_most: 'lte',
    exists: 'set', recorded: 'set', present: 'set',
  },
};

/** Other names authors use for field types. */
export const TYPE_SYNONYMS: Record<string, string> = {
  text: 'string', str: 'string', int: 'integer', float: 'number', decimal: 'number', double: 'number',
  bool: 'boolean', yes_no: 'boolean', datetime: 'date', day: 'date',
};

/** What each kind is called in a message. */
export const KIND_NOUN: Record<ObjectKind, string> = {
  sop: 'at the top level', step: 'in a step', choice: 'in a choice', condition: 'in a `when` condition',
  limit: 'in a `limit`', field: 'in a field definition',
};

/** The key that names the nearest valid one for `key` in a `kind` mapping whose keys are `keys`. */
export function suggestKey(kind: ObjectKind, key: string, keys: readonly string[]): string | undefined {
  const synonyms = SYNONYMS[kind];
  if (hasOwn(synonyms, key)) return synonyms[key];
  const lower = key.toLowerCase();
  if (hasOwn(synonyms, lower)) return synonyms[lower];
  return closest(key, keys);
}
