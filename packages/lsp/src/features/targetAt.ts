import { within, type Outline, type Span, type StepEntry } from '../outline/readOutline.js';

/** A name under the cursor that sopflow knows how to follow. */
export type Target =
  | { kind: 'step'; id: string; span: Span; declaration: boolean }
  | { kind: 'sop'; id: string; span: Span; declaration: boolean }
  | { kind: 'field'; name: string; span: Span; declaration: boolean; child?: string };

/** What is at `offset`: a step id (declared or referenced), an SOP id (this SOP's or a `use:`), a field. */
export function targetAt(outline: Outline, offset: number): Target | undefined {
  for (const step of outline.steps) {
    if (step.idSpan && within(step.idSpan, offset)) return { kind: 'step', id: step.id, span: step.idSpan, declaration: true };
  }
  for (const ref of outline.stepRefs)
    if (within(ref.span, offset)) return { kind: 'step', id: ref.name, span: ref.span, declaration: false };
  if (outline.sopId && within(outline.sopId.span, offset))
    return { kind: 'sop', id: outline.sopId.name, span: outline.sopId.span, declaration: true };
  for (const use of outline.uses) if (within(use.span, offset)) return { kind: 'sop', id: use.name, span: use.span, declaration: false };
  for (const field of outline.fields)
    if (within(field.span, offset)) return { kind: 'field', name: field.name, span: field.span, declaration: true };
  for (const ref of outline.fieldRefs) {
    if (within(ref.span, offset))
      return {
        kind: 'field',
        name: ref.name,
        span: ref.span,
        declaration: false,
        ...(ref.child !== undefined ? { child: ref.child } : {}),
      };
  }
  return undefined;
}

/** The step a step id names (the first, when ids repeat). */
export function stepNamed(outline: Outline, id: string): StepEntry | undefined {
  return outline.steps.find((s) => s.id === id);
}
