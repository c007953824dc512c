import type { Diagnostic } from '@sopflow/model';
import type { FileReport, FormatOptions } from './types.js';

/**
 * Machine-readable output: an array with one `{ file, diagnostics }` entry per file given (clean
 * files too), in path order. Each diagnostic is the `Diagnostic` object itself, with its keys in
 * a fixed order so the output is stable byte for byte.
 */
export function formatJson(reports: readonly FileReport[], _options: FormatOptions = {}): string {
  const data = reports.map((report) => ({ file: report.file, diagnostics: report.diagnostics.map(orderKeys) }));
  return JSON.stringify(data, null, 2) + '\n';
}

function orderKeys(d: Diagnostic): Diagnostic {
  const ordered: Diagnostic = {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.file,
    line: d.line,
    column: d.column,
    endLine: d.endLine,
    endColumn: d.endColumn,
    path: d.path,
  };
  if (d.hint !== undefined) ordered.hint = d.hint;
  // exact fixes as data: each a title and text edits (1-based, end exclusive) that apply together
  if (d.fixes !== undefined && d.fixes.length > 0) {
    ordered.fixes = d.fixes.map((f) => ({
      title: f.title,
      edits: f.edits.map((e) => ({ line: e.line, column: e.column, endLine: e.endLine, endColumn: e.endColumn, newText: e.newText })),
    }));
  }
  return ordered;
}
