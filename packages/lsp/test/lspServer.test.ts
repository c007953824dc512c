import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHILD, PARENT_BROKEN, PARENT_CLEAN } from './fixtures.js';
import { applyEdits, BIN, LspClient, scratch, TODAY, uriOf, type LspDiagnostic } from './lspClient.js';

/** What `sopflow validate --format json <folder>` reports for one file of the folder. */
function validate(
  folder: string,
  file: string,
): { code: string; line: number; column: number; endLine: number; endColumn: number; severity: string }[] {
  let out: string;
  try {
    out = execFileSync(process.execPath, [BIN, 'validate', '--format', 'json', '--today', TODAY, '.'], { cwd: folder, encoding: 'utf8' });
  } catch (error) {
    out = (error as { stdout: string }).stdout;
  }
  const reports = JSON.parse(out) as { file: string; diagnostics: any[] }[];
  return reports.find((r) => r.file === file)?.diagnostics ?? [];
}

const asCli = (d: LspDiagnostic) => ({
  code: d.code,
  line: d.range.start.line + 1,
  column: d.range.start.character + 1,
  endLine: d.range.end.line + 1,
  endColumn: d.range.end.character + 1,
  severity: d.severity === 1 ? 'error' : 'warning',
});

const pos = (text: string, needle: string, shift = 0) => {
  const at = text.indexOf(needle);
  if (at === -1) throw new Error(`not found: ${needle}`);
  const before = text.slice(0, at + shift);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
};

