import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './runValidate.js';
import { validateFiles, decodeSource, groupByFile } from '../src/validateFiles.js';
import { isIsoDate, useColor } from '../src/commands/validate.js';
import { diag } from './helpers.js';
import { MANY_FILES } from '../src/io.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const cwd = FIXTURES;
const validate = (...args: string[]) => runInProcess(['validate', ...args, '--today', '2026-06-01'], { cwd });

describe('sopflow validate: exit codes', () => {
  it('exits 0 on a clean file', async () => {
    const r = await validate('validate/good.sop.yaml');
    expect(r).toEqual({ code: 0, stdout: '✓ 1 file, no problems\n', stderr: '' });
  });

  it('exits 0 with warnings, and 1 when they are more than --max-warnings', async () => {
    const ok = await validate('validate/warn.sop.yaml');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('warning');
    expect(ok.stdout).toContain('[unused-term]');
    expect((await validate('validate/warn.sop.yaml', '--max-warnings', '1')).code).toBe(0);
    const tooMany = await validate('validate/warn.sop.yaml', '--max-warnings', '0');
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toContain('too many warnings');
  });

  it('--quiet drops warnings from the output and from the count', async () => {
    const r = await validate('validate/warn.sop.yaml', '--quiet', '--max-warnings', '0');
    expect(r).toEqual({ code: 0, stdout: '✓ 1 file, no errors\n', stderr: '' });
    const errors = await validate('validate', '--quiet', '--format', 'json');
    const parsed = JSON.parse(errors.stdout) as { diagnostics: { severity: string }[] }[];
    expect(parsed.flatMap((f) => f.diagnostics).map((d) => d.severity)).toEqual(['error']);
    expect(errors.code).toBe(1);
  });

  it('exits 1 on an error', async () => {
    const r = await validate('validate/nested/deeper/broken.sop.yaml');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^validate\/nested\/deeper\/broken\.sop\.yaml:11:31: error .*\[unknown-step\]$/m);
    expect(r.stdout).toContain('did you mean');
    expect(r.stderr).toBe('');
  });

  it('exits 2 on a missing path, a folder with no SOPs, a glob matching nothing', async () => {
    for (const arg of ['validate/nope.sop.yaml', 'validate-empty', 'validate/**/*.nothing']) {
      const r = await validate(arg);
      expect(r.code, arg).toBe(2);
      expect(r.stdout, arg).toBe('');
      expect(r.stderr, arg).toMatch(/^sopflow: /);
    }
  });

  it('exits 2 on a missing path even when other paths are fine', async () => {
    const r = await validate('validate/good.sop.yaml', 'missing.sop.yaml');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('sopflow: no such file or folder: missing.sop.yaml\n');
  });

  it('exits 2 on bad options', async () => {
    expect((await validate('validate', '--format', 'xml')).code).toBe(2);
    expect((await validate('validate', '--max-warnings', 'many')).code).toBe(2);
    expect((await validate('validate', '--max-warnings', '-1')).code).toBe(2);
    const badDate = await runInProcess(['validate', 'validate', '--today', '2026-02-30'], { cwd });
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain('--today');
    expect((await runInProcess(['validate'], { cwd })).code).toBe(2);
  });
});

