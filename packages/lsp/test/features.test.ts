import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { applyEdits, LspClient, scratch, uriOf } from './lspClient.js';

const CHILD = `sopflow: 1
id: escalation
title: Escalating a case
fields:
  customer_number: { type: string }
  case_number: { type: string, label: Case number }
instructions:
  - do: Open a case.
    record: [case_number]
  - end: escalated
`;

/** Uses the format's `with`/`returns` and a step without an id. */
const PARENT = `sopflow: 1
id: parent
title: A parent
fields:
  customer_id: { type: string, label: Customer number }
  case_id: { type: string }
instructions:
  - do: Take the customer's number.
    record: [customer_id]
    next: step-3
  - id: escalate
    use: escalation
    with: { customer_number: customer_id }
    returns: { case_id: case_number }
  - do: Tell the caller the case number.
`;

const at = (text: string, needle: string, shift = 0) => {
  const i = text.indexOf(needle) + shift;
  const before = text.slice(0, i);
  return { line: before.split('\n').length - 1, character: i - before.lastIndexOf('\n') - 1 };
};

describe('editor features', () => {
  const ws = scratch();
  let client: LspClient;
  const parentUri = uriOf(path.join(ws.dir, 'parent.sop.yaml'));
  beforeAll(async () => {
    writeFileSync(path.join(ws.dir, 'escalation.sop.yaml'), CHILD);
    mkdirSync(path.join(ws.dir, 'node_modules'));
    writeFileSync(path.join(ws.dir, 'node_modules', 'ignored.sop.yaml'), CHILD.replace('id: escalation', 'id: hidden'));
    client = LspClient.inProcess();
    await client.initialize([ws.dir], { textDocument: {} });
    await client.open(parentUri, PARENT);
  });
  afterAll(() => {
    client.kill();
    ws.remove();
  });

  const complete = async (needle: string, shift: number, text = PARENT, uri = parentUri) =>
    (await client.request<any[]>('textDocument/completion', { textDocument: { uri }, position: at(text, needle, shift) })).map(
      (i) => i.label,
    );

  test("with: keys are the sub-procedure's fields, values this SOP's; returns: the other way round", async () => {
    expect(await complete('customer_number: customer_id', 0)).toEqual(['customer_number', 'case_number']);
    expect(await complete('customer_number: customer_id', 18)).toEqual(['customer_id', 'case_id']);
    expect(await complete('case_id: case_number', 0)).toEqual(['customer_id', 'case_id']);
    expect(await complete('case_id: case_number', 9)).toEqual(['customer_number', 'case_number']);
  });

  test('use: the SOP ids of the workspace (not node_modules, not this SOP), with their titles', async () => {
    const items = await client.request<any[]>('textDocument/completion', {
      textDocument: { uri: parentUri },
      position: at(PARENT, 'use: escalation', 5),
    });
    expect(items.map((i) => [i.label, i.detail])).toEqual([['escalation', 'Escalating a case']]);
  });

  test('completion while typing: an empty next, a new list item', async () => {
    const typing = PARENT.replace('    next: step-3\n', '    next: \n');
    const uri = uriOf(path.join(ws.dir, 'typing.sop.yaml'));
    await client.open(uri, typing.replace('id: parent', 'id: typing'));
    const text = typing.replace('id: parent', 'id: typing');
    expect(await complete('next: \n', 6, text, uri)).toEqual(['step-1', 'escalate', 'step-3']);
    expect(await complete('record: [customer_id]', 20, text, uri)).toEqual(['customer_id', 'case_id']);
  });

  test("hover on a use: and on fields, the sub-procedure's included", async () => {
    const use = await client.request<any>('textDocument/hover', {
      textDocument: { uri: parentUri },
      position: at(PARENT, 'use: escalation', 7),
    });
    expect(use.contents.value).toBe('**Escalating a case** (`escalation`)\n\n`escalation.sop.yaml`\n\nends with `escalated`');
    const child = await client.request<any>('textDocument/hover', {
      textDocument: { uri: parentUri },
      position: at(PARENT, 'case_id: case_number', 11),
    });
    expect(child.contents.value).toBe('**field** `case_number` of `escalation` · string\n\nCase number');
  });

  test("definition of a sub-procedure's field, in its file", async () => {
    const def = await client.request<any[]>('textDocument/definition', {
      textDocument: { uri: parentUri },
      position: at(PARENT, 'customer_number: customer_id', 3),
    });
    expect(def).toEqual([
      {
        uri: uriOf(path.join(ws.dir, 'escalation.sop.yaml')),
        range: { start: at(CHILD, 'customer_number:'), end: at(CHILD, 'customer_number:', 15) },
      },
    ]);
  });

  test('renaming a step known as step-N gives it an id', async () => {
    const edit = await client.request<any>('textDocument/rename', {
      textDocument: { uri: parentUri },
      position: at(PARENT, 'next: step-3', 7),
      newName: 'tell',
    });
    expect(applyEdits(PARENT, edit.changes[parentUri])).toBe(
      PARENT.replace('next: step-3', 'next: tell').replace('  - do: Tell the caller', '  - id: tell\n    do: Tell the caller'),
    );
    const quoted = await client.request<any>('textDocument/rename', {
      textDocument: { uri: parentUri },
      position: at(PARENT, 'id: escalate', 5),
      newName: '123',
    });
    expect(applyEdits(PARENT, quoted.changes[parentUri])).toContain('- id: "123"');
    expect(
      await client.request('textDocument/prepareRename', { textDocument: { uri: parentUri }, position: at(PARENT, 'use: escalation', 6) }),
    ).toBeNull();
  });

  test('flat symbols for a client without hierarchical ones', async () => {
    const symbols = await client.request<any[]>('textDocument/documentSymbol', { textDocument: { uri: parentUri } });
    expect(symbols.map((s) => [s.name, s.kind, s.location.uri])).toEqual([
      ['step-1', 12, parentUri],
      ['escalate', 2, parentUri],
      ['step-3', 12, parentUri],
    ]);
  });

  test('a byte order mark: ranges count it on the first line, as the editor does', async () => {
    const uri = uriOf(path.join(ws.dir, 'bom.sop.yaml'));
    const text = '\uFEFFsopflow: 2\nid: bom\ntitle: B\ninstructions:\n  - do: x\n';
    const { diagnostics } = await client.open(uri, text);
    expect(diagnostics.map((d) => [d.code, d.range.start])).toEqual([['schema', { line: 0, character: 10 }]]);
  });

  test('documents that are not SOPs are left alone; one named otherwise but marked as an SOP is checked', async () => {
    const workflow = uriOf(path.join(ws.dir, 'ci.yaml'));
    const other = client.diagnostics(workflow, 1, 500).then(
      () => 'published',
      () => 'none',
    );
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: workflow, languageId: 'yaml', version: 1, text: 'on: push\njobs: {}\n' },
    });
    expect(await other).toBe('none');
    expect(
      await client.request('textDocument/completion', { textDocument: { uri: workflow }, position: { line: 0, character: 3 } }),
    ).toEqual([]);
    const marked = uriOf(path.join(ws.dir, 'draft.yaml'));
    const { diagnostics } = await client.open(marked, 'sopflow: 1\nid: draft\ntitle: D\ninstructions:\n  - do: x\n    next: nowhere\n');
    expect(diagnostics.map((d) => d.code)).toEqual(['unknown-step']);
  });

  test("a sub-procedure changed on disk: the watcher's event re-checks the SOPs that use it; without one, the next check reads it again", async () => {
    const childFile = path.join(ws.dir, 'escalation.sop.yaml');
    const uri = uriOf(path.join(ws.dir, 'user.sop.yaml'));
    const text =
      'sopflow: 1\nid: user\ntitle: U\ninstructions:\n  - use: escalation\n    outcomes: { escalated: done }\n  - id: done\n    end: ok\n';
    expect((await client.open(uri, text)).diagnostics).toEqual([]);
    // the child stops ending with `escalated`, on disk, and the client's watcher says so
    const event = client.diagnostics(uri);
    writeFileSync(childFile, CHILD.replace('end: escalated', 'end: raised'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(childFile), type: 2 }] });
    expect((await event).diagnostics.map((d) => d.code)).toEqual(['unknown-outcome']);
    // its id changes on disk with no event: the next check of the user looks at the file again
    writeFileSync(childFile, CHILD.replace('id: escalation', 'id: escalation-renamed'));
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await client.change(uri, 2, `${text}# edited\n`)).diagnostics.map((d) => d.code)).toEqual(['missing-procedure']);
    const back = client.diagnostics(uri);
    writeFileSync(childFile, CHILD);
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(childFile), type: 2 }] });
    expect((await back).diagnostics).toEqual([]);
  });

  test('closing a document clears its diagnostics', async () => {
    const uri = uriOf(path.join(ws.dir, 'closing.sop.yaml'));
    await client.open(uri, 'sopflow: 1\nid: closing\ntitle: C\ninstructions:\n  - do: x\n    next: nowhere\n');
    const cleared = client.diagnostics(uri);
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    expect((await cleared).diagnostics).toEqual([]);
  });
});
