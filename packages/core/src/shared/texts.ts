import { stepValuesOf, type DocPath, type SopGraph, type Sop, type Step, type StepValues } from '@sopflow/model';

/**
 * What a text is: its kind decides its document path, together with the key kept with it (a list
 * index, a term or a field name, a step index) and, for lists inside a step, the item index.
 */
export const Kind = {
  Title: 0,
  Department: 1,
  Owner: 2,
  Tag: 3,
  Purpose: 4,
  Rule: 5,
  Term: 6,
  FieldLabel: 7,
  FieldDescription: 8,
  Do: 9,
  Ask: 10,
  Answer: 11,
  Transfer: 12,
  Escalate: 13,
  Role: 14,
  Segment: 15,
  Check: 16,
  Note: 17,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** The key under `instructions.<i>` of each kind of step text that is not in a list. */
const STEP_PART: Partial<Record<Kind, string>> = {
  [Kind.Do]: 'do',
  [Kind.Ask]: 'ask',
  [Kind.Transfer]: 'transfer',
  [Kind.Escalate]: 'escalate',
  [Kind.Role]: 'role',
  [Kind.Segment]: 'segment',
  [Kind.Note]: 'note',
};

const isText = (text: unknown): text is string => typeof text === 'string' && text !== '';

/**
 * Every piece of text people read, in reading order (ids and actions excluded), and where each
 * is. The texts are kept in one array and their places as numbers and names in parallel ones:
 * the document path of a text is made only when asked (`pathOf`), as only a finding needs one,
 * and an object and a path array per text of every file checked were much of the cost of
 * reading the prose.
 */
export class Prose {
  readonly texts: string[] = [];
  private readonly kinds: Kind[] = [];
  /** the step, tag or rule index, or the term or field name */
  private readonly keys: (string | number)[] = [];
  /** the index of an answer among the choices, of a check among the checks; -1 otherwise */
  private readonly items: number[] = [];

  add(kind: Kind, text: unknown, key: string | number = -1, item = -1): void {
    if (!isText(text)) return;
    this.texts.push(text);
    this.kinds.push(kind);
    this.keys.push(key);
    this.items.push(item);
  }

  /** department, owner, tags: they count as using a term, but are not prose to check for acronyms */
  isMetadata(i: number): boolean {
    const kind = this.kinds[i];
    return kind === Kind.Department || kind === Kind.Owner || kind === Kind.Tag;
  }

  /** for a definition in `terms`, its term's name */
  termOf(i: number): string | undefined {
    return this.kinds[i] === Kind.Term ? (this.keys[i] as string) : undefined;
  }

  pathOf(i: number): DocPath {
    const kind = this.kinds[i]!;
    const key = this.keys[i]!;
    switch (kind) {
      case Kind.Title:
        return ['title'];
      case Kind.Department:
        return ['department'];
      case Kind.Owner:
        return ['owner'];
      case Kind.Tag:
        return ['tags', key];
      case Kind.Purpose:
        return ['purpose'];
      case Kind.Rule:
        return ['rules', key];
      case Kind.Term:
        return ['terms', key];
      case Kind.FieldLabel:
        return ['fields', key, 'label'];
      case Kind.FieldDescription:
        return ['fields', key, 'description'];
      case Kind.Answer:
        return ['instructions', key, 'choices', this.items[i]!, 'answer'];
      case Kind.Check:
        return ['instructions', key, 'checks', this.items[i]!];
      default:
        return ['instructions', key, STEP_PART[kind]!];
    }
  }
}

/**
 * Every piece of text people read, in reading order (ids and actions excluded; metadata marked).
 * With the SOP's graph (`buildSopGraph(sop)`), the steps' texts are read from the values the graph
 * builder read (`stepValuesOf`, one object shape) rather than from the steps themselves (as many
 * shapes as sets and orders of keys, so each of the ~10 named reads per step was a megamorphic
 * lookup): the same texts in the same order.
 */
export function proseOf(sop: Sop, graph?: SopGraph): Prose {
  const prose = new Prose();
  // written out (no closures, no spread): this runs for every step of every file
  prose.add(Kind.Title, sop.title);
  prose.add(Kind.Department, sop.department);
  prose.add(Kind.Owner, sop.owner);
  const tags = sop.tags ?? [];
  for (let i = 0; i < tags.length; i++) prose.add(Kind.Tag, tags[i], i);
  prose.add(Kind.Purpose, sop.purpose);
  const rules = Array.isArray(sop.rules) ? sop.rules : [];
  for (let i = 0; i < rules.length; i++) prose.add(Kind.Rule, rules[i], i);
  const terms = sop.terms ?? {};
  for (const term of Object.keys(terms)) prose.add(Kind.Term, terms[term], term);
  const fields = sop.fields ?? {};
  for (const name of Object.keys(fields)) {
    const field = fields[name]!;
    prose.add(Kind.FieldLabel, field.label, name);
    prose.add(Kind.FieldDescription, field.description, name);
  }
  const values = graph === undefined || graph.sop !== sop ? undefined : stepValuesOf(graph);
  if (values !== undefined) {
    const nodes = graph!.nodes;
    for (let k = 0; k < values.length; k++) addStep(prose, values[k]!, nodes[k]!.index);
  } else {
    const steps = sop.instructions;
    for (let i = 0; i < steps.length; i++) addStep(prose, steps[i]!, i);
  }
  return prose;
}

/** The texts of step `i`. */
function addStep(prose: Prose, step: Step | StepValues, i: number): void {
  if (step.do !== undefined) prose.add(Kind.Do, step.do, i);
  if (step.ask !== undefined) prose.add(Kind.Ask, step.ask, i);
  const choices = step.choices;
  if (choices !== undefined) for (let j = 0; j < choices.length; j++) prose.add(Kind.Answer, choices[j]!.answer, i, j);
  if (step.transfer !== undefined) prose.add(Kind.Transfer, step.transfer, i);
  if (step.escalate !== undefined) prose.add(Kind.Escalate, step.escalate, i);
  if (step.role !== undefined) prose.add(Kind.Role, step.role, i);
  if (step.segment !== undefined) prose.add(Kind.Segment, step.segment, i);
  const checks = step.checks;
  if (checks !== undefined) for (let j = 0; j < checks.length; j++) prose.add(Kind.Check, checks[j], i, j);
  if (step.note !== undefined) prose.add(Kind.Note, step.note, i);
}
