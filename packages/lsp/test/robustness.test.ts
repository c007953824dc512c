import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHILD, PARENT_BROKEN, PARENT_CLEAN } from './fixtures.js';
import { LspClient, scratch, uriOf } from './lspClient.js';

const frame = (body: string | Buffer) => {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]);
};

/** Requests every feature at a position: each must be answered (an empty answer is fine), never fail. */
async function askEverything(client: LspClient, uri: string, position: { line: number; character: number }) {
  const doc = { textDocument: { uri }, position };
  const range = { start: position, end: position };
  return Promise.all([
    client.request('textDocument/completion', doc),
    client.request('textDocument/hover', doc),
    client.request('textDocument/definition', doc),
    client.request('textDocument/references', { ...doc, context: { includeDeclaration: true } }),
    client.request('textDocument/prepareRename', doc),
    client.request('textDocument/documentSymbol', { textDocument: { uri } }),
    client.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics: [] } }),
  ]);
}

describe('the server, as a process, survives hostile clients', () => {
  const ws = scratch();
  let client: LspClient;
  beforeAll(async () => {
    client = new LspClient();
    await client.initialize([ws.dir]);
  });
  afterAll(() => {
    client.kill();
    ws.remove();
  });

  test('malformed messages, unknown methods and nonsense parameters are answered or ignored, and it still works after', async () => {
    client.input.write(frame('{"jsonrpc": "2.0", "id": 1, "method": '));
    client.input.write(frame('[1, 2, 3]'));
    client.input.write(frame(Buffer.from([0xff, 0xfe, 0x00, 0x7b])));
    client.input.write(frame('{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": 7}}'));
    client.input.write(
      frame(
        '{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": "file:///nowhere.sop.yaml", "version": 3}, "contentChanges": [{"text": 5}]}}',
      ),
    );
    client.input.write(frame('{"jsonrpc": "2.0", "method": "$/unknownNotification", "params": null}'));
    await expect(client.request('sopflow/noSuchMethod', {})).rejects.toThrow(/Unhandled method|not found/i);
    for (const params of [
      null,
      5,
      'x',
      [],
      {},
      { textDocument: 5 },
      { textDocument: { uri: 7 }, position: { line: -1, character: 1e12 } },
      { textDocument: { uri: 'file:///nowhere.sop.yaml' }, position: { line: 0, character: 0 } },
    ]) {
      for (const method of [
        'textDocument/completion',
        'textDocument/hover',
        'textDocument/definition',
        'textDocument/references',
        'textDocument/rename',
        'textDocument/prepareRename',
        'textDocument/documentSymbol',
        'textDocument/codeAction',
      ]) {
        await client.request(method, params).catch((error: Error) => expect(error.message).not.toMatch(/crash|exited/i));
      }
    }
    const uri = uriOf(path.join(ws.dir, 'after.sop.yaml'));
    const { diagnostics } = await client.open(uri, PARENT_BROKEN);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(client.child!.exitCode).toBeNull();
  });

  test('files that are not SOPs, binary, huge or nested thousands deep get diagnostics, not a crash', async () => {
    const cases: [string, string][] = [
      ['binary', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString('latin1')],
      ['flow nesting', `${'['.repeat(20_000)}${']'.repeat(20_000)}`],
      ['block nesting', Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')],
      ['dash nesting', `instructions:\n${'- '.repeat(5000)}x\n`],
      [
        'alias bomb',
        'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n',
      ],
      [
        'huge',
        `sopflow: 1\nid: huge\ntitle: H\ninstructions:\n${'  - do: a step of a very long procedure that goes on and on\n'.repeat(60_000)}`,
      ],
      ['a list', '- 1\n- 2\n'],
      ['empty', ''],
    ];
    for (const [name, text] of cases) {
      const uri = uriOf(path.join(ws.dir, `${name.replace(/ /g, '-')}.sop.yaml`));
      const { diagnostics } = await client.open(uri, text);
      expect(Array.isArray(diagnostics), name).toBe(true);
      await askEverything(client, uri, { line: 3, character: 5 });
      await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    }
    expect(client.child!.exitCode).toBeNull();
  }, 120_000);

  test('exit without shutdown: exit code 1', async () => {
    await client.connection.sendNotification('exit');
    expect(await client.exit).toBe(1);
  });
});

test('a client that writes its messages and closes the pipe at once gets every answer, then exit code 0', async () => {
  const { spawn } = await import('node:child_process');
  const { BIN } = await import('./lspClient.js');
  const child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { stdio: 'pipe' });
  const out: Buffer[] = [];
  child.stdout.on('data', (d: Buffer) => out.push(d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  child.stdin.end(
    Buffer.concat([
      frame(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } })),
      frame(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'sopflow/unknown', params: {} })),
      frame(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'shutdown' })),
      frame(JSON.stringify({ jsonrpc: '2.0', method: 'exit' })),
    ]),
  );
  expect(await exited).toBe(0);
  const text = Buffer.concat(out).toString('utf8');
  const answers = [...text.matchAll(/\{"jsonrpc":"2\.0","id":(\d+),"(result|error)"/g)].map((m) => `${m[1]} ${m[2]}`);
  expect(answers).toEqual(['1 result', '2 error', '3 result']);
});

