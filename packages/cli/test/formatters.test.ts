import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '@sopflow/model';
import { formatGithub, formatJson, formatSarif, formatStylish, type FileReport } from '../src/formatters/index.js';
import { escapeData, escapeProperty } from '../src/formatters/github.js';
import { ruleList } from '../src/formatters/rules.js';
import type { Diagnostic } from '@sopflow/model';
import { diag } from './helpers.js';

const SOURCE = ['id: call', 'instructions:', '  - id: greet', '    next: resarch', '  - id: research', '    do: Look it up.', ''].join(
  '\n',
);

const reports: FileReport[] = [
  { file: 'a.sop.yaml', text: 'id: a\n', diagnostics: [] },
  {
    file: 'sops/call.sop.yaml',
    text: SOURCE,
    diagnostics: [
      diag({ file: 'sops/call.sop.yaml', line: 4, column: 11, endColumn: 18, hint: 'did you mean `research`?' }),
      diag({
        file: 'sops/call.sop.yaml',
        code: 'unused-term',
        severity: 'warning',
        message: 'the term `CSR` is never used',
        line: 1,
        column: 5,
        endColumn: 9,
        path: ['terms', 'CSR'],
      }),
    ],
  },
];

describe('stylish', () => {
  it('prints file:line:col, the source line, a caret under the span, the hint and a summary', () => {
    expect(formatStylish(reports)).toBe(
      [
        'sops/call.sop.yaml:4:11: error no step has the id `resarch` [unknown-step]',
        '  |',
        '4 |     next: resarch',
        '  |           ^~~~~~~',
        '  hint: did you mean `research`?',
        'sops/call.sop.yaml:1:5: warning the term `CSR` is never used [unused-term]',
        '  |',
        '1 | id: call',
        '  |     ^~~~',
        '',
        '✖ 2 problems (1 error, 1 warning) in 1 file',
        '',
      ].join('\n'),
    );
  });

  it('says so when every file is clean', () => {
    expect(formatStylish([reports[0]!, { file: 'b.sop.yaml', diagnostics: [] }])).toBe('✓ 2 files, no problems\n');
    expect(formatStylish([reports[0]!], { quiet: true })).toBe('✓ 1 file, no errors\n');
  });

  it('colours only when asked', () => {
    expect(formatStylish(reports, { color: true })).toContain('\u001b[31merror\u001b[39m');
    expect(formatStylish(reports, { color: false })).not.toContain('\u001b');
  });

  it('groups by file, separating files with a blank line', () => {
    const two: FileReport[] = [
      { file: 'a.sop.yaml', text: 'x: 1\n', diagnostics: [diag({ file: 'a.sop.yaml' })] },
      { file: 'b.sop.yaml', text: 'x: 1\n', diagnostics: [diag({ file: 'b.sop.yaml' })] },
    ];
    const out = formatStylish(two);
    expect(out).toMatch(/\^\n\nb\.sop\.yaml:1:1: error/);
    expect(out.trimEnd().split('\n').at(-1)).toBe('✖ 2 problems (2 errors, 0 warnings) in 2 files');
  });

  it('keeps tabs in the caret padding so the caret lines up', () => {
    const out = formatStylish([{ file: 't.sop.yaml', text: '\tnext:\tx\n', diagnostics: [diag({ line: 1, column: 8, endColumn: 9 })] }]);
    expect(out).toContain('1 | \tnext:\tx\n  | \t     \t^\n');
  });

  it('drops the \\r of CRLF line ends', () => {
    const out = formatStylish([
      { file: 'c.sop.yaml', text: 'a: 1\r\nnext: zz\r\n', diagnostics: [diag({ line: 2, column: 7, endColumn: 9 })] },
    ]);
    expect(out).not.toContain('\r');
    expect(out).toContain('2 | next: zz\n  |       ^~\n');
  });

  it('points just after the line for a position past its end, and skips the snippet past the last line', () => {
    const text = 'abc\n';
    const out = formatStylish([
      { file: 'p.sop.yaml', text, diagnostics: [diag({ line: 1, column: 40, endColumn: 45 }), diag({ line: 9, column: 1 })] },
    ]);
    expect(out).toContain('1 | abc\n  |    ^\n');
    expect(out).toContain('p.sop.yaml:9:1: error');
    expect(out).not.toContain('9 |');
  });

  it('carets to the end of the line for a span that goes on to later lines', () => {
    const out = formatStylish([
      { file: 'm.sop.yaml', text: 'key: value\nmore\n', diagnostics: [diag({ line: 1, column: 6, endLine: 2, endColumn: 3 })] },
    ]);
    expect(out).toContain('1 | key: value\n  |      ^~~~~\n');
  });

  it('clips a 1 MB line around the column', () => {
    const column = 700_000;
    const line = 'a'.repeat(column - 1) + 'XYZ' + 'b'.repeat(1_000_000 - column - 2);
    const out = formatStylish([{ file: 'long.sop.yaml', text: line, diagnostics: [diag({ line: 1, column, endColumn: column + 3 })] }]);
    expect(out.length).toBeLessThan(1_000);
    const lines = out.split('\n');
    const source = lines[2]!;
    const caret = lines[3]!;
    expect(source.startsWith('1 | …')).toBe(true);
    expect(source.endsWith('…')).toBe(true);
    const at = caret.indexOf('^');
    expect(source.slice(at, at + 3)).toBe('XYZ');
    expect(caret.slice(at)).toBe('^~~');
  });

  it('never passes control characters from the file or the message to the terminal', () => {
    const out = formatStylish([
      {
        file: 'e\u001b[2J.sop.yaml',
        text: 'x: "\u001b[31mred\u0007"\n',
        diagnostics: [diag({ message: 'bad \u001b]0;title\u0007 value', line: 1, column: 4 })],
      },
    ]);
    expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    const named = formatStylish([{ file: 'two\nlines.sop.yaml', diagnostics: [diag()] }]);
    expect(named.split('\n')[0]).toBe('two\ufffdlines.sop.yaml:1:1: error no step has the id `resarch` [unknown-step]');
    expect(out).toContain('\ufffd');
  });

  it('indents the later lines of a multi-line message', () => {
    const out = formatStylish([{ file: 'y.sop.yaml', diagnostics: [diag({ code: 'yaml-syntax', message: 'first\nsecond' })] }]);
    expect(out).toContain('y.sop.yaml:1:1: error first\n  second\n  [yaml-syntax]\n');
  });
});

