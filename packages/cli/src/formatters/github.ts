import type { FileReport, FormatOptions } from './types.js';

/**
 * GitHub Actions workflow commands, one line per diagnostic, which GitHub shows as annotations
 * on the pull request: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=<code>::message`.
 */
export function formatGithub(reports: readonly FileReport[], _options: FormatOptions = {}): string {
  let out = '';
  for (const report of reports) {
    for (const d of report.diagnostics) {
      const properties = [
        `file=${escapeProperty(report.file)}`,
        `line=${d.line}`,
        `col=${d.column}`,
        `endLine=${d.endLine}`,
        `endColumn=${d.endColumn}`,
        `title=${escapeProperty(d.code)}`,
      ].join(',');
      const message = d.hint ? `${d.message}\nhint: ${d.hint}` : d.message;
      out += `::${d.severity === 'error' ? 'error' : 'warning'} ${properties}::${escapeData(message)}\n`;
    }
  }
  return out;
}

/** GitHub's escaping for a command's message. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** GitHub's escaping for a command's property values. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
