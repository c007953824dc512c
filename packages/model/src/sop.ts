/**
 * The SOP document model: the TypeScript view of `schemas/sop.schema.json`.
 * The schema is the authority; `test/schema.test.ts` in @sopflow/core fails when the key
 * tables below (`SOP_KEYS`, `STEP_KEYS`…) and the schema's `properties` disagree.
 */

/** A duration: `45s`, `5m`, `2h`, `3d`, `1m30s`, `500ms` or ISO 8601 (`PT60S`). */
export type Duration = string;

/** The types of a field holding one value. */
export type ScalarFieldType = 'string' | 'number' | 'integer' | 'boolean' | 'date';
export type FieldType = ScalarFieldType | 'list';

/** One value: text, a number or true/false. `date` fields hold `YYYY-MM-DD` strings. */
export type ScalarValue = string | number | boolean;

/** A value a field can hold once recorded: one value, or for a `list` field a list of them. */
export type FieldValue = ScalarValue | ScalarValue[];

/** What the items of a `list` field are: their type, and optionally the only values allowed and bounds. */
export interface ListItems {
  type: ScalarFieldType;
  enum?: ScalarValue[];
  minimum?: number;
  maximum?: number;
}

export interface FieldDef {
  type: FieldType;
  label?: string;
  description?: string;
  required?: boolean;
  enum?: ScalarValue[];
  minimum?: number;
  maximum?: number;
  /** `list` fields: what each item is */
  items?: ListItems;
}

/** A condition on recorded data, used by `when` choices. Exactly one operator besides `field`. */
export interface Condition {
  field: string;
  equals?: ScalarValue;
  not_equals?: ScalarValue;
  in?: ScalarValue[];
  /** a `list` field holds this value among its items */
  contains?: ScalarValue;
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  /** true: the field has been recorded; false: it has not. */
  set?: boolean;
}

export interface Choice {
  /** Taken by the person: the answer they pick. */
  answer?: string;
  /** Taken from recorded data: tried in order on entering the decision. */
  when?: Condition;
  /** The step this choice leads to. */
  next: string;
}

export interface Limit {
  after: Duration;
  next: string;
}

export interface Step {
  id?: string;
  /** task */
  do?: string;
  /** decision */
  ask?: string;
  choices?: Choice[];
  /** sub-procedure: the id of another SOP */
  use?: string;
  /** child outcome -> next step */
  outcomes?: Record<string, string>;
  /** hand-off */
  transfer?: string;
  escalate?: string;
  /** ends the run with this outcome once the step is done */
  end?: string;
  next?: string;
  role?: string;
  segment?: string;
  checks?: string[];
  record?: string[];
  action?: string | string[];
  limit?: Limit;
  note?: string;
  /** waiting step: what the run waits for (completed by the signal named in `until`) */
  wait?: string;
  /** waiting step: the name of the signal the host sends when the wait is over */
  until?: string;
  /** sub-procedure: data passed in, `{ child_field: parent_field }` */
  with?: Record<string, string>;
  /** sub-procedure: data taken back when it ends, `{ parent_field: child_field }` */
  returns?: Record<string, string>;
  /** a time goal that does not branch: the journal says whether the step was left within it */
  target?: Duration;
}

export interface Sop {
  sopflow: 1;
  id: string;
  title: string;
  department?: string;
  version?: string;
  owner?: string;
  review_by?: string;
  /** the review cycle: `1y`, `6mo`, `2w`, `90d` (or ISO 8601 `P1Y`) */
  review_every?: string;
  tags?: string[];
  purpose?: string;
  /** conduct that holds for the whole SOP, shown at the top of every render and in the run view */
  rules?: string[];
  /** a time goal for a whole run of the SOP, from its first step to its end */
  target?: Duration;
  terms?: Record<string, string>;
  fields?: Record<string, FieldDef>;
  instructions: Step[];
}

type KeyTable<T> = { readonly [K in keyof Required<T>]: true };

/** Every key of each object in the format. Compile-time complete against the interfaces
 *  above; compared at test time with the schema's `properties` so neither can drift. */
export const SOP_KEYS: KeyTable<Sop> = {
  sopflow: true,
  id: true,
  title: true,
  department: true,
  version: true,
  owner: true,
  review_by: true,
  review_every: true,
  tags: true,
  purpose: true,
  rules: true,
  target: true,
  terms: true,
  fields: true,
  instructions: true,
};
export const STEP_KEYS: KeyTable<Step> = {
  id: true,
  do: true,
  ask: true,
  choices: true,
  use: true,
  outcomes: true,
  transfer: true,
  escalate: true,
  end: true,
  next: true,
  role: true,
  segment: true,
  checks: true,
  record: true,
  action: true,
  limit: true,
  note: true,
  wait: true,
  until: true,
  with: true,
  returns: true,
  target: true,
};
export const CHOICE_KEYS: KeyTable<Choice> = { answer: true, when: true, next: true };
export const LIMIT_KEYS: KeyTable<Limit> = { after: true, next: true };
export const FIELD_KEYS: KeyTable<FieldDef> = {
  type: true,
  label: true,
  description: true,
  required: true,
  enum: true,
  minimum: true,
  maximum: true,
  items: true,
};
export const LIST_ITEMS_KEYS: KeyTable<ListItems> = { type: true, enum: true, minimum: true, maximum: true };
export const CONDITION_KEYS: KeyTable<Condition> = {
  field: true,
  equals: true,
  not_equals: true,
  in: true,
  contains: true,
  gt: true,
  gte: true,
  lt: true,
  lte: true,
  set: true,
};
