export type {
  Sop,
  Step,
  Choice,
  Condition,
  Limit,
  FieldDef,
  FieldType,
  ScalarFieldType,
  FieldValue,
  ScalarValue,
  ListItems,
  Duration,
} from './sop.js';
export { SOP_KEYS, STEP_KEYS, CHOICE_KEYS, LIMIT_KEYS, FIELD_KEYS, LIST_ITEMS_KEYS, CONDITION_KEYS } from './sop.js';
export type { Diagnostic, DiagnosticCode, Severity, DocPath, TextEdit, Fix } from './diagnostic.js';
export { DIAGNOSTIC_CODES, isDiagnosticCode, hasErrors } from './diagnostic.js';
export { parseDuration, parseDurationUnbounded, formatDuration, suggestDuration, MAX_DURATION_MS } from './parseDuration.js';
export type { SopGraph, GraphNode, GraphEdge, EdgeKind, StepKind, Handoff } from './buildSopGraph.js';
export { buildSopGraph, stepId, stepKind, stepValuesOf, IMPLICIT_OUTCOME } from './buildSopGraph.js';
export type { StepValues } from './readStep.js';
export { readStep } from './readStep.js';
export { evaluateCondition, describeCondition } from './evaluateCondition.js';
export { checkFieldValue, checkScalar, isCalendarDate } from './checkFieldValue.js';
export { own, hasOwn } from './own.js';
export { checkRecord } from './checkRecord.js';
export type { ProcedureGraph, ProcedureNode } from './procedureGraph.js';
export { buildProcedureGraph, procedureGraph, usesOf } from './procedureGraph.js';
export { localDate } from './localDate.js';
export type { ReviewPeriod } from './reviewPeriod.js';
export { parseReviewPeriod, addPeriod, formatReviewPeriod, suggestReviewPeriod } from './reviewPeriod.js';
