import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { applyEdits, LspClient, scratch, uriOf, type LspDiagnostic } from './lspClient.js';
import path from 'node:path';

const HEAD = 'sopflow: 1\nid: fixes\ntitle: Quick fixes\n';

describe('quick fixes, applied as an editor applies them', () => {
  const ws = scratch();
  let client: LspClient;
  let n = 0;
  beforeAll(async () => {
    client = LspClient.inProcess();
    // a debounce long enough that a request sent right after a change is answered before its check
    await client.initialize([ws.dir], { textDocument: { codeAction: {} } }, { debounce: 150 });
  });
  afterAll(() => {
    client.kill();
    ws.remove();
  });

  /** Opens `text`, applies the first action titled like `title` for the first diagnostic of `code`; returns the text and the diagnostics after. */
  async function fix(text: string, code: string, title?: RegExp) {
    const uri = uriOf(path.join(ws.dir, `case-${++n}.sop.yaml`));
    try {
      const { diagnostics } = await client.open(uri, text);
      const d = diagnostics.find((x) => x.code === code) as LspDiagnostic;
      expect(d, `${code} in ${JSON.stringify(diagnostics.map((x) => x.code))}`).toBeDefined();
      const actions = await client.request<any[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: d.range,
        context: { diagnostics: [d] },
      });
      const action = title ? actions.find((a) => title.test(a.title)) : actions[0];
      expect(action, `an action for ${code}: ${actions.map((a) => a.title).join(', ')}`).toBeDefined();
      expect(action.kind).toBe('quickfix');
      const after = applyEdits(text, action.edit.changes[uri]);
      const { diagnostics: left } = await client.change(uri, 2, after);
      return { title: action.title as string, preferred: action.isPreferred === true, after, left: left.map((x) => x.code) };
    } finally {
      // every case declares the same id: close it (passed or not), so the next is not a duplicate-procedure
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    }
  }

  test('a text holding ": " gets quoted', async () => {
    const { title, after, left, preferred } = await fix(
      `${HEAD}instructions:\n  - do: Say: "hello" to the caller  # greeting\n`,
      'yaml-syntax',
    );
    expect(title).toMatch(/^Put the text in quotes/);
    expect(preferred).toBe(true);
    // core's repair picks the quotes that need no escaping
    expect(after).toContain(`  - do: 'Say: "hello" to the caller'  # greeting\n`);
    expect(left).toEqual([]);
  });

  test('a step written without its dash, keys at the list column', async () => {
    const { after, left } = await fix(
      `${HEAD}instructions:\n  - id: a\n    do: x\n  id: b\n  do: y\n  choices:\n    - { answer: ok, next: a }\n`,
      'yaml-syntax',
      /missing `- `/,
    );
    expect(after).toContain('  - id: a\n    do: x\n  - id: b\n    do: y\n    choices:\n      - { answer: ok, next: a }\n');
    expect(left.filter((c) => c === 'yaml-syntax' || c === 'duplicate-key')).toEqual([]);
  });

  test('a new step whose keys landed in the step above (repeated keys)', async () => {
    const { after, left } = await fix(`${HEAD}instructions:\n  - id: a\n    do: x\n    id: b\n    do: y\n`, 'yaml-syntax', /list dash/);
    expect(after).toBe(`${HEAD}instructions:\n  - id: a\n    do: x\n  - id: b\n    do: y\n`);
    expect(left).toEqual([]);
  });

  test('a list item (a check) without its dash', async () => {
    const { after, left } = await fix(
      `${HEAD}instructions:\n  - do: x\n    checks:\n      - one\n      two\n`,
      'yaml-syntax',
      /missing `- `/,
    );
    expect(after).toContain('      - one\n      - two\n');
    expect(left).toEqual([]);
  });

  test('instructions written as a mapping: made a list', async () => {
    const { after, left } = await fix(`${HEAD}instructions:\n  id: a\n  do: x\n`, 'schema', /a list/);
    expect(after).toBe(`${HEAD}instructions:\n  - id: a\n    do: x\n`);
    expect(left).toEqual([]);
  });

  test.each([
    ['no terms yet', `${HEAD}fields:\n  n: { type: number }\ninstructions:\n  - do: Open the CRM.\n`, 'terms:\n  CRM: ""\nfields:'],
    [
      'block terms',
      `${HEAD}terms:\n  CSR: Customer service representative.\ninstructions:\n  - do: The CSR opens the CRM.\n`,
      '  CSR: Customer service representative.\n  CRM: ""\n',
    ],
    [
      'flow terms',
      `${HEAD}terms: { CSR: Customer service representative. }\ninstructions:\n  - do: The CSR opens the CRM.\n`,
      'terms: { CSR: Customer service representative., CRM: "" }',
    ],
  ])('an undefined acronym is added to terms (%s), its meaning left to fill in', async (_name, text, expected) => {
    const { title, after, left } = await fix(text, 'undefined-term');
    expect(title).toBe('Add `CRM` to `terms`');
    expect(after).toContain(expected);
    // the empty meaning is reported where it is to be written
    expect(left).toEqual(['schema']);
  });

  test('the exact duration, from core', async () => {
    const { title, after, left } = await fix(
      `${HEAD}instructions:\n  - id: a\n    do: x\n    limit: { after: 5 minutes, next: b }\n  - id: b\n    end: done\n`,
      'invalid-duration',
    );
    expect(title).toBe('Change to `5m`');
    expect(after).toContain('after: 5m,');
    expect(left).toEqual([]);
  });

  test('did-you-mean for a key, a step id and a field, from core', async () => {
    const key = await fix(`${HEAD}instructions:\n  - id: a\n    do: x\n    nxet: b\n  - id: b\n    end: done\n`, 'schema');
    expect(key.title).toBe('Rename to `next`');
    expect(key.left).toEqual([]);
    const step = await fix(
      `${HEAD}instructions:\n  - id: a\n    do: x\n    next: reserch\n  - id: research\n    end: done\n`,
      'unknown-step',
    );
    expect(step.after).toContain('next: research');
    expect(step.left).toEqual([]);
    const field = await fix(
      `${HEAD}fields:\n  issue: { type: string }\ninstructions:\n  - do: x\n    record: [isue]\n`,
      'undeclared-field',
    );
    expect(field.after).toContain('record: [issue]');
    expect(field.left).toEqual([]);
  });

  test('no fix once the text changed since the check, until it is checked again', async () => {
    const uri = uriOf(path.join(ws.dir, 'stale.sop.yaml'));
    const text = `${HEAD}instructions:\n  - id: a\n    do: x\n    next: reserch\n  - id: research\n    end: done\n`;
    const { diagnostics } = await client.open(uri, text);
    const d = diagnostics[0]!;
    // the editor changed the text; the check of version 2 has not run yet
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: `# moved\n${text}` }],
    });
    const actions = await client.request<any[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d] },
    });
    expect(actions).toEqual([]);
    const later = await client.diagnostics(uri, 2);
    const fresh = await client.request<any[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: later.diagnostics[0]!.range,
      context: { diagnostics: later.diagnostics },
    });
    expect(fresh.map((a) => a.title)).toEqual(['Change to `research`']);
  });
});