describe('json', () => {
  it('prints every file, clean ones too, with the diagnostics as they are', () => {
    const parsed = JSON.parse(formatJson(reports)) as { file: string; diagnostics: unknown[] }[];
    expect(parsed.map((r) => r.file)).toEqual(['a.sop.yaml', 'sops/call.sop.yaml']);
    expect(parsed[0]!.diagnostics).toEqual([]);
    expect(parsed[1]!.diagnostics).toEqual(reports[1]!.diagnostics);
    expect(Object.keys(parsed[0]!)).toEqual(['file', 'diagnostics']);
  });

  it('writes keys in a fixed order whatever order the objects have', () => {
    const d = diag({ hint: 'h' });
    const shuffled = Object.fromEntries(Object.entries(d).reverse()) as typeof d;
    const out = formatJson([{ file: 'a.sop.yaml', diagnostics: [shuffled] }]);
    expect(out).toBe(formatJson([{ file: 'a.sop.yaml', diagnostics: [d] }]));
    const keys = Object.keys((JSON.parse(out) as { diagnostics: object[] }[])[0]!.diagnostics[0]!);
    expect(keys).toEqual(['code', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'path', 'hint']);
  });

  it('prints an empty array for no files', () => {
    expect(formatJson([])).toBe('[]\n');
  });

  it('carries the exact fixes, when a diagnostic has them, after the hint', () => {
    const fix = { title: 'Change to `1m`', edits: [{ newText: '1m', endColumn: 29, endLine: 7, column: 21, line: 7 }] };
    const out = JSON.parse(formatJson([{ file: 'a.sop.yaml', diagnostics: [diag({ hint: 'write `1m`', fixes: [fix] })] }])) as {
      diagnostics: Record<string, unknown>[];
    }[];
    const d = out[0]!.diagnostics[0]!;
    expect(Object.keys(d).slice(-2)).toEqual(['hint', 'fixes']);
    expect(d.fixes).toEqual([{ title: 'Change to `1m`', edits: [{ line: 7, column: 21, endLine: 7, endColumn: 29, newText: '1m' }] }]);
  });
});

