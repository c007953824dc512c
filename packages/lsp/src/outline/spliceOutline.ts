import { isMap, parseDocument, type Document } from 'yaml';
import { depthBound } from './depthBound.js';
import {
  emptyOutline,
  OUTLINE_MAX_DEPTH,
  PARSE_OPTIONS,
  readStep,
  stepAt,
  type NameAt,
  type Outline,
  type Span,
  type StepEntry,
} from './readOutline.js';

/** How many splices may stack on one full read (each keeps its text alive) before the text is read in full again. */
export const MAX_CHAIN = 16;

/**
 * The outline of `text` from the outline of an earlier text, when the two differ inside one
 * step only (the common case while typing): that step alone is parsed again, at its own
 * offsets (everything before it blanked, line breaks kept), and every offset after it moves by
 * the change in length. Parsing a 5,000-step file costs hundreds of milliseconds; one step, a
 * fraction of one. Returns undefined whenever the result could differ from a full read: the
 * change touches a step's first key or reaches past its end, the step no longer reads as one
 * mapping ending where it should, or YAML reports anything in it or in the text it was spliced
 * into. Then the caller reads the whole text. `base` may itself be spliced (up to `MAX_CHAIN`
 * deep), so edits in one step after another are each a splice.
 */
export function spliceOutline(base: Outline, text: string): Outline | undefined {
  const depth = (base.splice?.depth ?? 0) + 1;
  if (!base.parsed || depth > MAX_CHAIN || base.steps.length === 0) return undefined;
  // a YAML error anywhere changes how the parser recovers around it, across step boundaries:
  // a step read alone could then place a position differently than the whole text read again
  let full = base;
  while (full.splice) full = full.splice.base;
  if (!full.doc || full.doc.errors.length > 0) return undefined;
  const old = base.text;
  const max = Math.min(old.length, text.length);
  let p = 0;
  while (p < max && old.charCodeAt(p) === text.charCodeAt(p)) p++;
  let q = 0;
  while (q < max - p && old.charCodeAt(old.length - 1 - q) === text.charCodeAt(text.length - 1 - q)) q++;
  const oldEnd = old.length - q;
  const delta = text.length - old.length;
  const step = stepAt(base, p);
  // the change must leave the first character and the last (its line break) of the step alone
  if (!step || !step.firstKey || p <= step.span.start || oldEnd >= step.span.end) return undefined;
  const start = step.span.start;
  const end = step.span.end + delta;
  if (end <= start) return undefined;
  const own = text.slice(start, end);
  // where a trailing comment belongs depends on what follows the step: not judged here
  const lastLine = own.replace(/\r?\n$/, '');
  if (
    lastLine.slice(lastLine.lastIndexOf('\n') + 1).includes('#') ||
    old.slice(p, oldEnd).includes('#') ||
    text.slice(p, oldEnd + delta).includes('#')
  )
    return undefined;
  if (depthBound(own) > OUTLINE_MAX_DEPTH) return undefined;
  let stepDoc: Document;
  try {
    stepDoc = parseDocument(text.slice(0, start).replace(/[^\n]/g, ' ') + own, PARSE_OPTIONS);
  } catch {
    return undefined;
  }
  const root = stepDoc.contents;
  if (
    stepDoc.errors.length > 0 ||
    stepDoc.warnings.length > 0 ||
    !isMap(root) ||
    (root.flow === true) !== step.flow ||
    root.range?.[0] !== start ||
    root.range?.[1] !== end
  )
    return undefined;
  // the line after the step must still end it where it did: an edit that leaves a dangling key
  // or an open block scalar would change how the rest reads
  if (text[end] !== undefined && text[end] !== '\n' && text[end] !== '\r' && text[end] !== ' ' && text[end] !== '#' && !step.flow)
    return undefined;

  const fresh = emptyOutline(text);
  readStep(root, step.index, { start, end }, fresh);
  const entry = fresh.steps[0];
  if (!entry) return undefined;
  const index = step.index;
  const move = (span: Span): Span => (span.start >= oldEnd ? { start: span.start + delta, end: span.end + delta } : span);
  const moveName = <T extends NameAt>(n: T): T => ({ ...n, span: move(n.span) });
  /** a list in document order: the base's entries outside the step (moved), the step's fresh ones in their place */
  const merge = <T extends NameAt>(before: readonly T[], inStep: readonly T[]): T[] => {
    const out: T[] = [];
    let placed = false;
    for (const n of before) {
      if (n.step === index) continue;
      if (!placed && n.span.start >= oldEnd) {
        out.push(...inStep);
        placed = true;
      }
      out.push(n.span.start >= oldEnd ? moveName(n) : n);
    }
    if (!placed) out.push(...inStep);
    return out;
  };
  const moveStep = (s: StepEntry): StepEntry => ({
    ...s,
    span: move(s.span),
    ...(s.idSpan ? { idSpan: move(s.idSpan) } : {}),
    ...(s.firstKey ? { firstKey: move(s.firstKey) } : {}),
    choices: s.choices.map((c) => ({ ...c, span: move(c.span) })),
  });
  const outline: Outline = {
    text,
    doc: undefined,
    parsed: true,
    splice: { base, index, start, end, stepDoc, delta, depth },
    ...(base.sopId ? { sopId: moveName(base.sopId) } : {}),
    ...(base.title !== undefined ? { title: base.title } : {}),
    steps: base.steps.map((s) => (s.index === index ? entry : s.index > index ? moveStep(s) : s)),
    stepRefs: merge(base.stepRefs, fresh.stepRefs),
    fields: base.fields.map(moveName),
    fieldRefs: merge(base.fieldRefs, fresh.fieldRefs),
    terms: base.terms.map(moveName),
    ...(base.termsNode
      ? {
          termsNode: {
            ...base.termsNode,
            key: move(base.termsNode.key),
            ...(base.termsNode.value ? { value: move(base.termsNode.value) } : {}),
            items: base.termsNode.items.map(move),
          },
        }
      : {}),
    uses: merge(base.uses, fresh.uses),
    outcomeKeys: merge(base.outcomeKeys, fresh.outcomeKeys),
    ends: merge(base.ends, fresh.ends),
    topKeys: base.topKeys.map(moveName),
  };
  return outline;
}
