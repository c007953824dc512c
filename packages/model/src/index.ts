export type { Sop, Step, Choice, Condition, Limit, FieldDef, FieldType, FieldValue, Duration } from './sop.js';
export { SOP_KEYS, STEP_KEYS, CHOICE_KEYS, LIMIT_KEYS, FIELD_KEYS, CONDITION_KEYS } from './sop.js';
export type { Diagnostic, DiagnosticCode, Severity, DocPath } from './diagnostic.js';
export { DIAGNOSTIC_CODES, isDiagnosticCode, hasErrors } from './diagnostic.js';
export { parseDuration, formatDuration } from './parseDuration.js';
export type { SopGraph, GraphNode, GraphEdge, EdgeKind, StepKind, Handoff } from './buildSopGraph.js';
export { buildSopGraph, stepId, stepKind, IMPLICIT_OUTCOME } from './buildSopGraph.js';
export { evaluateCondition, describeCondition } from './evaluateCondition.js';
export { checkFieldValue } from './checkFieldValue.js';
