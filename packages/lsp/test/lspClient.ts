import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PassThrough } from 'node:stream';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import { startServer, type RunningServer } from '../src/index.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BIN = path.join(ROOT, 'packages/cli/bin/sopflow.js');
export const TODAY = '2026-01-01';

export interface LspDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  codeDescription?: { href: string };
  source?: string;
  message: string;
}

interface Published {
  uri: string;
  version?: number;
  diagnostics: LspDiagnostic[];
}

/**
 * A language client as an editor is one: it starts `sopflow lsp --stdio` (the built bin) and
 * talks JSON-RPC with Content-Length framing over the child's stdin and stdout.
 */
export class LspClient {
  readonly child: ChildProcessWithoutNullStreams | undefined;
  /** the server, when it runs in this process (`LspClient.inProcess()`) */
  server: RunningServer | undefined;
  /** the server's input, to write raw bytes to */
  readonly input: NodeJS.WritableStream;
  readonly connection: MessageConnection;
  readonly published: Published[] = [];
  private waiters: { test: (p: Published) => boolean; resolve: (p: Published) => void }[] = [];
  readonly stderr: string[] = [];
  readonly logs: string[] = [];
  readonly exit: Promise<number | null>;

  /** `sopflow lsp --stdio` as a child process (the built bin), or, with `streams`, a server in this process. */
  constructor(
    args: string[] = ['lsp', '--stdio'],
    env: Record<string, string> = {},
    streams?: { toServer: PassThrough; fromServer: PassThrough; server: RunningServer },
  ) {
    if (streams) {
      this.child = undefined;
      this.server = streams.server;
      this.input = streams.toServer;
      this.exit = streams.server.exited;
      this.connection = createMessageConnection(new StreamMessageReader(streams.fromServer), new StreamMessageWriter(streams.toServer));
    } else {
      const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'pipe' });
      this.child = child;
      this.input = child.stdin;
      this.exit = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
      child.stderr.on('data', (d: Buffer) => this.stderr.push(d.toString()));
      this.connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    }
    this.connection.onNotification('textDocument/publishDiagnostics', (p: Published) => {
      this.published.push(p);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(p)) return true;
        w.resolve(p);
        return false;
      });
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onError(() => undefined);
    this.connection.listen();
  }

  async initialize(
    folders: string[],
    capabilities: Record<string, unknown> = DEFAULT_CAPABILITIES,
    options: Record<string, unknown> = {},
  ): Promise<any> {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folders[0] ? pathToFileURL(folders[0]).href : null,
      workspaceFolders: folders.map((f) => ({ uri: pathToFileURL(f).href, name: path.basename(f) })),
      capabilities,
      initializationOptions: { today: TODAY, debounce: 20, ...options },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** The next diagnostics published for `uri` (for `version`, when given). */
  diagnostics(uri: string, version?: number, timeout = 20_000): Promise<Published> {
    const test = (p: Published) => p.uri === uri && (version === undefined || p.version === version);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeout} ms; stderr: ${this.stderr.join('')}`)),
        timeout,
      );
      this.waiters.push({
        test,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  async open(uri: string, text: string, version = 1): Promise<Published> {
    const waiting = this.diagnostics(uri, version);
    await this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
    return waiting;
  }

  async change(uri: string, version: number, text: string): Promise<Published> {
    const waiting = this.diagnostics(uri, version);
    await this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
    return waiting;
  }

  request<T = any>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest<T>(method, params);
  }

  async shutdown(): Promise<number | null> {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await this.exit;
    this.connection.dispose();
    return code;
  }

  kill(): void {
    this.connection.dispose();
    this.child?.kill('SIGKILL');
    this.server?.stop();
  }

  /** A server in this process, on a pair of in-memory pipes (fast: for many cases). */
  static inProcess(): LspClient {
    const toServer = new PassThrough();
    const fromServer = new PassThrough();
    const server = startServer(toServer, fromServer);
    return new LspClient([], {}, { toServer, fromServer, server });
  }
}

export const DEFAULT_CAPABILITIES = {
  textDocument: {
    documentSymbol: { hierarchicalDocumentSymbolSupport: true },
    publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
  },
  workspace: { workspaceEdit: { documentChanges: true }, didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true },
};

/** A scratch folder, removed by the returned function. */
export function scratch(prefix = 'sopflow-lsp-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export const uriOf = (file: string): string => pathToFileURL(file).href;

/** Applies LSP text edits (non-overlapping) to a text. */
export function applyEdits(text: string, edits: { range: LspDiagnostic['range']; newText: string }[]): string {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const offset = (p: { line: number; character: number }) => (starts[p.line] ?? text.length) + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) {
    out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  }
  return out;
}
