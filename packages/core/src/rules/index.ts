import type { Rule } from './RuleContext.js';
import { duplicateId } from './duplicate-id.js';
import { fieldValue } from './field-value.js';
import { invalidDuration } from './invalid-duration.js';
import { noWayOut } from './no-way-out.js';
import { reviewOverdue } from './review-overdue.js';
import { singleChoice } from './single-choice.js';
import { undeclaredField } from './undeclared-field.js';
import { undefinedTerm } from './undefined-term.js';
import { unknownStep } from './unknown-step.js';
import { unreachableStep } from './unreachable-step.js';
import { unusedTerm } from './unused-term.js';

export type { Rule, RuleContext } from './RuleContext.js';

/** Every semantic rule of a single SOP, run on schema-valid files in this order. */
export const RULES: readonly Rule[] = [
  unknownStep,
  duplicateId,
  unreachableStep,
  noWayOut,
  undeclaredField,
  fieldValue,
  invalidDuration,
  singleChoice,
  unusedTerm,
  undefinedTerm,
  reviewOverdue,
];
