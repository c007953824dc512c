import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { afterAll, describe, expect, test } from 'vitest';
import { ROOT, scratch } from './lspClient.js';

const SCHEMA = path.join(ROOT, 'schemas/sop.schema.json');
const SERVER = createRequire(path.join(ROOT, 'packages/lsp/package.json')).resolve('yaml-language-server/bin/yaml-language-server');

const SOP = `sopflow: 1
id: hover
title: Hover
instructions:
  - id: a
    do: Something.
    next: b
  - id: b
    end: done
`;

/** Hovers the `next` key of an SOP with yaml-language-server (the editors' schema server) and a given schema. */
async function hoverNext(schemaFile: string, dir: string): Promise<string> {
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: 'pipe' });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const settings = { yaml: { schemas: { [pathToFileURL(schemaFile).href]: '*.sop.yaml' }, hover: true, completion: true, validate: true } };
  connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
    params.items.map((item) => (item.section === 'yaml' ? settings.yaml : item.section ? undefined : settings)),
  );
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onNotification(() => undefined);
  connection.listen();
  try {
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      capabilities: { textDocument: { hover: { contentFormat: ['markdown', 'plaintext'] } }, workspace: { configuration: true } },
    });
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('workspace/didChangeConfiguration', { settings });
    const uri = pathToFileURL(path.join(dir, 'hover.sop.yaml')).href;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: SOP } });
    for (let attempt = 0; attempt < 50; attempt++) {
      const hover = await connection.sendRequest<{ contents: { value: string } | string } | null>('textDocument/hover', {
        textDocument: { uri },
        position: { line: 6, character: 6 },
      });
      const value = hover ? (typeof hover.contents === 'string' ? hover.contents : hover.contents.value) : '';
      if (value.includes('step that follows')) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('yaml-language-server never showed the description of `next`');
  } finally {
    connection.dispose();
    child.kill();
  }
}

describe("schema hover in yaml-language-server (1.25, what VS Code's YAML extension and yamlls run)", () => {
  const ws = scratch();
  afterAll(() => ws.remove());

  test('renders the code spans of a description through its markdownDescription', async () => {
    const value = await hoverNext(SCHEMA, ws.dir);
    expect(value).toContain('Without `next` (or `end`), the following step in the list comes next.');
    expect(value).not.toContain('\\`');
  }, 60_000);

  test('without markdownDescription, the same hover shows the backticks escaped (what it did before)', async () => {
    const strip = (node: unknown): unknown =>
      Array.isArray(node)
        ? node.map(strip)
        : node && typeof node === 'object'
          ? Object.fromEntries(
              Object.entries(node)
                .filter(([k]) => k !== 'markdownDescription')
                .map(([k, v]) => [k, strip(v)]),
            )
          : node;
    const plain = path.join(ws.dir, 'plain.schema.json');
    writeFileSync(plain, JSON.stringify(strip(JSON.parse(readFileSync(SCHEMA, 'utf8')))));
    const value = await hoverNext(plain, ws.dir);
    expect(value).toContain('Without \\`next\\`');
  }, 60_000);
});
