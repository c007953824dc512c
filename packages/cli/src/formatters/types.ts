import type { Diagnostic } from '@sopflow/model';

/** One validated file, as the formatters see it. */
export interface FileReport {
  /** the path as shown to the user (relative to the working folder, forward slashes) */
  file: string;
  /** the source text (BOM removed), for the stylish snippets; absent when not available */
  text?: string;
  /** this file's diagnostics, sorted by position */
  diagnostics: Diagnostic[];
}

export interface FormatOptions {
  /** ANSI colours (stylish only) */
  color?: boolean;
  /** warnings were dropped (`--quiet`): the summary says "no errors" instead of "no problems" */
  quiet?: boolean;
  /** the absolute folder the `file` paths are relative to */
  cwd?: string;
  /**
   * sarif: the absolute folder artifact URIs are relative to (`%SRCROOT%` in
   * `originalUriBaseIds`): the repository root; default `cwd`
   */
  root?: string;
  /** where rule pages live; a rule's page is `<rulesBaseUri><code>.md` (sarif) */
  rulesBaseUri?: string;
}

/** A pure output formatter: reports in, the whole output text out. */
export type Formatter = (reports: readonly FileReport[], options?: FormatOptions) => string;

export interface ProblemCounts {
  errors: number;
  warnings: number;
  /** files with at least one diagnostic */
  filesWithProblems: number;
}

export function countProblems(reports: readonly FileReport[]): ProblemCounts {
  let errors = 0;
  let warnings = 0;
  let filesWithProblems = 0;
  for (const report of reports) {
    if (report.diagnostics.length > 0) filesWithProblems++;
    for (const d of report.diagnostics) {
      if (d.severity === 'error') errors++;
      else warnings++;
    }
  }
  return { errors, warnings, filesWithProblems };
}
