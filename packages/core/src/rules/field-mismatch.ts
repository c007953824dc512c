import type { FieldDef } from '@sopflow/model';
import { code, hasOwn } from '../shared/show.js';
import { defineProjectRule, stepPath, type ProjectFinding } from '../registry/defineRule.js';

/**
 * Data passed between an SOP and a sub-procedure must fit where it goes: the same type (an
 * integer fits a number), and every value the source may hold allowed by the target's enum
 * and range. Otherwise a run would carry a value the receiving SOP refuses to record.
 */
export default defineProjectRule({
  code: 'field-mismatch',
  severity: 'error',
  description:
    'A field passed into a sub-procedure (`with`) or taken back (`returns`) holds values the receiving field does not accept (type, enum or range).',
  check({ files, procedures }) {
    const out: ProjectFinding[] = [];
    files.forEach(({ procedure }, file) => {
      procedure?.uses.forEach(({ step, index }) => {
        const child = procedures.get(step.use);
        if (!child) return;
        const mine = procedure.fields;
        const theirs = child.fields;
        const check = (path: (string | number)[], from: string, fromDef: FieldDef, to: string, toDef: FieldDef, where: string) => {
          const problem = mismatch(fromDef, toDef);
          if (problem)
            out.push({
              file,
              path,
              message: `${code(from)} cannot be passed to ${code(to)} ${where}: ${problem}`,
              hint: `make the two fields agree (type, \`enum\`, \`minimum\` / \`maximum\`)`,
            });
        };
        for (const [childField, parentField] of Object.entries(step.with ?? {})) {
          if (typeof parentField === 'string' && hasOwn(mine, parentField) && hasOwn(theirs, childField)) {
            check(
              stepPath(index, 'with', childField),
              parentField,
              mine[parentField]!,
              childField,
              theirs[childField]!,
              `of ${code(step.use)}`,
            );
          }
        }
        for (const [parentField, childField] of Object.entries(step.returns ?? {})) {
          if (typeof childField === 'string' && hasOwn(mine, parentField) && hasOwn(theirs, childField)) {
            check(stepPath(index, 'returns', parentField), childField, theirs[childField]!, parentField, mine[parentField]!, 'here');
          }
        }
      });
    });
    return out;
  },
});

/** Why values of `from` may not fit `to`, or undefined when every one does. */
function mismatch(from: FieldDef, to: FieldDef): string | undefined {
  if (from.type === 'list' && to.type === 'list') {
    const problem = mismatch(
      {
        type: from.items?.type ?? 'string',
        ...(from.items?.enum ? { enum: from.items.enum } : {}),
        ...(from.items?.minimum !== undefined ? { minimum: from.items.minimum } : {}),
        ...(from.items?.maximum !== undefined ? { maximum: from.items.maximum } : {}),
      },
      {
        type: to.items?.type ?? 'string',
        ...(to.items?.enum ? { enum: to.items.enum } : {}),
        ...(to.items?.minimum !== undefined ? { minimum: to.items.minimum } : {}),
        ...(to.items?.maximum !== undefined ? { maximum: to.items.maximum } : {}),
      },
    );
    return problem === undefined ? undefined : `their items differ: ${problem}`;
  }
  const numeric = (t: string) => t === 'number' || t === 'integer';
  if (from.type !== to.type && !(from.type === 'integer' && to.type === 'number')) {
    return numeric(from.type) && numeric(to.type)
      ? 'a number is not always a whole number (integer)'
      : `one is ${from.type}, the other ${to.type}`;
  }
  if (Array.isArray(to.enum)) {
    if (!Array.isArray(from.enum))
      return `the receiving field allows only ${to.enum.map((v) => code(v)).join(', ')}, the other any ${from.type}`;
    const extra = from.enum.filter((v) => !to.enum!.includes(v));
    if (extra.length)
      return `${extra.map((v) => code(v)).join(', ')} ${extra.length > 1 ? 'are' : 'is'} not among the receiving field's values`;
  }
  if (
    typeof to.minimum === 'number' &&
    !(typeof from.minimum === 'number' && from.minimum >= to.minimum) &&
    !(Array.isArray(from.enum) && from.enum.every((v) => typeof v === 'number' && v >= to.minimum!))
  ) {
    return `the receiving field takes at least ${to.minimum}, the other has no such bound`;
  }
  if (
    typeof to.maximum === 'number' &&
    !(typeof from.maximum === 'number' && from.maximum <= to.maximum) &&
    !(Array.isArray(from.enum) && from.enum.every((v) => typeof v === 'number' && v <= to.maximum!))
  ) {
    return `the receiving field takes at most ${to.maximum}, the other has no such bound`;
  }
  return undefined;
}
