import type { Diagnostic, Fix, TextEdit } from '@sopflow/model';
import type { LocatedDocument } from '../parse/LocatedDocument.js';
import { writeScalar } from '../parse/coreSchema.js';
import type { Finding, FindingFix, RuleInfo } from './defineRule.js';

/**
 * Places a rule's findings in the source: each becomes a diagnostic with the rule's code and
 * severity, a line and column range, and its fixes as text edits. A fix whose target cannot be
 * found exactly (the path does not resolve to a scalar) is dropped: a fix is never a guess.
 */
export function placeFindings(
  rule: Pick<RuleInfo, 'code' | 'severity'>,
  findings: readonly Finding[],
  located: LocatedDocument,
): Diagnostic[] {
  return findings.map((finding) => placeFinding(rule, finding, located));
}

export function placeFinding(rule: Pick<RuleInfo, 'code' | 'severity'>, finding: Finding, located: LocatedDocument): Diagnostic {
  let message = finding.message;
  if (finding.seeAlso && message.includes('{line}')) {
    message = message.replace('{line}', String(located.range(finding.seeAlso.path, finding.seeAlso.target ?? 'head').line));
  }
  const range = finding.word !== undefined ? wordRange(located, finding) : undefined;
  const diagnostic = located.diagnostic({
    code: rule.code,
    severity: rule.severity,
    path: finding.path,
    target: finding.target ?? 'value',
    message,
    hint: finding.hint,
    ...(range ? { range } : {}),
  });
  const fixes = (finding.fixes ?? []).map((fix) => placeFix(fix, located)).filter((fix): fix is Fix => fix !== undefined);
  if (fixes.length > 0) diagnostic.fixes = fixes;
  return diagnostic;
}

function placeFix(fix: FindingFix, located: LocatedDocument): Fix | undefined {
  const edits: TextEdit[] = [];
  for (const edit of fix.edits) {
    const at = located.scalarAt(edit.path, edit.target ?? 'value');
    if (!at) return undefined;
    const start = located.lines.position(at.range[0]);
    const end = located.lines.position(at.range[1]);
    edits.push({
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      newText: writeScalar(edit.text, at.text),
    });
  }
  return edits.length > 0 ? { title: fix.title, edits } : undefined;
}

const WORD = /[\p{L}\p{N}_]/u;
const UPPER_OR_DIGIT = /[\p{Lu}\p{N}_]/u;

/** The first whole-word occurrence of `finding.word` inside the source of the text at its path (linear: indexOf and two character tests per candidate). */
function wordRange(located: LocatedDocument, finding: Finding): [number, number] | undefined {
  const source = located.source(finding.path);
  const word = finding.word!;
  if (!source || word === '') return undefined;
  for (let at = source.text.indexOf(word); at !== -1; at = source.text.indexOf(word, at + 1)) {
    const before = at > 0 ? source.text[at - 1]! : '';
    const after = source.text[at + word.length] ?? '';
    if ((before === '' || !WORD.test(before)) && (after === '' || !UPPER_OR_DIGIT.test(after))) {
      return [source.start + at, source.start + at + word.length];
    }
  }
  return undefined;
}
