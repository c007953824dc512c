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
  const add = (path: DocPath, text: unknown, term?: string) => {
    if (typeof text === 'string' && text !== '') out.push(term === undefined ? { path, text } : { path, text, term });
  };
  const meta = (path: DocPath, text: unknown) => {
    if (typeof text === 'string' && text !== '') out.push({ path, text, metadata: true });
  };
  add(['title'], sop.title);
  meta(['department'], sop.department);
  meta(['owner'], sop.owner);
  (sop.tags ?? []).forEach((tag, i) => meta(['tags', i], tag));
  add(['purpose'], sop.purpose);
  for (const [term, meaning] of Object.entries(sop.terms ?? {})) add(['terms', term], meaning, term);
  for (const [name, field] of Object.entries(sop.fields ?? {})) {
    add(['fields', name, 'label'], field.label);
    add(['fields', name, 'description'], field.description);
  }
  sop.instructions.forEach((step, i) => {
    const at = (...rest: (string | number)[]): DocPath => ['instructions', i, ...rest];
    add(at('do'), step.do);
    add(at('ask'), step.ask);
    (step.choices ?? []).forEach((c, j) => add(at('choices', j, 'answer'), c.answer));
    add(at('transfer'), step.transfer);
    add(at('escalate'), step.escalate);
    add(at('role'), step.role);
    add(at('segment'), step.segment);
    (step.checks ?? []).forEach((c, j) => add(at('checks', j), c));
    add(at('note'), step.note);
  });
  return out;
}
