import type { DocPath, Sop } from '@sopflow/model';

export interface TextItem {
  path: DocPath;
  text: string;
  /** a definition in `terms` (its term's name) */
  term?: string;
  /** department, owner, tags: they count as using a term, but are not prose to check for acronyms */
  metadata?: boolean;
}

/** Every piece of text people read, in reading order (ids and actions excluded; metadata marked). */
export function proseOf(sop: Sop): TextItem[] {
  const out: TextItem[] = [];
  const add = (path: DocPath, text: unknown) => {
    if (typeof text === 'string' && text !== '') out.push({ path, text });
  };
  const meta = (path: DocPath, text: unknown) => {
    if (typeof text === 'string' && text !== '') out.push({ path, text, metadata: true });
  };
  add(['title'], sop.title);
  meta(['department'], sop.department);
  meta(['owner'], sop.owner);
  const tags = sop.tags ?? [];
  for (let i = 0; i < tags.length; i++) meta(['tags', i], tags[i]);
  add(['purpose'], sop.purpose);
  const rules = Array.isArray(sop.rules) ? sop.rules : [];
  for (let i = 0; i < rules.length; i++) add(['rules', i], rules[i]);
  for (const [term, meaning] of Object.entries(sop.terms ?? {})) {
    if (typeof meaning === 'string' && meaning !== '') out.push({ path: ['terms', term], text: meaning, term });
  }
  for (const [name, field] of Object.entries(sop.fields ?? {})) {
    add(['fields', name, 'label'], field.label);
    add(['fields', name, 'description'], field.description);
  }
  const steps = sop.instructions;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    // written out (no spread): this runs for every step of every file
    if (step.do !== undefined) add(['instructions', i, 'do'], step.do);
    if (step.ask !== undefined) add(['instructions', i, 'ask'], step.ask);
    const choices = step.choices;
    if (choices !== undefined)
      for (let j = 0; j < choices.length; j++) add(['instructions', i, 'choices', j, 'answer'], choices[j]!.answer);
    if (step.transfer !== undefined) add(['instructions', i, 'transfer'], step.transfer);
    if (step.escalate !== undefined) add(['instructions', i, 'escalate'], step.escalate);
    if (step.role !== undefined) add(['instructions', i, 'role'], step.role);
    if (step.segment !== undefined) add(['instructions', i, 'segment'], step.segment);
    const checks = step.checks;
    if (checks !== undefined) for (let j = 0; j < checks.length; j++) add(['instructions', i, 'checks', j], checks[j]);
    if (step.note !== undefined) add(['instructions', i, 'note'], step.note);
  }
  return out;
}
