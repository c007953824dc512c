import { parse } from 'yaml';
import {
  ResponseError,
  ErrorCodes,
  type Location,
  type Position,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Outline, Span, StepEntry } from '../outline/readOutline.js';
import type { WorkspaceFile } from '../workspace/Workspace.js';
import { innerSpan, rangeOf, type FeatureContext } from './FeatureContext.js';
import { stepNamed, targetAt, type Target } from './targetAt.js';

/** schemas/sop.schema.json, definitions.stepId.pattern (a test keeps them equal). */
export const STEP_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

const docOf = (file: WorkspaceFile) => TextDocument.create(file.uri, 'yaml', file.version ?? 0, file.text);

/** Where a step is declared: its id, or (for a step without one) its first key. */
function stepSpan(step: StepEntry): Span {
  return step.idSpan ?? step.firstKey ?? step.span;
}

function locationIn(file: WorkspaceFile, outline: Outline, span: Span): Location {
  return { uri: file.uri, range: rangeOf(docOf(file), innerSpan(outline.text, span)) };
}

/** Go to definition: a step id to its step, a `use:` to the SOP's `id`, a field to its declaration. */
export function definition(ctx: FeatureContext, position: Position): Location[] {
  const { doc, outline } = ctx;
  const target = targetAt(outline, doc.offsetAt(position));
  if (!target) return [];
  const here = (span: Span): Location => ({ uri: doc.uri, range: rangeOf(doc, innerSpan(outline.text, span)) });
  switch (target.kind) {
    case 'step': {
      const step = stepNamed(outline, target.id);
      return step ? [here(stepSpan(step))] : [];
    }
    case 'sop': {
      if (target.declaration) return [here(target.span)];
      return ctx.workspace.declaring(target.id).map((file) => {
        const other = ctx.outlineOf(file);
        return other.sopId
          ? locationIn(file, other, other.sopId.span)
          : { uri: file.uri, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
      });
    }
    case 'field': {
      if (target.child !== undefined) {
        const child = ctx.sop(target.child);
        const field = child?.outline.fields.find((f) => f.name === target.name);
        return child && field ? [locationIn(child.file, child.outline, field.span)] : [];
      }
      const field = outline.fields.find((f) => f.name === target.name);
      return field ? [here(field.span)] : [];
    }
    default:
      return [];
  }
}

/** Find references: every place a step id, an SOP id (across the workspace) or a field is named. */
export function references(ctx: FeatureContext, position: Position, includeDeclaration: boolean): Location[] {
  const { doc, outline } = ctx;
  const target = targetAt(outline, doc.offsetAt(position));
  if (!target) return [];
  const here = (span: Span): Location => ({ uri: doc.uri, range: rangeOf(doc, innerSpan(outline.text, span)) });
  const out: Location[] = [];
  switch (target.kind) {
    case 'step': {
      const step = stepNamed(outline, target.id);
      if (includeDeclaration && step) out.push(here(stepSpan(step)));
      for (const ref of outline.stepRefs) if (ref.name === target.id) out.push(here(ref.span));
      return out;
    }
    case 'sop': {
      if (includeDeclaration) {
        for (const file of ctx.workspace.declaring(target.id)) {
          const other = file.uri === doc.uri ? outline : ctx.outlineOf(file);
          if (other.sopId) out.push(file.uri === doc.uri ? here(other.sopId.span) : locationIn(file, other, other.sopId.span));
        }
      }
      for (const file of ctx.workspace.all()) {
        if (!file.links.uses.includes(target.id)) continue;
        const other = file.uri === doc.uri ? outline : ctx.outlineOf(file);
        for (const use of other.uses)
          if (use.name === target.id) out.push(file.uri === doc.uri ? here(use.span) : locationIn(file, other, use.span));
      }
      return out;
    }
    case 'field': {
      if (target.child !== undefined) {
        const child = ctx.sop(target.child);
        const field = child?.outline.fields.find((f) => f.name === target.name);
        if (includeDeclaration && child && field) out.push(locationIn(child.file, child.outline, field.span));
        for (const ref of outline.fieldRefs) if (ref.name === target.name && ref.child === target.child) out.push(here(ref.span));
        return out;
      }
      if (includeDeclaration) for (const f of outline.fields) if (f.name === target.name) out.push(here(f.span));
      for (const ref of outline.fieldRefs) if (ref.name === target.name && ref.child === undefined) out.push(here(ref.span));
      return out;
    }
    default:
      return out;
  }
}

/** Only step ids are renamed (in one file: step ids are local to their SOP). */
export function prepareRename(ctx: FeatureContext, position: Position): { range: Range; placeholder: string } | null {
  const { doc, outline } = ctx;
  const target = targetAt(outline, doc.offsetAt(position));
  if (!target || target.kind !== 'step') return null;
  if (!stepNamed(outline, target.id)) return null;
  return { range: rangeOf(doc, innerSpan(outline.text, target.span)), placeholder: target.id };
}

/** Writes `name` in place of a scalar, keeping its quotes; quotes a plain name YAML would not read as text (`true`, `12`). */
function writeName(text: string, span: Span, name: string): { span: Span; text: string } {
  const inner = innerSpan(text, span);
  if (inner.start !== span.start) return { span: inner, text: name };
  return { span, text: plainName(name) };
}

function plainName(name: string): string {
  let plain: boolean;
  try {
    plain = typeof parse(name) === 'string';
  } catch {
    plain = false;
  }
  return plain ? name : `"${name}"`;
}

/**
 * Renames a step id everywhere in its file: its `id` (added to a step that had none, when the
 * step was referred to as `step-N`), every `next`, choice, `outcomes` target and `limit.next`.
 */
export function rename(ctx: FeatureContext, position: Position, newName: string): WorkspaceEdit | null {
  const { doc, outline } = ctx;
  const target: Target | undefined = targetAt(outline, doc.offsetAt(position));
  if (!target || target.kind !== 'step') return null;
  const step = stepNamed(outline, target.id);
  if (!step) throw new ResponseError(ErrorCodes.InvalidParams, `there is no step \`${target.id}\` to rename`);
  if (!STEP_ID.test(newName)) {
    throw new ResponseError(
      ErrorCodes.InvalidParams,
      `\`${newName}\` cannot be a step id: letters, digits, \`-\`, \`_\` or \`.\`, starting with a letter or digit`,
    );
  }
  if (newName !== target.id && stepNamed(outline, newName))
    throw new ResponseError(ErrorCodes.InvalidParams, `there is already a step \`${newName}\``);
  const text = outline.text;
  const edits: TextEdit[] = [];
  const replace = (span: Span) => {
    const w = writeName(text, span, newName);
    edits.push({ range: rangeOf(doc, w.span), newText: w.text });
  };
  if (step.idSpan) replace(step.idSpan);
  else if (step.firstKey) {
    const at = doc.positionAt(step.firstKey.start);
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    edits.push({
      range: { start: at, end: at },
      newText: step.flow ? `id: ${plainName(newName)}, ` : `id: ${plainName(newName)}${eol}${' '.repeat(at.character)}`,
    });
  }
  for (const ref of outline.stepRefs) if (ref.name === target.id) replace(ref.span);
  return { changes: { [doc.uri]: edits } };
}
