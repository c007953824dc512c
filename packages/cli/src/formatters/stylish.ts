import type { Diagnostic } from '@sopflow/model';
import { countProblems, type FileReport, type FormatOptions } from './types.js';

/** Longest stretch of a source line shown in a snippet; longer lines are clipped around the column. */
const SNIPPET_WIDTH = 120;
/** How much of a clipped line is kept before the column. */
const SNIPPET_LEAD = 40;

/**
 * The default, human format (actionlint / eslint style):
 *
 * ```text
 * sops/call.sop.yaml:12:11: error no step has the id `resarch` [unknown-step]
 *    |
 * 12 |     next: resarch
 *    |           ^~~~~~~
 *   hint: did you mean `research`?
 *
 * ✖ 1 problem (1 error, 0 warnings) in 1 file
 * ```
 *
 * Files without problems print nothing; the summary counts them. Control characters from the
 * file (or in messages) are replaced, so a hostile file cannot send escape codes to the terminal.
 */
export function formatStylish(reports: readonly FileReport[], options: FormatOptions = {}): string {
  const c = palette(options.color ?? false);
  const out: string[] = [];
  for (const report of reports) {
    if (report.diagnostics.length === 0) continue;
    if (out.length > 0) out.push('');
    const lines = report.text === undefined ? undefined : new SourceLines(report.text);
    for (const d of report.diagnostics) {
      const severity = d.severity === 'error' ? c.red('error') : c.yellow('warning');
      const [first = '', ...rest] = cleanMessage(d.message).split('\n');
      out.push(
        `${c.bold(cleanSnippet(report.file))}:${d.line}:${d.column}: ${severity} ${first}${rest.length ? '' : ' ' + c.gray(`[${d.code}]`)}`,
      );
      if (rest.length) {
        for (const line of rest) out.push(`  ${line}`);
        out.push(`  ${c.gray(`[${d.code}]`)}`);
      }
      if (lines) {
        const snippet = snippetFor(lines, d);
        if (snippet) {
          const gutter = ' '.repeat(String(d.line).length);
          out.push(c.gray(`${gutter} |`));
          out.push(`${c.gray(`${d.line} |`)} ${snippet.source}`);
          out.push(`${c.gray(`${gutter} |`)} ${snippet.pad}${(d.severity === 'error' ? c.red : c.yellow)(snippet.marker)}`);
        }
      }
      if (d.hint) out.push(`  ${c.cyan('hint:')} ${cleanMessage(d.hint).replace(/\n/g, '\n  ')}`);
    }
  }
  const { errors, warnings, filesWithProblems } = countProblems(reports);
  const problems = errors + warnings;
  if (out.length > 0) out.push('');
  if (problems === 0) {
    out.push(c.green(`✓ ${plural(reports.length, 'file')}, no ${options.quiet ? 'errors' : 'problems'}`));
  } else {
    const summary = `✖ ${plural(problems, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}) in ${plural(filesWithProblems, 'file')}`;
    out.push(c.bold(errors > 0 ? c.red(summary) : c.yellow(summary)));
  }
  return out.join('\n') + '\n';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The source line of a diagnostic, clipped to fit, and the caret line under its span. */
export function snippetFor(
  lines: SourceLines,
  d: Pick<Diagnostic, 'line' | 'column' | 'endLine' | 'endColumn'>,
): { source: string; pad: string; marker: string } | undefined {
  const text = lines.line(d.line);
  if (text === undefined) return undefined;
  const length = text.length;
  // columns are 1-based UTF-16 positions; a position past the end of the line points just after it
  const start = clamp(Math.trunc(d.column) - 1, 0, length);
  const endOnLine = d.endLine === d.line ? clamp(Math.trunc(d.endColumn) - 1, start, length) : length;
  const span = Math.max(1, endOnLine - start);

  let from = 0;
  let to = length;
  if (length > SNIPPET_WIDTH) {
    from = Math.max(0, start - SNIPPET_LEAD);
    to = Math.min(length, from + SNIPPET_WIDTH);
    from = Math.max(0, Math.min(from, to - SNIPPET_WIDTH));
    if (isLowSurrogate(text.charCodeAt(from))) from++;
    if (isLowSurrogate(text.charCodeAt(to))) to--;
  }
  const head = from > 0 ? '…' : '';
  const tail = to < length ? '…' : '';
  const source = head + cleanSnippet(text.slice(from, to)) + tail;
  // keep tabs in the padding so the caret lines up whatever the tab width
  const pad = head.replace(/./, ' ') + text.slice(from, Math.max(from, start)).replace(/[^\t]/g, ' ');
  const visible = Math.max(1, Math.min(span, to - start));
  return { source, pad, marker: '^' + '~'.repeat(visible - 1) };
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, n)) : lo;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

// C0 controls except tab, DEL and C1 controls: shown as U+FFFD (one char, so the caret stays aligned)
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/g;
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

function cleanSnippet(text: string): string {
  return text.replace(CONTROL, '\ufffd');
}

function cleanMessage(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL_EXCEPT_NEWLINE, '\ufffd');
}

/** Lines of a source text by 1-based number; `\n` ends a line and a `\r` before it is dropped. */
export class SourceLines {
  private starts: number[] | undefined;
  constructor(private readonly text: string) {}

  line(n: number): string | undefined {
    const starts = (this.starts ??= lineStarts(this.text));
    if (!Number.isInteger(n) || n < 1 || n > starts.length) return undefined;
    const begin = starts[n - 1]!;
    let end = n < starts.length ? starts[n]! - 1 : this.text.length;
    if (end > begin && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(begin, end);
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

type Paint = (text: string) => string;

function palette(on: boolean): { bold: Paint; red: Paint; yellow: Paint; green: Paint; cyan: Paint; gray: Paint } {
  const sgr = (open: number, close: number): Paint => (on ? (t) => `\u001b[${open}m${t}\u001b[${close}m` : (t) => t);
  return { bold: sgr(1, 22), red: sgr(31, 39), yellow: sgr(33, 39), green: sgr(32, 39), cyan: sgr(36, 39), gray: sgr(90, 39) };
}
