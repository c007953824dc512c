import { countProblems, type FileReport, type FormatOptions } from './types.js';

/**
 * How many annotations of each kind GitHub shows for one step: "up to 10 warning annotations
 * and 10 error annotations per step" (and 50 per job); the rest are dropped without a word.
 */
export const GITHUB_ANNOTATION_LIMIT = 10;

/**
 * GitHub Actions workflow commands, one line per diagnostic, which GitHub shows as annotations
 * on the pull request: `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=<code>::message`.
 * When there are more errors or warnings than GitHub shows (GITHUB_ANNOTATION_LIMIT each), a
 * last `::notice` says how many and points at the SARIF output, which code scanning shows in full.
 * Control characters other than line ends (ESC, NUL, BEL…) never reach the log: they become U+FFFD.
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
  const { errors, warnings } = countProblems(reports);
  if (errors > GITHUB_ANNOTATION_LIMIT || warnings > GITHUB_ANNOTATION_LIMIT) {
    const counts = `${errors} error${errors === 1 ? '' : 's'} and ${warnings} warning${warnings === 1 ? '' : 's'}`;
    out += `::notice title=sopflow::${escapeData(`${counts}: GitHub shows only the first ${GITHUB_ANNOTATION_LIMIT} errors and ${GITHUB_ANNOTATION_LIMIT} warnings of a step as annotations; the log above lists them all. Upload sopflow validate --format sarif with github/codeql-action/upload-sarif to see every one in code scanning.`)}\n`;
  }
  return out;
}

// C0 controls except tab, LF and CR (escaped below), DEL and C1 controls
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** GitHub's escaping for a command's message; other control characters become U+FFFD. */
export function escapeData(text: string): string {
  return text.replace(CONTROL, '\ufffd').replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** GitHub's escaping for a command's property values. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
