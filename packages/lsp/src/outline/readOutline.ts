import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { stepKind, type StepKind } from '@sopflow/model';
import { depthBound } from './depthBound.js';

/** A stretch of the document's text: offsets (UTF-16 code units), end exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** A name written in the document (a step id, a field, an SOP id…) and where. */
export interface NameAt {
  name: string;
  span: Span;
  /** the step it sits in (reading order, 0-based), when it sits in one */
  step?: number;
}

/** Where one step references another by id. */
export type StepRefKind = 'next' | 'choice' | 'outcome' | 'limit';

export interface StepRef extends NameAt {
  kind: StepRefKind;
  step: number;
}

/** Where a field name is written: declared in `fields`, or used by a step. */
export type FieldRole = 'record' | 'when' | 'with' | 'returns';

export interface FieldRef extends NameAt {
  role: FieldRole;
  step: number;
  /** set when the name is a field of the sub-procedure (`with` keys, `returns` values), not of this SOP */
  child?: string;
}

export interface StepEntry {
  index: number;
  /** the explicit id, or `step-N` for a step without one */
  id: string;
  explicit: boolean;
  /** the id's value, when written */
  idSpan?: Span;
  /** the whole step (its mapping) */
  span: Span;
  /** where the step's first key starts (for inserting an `id`) */
  firstKey?: Span;
  /** true when the step is written `{ … }` */
  flow: boolean;
  kind: StepKind | string;
  /** what the person reads: `do`, `ask`, the hand-off, the sub-procedure… */
  text: string;
  /** `use:` target */
  use?: string;
  /** choices (for the outline): label and span */
  choices: { label: string; next?: string; span: Span }[];
}

export interface TermEntry extends NameAt {
  meaning: string;
}

export interface FieldEntry extends NameAt {
  type?: string;
  label?: string;
}

/**
 * What the editor features need of one SOP file: every step, id, reference, field and term
 * with its place in the text. Read with `yaml` (the YAML authority core uses), tolerant of
 * files that are half-written: whatever can be recognised is listed, the rest ignored.
 */
export interface Outline {
  text: string;
  /** undefined when the text was not parsed (too deep), or for a spliced outline (see `splice`) */
  doc: Document | undefined;
  /** true when the text was parsed (fully, or spliced into an outline that was) */
  parsed: boolean;
  /**
   * Set when this outline was made from an earlier one by reading again only the step an edit
   * fell in (`spliceOutline`): that step's own document, and the earlier outline for the rest.
   */
  splice?: Splice;
  sopId?: NameAt;
  title?: string;
  steps: StepEntry[];
  stepRefs: StepRef[];
  fields: FieldEntry[];
  fieldRefs: FieldRef[];
  terms: TermEntry[];
  /** the `terms` mapping (or its key, when it holds nothing), for adding a term */
  termsNode?: { key: Span; value?: Span; flow: boolean; items: Span[] };
  uses: NameAt[];
  /** keys of `outcomes` (outcomes of the sub-procedure) */
  outcomeKeys: (NameAt & { use?: string })[];
  /** `end:` outcomes of this SOP */
  ends: NameAt[];
  /** top-level keys, in order */
  topKeys: NameAt[];
}

/** An outline read again for one step only: offsets before `start` are the base's, after the step they move by `delta`. */
export interface Splice {
  base: Outline;
  /** the step read again (its index) and its span in the new text */
  index: number;
  start: number;
  end: number;
  /** the step alone, parsed at its offsets in the new text */
  stepDoc: Document;
  /** new length minus old length */
  delta: number;
  /** how many splices stack on the last full read, this one included */
  depth: number;
}

/** Files nested deeper than this are not parsed for editor features (core refuses them past 500). */
export const OUTLINE_MAX_DEPTH = 400;

const spanOf = (node: Node | null | undefined): Span | undefined =>
  node?.range ? { start: node.range[0], end: node.range[1] } : undefined;

const str = (node: unknown): string | undefined => (isScalar(node) && typeof node.value === 'string' ? node.value : undefined);

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  for (const pair of map.items) if (isScalar(pair.key) && pair.key.value === key) return pair;
  return undefined;
}

const scalarName = (node: unknown, step?: number): NameAt | undefined => {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  if (value === null || value === undefined || typeof value === 'object') return undefined;
  const span = spanOf(node);
  return span ? { name: String(value), span, ...(step !== undefined ? { step } : {}) } : undefined;
};

