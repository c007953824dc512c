import type { Diagnostic, DiagnosticCode, Severity, Sop, SopGraph } from '@sopflow/model';
import type { LocatedDocument } from '../parse/LocatedDocument.js';

/** What every rule reads: the SOP (schema-valid), its graph and the located source. */
export interface RuleContext {
  file: string;
  sop: Sop;
  graph: SopGraph;
  located: LocatedDocument;
  /** YYYY-MM-DD */
  today: string;
}

/** A semantic rule: a pure function of the graph and the located document. */
export interface Rule {
  code: DiagnosticCode;
  severity: Severity;
  check(context: RuleContext): Diagnostic[];
}

/** The path of step `index`'s key. */
export const stepPath = (index: number, ...rest: (string | number)[]): (string | number)[] => ['instructions', index, ...rest];

/** How many diagnostics of one rule get a (costly) did-you-mean hint. */
export const MAX_HINTED = 20;
