import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '@sopflow/model';
import { VERSION } from '../version.js';
import { ruleList } from './rules.js';
import type { FileReport, FormatOptions } from './types.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const INFORMATION_URI = 'https://github.com/sopflow/sopflow';
/** Each rule's page is `<base><code>.md`. */
export const RULES_BASE_URI = `${INFORMATION_URI}/blob/main/docs/rules/`;

/**
 * SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, IDE viewers): one run, every diagnostic
 * code as a rule (`ruleIndex` points into `tool.driver.rules`), one result per diagnostic with
 * a relative, forward-slash artifact URI under `%SRCROOT%` and a 1-based UTF-16 region.
 */
export function formatSarif(reports: readonly FileReport[], options: FormatOptions = {}): string {
  const rulesBase = options.rulesBaseUri ?? RULES_BASE_URI;
  const rules = ruleList();
  const ruleIndex = new Map<string, number>(rules.map((rule, i) => [rule.code, i]));
  const results = reports.flatMap((report) =>
    report.diagnostics.map((d) => sarifResult(d, report.file, ruleIndex.get(d.code) ?? -1)),
  );
  const run: Record<string, unknown> = {
    tool: {
      driver: {
        name: 'sopflow',
        informationUri: INFORMATION_URI,
        version: VERSION,
        semanticVersion: VERSION,
        rules: rules.map((rule) => ({
          id: rule.code,
          name: rule.code,
          shortDescription: { text: rule.description },
          helpUri: `${rulesBase}${rule.code}.md`,
          defaultConfiguration: { level: rule.severity },
        })),
      },
    },
  };
  if (options.cwd !== undefined) {
    run.originalUriBaseIds = { '%SRCROOT%': { uri: pathToFileURL(options.cwd.endsWith('/') ? options.cwd : `${options.cwd}/`).href } };
  }
  run.columnKind = 'utf16CodeUnits';
  run.results = results;
  const log = { $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] };
  return JSON.stringify(log, null, 2) + '\n';
}

function sarifResult(d: Diagnostic, file: string, ruleIndex: number): Record<string, unknown> {
  const startLine = whole(d.line);
  const startColumn = whole(d.column);
  const endLine = Math.max(startLine, whole(d.endLine));
  const endColumn = endLine === startLine ? Math.max(startColumn, whole(d.endColumn)) : whole(d.endColumn);
  const result: Record<string, unknown> = {
    ruleId: d.code,
    ruleIndex,
    level: d.severity === 'error' ? 'error' : 'warning',
    message: { text: d.hint ? `${d.message}\nhint: ${d.hint}` : d.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactLocation(file),
          region: { startLine, startColumn, endLine, endColumn },
        },
      },
    ],
  };
  if (d.path.length > 0) result.properties = { path: d.path };
  return result;
}

function whole(n: number): number {
  return Number.isFinite(n) ? Math.max(1, Math.trunc(n)) : 1;
}

/** A relative path becomes a percent-encoded relative URI under %SRCROOT%; an absolute one a file: URI. */
export function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (file.startsWith('/') || /^[A-Za-z]:[\\/]/.test(file) || file.startsWith('\\\\')) {
    return { uri: pathToFileURL(file).href };
  }
  return { uri: file.split(/[\\/]/).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}
