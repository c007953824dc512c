export { loadSop } from './loadSop.js';
export type { LoadOptions, LoadResult } from './loadSop.js';
export { validateProject, findProcedures } from './project/validateProject.js';
export type { ProjectFile, ProjectOptions, ProjectResult } from './project/validateProject.js';
export { RULES, ruleFor, ruleInfo } from './registry/registry.js';
export type {
  Rule,
  RuleInfo,
  RuleScope,
  SopRule,
  ProjectRule,
  ReportedCode,
  RuleContext,
  ProjectContext,
  ProjectFileView,
  Finding,
  FindingFix,
  FindingEdit,
  ProjectFinding,
} from './registry/defineRule.js';
export { MAX_NESTING } from './parse/scanNesting.js';
export { SCHEMA_ID, SCHEMA_URL, SCHEMA_MODELINE } from './schemaLocation.js';
export { hasErrors } from '@sopflow/model';
export type { Diagnostic, DiagnosticCode, Severity, Sop, TextEdit, Fix } from '@sopflow/model';