describe('sarif', () => {
  const schema = JSON.parse(readFileSync(new URL('./fixtures/sarif-2.1.0.trimmed.schema.json', import.meta.url), 'utf8')) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('uri', (s: string) => /^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(s) && URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/.test(s));
  const validate = ajv.compile(schema);

  const tricky: FileReport[] = [
    ...reports,
    {
      file: 'my sops/100% café.sop.yaml',
      diagnostics: [diag({ file: 'my sops/100% café.sop.yaml', line: 0, column: 0, endLine: 0, endColumn: 0 })],
    },
  ];

  it('is valid SARIF 2.1.0', () => {
    for (const input of [tricky, [], [reports[0]!]]) {
      const log = JSON.parse(formatSarif(input, { cwd: '/work/repo' })) as unknown;
      const ok = validate(log);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('the schema fixture rejects what it should (so the test above can fail)', () => {
    const log = JSON.parse(formatSarif(reports)) as {
      runs: { results: { level: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[];
    };
    const bad1 = structuredClone(log);
    bad1.runs[0]!.results[0]!.level = 'fatal';
    expect(validate(bad1)).toBe(false);
    const bad2 = structuredClone(log);
    bad2.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startLine = 0;
    expect(validate(bad2)).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
  });

  it('describes every code as a rule and points each result at its rule', () => {
    const log = JSON.parse(formatSarif(tricky));
    const run = log.runs[0];
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif/);
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver.name).toBe('sopflow');
    expect(run.tool.driver.informationUri).toMatch(/^https:\/\//);
    const rules = run.tool.driver.rules as any[];
    expect(rules.map((r) => r.id)).toEqual([...DIAGNOSTIC_CODES]);
    for (const rule of rules) {
      expect(rule.helpUri).toMatch(new RegExp(`/docs/rules/${rule.id}\\.md$`));
      expect(rule.shortDescription.text.length).toBeGreaterThan(5);
      expect(['error', 'warning']).toContain(rule.defaultConfiguration.level);
    }
    expect(rules.find((r) => r.id === 'unused-term').defaultConfiguration.level).toBe('warning');
    const results = run.results as any[];
    expect(results).toHaveLength(3);
    for (const result of results) expect(rules[result.ruleIndex].id).toBe(result.ruleId);
    expect(results[0]).toMatchObject({
      ruleId: 'unknown-step',
      level: 'error',
      message: { text: 'no step has the id `resarch`\nhint: did you mean `research`?' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'sops/call.sop.yaml', uriBaseId: '%SRCROOT%' },
            region: { startLine: 4, startColumn: 11, endLine: 4, endColumn: 18 },
          },
        },
      ],
    });
    expect(results[1].level).toBe('warning');
    expect(results[2].locations[0].physicalLocation.artifactLocation.uri).toBe('my%20sops/100%25%20caf%C3%A9.sop.yaml');
    expect(results[2].locations[0].physicalLocation.region).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 });
  });

  it('uses a file: URI for a file outside the working folder, and roots relative ones at cwd', () => {
    const log = JSON.parse(formatSarif([{ file: '/elsewhere/x.sop.yaml', diagnostics: [diag()] }], { cwd: '/work/repo' }));
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'file:///elsewhere/x.sop.yaml' });
    expect(log.runs[0].originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/repo/' } });
  });

  it('gives every rule a PascalCase name unlike its id, and fullDescription and help from its docs/rules page', () => {
    const rules = JSON.parse(formatSarif([])).runs[0].tool.driver.rules as any[];
    expect(rules.find((r) => r.id === 'unknown-step').name).toBe('UnknownStep');
    expect(rules.find((r) => r.id === 'schema').name).toBe('SchemaViolation');
    for (const rule of rules) {
      expect(rule.name.toLowerCase(), rule.id).not.toBe(rule.id.toLowerCase());
      expect(rule.name).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      const page = readFileSync(new URL(`../../../docs/rules/${rule.id}.md`, import.meta.url), 'utf8');
      // the first paragraph of the page describes the rule
      const first = page.split(/\n{2,}/)[2]!.replace(/\s*\n\s*/g, ' ');
      expect(rule.fullDescription.markdown, rule.id).toBe(first);
      expect(rule.help.markdown, rule.id).toContain('## Fix');
      expect(rule.help.markdown, rule.id).not.toMatch(/\]\((?!https?:)/);
      expect(rule.help.text, rule.id).not.toContain('## ');
      expect(rule.help.text.length).toBeGreaterThan(rule.fullDescription.text.length);
    }
  });

  it('fingerprints results by rule, file and message: stable when lines move, distinct for repeats', () => {
    const twice = (line: number): any[] =>
      JSON.parse(
        formatSarif([
          { file: 'a.sop.yaml', diagnostics: [diag({ line }), diag({ line: line + 5 }), diag({ line: line + 9, message: 'other' })] },
        ]),
      ).runs[0].results;
    const [a, b, c] = twice(3).map((r) => r.partialFingerprints['sopflowFingerprint/v1']);
    expect(a).toMatch(/^[0-9a-f]{32}:1$/);
    expect(b).toBe(a.replace(/:1$/, ':2'));
    expect(c).not.toBe(a);
    expect(twice(40).map((r) => r.partialFingerprints)).toEqual(twice(3).map((r) => r.partialFingerprints));
  });

  it('keeps regions inside the text: an empty file gets 1:1-1:1, a position past a line stops at its end', () => {
    const regionOf = (text: string, d: Partial<Diagnostic>): unknown =>
      JSON.parse(formatSarif([{ file: 'e.sop.yaml', text, diagnostics: [diag(d)] }])).runs[0].results[0].locations[0].physicalLocation
        .region;
    expect(regionOf('', { line: 1, column: 1, endColumn: 2 })).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 });
    expect(regionOf('ab\r\ncd\n', { line: 1, column: 2, endLine: 1, endColumn: 9 })).toEqual({
      startLine: 1,
      startColumn: 2,
      endLine: 1,
      endColumn: 3,
    });
    expect(regionOf('ab\n', { line: 7, column: 3, endLine: 8, endColumn: 4 })).toEqual({
      startLine: 2,
      startColumn: 1,
      endLine: 2,
      endColumn: 1,
    });
  });

  it('makes paths relative to the repository root (root), from any working folder inside it', () => {
    const log = JSON.parse(
      formatSarif(
        [
          { file: '../b/x.sop.yaml', diagnostics: [diag()] },
          { file: '/repo/c/y.sop.yaml', diagnostics: [diag()] },
        ],
        { cwd: '/repo/a', root: '/repo' },
      ),
    );
    expect(log.runs[0].originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///repo/' } });
    expect(log.runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation)).toEqual([
      { uri: 'b/x.sop.yaml', uriBaseId: '%SRCROOT%' },
      { uri: 'c/y.sop.yaml', uriBaseId: '%SRCROOT%' },
    ]);
  });

  it('takes every rule from the registry: a description and a docs page for every diagnostic code', () => {
    const rules = ruleList();
    expect(rules.map((r) => r.code)).toEqual([...DIAGNOSTIC_CODES]);
    for (const rule of rules) {
      expect(rule.description.length, rule.code).toBeGreaterThan(10);
      expect(rule.docs).toBe(`docs/rules/${rule.code}.md`);
    }
  });
});

