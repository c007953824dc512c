import type { DiagnosticCode, DocPath, FieldDef, Severity, Sop, SopGraph, ProcedureGraph, Step } from '@sopflow/model';
import type { Target } from '../parse/LocatedDocument.js';

/**
 * What a rule judges, which decides when it runs:
 * - `node`: one node at a time (a `next`, a duration, a field name). Runs on every file that
 *   could be read, even when the schema rejected other nodes (findings inside a rejected node
 *   are dropped), so one typo does not hide every other mistake.
 * - `flow`: the whole SOP (its graph, all of its text). Runs on schema-valid files only: a
 *   misspelt `next` would make its findings wrong.
 * - `project`: several files together (`use:` between SOPs). Runs once per `validateProject`.
 */
export type RuleScope = 'node' | 'flow' | 'project';

/** What every code declares, once, in its own file in `src/rules/`. */
export interface RuleInfo {
  /** the file's name, kebab-case: the stable code every diagnostic of this rule carries */
  code: DiagnosticCode;
  severity: Severity;
  scope: RuleScope;
  /** one sentence: what is wrong when this code is reported (SARIF's shortDescription, the docs index) */
  description: string;
  /** the rule's page, relative to the repository root: `docs/rules/<code>.md` (derived from the code) */
  docs: string;
  /** codes reported while the file is read, not by a check of their own: who reports them */
  reportedBy?: 'parser' | 'schema';
}

/** A replacement addressed by document path: the key or the scalar value at `path` becomes `text`. */
export interface FindingEdit {
  path: DocPath;
  /** `value` (default): the scalar at `path`; `key`: the key of the pair holding it */
  target?: 'value' | 'key';
  /** the new string value; written as YAML in the style of the text it replaces (quoted when it must be) */
  text: string;
}

/** A fix as data, by path: placing the finding turns each edit into a TextEdit (or drops the fix). */
export interface FindingFix {
  title: string;
  edits: FindingEdit[];
}

/**
 * What a rule returns: where (a document path), what and how to fix it. No positions: placing
 * findings in the source is its own step (`placeFindings`), so a rule never needs the parsed
 * document and the fast path can run every rule on plain data.
 */
export interface Finding {
  path: DocPath;
  /** which part of the node at `path` to point at (default `value`) */
  target?: Target;
  /** point at this word inside the text at `path` (its first whole-word occurrence) */
  word?: string;
  message: string;
  hint?: string | undefined;
  fixes?: FindingFix[];
  /** another node the message names: `{line}` in the message becomes its line */
  seeAlso?: { path: DocPath; target?: Target };
}

/** What `node` and `flow` rules read: one SOP. For a `node` rule the SOP may have failed the schema. */
export interface RuleContext {
  file: string;
  sop: Sop;
  graph: SopGraph;
  /** YYYY-MM-DD */
  today: string;
}

/** A step that runs another procedure (`use:`), as project rules see it. */
export interface UseStep {
  /** the step's place in `instructions` (reading order, 0-based) */
  index: number;
  /** the step as written; its `use` is a string */
  step: Step & { use: string };
}

/**
 * What project rules read of one schema-valid SOP. A file keeps this, not its SOP, for the
 * project step, so a run over many files (`validateProject(files, { sops: false })`) holds no
 * SOP or graph past its own file's check.
 */
export interface ProcedureView {
  id: string;
  /** the SOP's `fields` (an empty record when it declares none) */
  fields: Readonly<Record<string, FieldDef>>;
  /** the outcomes the SOP can end with (its graph's `outcomes`) */
  outcomes: readonly string[];
  /** its `use:` steps, in reading order */
  uses: readonly UseStep[];
}

/** One file as project rules see it. */
export interface ProjectFileView {
  file: string;
  /** set when the file passed the schema */
  procedure?: ProcedureView | undefined;
  /** the `id` as written, even when the file failed the schema */
  declaredId: string | undefined;
}

/** What `project` rules read: every file given, and the procedures among them. */
export interface ProjectContext {
  files: readonly ProjectFileView[];
  /** SOP id -> procedure, for every schema-valid file (the first, when ids repeat) */
  procedures: ReadonlyMap<string, ProcedureView>;
  /** every id declared by a file, valid or not */
  ids: ReadonlySet<string>;
  /** `use:` links between the procedures */
  graph: ProcedureGraph;
}

/** A project finding and the index (in `files`) of the file it belongs to. */
export interface ProjectFinding extends Finding {
  file: number;
}

export interface SopRule extends RuleInfo {
  scope: 'node' | 'flow';
  /**
   * `node` rules only: paths whose rejection by the schema makes this rule's findings
   * unreliable anywhere (field-value reads `fields`): the rule is skipped then.
   */
  needs?: DocPath[];
  check(context: RuleContext): Finding[];
}

export interface ProjectRule<Gathered = unknown> extends RuleInfo {
  scope: 'project';
  /**
   * Optional: what the rule needs of one schema-valid file beyond its `ProcedureView`, taken
   * while that file is loaded, its SOP and graph at hand (the project step no longer has them).
   * Must not depend on other files: `check` combines what was gathered.
   */
  gather?(context: RuleContext): Gathered;
  /** `gathered[i]`: what `gather` returned for `files[i]` (undefined when that file has no procedure) */
  check(context: ProjectContext, gathered: readonly (Gathered | undefined)[]): ProjectFinding[];
}

/** A code reported by the parser or the schema step: metadata only. */
export interface ReportedCode extends RuleInfo {
  reportedBy: 'parser' | 'schema';
}

export type Rule = SopRule | ProjectRule | ReportedCode;

/** Declares a `node` or `flow` rule: the default export of `src/rules/<code>.ts`. */
export function defineRule(rule: Omit<SopRule, 'docs'>): SopRule {
  return { ...rule, docs: docsOf(rule.code) };
}

/** Declares a `project` rule: the default export of `src/rules/<code>.ts`. */
export function defineProjectRule<Gathered = never>(rule: Omit<ProjectRule<Gathered>, 'docs' | 'scope'>): ProjectRule<Gathered> {
  return { ...rule, scope: 'project', docs: docsOf(rule.code) };
}

/** Declares a code the parser or the schema step reports: the default export of `src/rules/<code>.ts`. */
export function defineReportedCode(rule: Omit<ReportedCode, 'docs'>): ReportedCode {
  return { ...rule, docs: docsOf(rule.code) };
}

const docsOf = (code: string): string => `docs/rules/${code}.md`;

/** The path of step `index`'s key. */
export const stepPath = (index: number, ...rest: (string | number)[]): (string | number)[] => ['instructions', index, ...rest];

/** How many findings of one rule get a (costly) did-you-mean hint. */
export const MAX_HINTED = 20;

/** A fix that writes `text` in place of the value (or key) at `path`. */
export function replaceWith(path: DocPath, text: string, target: 'value' | 'key' = 'value', title = `Change to \`${text}\``): FindingFix {
  return { title, edits: [{ path, target, text }] };
}