/** Reads the outline of an SOP text. Never throws. */
export function readOutline(text: string): Outline {
  const outline = emptyOutline(text);
  // the yaml parser overflows the stack on deep nesting, and a second overflow can abort Node (stack-notes)
  if (depthBound(text) > OUTLINE_MAX_DEPTH) return outline;
  let doc: Document;
  try {
    doc = parseDocument(text, PARSE_OPTIONS);
  } catch {
    return outline;
  }
  outline.doc = doc;
  outline.parsed = true;
  try {
    walk(doc, outline);
  } catch {
    // a shape nobody foresaw: keep what was read
  }
  return outline;
}

export const PARSE_OPTIONS = { keepSourceTokens: false, uniqueKeys: false, logLevel: 'silent', prettyErrors: false } as const;

export function emptyOutline(text: string): Outline {
  return {
    text,
    doc: undefined,
    parsed: false,
    steps: [],
    stepRefs: [],
    fields: [],
    fieldRefs: [],
    terms: [],
    uses: [],
    outcomeKeys: [],
    ends: [],
    topKeys: [],
  };
}

function walk(doc: Document, outline: Outline): void {
  const root = doc.contents;
  if (!isMap(root)) return;
  for (const pair of root.items) {
    const key = scalarName(pair.key);
    if (key) outline.topKeys.push(key);
  }
  const id = pairOf(root, 'id');
  const sopId = scalarName(id?.value);
  if (sopId) outline.sopId = sopId;
  const title = str(pairOf(root, 'title')?.value);
  if (title !== undefined) outline.title = title;

  const terms = pairOf(root, 'terms');
  if (terms) {
    const keySpan = spanOf(terms.key as Node)!;
    if (isMap(terms.value)) {
      const items: Span[] = [];
      for (const pair of terms.value.items) {
        const name = scalarName(pair.key);
        if (!name) continue;
        items.push({ start: name.span.start, end: spanOf(pair.value as Node)?.end ?? name.span.end });
        const meaning = isScalar(pair.value) ? String(pair.value.value ?? '') : '';
        outline.terms.push({ ...name, meaning });
      }
      outline.termsNode = { key: keySpan, value: spanOf(terms.value)!, flow: terms.value.flow === true, items };
    } else if (keySpan) {
      const value = spanOf(terms.value as Node);
      outline.termsNode = { key: keySpan, ...(value ? { value } : {}), flow: false, items: [] };
    }
  }

  const fields = pairOf(root, 'fields')?.value;
  if (isMap(fields)) {
    for (const pair of fields.items) {
      const name = scalarName(pair.key);
      if (!name) continue;
      const def = isMap(pair.value) ? pair.value : undefined;
      const type = def ? str(pairOf(def, 'type')?.value) : undefined;
      const label = def ? str(pairOf(def, 'label')?.value) : undefined;
      outline.fields.push({ ...name, ...(type ? { type } : {}), ...(label ? { label } : {}) });
    }
  }

  const instructions = pairOf(root, 'instructions')?.value;
  if (!isSeq(instructions)) return;
  instructions.items.forEach((item, index) => {
    const node = item as Node | null;
    const span = spanOf(node) ?? { start: 0, end: 0 };
    if (!isMap(node)) {
      outline.steps.push({ index, id: `step-${index + 1}`, explicit: false, span, flow: false, kind: 'task', text: '', choices: [] });
      return;
    }
    readStep(node, index, span, outline);
  });
}

/** The step as plain data for `stepKind` (its scalar keys only: enough to tell the kind). */
function shallowData(map: YAMLMap): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue;
    const k = String(pair.key.value);
    data[k] = isScalar(pair.value) ? pair.value.value : pair.value === null ? null : {};
  }
  return data;
}

