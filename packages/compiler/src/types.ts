import type { Condition, FieldDef, FieldValue, Handoff, StepKind } from '@sopflow/model';

/** What a UI needs to show one step, kept in the state's `meta.step`. */
export interface StepMeta {
  /** the step id as written in the SOP */
  id: string;
  /** the state key (the id, encoded for XState) */
  key: string;
  /** reading order, 0-based (state keys that look like integers are ordered first by JS) */
  index: number;
  kind: StepKind;
  text: string;
  role?: string;
  segment?: string;
  note?: string;
  checks: string[];
  /** fields this step records */
  record: string[];
  /** the fields in `record` that are `required` */
  required: string[];
  /** named actions the host binds; they run when the step is done */
  actions: string[];
  /** the step that follows once this one is done (absent when it ends the run, and for
   *  decisions, whose choices say where to go); for a sub-procedure: where an outcome not
   *  listed in `outcomes` goes */
  next?: string;
  handoff?: Handoff;
  /** waiting step: the name of the signal that completes it */
  until?: string;
  /** decision: the choices in order (`answer` ones are picked by the person, `when` ones by data) */
  choices?: { answer?: string; when?: Condition; next: string }[];
  /** sub-procedure: the SOP id it runs and how its outcomes map to steps */
  use?: string;
  outcomes?: Record<string, string>;
  /** sub-procedure: data passed in (`{ child_field: parent_field }`) and taken back (`{ parent_field: child_field }`) */
  with?: Record<string, string>;
  returns?: Record<string, string>;
  /** the outcome the run ends with once this step is done */
  end?: string;
  /** `event` is the XState event that fires it */
  limit?: { after: string; ms: number; next: string; event: string };
  /** a time goal that does not branch: the journal's `step-left` says whether it was met */
  target?: { after: string; ms: number };
}

/** The SOP-level part of the config, kept in the root `meta.sopflow`. */
export interface SopMeta {
  /** the version of this config format (2: steps carry `next`, `until`, `with`, `returns`) */
  format: typeof CONFIG_FORMAT;
  id: string;
  title: string;
  version?: string;
  /** content hash of the whole config (computed with this field set to '') */
  hash: string;
  /** the first step's id */
  start: string;
  fields: Record<string, FieldDef>;
  outcomes: string[];
  /** every named action of this SOP and of every procedure it runs (sorted) */
  actions: string[];
  /** the SOP ids this SOP's `use` steps run directly */
  uses: string[];
  /** conduct that holds for the whole SOP (`rules`), shown in the run view */
  rules?: string[];
  /** a time goal for a whole run of this SOP: `run-ended` (or, for a procedure, `procedure-ended`) says whether it was met */
  target?: { after: string; ms: number };
  /** root config only: the config of every procedure run at any depth, by SOP id */
  procedures?: Record<string, SopMachineConfig>;
}

/** The format of configs this compiler writes (and `readCompiledSop` reads). */
export const CONFIG_FORMAT = 2;

/** The context of a compiled machine under plain XState. */
export interface SopContext {
  /** recorded data */
  data: Record<string, FieldValue>;
}

/** A plain-JSON XState machine config (JSON.stringify round-trips it). */
export interface SopMachineConfig {
  id: string;
  initial: string;
  context: SopContext;
  meta: { sopflow: SopMeta };
  on: Record<string, unknown>;
  states: Record<string, SopStateConfig>;
}

export interface SopStateConfig {
  type?: 'final';
  meta: { step?: StepMeta; end?: string };
  output?: { outcome: string };
  entry?: JsonAction[];
  exit?: JsonAction[];
  on?: Record<string, JsonTransition | JsonTransition[]>;
  always?: JsonTransition[];
  after?: Record<string, JsonTransition>;
  invoke?: { id: string; src: string; onDone: JsonTransition[] };
  description?: string;
}

export interface JsonAction {
  type: string;
  params?: Record<string, unknown>;
}

export interface JsonTransition {
  target?: string;
  guard?: JsonAction;
  actions?: JsonAction[];
}

/** Thrown for an SOP that cannot be compiled (validate it first: `validateProject`). */
export class CompileError extends Error {
  override name = 'CompileError';
}