describe('sopflow lsp, driven over stdio as an editor drives it', () => {
  const ws = scratch();
  const childFile = path.join(ws.dir, 'verify-identity.sop.yaml');
  const parentFile = path.join(ws.dir, 'calls', 'inbound-call.sop.yaml');
  const parentUri = uriOf(parentFile);
  const childUri = uriOf(childFile);
  let client: LspClient;
  let capabilities: any;

  beforeAll(async () => {
    mkdirSync(path.dirname(parentFile), { recursive: true });
    writeFileSync(childFile, CHILD);
    writeFileSync(parentFile, PARENT_BROKEN);
    client = new LspClient();
    capabilities = (await client.initialize([ws.dir])).capabilities;
  });
  afterAll(async () => {
    client?.kill();
    ws.remove();
  });

  test('initialize announces what the server does', () => {
    expect(capabilities.textDocumentSync).toMatchObject({ openClose: true, change: 2 });
    for (const key of [
      'completionProvider',
      'definitionProvider',
      'referencesProvider',
      'renameProvider',
      'hoverProvider',
      'documentSymbolProvider',
      'codeActionProvider',
    ]) {
      expect(capabilities[key], key).toBeTruthy();
    }
  });

  test('didOpen a broken SOP: the codes and ranges `sopflow validate` gives for it, with the docs page', async () => {
    const expected = validate(ws.dir, 'calls/inbound-call.sop.yaml');
    expect(expected.map((d) => d.code).sort()).toEqual([
      'invalid-duration',
      'missing-procedure',
      'undeclared-field',
      'undefined-term',
      'unknown-step',
      'unreachable-step',
    ]);
    const { diagnostics } = await client.open(parentUri, PARENT_BROKEN);
    expect(diagnostics.map(asCli)).toEqual(
      expected.map(({ code, line, column, endLine, endColumn, severity }) => ({ code, line, column, endLine, endColumn, severity })),
    );
    for (const d of diagnostics) {
      expect(d.source).toBe('sopflow');
      expect(d.codeDescription?.href).toBe(`https://github.com/sopflow/sopflow/blob/main/docs/rules/${d.code}.md`);
    }
  });

  test('code actions: each fix applied, the file validates', async () => {
    let text = PARENT_BROKEN;
    let version = 1;
    for (let round = 0; round < 10; round++) {
      const published = client.published.filter((p) => p.uri === parentUri).at(-1)!;
      const fixable = published.diagnostics.filter((d) => d.code !== 'undefined-term' && d.code !== 'unreachable-step');
      if (fixable.length === 0) break;
      const d = fixable[0]!;
      const actions = await client.request<any[]>('textDocument/codeAction', {
        textDocument: { uri: parentUri },
        range: d.range,
        context: { diagnostics: [d] },
      });
      expect(actions.length, `a fix for ${d.code}: ${d.message}`).toBeGreaterThan(0);
      const edits = actions[0].edit.documentChanges[0].edits;
      expect(actions[0].edit.documentChanges[0].textDocument.version).toBe(version);
      text = applyEdits(text, edits);
      version++;
      await client.change(parentUri, version, text);
    }
    // what is left: the acronym, whose fix adds it to `terms` with an empty meaning to fill in
    const last = client.published.filter((p) => p.uri === parentUri).at(-1)!;
    expect(last.diagnostics.map((d) => d.code)).toEqual(['undefined-term']);
    const [term] = last.diagnostics;
    const actions = await client.request<any[]>('textDocument/codeAction', {
      textDocument: { uri: parentUri },
      range: term!.range,
      context: { diagnostics: [term] },
    });
    expect(actions.map((a) => a.title)).toEqual(['Add `CRM` to `terms`']);
    text = applyEdits(text, actions[0].edit.documentChanges[0].edits);
    expect(text).toContain('  CSR: Customer service representative.\n  CRM: ""\n');
    text = text.replace('CRM: ""', 'CRM: The customer management system.');
    version++;
    const after = await client.change(parentUri, version, text);
    expect(after.diagnostics).toEqual([]);
    writeFileSync(parentFile, text);
    expect(validate(ws.dir, 'calls/inbound-call.sop.yaml')).toEqual([]);
    expect(text).toBe(
      PARENT_CLEAN.replace(
        '  CSR: Customer service representative.\n',
        '  CSR: Customer service representative.\n  CRM: The customer management system.\n',
      ).replace('on hold while', 'on hold in the CRM while'),
    );
  });

  test('didChange that fixes the file clears its diagnostics; one that breaks it brings them back', async () => {
    const broken = await client.change(parentUri, 100, PARENT_CLEAN.replace('next: triage', 'next: triag'));
    expect([...new Set(broken.diagnostics.map((d) => d.code))]).toEqual(['unknown-step', 'unreachable-step']);
    const fixed = await client.change(parentUri, 101, PARENT_CLEAN);
    expect(fixed.diagnostics).toEqual([]);
  });

  test('a sub-procedure that changes re-checks the SOPs that use it', async () => {
    // the child stops ending with `not-verified`: the parent's `outcomes` key is now unknown
    const dependant = client.diagnostics(parentUri);
    await client.open(childUri, CHILD.replace(/not-verified/g, 'unverified'));
    const { diagnostics } = await dependant;
    expect(diagnostics.map((d) => d.code)).toEqual(['unknown-outcome']);
    const back = client.diagnostics(parentUri);
    await client.change(childUri, 2, CHILD);
    expect((await back).diagnostics).toEqual([]);
  });

  test('completion: step ids in next, choices, outcomes and limit.next; fields; SOP ids', async () => {
    const text = PARENT_CLEAN;
    const complete = async (needle: string, shift: number) =>
      await client.request<any[]>('textDocument/completion', { textDocument: { uri: parentUri }, position: pos(text, needle, shift) });
    const labels = (items: any[]) => items.map((i) => i.label);
    const steps = ['greet', 'verify', 'triage', 'research', 'check-back', 'done'];
    expect(labels(await complete('next: triage', 6))).toEqual(steps);
    expect(labels(await complete('next: research }', 6))).toEqual(steps);
    expect(labels(await complete('not-verified: done', 14))).toEqual(steps);
    expect(labels(await complete('next: check-back }', 6))).toEqual(steps);
    const research = (await complete('next: triage', 6)).find((i) => i.label === 'research');
    expect(research.detail).toBe('task: Put the caller on hold while you research.');
    expect(labels(await complete('record: [customer_id', 9))).toEqual(['customer_id', 'issue']);
    expect(labels(await complete('field: issue', 7))).toEqual(['customer_id', 'issue']);
    const sops = await complete('use: verify-identity', 5);
    expect(labels(sops)).toEqual(['verify-identity']);
    expect(sops[0].detail).toBe("Verifying a caller's identity");
    expect(labels(await complete('not-verified: done', 0))).toEqual(['verified', 'not-verified']);
  });

  test('definition and references of step ids and SOP ids', async () => {
    const text = PARENT_CLEAN;
    const def = await client.request<any[]>('textDocument/definition', {
      textDocument: { uri: parentUri },
      position: pos(text, 'next: triage', 8),
    });
    expect(def).toEqual([{ uri: parentUri, range: { start: pos(text, '- id: triage', 6), end: pos(text, '- id: triage', 12) } }]);
    const refs = await client.request<any[]>('textDocument/references', {
      textDocument: { uri: parentUri },
      position: pos(text, '- id: research', 8),
      context: { includeDeclaration: true },
    });
    const lineOf = (needle: string) => pos(text, needle).line + 1;
    expect(refs.map((r) => r.range.start.line + 1)).toEqual([
      lineOf('- id: research'),
      lineOf('technical }, next: research'),
      lineOf('"Billing", next: research'),
      lineOf('next: research\n'),
    ]);
    const sop = await client.request<any[]>('textDocument/definition', {
      textDocument: { uri: parentUri },
      position: pos(text, 'use: verify-identity', 8),
    });
    expect(sop).toEqual([
      { uri: childUri, range: { start: pos(CHILD, 'id: verify-identity', 4), end: pos(CHILD, 'id: verify-identity', 19) } },
    ]);
    const uses = await client.request<any[]>('textDocument/references', {
      textDocument: { uri: childUri },
      position: pos(CHILD, 'id: verify-identity', 6),
      context: { includeDeclaration: false },
    });
    expect(uses).toEqual([
      { uri: parentUri, range: { start: pos(text, 'use: verify-identity', 5), end: pos(text, 'use: verify-identity', 20) } },
    ]);
  });

  test('rename a step id everywhere in the file, outcomes targets included', async () => {
    const text = PARENT_CLEAN;
    const at = pos(text, 'not-verified: done', 15);
    const prepared = await client.request<any>('textDocument/prepareRename', { textDocument: { uri: parentUri }, position: at });
    expect(prepared.placeholder).toBe('done');
    const edit = await client.request<any>('textDocument/rename', { textDocument: { uri: parentUri }, position: at, newName: 'finish' });
    const renamed = applyEdits(text, edit.changes[parentUri]);
    expect(renamed).toBe(text.replace(/\bdone\b/g, 'finish'));
    await expect(
      client.request('textDocument/rename', { textDocument: { uri: parentUri }, position: at, newName: 'not an id' }),
    ).rejects.toThrow(/cannot be a step id/);
    await expect(
      client.request('textDocument/rename', { textDocument: { uri: parentUri }, position: at, newName: 'greet' }),
    ).rejects.toThrow(/already a step/);
  });

  test('hover: a step id shows its kind and text; a term its definition', async () => {
    const text = PARENT_CLEAN;
    const step = await client.request<any>('textDocument/hover', {
      textDocument: { uri: parentUri },
      position: pos(text, 'next: triage', 8),
    });
    expect(step.contents.value).toBe('**decision** `triage` · step 3 of 6\n\nWhat is the issue about?');
    const term = await client.request<any>('textDocument/hover', {
      textDocument: { uri: parentUri },
      position: pos(text, 'the CSR owns', 5),
    });
    expect(term.contents.value).toBe('**CSR**: Customer service representative.');
  });

  test('document symbols: the steps in order, by kind', async () => {
    const symbols = await client.request<any[]>('textDocument/documentSymbol', { textDocument: { uri: parentUri } });
    expect(symbols.map((s) => [s.name, s.kind])).toEqual([
      ['greet', 12],
      ['verify', 2],
      ['triage', 10],
      ['research', 12],
      ['check-back', 12],
      ['done', 14],
    ]);
    expect(symbols[2].children.map((c: any) => c.name)).toEqual(['when issue', 'Billing']);
  });

  test('shutdown then exit: exit code 0', async () => {
    expect(await client.shutdown()).toBe(0);
  });
});