describe('sopflow validate: many files', () => {
  it('calls io.beforeManyFiles once when it has MANY_FILES files or more, and not for fewer', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sopflow-many-'));
    try {
      const counts: number[] = [];
      for (let n = 1; n <= MANY_FILES; n++) {
        copyFileSync(path.join(FIXTURES, 'validate/good.sop.yaml'), path.join(dir, `sop-${n}.sop.yaml`));
        let calls = 0;
        const r = await runInProcess(['validate', '.', '--today', '2026-06-01', '--format', 'json'], {
          cwd: dir,
          beforeManyFiles: () => calls++,
        });
        expect((JSON.parse(r.stdout) as unknown[]).length).toBe(n);
        counts.push(calls);
      }
      expect(counts).toEqual([...Array<number>(MANY_FILES - 1).fill(0), 1]);
      // a process embedding runCli may leave it out
      expect((await runInProcess(['validate', '.', '--today', '2026-06-01', '--format', 'json'], { cwd: dir })).stderr).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sopflow validate: paths', () => {
  it('searches folders recursively for *.sop.yaml and sorts by path', async () => {
    const r = await validate('validate', '--format', 'json');
    const files = (JSON.parse(r.stdout) as { file: string }[]).map((f) => f.file);
    expect(files).toEqual([
      'validate/good.sop.yaml',
      'validate/nested/deeper/broken.sop.yaml',
      'validate/nested/uses-good.sop.yaml',
      'validate/warn.sop.yaml',
    ]);
  });

  it('expands globs', async () => {
    const r = await validate('validate/*.sop.yaml', '--format', 'json');
    expect((JSON.parse(r.stdout) as { file: string }[]).map((f) => f.file)).toEqual(['validate/good.sop.yaml', 'validate/warn.sop.yaml']);
    expect(r.code).toBe(0);
  });

  it('resolves use: across the files given, and reports a procedure that is not among them', async () => {
    const both = await validate('validate/good.sop.yaml', 'validate/nested/uses-good.sop.yaml');
    expect(both.code).toBe(0);
    const alone = await validate('validate/nested/uses-good.sop.yaml');
    expect(alone.code).toBe(1);
    expect(alone.stdout).toContain('[missing-procedure]');
  });

  it('prints the same output whatever order the paths are given in', async () => {
    const a = await validate('validate/warn.sop.yaml', 'validate/nested', 'validate/good.sop.yaml');
    const b = await validate('validate/good.sop.yaml', 'validate/nested', 'validate/warn.sop.yaml');
    expect(a.stdout).toBe(b.stdout);
  });
});

describe('sopflow validate: formats', () => {
  it('json: every file with its diagnostics', async () => {
    const r = await validate('validate', '--format', 'json');
    expect(r.code).toBe(1);
    const parsed = JSON.parse(r.stdout) as { file: string; diagnostics: { code: string; file: string; line: number }[] }[];
    expect(parsed).toHaveLength(4);
    const broken = parsed.find((f) => f.file.endsWith('broken.sop.yaml'))!;
    expect(broken.diagnostics).toEqual([
      expect.objectContaining({ code: 'unknown-step', file: 'validate/nested/deeper/broken.sop.yaml', line: 11, severity: 'error' }),
    ]);
  });

  it('sarif: one result per diagnostic', async () => {
    const r = await validate('validate', '--format', 'sarif');
    const log = JSON.parse(r.stdout) as { runs: { results: { ruleId: string; level: string }[] }[] };
    expect(log.runs[0]!.results.map((x) => [x.ruleId, x.level])).toEqual([
      ['unknown-step', 'error'],
      ['unused-term', 'warning'],
    ]);
    expect(r.code).toBe(1);
  });

  it('github: workflow commands', async () => {
    const r = await validate('validate', '--format', 'github');
    expect(r.stdout).toMatch(
      /^::error file=validate\/nested\/deeper\/broken\.sop\.yaml,line=11,col=31,endLine=11,endColumn=\d+,title=unknown-step::/m,
    );
    expect(r.stdout).toMatch(/^::warning file=validate\/warn\.sop\.yaml,.*title=unused-term::/m);
  });

  it('colours stylish output only on a terminal without --no-color or NO_COLOR', async () => {
    const args = ['validate', 'validate/warn.sop.yaml', '--today', '2026-06-01'];
    expect((await runInProcess(args, { cwd, isTTY: true })).stdout).toContain('\u001b[');
    expect((await runInProcess([...args, '--no-color'], { cwd, isTTY: true })).stdout).not.toContain('\u001b[');
    expect((await runInProcess(args, { cwd, isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toContain('\u001b[');
    expect((await runInProcess(args, { cwd, isTTY: false })).stdout).not.toContain('\u001b[');
    expect(useColor({}, { isTTY: true, env: { NO_COLOR: '' } })).toBe(true);
  });

  it('--color, FORCE_COLOR and NO_COLOR: the command line first, then FORCE_COLOR, then NO_COLOR (no-color.org), then the terminal', async () => {
    const args = ['validate', 'validate/warn.sop.yaml', '--today', '2026-06-01'];
    const colored = async (extra: string[], env: Record<string, string>, isTTY: boolean) =>
      (await runInProcess([...args, ...extra], { cwd, isTTY, env })).stdout.includes('\u001b[');
    expect(await colored(['--color'], {}, false)).toBe(true);
    expect(await colored(['--color'], { NO_COLOR: '1' }, false)).toBe(true);
    expect(await colored(['--no-color'], { FORCE_COLOR: '1' }, true)).toBe(false);
    expect(await colored([], { FORCE_COLOR: '1' }, false)).toBe(true);
    expect(await colored([], { FORCE_COLOR: '' }, false)).toBe(true);
    expect(await colored([], { FORCE_COLOR: '0' }, true)).toBe(false);
    expect(await colored([], { FORCE_COLOR: 'false' }, true)).toBe(false);
    expect(await colored([], { FORCE_COLOR: '1', NO_COLOR: '1' }, false)).toBe(true);
    expect(await colored([], { NO_COLOR: 'anything' }, true)).toBe(false);
    expect(await colored([], { NO_COLOR: '' }, true)).toBe(true);
    // colour is for stylish only
    expect((await runInProcess([...args, '--color', '--format', 'json'], { cwd })).stdout).not.toContain('\u001b[');
  });

  it('-o / --output-file writes the report to a file (never coloured), 2 when it cannot', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sopflow-out-'));
    try {
      const out = path.join(dir, 'report.sarif');
      const r = await runInProcess(['validate', 'validate', '--format', 'sarif', '-o', out, '--today', '2026-06-01'], { cwd, isTTY: true });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect((JSON.parse(readFileSync(out, 'utf8')) as { version: string }).version).toBe('2.1.0');
      const stylish = await runInProcess(['validate', 'validate/warn.sop.yaml', '--output-file', out, '--color'], { cwd });
      expect(stylish.code).toBe(0);
      expect(readFileSync(out, 'utf8')).toMatch(/^validate\/warn\.sop\.yaml:7:3: warning /);
      expect(readFileSync(out, 'utf8')).not.toContain('\u001b[');
      const bad = await runInProcess(['validate', 'validate/warn.sop.yaml', '-o', path.join(dir, 'no/such/folder.txt')], { cwd });
      expect(bad).toEqual({
        code: 2,
        stdout: '',
        stderr: `sopflow: cannot write ${path.join(dir, 'no/such/folder.txt')}: no such folder\n`,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sopflow schema', () => {
  it('prints the path of the schema shipped in @sopflow/core, its content, or a modeline', async () => {
    const where = await runInProcess(['schema'], { cwd });
    expect(where.code).toBe(0);
    const file = where.stdout.trim();
    expect(file).toMatch(/core[\\/]schema[\\/]sop\.schema\.json$/);
    const content = await runInProcess(['schema', '--content'], { cwd });
    expect(content.stdout).toBe(readFileSync(file, 'utf8'));
    expect(content.stdout).toBe(readFileSync(new URL('../../../schemas/sop.schema.json', import.meta.url), 'utf8'));
    const modeline = await runInProcess(['schema', '--modeline', 'validate/nested/x.sop.yaml'], { cwd });
    const rel = /^# yaml-language-server: \$schema=(\S+)\n$/.exec(modeline.stdout)![1]!;
    expect(path.resolve(cwd, 'validate/nested', rel)).toBe(file);
    expect((await runInProcess(['schema', '--content', '--modeline', 'a.sop.yaml'], { cwd })).code).toBe(2);
  });

  it('schemas/catalog.json is a SchemaStore catalog entry for *.sop.yaml that points at this schema', () => {
    const catalog = JSON.parse(readFileSync(new URL('../../../schemas/catalog.json', import.meta.url), 'utf8')) as {
      $schema: string;
      version: number;
      schemas: { name: string; description: string; fileMatch: string[]; url: string }[];
    };
    expect(catalog.$schema).toBe('https://json.schemastore.org/schema-catalog.json');
    expect(catalog.version).toBe(1);
    expect(catalog.schemas).toHaveLength(1);
    const entry = catalog.schemas[0]!;
    expect(Object.keys(entry).sort()).toEqual(['description', 'fileMatch', 'name', 'url']);
    expect(entry.description.length).toBeGreaterThan(20);
    const matches = (file: string) =>
      entry.fileMatch.some((glob) => new RegExp(`^${glob.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`).test(file));
    for (const file of ['refund.sop.yaml', 'refund.sop.yml']) expect(matches(file), file).toBe(true);
    for (const file of ['refund.yaml', 'sop.yaml', 'refund.sop.json']) expect(matches(file), file).toBe(false);
    // the url serves this repository's schema file
    expect(entry.url).toMatch(/^https:\/\/raw\.githubusercontent\.com\/sopflow\/sopflow\/main\/schemas\/sop\.schema\.json$/);
  });
});

describe('validateFiles', () => {
  it('reports files that cannot be read, as I/O errors', async () => {
    const err = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const r = await validateFiles([path.join(cwd, 'x.sop.yaml')], { cwd, readFile: () => Promise.reject(err) });
    expect(r).toEqual({ reports: [], readErrors: ['cannot read x.sop.yaml: permission denied'] });
  });

  it('exits 2 when a file cannot be read', async () => {
    // a folder passed where a file is read: EISDIR, whatever the user's permissions
    const r = await validateFiles([path.join(cwd, 'validate')], { cwd });
    expect(r.readErrors).toEqual(['cannot read validate: it is a folder']);
  });

  it('refuses a FIFO named like an SOP instead of waiting on it forever', async () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'sopflow-fifo-'));
    try {
      execFileSync('mkfifo', [path.join(tmp, 'pipe.sop.yaml')]);
      const r = await validateFiles([path.join(tmp, 'pipe.sop.yaml')], { cwd: tmp });
      expect(r.readErrors).toEqual(['cannot read pipe.sop.yaml: not a regular file']);
      // globs and folders never list it, and a path to it is not a file
      expect((await runInProcess(['validate', 'pipe.sop.yaml'], { cwd: tmp })).code).toBe(2);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('reads many files with bounded concurrency', async () => {
    let open = 0;
    let most = 0;
    const files = Array.from({ length: 50 }, (_, i) => path.join(cwd, `f${String(i).padStart(2, '0')}.sop.yaml`));
    const r = await validateFiles(files, {
      cwd,
      concurrency: 8,
      readFile: async () => {
        most = Math.max(most, ++open);
        await new Promise((resolve) => setTimeout(resolve, 1));
        open--;
        return new TextEncoder().encode('sopflow: 1\n');
      },
    });
    expect(most).toBeLessThanOrEqual(8);
    expect(r.reports.map((x) => x.file)).toEqual(files.map((f) => path.basename(f)));
  });

  it('drops a BOM and replaces invalid UTF-8', () => {
    expect(decodeSource(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]))).toBe('a');
    expect(decodeSource(new Uint8Array([0x61, 0xff, 0x62]))).toBe('a\ufffdb');
  });

  it('groups diagnostics by file, sorted by position', () => {
    const reports = groupByFile(
      [
        { file: 'b', text: '' },
        { file: 'a', text: '' },
      ],
      [diag({ file: 'a', line: 5 }), diag({ file: 'a', line: 2, column: 9 }), diag({ file: 'a', line: 2, column: 3 })],
    );
    expect(reports.map((r) => [r.file, r.diagnostics.map((d) => `${d.line}:${d.column}`)])).toEqual([
      ['a', ['2:3', '2:9', '5:1']],
      ['b', []],
    ]);
  });

  it('checks --today dates', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
  });
});