describe('github', () => {
  it('prints one workflow command per diagnostic', () => {
    expect(formatGithub(reports)).toBe(
      '::error file=sops/call.sop.yaml,line=4,col=11,endLine=4,endColumn=18,title=unknown-step::no step has the id `resarch`%0Ahint: did you mean `research`?\n' +
        '::warning file=sops/call.sop.yaml,line=1,col=5,endLine=1,endColumn=9,title=unused-term::the term `CSR` is never used\n',
    );
  });

  it('prints nothing when clean', () => {
    expect(formatGithub([reports[0]!])).toBe('');
  });

  it('ends with a notice pointing at SARIF when there are more errors or warnings than GitHub shows (10 each)', () => {
    const many = (n: number, severity: 'error' | 'warning'): FileReport[] => [
      { file: 'm.sop.yaml', diagnostics: Array.from({ length: n }, (_, i) => diag({ line: i + 1, severity })) },
    ];
    expect(formatGithub(many(10, 'error'))).not.toContain('::notice');
    expect(formatGithub(many(10, 'warning'))).not.toContain('::notice');
    const out = formatGithub(many(11, 'error')).trimEnd().split('\n');
    expect(out).toHaveLength(12);
    expect(out.at(-1)).toBe(
      '::notice title=sopflow::11 errors and 0 warnings: GitHub shows only the first 10 errors and 10 warnings of a step as annotations; the log above lists them all. Upload sopflow validate --format sarif with github/codeql-action/upload-sarif to see every one in code scanning.',
    );
    expect(formatGithub(many(11, 'warning'))).toContain('::notice title=sopflow::0 errors and 11 warnings:');
  });

  it('never passes raw control characters (ESC, NUL, BEL…) to the log', () => {
    const out = formatGithub([
      {
        file: 'e\u001b[2J\u0000.sop.yaml',
        diagnostics: [diag({ message: 'bad \u001b]0;title\u0007 value\u0000\u009b', hint: 'tab\tok' })],
      },
    ]);
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(out).toContain('file=e\ufffd[2J\ufffd.sop.yaml,');
    expect(out).toContain('::bad \ufffd]0;title\ufffd value\ufffd\ufffd%0Ahint: tab\tok\n');
  });

  it('escapes %, CR and LF in messages, and also , and : in properties', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeProperty('dir,a:b%\n.sop.yaml')).toBe('dir%2Ca%3Ab%25%0A.sop.yaml');
    const out = formatGithub([{ file: 'x,y:z.sop.yaml', diagnostics: [diag({ message: '50%\r\n::error::injected' })] }]);
    expect(out.split('\n')).toHaveLength(2);
    expect(out).toContain('file=x%2Cy%3Az.sop.yaml,');
    expect(out).toContain('::50%25%0D%0A::error::injected\n');
  });
});