describe('fuzzed (fast-check), in process', () => {
  test('any byte stream, then the end of input: the server stops cleanly', async () => {
    const chunk = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
      fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
      fc.jsonValue().map((v) => frame(JSON.stringify(v))),
      fc
        .record({
          jsonrpc: fc.constant('2.0'),
          id: fc.option(fc.integer(), { nil: undefined }),
          method: fc.constantFrom('initialize', 'textDocument/didOpen', 'textDocument/completion', 'x'),
          params: fc.jsonValue(),
        })
        .map((m) => frame(JSON.stringify(m))),
      fc.nat({ max: 1e9 }).map((n) => Buffer.from(`Content-Length: ${n}\r\n\r\n`)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(chunk, { maxLength: 12 }), async (chunks) => {
        const client = LspClient.inProcess();
        for (const c of chunks) client.input.write(c);
        (client.input as NodeJS.WritableStream & { end(): void }).end();
        const code = await client.exit;
        expect([0, 1]).toContain(code);
        client.kill();
      }),
      { numRuns: 300 },
    );
  });

  describe("one server, many clients' worth of requests", () => {
    const ws = scratch();
    let client: LspClient;
    const good = uriOf(path.join(ws.dir, 'good.sop.yaml'));
    // never named by the fuzzer: what it answers shows the server still works
    const sentinel = uriOf(path.join(ws.dir, 'sentinel.sop.yaml'));
    beforeAll(async () => {
      client = LspClient.inProcess();
      await client.initialize([ws.dir], {}, { debounce: 0 });
      await client.open(good, PARENT_CLEAN);
      await client.open(sentinel, PARENT_CLEAN.replace('id: inbound-call', 'id: sentinel'));
    });
    afterAll(() => {
      client.kill();
      ws.remove();
    });

    const METHODS = [
      'textDocument/completion',
      'textDocument/hover',
      'textDocument/definition',
      'textDocument/references',
      'textDocument/rename',
      'textDocument/prepareRename',
      'textDocument/documentSymbol',
      'textDocument/codeAction',
      'workspace/symbol',
      'textDocument/formatting',
      'sopflow/x',
    ];
    const NOTIFICATIONS = [
      'textDocument/didOpen',
      'textDocument/didChange',
      'textDocument/didClose',
      'workspace/didChangeWatchedFiles',
      'workspace/didChangeWorkspaceFolders',
      '$/cancelRequest',
      'x/y',
    ];
    const uri = fc.constantFrom(good, uriOf(path.join(ws.dir, 'fuzz.sop.yaml')), 'untitled:1', 'file:///', '%%', '');
    const position = fc.record({ line: fc.integer({ min: -2, max: 40 }), character: fc.integer({ min: -2, max: 200 }) });
    const params = fc.oneof(
      fc.jsonValue(),
      fc.record(
        {
          textDocument: fc.record({ uri, version: fc.integer(), text: fc.string(), languageId: fc.constant('yaml') }),
          position,
          newName: fc.string(),
          range: fc.record({ start: position, end: position }),
          context: fc.jsonValue(),
          contentChanges: fc.array(fc.record({ text: fc.string() })),
        },
        { requiredKeys: [] },
      ),
    );

    test('random requests and notifications with random parameters: every request is answered, the server keeps working', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ method: fc.constantFrom(...METHODS, ...NOTIFICATIONS), params, request: fc.boolean() }), { maxLength: 8 }),
          async (messages) => {
            for (const m of messages) {
              if (m.request) await client.request(m.method, m.params).catch(() => undefined);
              else await client.connection.sendNotification(m.method, m.params);
            }
            const symbols = await client.request<any[]>('textDocument/documentSymbol', { textDocument: { uri: sentinel } });
            expect(symbols.map((s) => s.name)).toEqual(['greet', 'verify', 'triage', 'research', 'check-back', 'done']);
          },
        ),
        { numRuns: 500 },
      );
    }, 120_000);

    const yamlish = fc
      .array(
        fc.constantFrom(
          'sopflow: 1\n',
          'id: x\n',
          'title: T\n',
          'instructions:\n',
          '  - ',
          'id: a\n',
          '    ',
          'do: D\n',
          'next: a\n',
          'ask: Q?\n',
          'choices:\n',
          '      - { answer: y, next: b }\n',
          'use: other\n',
          'outcomes: { ok: a }\n',
          'record: [f]\n',
          'fields:\n  f: { type: string }\n',
          'terms:\n  CRM: c\n',
          'limit: { after: 5 minutes, next: a }\n',
          'with: { a: b }\n',
          '[',
          ']',
          '{',
          '}',
          ': ',
          '- ',
          '"',
          "'",
          '&x ',
          '*x',
          '!!str ',
          '#',
          '\t',
          '\r\n',
          '\uFEFF',
          '\u0000',
          '😀',
          'é',
          '? ',
          '|\n',
          '>\n',
          '---\n',
          '...\n',
        ),
        { maxLength: 60 },
      )
      .map((parts) => parts.join(''));
    const mutated = fc
      .tuple(fc.constantFrom(PARENT_CLEAN, PARENT_BROKEN, CHILD), fc.nat(), fc.nat({ max: 20 }), fc.string({ maxLength: 10 }))
      .map(([text, at, cut, insert]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + cut);
      });

    test('any document text (YAML-ish, mutated SOPs, arbitrary strings): diagnostics published, every feature answers', async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.oneof(yamlish, mutated, fc.string({ maxLength: 300 })), position, async (text, at) => {
          const doc = uriOf(path.join(ws.dir, `doc-${n++}.sop.yaml`));
          const { diagnostics } = await client.open(doc, text);
          for (const d of diagnostics) {
            expect(d.source).toBe('sopflow');
            expect(d.range.start.line).toBeGreaterThanOrEqual(0);
            expect(d.range.start.character).toBeGreaterThanOrEqual(0);
          }
          const lines = text.split('\n');
          const line = Math.min(Math.max(at.line, 0), lines.length - 1);
          const position = { line, character: Math.min(Math.max(at.character, 0), lines[line]!.length) };
          await askEverything(client, doc, position);
          for (const d of diagnostics.slice(0, 3))
            await client.request('textDocument/codeAction', { textDocument: { uri: doc }, range: d.range, context: { diagnostics: [d] } });
          await client
            .request('textDocument/rename', { textDocument: { uri: doc }, position, newName: 'renamed' })
            .catch((error: Error) => expect(error.message).toMatch(/step/));
          await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: doc } });
        }),
        { numRuns: 1000 },
      );
    }, 300_000);
  });
});