export function readStep(map: YAMLMap, index: number, span: Span, outline: Outline): void {
  const data = shallowData(map);
  const idPair = pairOf(map, 'id');
  const explicitId = typeof data.id === 'string' && data.id !== '' ? data.id : undefined;
  let kind: string = 'task';
  try {
    kind = stepKind(data);
  } catch {
    // keep `task`
  }
  const textOf = (): string => {
    for (const key of ['do', 'ask', 'wait', 'transfer', 'escalate', 'use', 'end']) {
      const value = data[key];
      if (typeof value === 'string') {
        if (key === 'transfer') return `Transfer to ${value}`;
        if (key === 'escalate') return `Escalate to ${value}`;
        if (key === 'use') return `Run the SOP ${value}`;
        if (key === 'end') return `End: ${value}`;
        return value;
      }
    }
    return '';
  };
  const first = map.items[0];
  const firstKey = first ? spanOf(first.key as Node) : undefined;
  const entry: StepEntry = {
    index,
    id: explicitId ?? `step-${index + 1}`,
    explicit: explicitId !== undefined,
    span,
    flow: map.flow === true,
    kind,
    text: textOf().trim(),
    choices: [],
    ...(firstKey ? { firstKey } : {}),
  };
  const idSpan = explicitId !== undefined ? spanOf(idPair?.value as Node) : undefined;
  if (idSpan) entry.idSpan = idSpan;
  if (typeof data.use === 'string') entry.use = data.use;
  outline.steps.push(entry);

  const ref = (node: unknown, kind: StepRefKind) => {
    const name = scalarName(node, index);
    if (name) outline.stepRefs.push({ ...name, kind, step: index });
  };
  const fieldRef = (node: unknown, role: FieldRole, child?: string) => {
    const name = scalarName(node, index);
    if (name) outline.fieldRefs.push({ ...name, role, step: index, ...(child !== undefined ? { child } : {}) });
  };

  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const value = pair.value as Node | null;
    switch (key) {
      case 'next':
        ref(value, 'next');
        break;
      case 'end': {
        const name = scalarName(value, index);
        if (name) outline.ends.push(name);
        break;
      }
      case 'use': {
        const name = scalarName(value, index);
        if (name) outline.uses.push(name);
        break;
      }
      case 'choices':
        if (isSeq(value)) {
          for (const choice of value.items) {
            if (!isMap(choice)) continue;
            const next = pairOf(choice, 'next');
            ref(next?.value, 'choice');
            const answer = str(pairOf(choice, 'answer')?.value);
            const when = pairOf(choice, 'when')?.value;
            const field = isMap(when) ? pairOf(when, 'field') : undefined;
            if (field) fieldRef(field.value, 'when');
            const whenField = field ? str(field.value) : undefined;
            entry.choices.push({
              label: answer ?? (whenField !== undefined ? `when ${whenField}` : 'choice'),
              ...(str(next?.value) !== undefined ? { next: str(next?.value)! } : {}),
              span: spanOf(choice) ?? span,
            });
          }
        }
        break;
      case 'outcomes':
        if (isMap(value)) {
          for (const outcome of value.items) {
            const name = scalarName(outcome.key, index);
            if (name) outline.outcomeKeys.push({ ...name, ...(entry.use ? { use: entry.use } : {}) });
            ref(outcome.value, 'outcome');
          }
        }
        break;
      case 'limit':
        if (isMap(value)) ref(pairOf(value, 'next')?.value, 'limit');
        break;
      case 'record':
        if (isSeq(value)) for (const item of value.items) fieldRef(item, 'record');
        else fieldRef(value, 'record');
        break;
      case 'with':
      case 'returns':
        if (isMap(value)) {
          for (const p of value.items) {
            // with: { child_field: parent_field }; returns: { parent_field: child_field }
            fieldRef(p.key, key, key === 'with' ? (entry.use ?? '') : undefined);
            fieldRef(p.value, key, key === 'returns' ? (entry.use ?? '') : undefined);
          }
        }
        break;
      default:
    }
  }
}

/** The step whose span holds `offset`. */
export function stepAt(outline: Outline, offset: number): StepEntry | undefined {
  let lo = 0;
  let hi = outline.steps.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const step = outline.steps[mid]!;
    if (offset < step.span.start) hi = mid - 1;
    else if (offset > step.span.end) lo = mid + 1;
    else return step;
  }
  return undefined;
}

/** Steps by id (the first wins when ids repeat: duplicate-id reports the others). */
export function stepsById(outline: Outline): Map<string, StepEntry> {
  const out = new Map<string, StepEntry>();
  for (const step of outline.steps) if (!out.has(step.id)) out.set(step.id, step);
  return out;
}

export const within = (span: Span, offset: number): boolean => offset >= span.start && offset <= span.end;
