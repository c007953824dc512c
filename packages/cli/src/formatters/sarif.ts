import type * as Crypto from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '@sopflow/model';
import { requireBuiltin } from '../requireBuiltin.js';
import { VERSION } from '../version.js';
import { ruleDocs } from './ruleDocs.js';
import { ruleList } from './rules.js';
import type { FileReport, FormatOptions } from './types.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/sopflow/sopflow';
/** Each rule's page is `<base><code>.md`. */
export const RULES_BASE_URI = `${INFORMATION_URI}/blob/main/docs/rules/`;
/** The `partialFingerprints` key: a hash of the rule, the file and the message, and which occurrence it is. */
export const FINGERPRINT_KEY = 'sopflowFingerprint/v1';

/**
 * SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDE viewers), complete for GitHub
 * (checked with Sarif.Multitool's `--rule-kind Sarif` and `Gh` in test/sarifMultitool.test.ts):
 *
 * - every diagnostic code is a rule (`ruleIndex` points into `tool.driver.rules`) with a
 *   PascalCase `name`, a `fullDescription` and `help` (text and Markdown) from its page in
 *   docs/rules/ (GitHub shows those and ignores `helpUri`), and its default level;
 * - one result per diagnostic, with `partialFingerprints` (stable when lines move) and a
 *   1-based UTF-16 region kept inside the file's text (an empty file gets 1:1-1:1);
 * - artifact URIs relative to `options.root` (the repository root; else `cwd`) under
 *   `%SRCROOT%`, which `originalUriBaseIds` maps to that folder; only a file outside it gets an
 *   absolute `file:` URI.
 */
export function formatSarif(reports: readonly FileReport[], options: FormatOptions = {}): string {
  const rulesBase = options.rulesBaseUri ?? RULES_BASE_URI;
  const rules = ruleList();
  const ruleIndex = new Map<string, number>(rules.map((rule, i) => [rule.code, i]));
  const root = options.root ?? options.cwd;
  const results: Record<string, unknown>[] = [];
  for (const report of reports) {
    const location = artifactLocation(report.file, options.cwd, root);
    const lines = report.text === undefined ? undefined : lineLengths(report.text);
    const seen = new Map<string, number>();
    for (const d of report.diagnostics) {
      const message = d.hint ? `${d.message}\nhint: ${d.hint}` : d.message;
      const hash = (requireBuiltin('node:crypto') as typeof Crypto)
        .createHash('sha256')
        .update(`${d.code}\u0000${location.uri}\u0000${message}`)
        .digest('hex')
        .slice(0, 32);
      const occurrence = (seen.get(hash) ?? 0) + 1;
      seen.set(hash, occurrence);
      results.push(sarifResult(d, message, location, region(d, lines), ruleIndex.get(d.code) ?? -1, `${hash}:${occurrence}`));
    }
  }
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: 'sopflow',
        fullName: `sopflow ${VERSION}`,
        informationUri: INFORMATION_URI,
        version: VERSION,
        semanticVersion: VERSION,
        rules: rules.map((rule) => {
          const doc = ruleDocs()[rule.code];
          const helpUri = `${rulesBase}${rule.code}.md`;
          return {
            id: rule.code,
            name: ruleName(rule.code),
            shortDescription: { text: rule.description },
            fullDescription: doc?.fullDescription ?? { text: rule.description },
            helpUri,
            help: doc?.help ?? {
              text: `${rule.description} See ${helpUri}`,
              markdown: `${rule.description} See [${rule.code}](${helpUri}).`,
            },
            defaultConfiguration: { level: rule.severity },
          };
        }),
      },
    },
  };
  if (root !== undefined) {
    run.originalUriBaseIds = { '%SRCROOT%': { uri: pathToFileURL(root.endsWith(path.sep) ? root : `${root}${path.sep}`).href } };
  }
  run.columnKind = 'utf16CodeUnits';
  run.results = results;
  const log = { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
  return JSON.stringify(log, null, 2) + '\n';
}

/**
 * A rule's `name`, which SARIF wants different from its id even ignoring case: the id in
 * PascalCase (`unknown-step` -> `UnknownStep`), and a one-word id gets `Violation` (`schema` ->
 * `SchemaViolation`).
 */
export function ruleName(code: string): string {
  const name = code
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
  return name.toLowerCase() === code.toLowerCase() ? `${name}Violation` : name;
}

type Region = { startLine: number; startColumn: number; endLine: number; endColumn: number };

function sarifResult(
  d: Diagnostic,
  message: string,
  location: ArtifactLocation,
  where: Region,
  ruleIndex: number,
  fingerprint: string,
): Record<string, unknown> {
  const result: Record<string, unknown> = {
    ruleId: d.code,
    ruleIndex,
    level: d.severity === 'error' ? 'error' : 'warning',
    message: { text: message },
    locations: [{ physicalLocation: { artifactLocation: location, region: where } }],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint },
  };
  if (d.path.length > 0) result.properties = { path: d.path };
  return result;
}

function whole(n: number): number {
  return Number.isFinite(n) ? Math.max(1, Math.trunc(n)) : 1;
}

/** Each line's length in UTF-16 code units, without its line end (`\n`, `\r\n`). */
function lineLengths(text: string): number[] {
  return text.split('\n').map((line) => (line.endsWith('\r') ? line.length - 1 : line.length));
}

/**
 * The diagnostic's region, 1-based, start before end. With the file's text, it is kept inside
 * the file: lines up to the last, columns up to one past the end of their line (so an empty file
 * gets the empty region 1:1-1:1).
 */
function region(d: Diagnostic, lines: number[] | undefined): Region {
  let startLine = whole(d.line);
  let startColumn = whole(d.column);
  let endLine = Math.max(startLine, whole(d.endLine));
  let endColumn = whole(d.endColumn);
  if (lines !== undefined) {
    const last = Math.max(1, lines.length);
    const width = (line: number): number => (lines[line - 1] ?? 0) + 1;
    startLine = Math.min(startLine, last);
    endLine = Math.min(Math.max(endLine, startLine), last);
    startColumn = Math.min(startColumn, width(startLine));
    endColumn = Math.min(endColumn, width(endLine));
  }
  if (endLine === startLine) endColumn = Math.max(startColumn, endColumn);
  return { startLine, startColumn, endLine, endColumn };
}

export interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

/**
 * Where a reported file is, for SARIF. `file` is the path as shown (relative to `cwd`, or
 * absolute); inside `root` it becomes a percent-encoded relative URI under `%SRCROOT%`, outside
 * it (or with no folder known) an absolute `file:` URI; a relative path without folders to resolve it stays relative.
 */
export function artifactLocation(file: string, cwd?: string, root: string | undefined = cwd): ArtifactLocation {
  const absolute = isAbsolute(file) ? file : cwd !== undefined ? path.resolve(cwd, file) : undefined;
  if (absolute === undefined) return { uri: encodePath(file), uriBaseId: '%SRCROOT%' };
  if (root !== undefined) {
    const rel = path.relative(root, absolute);
    if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) return { uri: encodePath(rel), uriBaseId: '%SRCROOT%' };
  }
  return { uri: pathToFileURL(absolute).href };
}

function isAbsolute(file: string): boolean {
  return file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith('\\\\');
}

function encodePath(file: string): string {
  return file.split(/[\\/]/).map(encodeURIComponent).join('/');
}
