import { loadSop } from '@sopflow/core';
import { buildSopGraph } from '@sopflow/model';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  DidChangeWorkspaceFoldersNotification,
  type DidChangeWorkspaceFoldersParams,
  FileChangeType,
  ResponseError,
  TextDocumentSyncKind,
  TextDocuments,
  type ClientCapabilities,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { planCheck } from './check/checkFile.js';
import { defaultChecker, type Checker } from './check/Checker.js';
import { toLspDiagnostic } from './check/toLsp.js';
import { codeActions, type PublishedDiagnostic } from './features/codeActions.js';
import { completion } from './features/completion.js';
import type { FeatureContext, OtherSop } from './features/FeatureContext.js';
import { hover } from './features/hover.js';
import { definition, prepareRename, references, rename } from './features/navigation.js';
import { documentSymbols, symbolInformation } from './features/symbols.js';
import { isSopDocument } from './isSopDocument.js';
import { readOutline, type Outline } from './outline/readOutline.js';
import { spliceOutline } from './outline/spliceOutline.js';
import { canonicalUri, MAX_FILE_BYTES, uriToPath, Workspace, type WorkspaceFile } from './workspace/Workspace.js';

/** What a client may set in `initializationOptions` (all optional). */
export interface ServerOptions {
  /** milliseconds to wait after a change before checking (default 50) */
  debounce?: number;
  /** YYYY-MM-DD, the date `review_by` is compared with (default: today) */
  today?: string;
  /** where the rule pages are (default: the repository's docs/rules on GitHub) */
  docsBase?: string;
}

/** Default wait after a change: long enough to take a burst of keystrokes as one, short next to a check's budget. */
export const DEFAULT_DEBOUNCE_MS = 50;

interface Published {
  version: number | undefined;
  items: PublishedDiagnostic[];
}

/**
 * The sopflow language server on a connection: diagnostics of every rule on open and change
 * (debounced; cross-file `use:` resolved against the workspace folders, dependants re-checked),
 * quick fixes, completion, definition, references, rename, hover and the outline. Every handler
 * answers something (an empty answer at worst) and logs what went wrong: no input crashes it.
 */
export class SopflowServer {
  private readonly documents = new TextDocuments(TextDocument);
  private readonly workspace = new Workspace();
  private options: Required<Omit<ServerOptions, 'today' | 'docsBase'>> & Pick<ServerOptions, 'today' | 'docsBase'> = {
    debounce: DEFAULT_DEBOUNCE_MS,
  };
  private capabilities: ClientCapabilities = {};
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly queue = new Set<string>();
  private running = false;
  private readonly published = new Map<string, Published>();
  private readonly lastRead = new Map<string, string[]>();
  private readonly outlines = new Map<string, { text: string; outline: Outline }>();
  private readonly sops = new Map<string, { text: string; outcomes: string[] }>();
  private disposed = false;
  private readonly checker: Checker;

  /** `checker`: where checks run (default: a worker thread when built, this thread under test from sources). */
  constructor(
    private readonly connection: Connection,
    checker?: Checker,
  ) {
    this.checker = checker ?? defaultChecker();
    this.wire();
  }

  private log(message: string): void {
    try {
      this.connection.console.log(message);
    } catch {
      // the connection is gone
    }
  }

  /** Runs a handler; what throws is logged and answered with `fallback`. */
  private guard<A extends unknown[], R>(name: string, fallback: R, handler: (...args: A) => R): (...args: A) => R {
    return (...args: A) => {
      try {
        return handler(...args);
      } catch (error) {
        // a refusal meant for the user (rename to an invalid id) goes back as the answer
        if (error instanceof ResponseError) throw error;
        this.log(`sopflow: ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return fallback;
      }
    };
  }

  private wire(): void {
    const c = this.connection;
    c.onInitialize(this.guard('initialize', { capabilities: {} }, (params: InitializeParams) => this.initialize(params)));
    c.onInitialized(this.guard('initialized', undefined, () => this.initialized()));
    c.onShutdown(() => this.dispose());

    this.documents.onDidChangeContent(this.guard('change', undefined, ({ document }) => this.changed(document)));
    this.documents.onDidClose(this.guard('close', undefined, ({ document }) => this.closed(document)));
    this.documents.listen(c);

    c.onDidChangeWatchedFiles(
      this.guard('watched files', undefined, ({ changes }) => {
        for (const change of Array.isArray(changes) ? changes : []) {
          if (typeof change?.uri !== 'string') continue;
          const key = canonicalUri(change.uri);
          if (change.type === FileChangeType.Deleted || change.type === FileChangeType.Created || change.type === FileChangeType.Changed) {
            if (this.workspace.refreshFromDisk(key)) this.scheduleDependants(key);
          }
        }
      }),
    );
    c.onNotification(
      DidChangeWorkspaceFoldersNotification.type,
      this.guard('workspace folders', undefined, (params: DidChangeWorkspaceFoldersParams) => {
        const pathOf = (f: unknown) =>
          typeof (f as { uri?: unknown })?.uri === 'string' ? uriToPath((f as { uri: string }).uri) : undefined;
        const removed = new Set((params?.event?.removed ?? []).map(pathOf));
        const added = (params?.event?.added ?? []).map(pathOf).filter((p): p is string => p !== undefined);
        this.workspace.setFolders([...this.workspace.getFolders().filter((f) => !removed.has(f)), ...added]);
        this.workspace.scan();
        for (const doc of this.documents.all()) if (this.isSop(doc)) this.schedule(canonicalUri(doc.uri));
      }),
    );

    c.onCodeAction(
      this.guard('codeAction', [], (params) => {
        const doc = this.sopDocument(params.textDocument.uri);
        if (!doc) return [];
        const published = this.published.get(canonicalUri(doc.uri));
        // fixes are exact edits of the text that was checked: none until the current text is
        if (!published || published.version !== doc.version) return [];
        return codeActions({
          doc,
          published: published.items,
          range: params.range,
          context: Array.isArray(params.context?.diagnostics) ? params.context.diagnostics : [],
          only: params.context?.only,
          outline: () => this.outline(doc.uri, doc.getText()),
          versioned: this.capabilities.workspace?.workspaceEdit?.documentChanges === true,
        });
      }),
    );
    c.onCompletion(
      this.guard('completion', [], (params) => {
        const ctx = this.context(params.textDocument.uri);
        return ctx ? completion(ctx, params.position) : [];
      }),
    );
    c.onDefinition(
      this.guard('definition', [], (params) => {
        const ctx = this.context(params.textDocument.uri);
        return ctx ? definition(ctx, params.position) : [];
      }),
    );
    c.onReferences(
      this.guard('references', [], (params) => {
        const ctx = this.context(params.textDocument.uri);
        return ctx ? references(ctx, params.position, params.context?.includeDeclaration !== false) : [];
      }),
    );
    c.onPrepareRename(
      this.guard('prepareRename', null, (params) => {
        const ctx = this.context(params.textDocument.uri);
        return ctx ? prepareRename(ctx, params.position) : null;
      }),
    );
    c.onRenameRequest(
      this.guard('rename', null, (params) => {
        const ctx = this.context(params.textDocument.uri);
        return ctx ? rename(ctx, params.position, String(params.newName ?? '')) : null;
      }),
    );
    c.onHover(
      this.guard('hover', null, (params) => {
        const ctx = this.context(params.textDocument.uri);
        return ctx ? hover(ctx, params.position) : null;
      }),
    );
    c.onDocumentSymbol(
      this.guard('documentSymbol', [], (params) => {
        const doc = this.sopDocument(params.textDocument.uri);
        if (!doc) return [];
        const outline = this.outline(doc.uri, doc.getText());
        return this.capabilities.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport === true
          ? documentSymbols(doc, outline)
          : symbolInformation(doc, outline);
      }),
    );
  }

  private initialize(params: InitializeParams): InitializeResult {
    this.capabilities = params?.capabilities ?? {};
    const options = (params?.initializationOptions ?? {}) as ServerOptions;
    if (typeof options.debounce === 'number' && Number.isFinite(options.debounce) && options.debounce >= 0)
      this.options.debounce = Math.min(options.debounce, 10_000);
    if (typeof options.today === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(options.today)) this.options.today = options.today;
    if (typeof options.docsBase === 'string' && options.docsBase !== '') this.options.docsBase = options.docsBase;
    const root =
      (typeof params?.rootUri === 'string' ? uriToPath(params.rootUri) : undefined) ??
      (typeof params?.rootPath === 'string' ? params.rootPath : undefined);
    const folders =
      Array.isArray(params?.workspaceFolders) && params.workspaceFolders.length > 0
        ? params.workspaceFolders.map((f) => (typeof f?.uri === 'string' ? uriToPath(f.uri) : undefined))
        : [root];
    this.workspace.setFolders(folders.filter((f): f is string => typeof f === 'string' && f !== ''));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: [' ', ':', '[', ',', '-'] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        hoverProvider: true,
        documentSymbolProvider: { label: 'sopflow' },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'sopflow' },
    };
  }

  private initialized(): void {
    const started = performance.now();
    const count = this.workspace.scan();
    this.log(
      `sopflow: ${count} SOP file(s) in ${this.workspace.getFolders().length} workspace folder(s), read in ${Math.round(performance.now() - started)} ms`,
    );
    for (const note of this.workspace.notes) this.log(`sopflow: ${note}`);
    if (this.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true) {
      void this.connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.sop.{yaml,yml}' }] })
        .catch(() => undefined);
    }
    // documents opened before the scan finished: check them against the whole workspace now
    for (const doc of this.documents.all()) if (this.isSop(doc)) this.schedule(canonicalUri(doc.uri));
  }

  private isSop(doc: TextDocument): boolean {
    return isSopDocument(doc.uri, doc.getText());
  }

  /** The open document at `uri` when it is an SOP. */
  private sopDocument(uri: unknown): TextDocument | undefined {
    if (typeof uri !== 'string') return undefined;
    const doc = this.documents.get(uri);
    return doc && this.isSop(doc) ? doc : undefined;
  }

  private changed(doc: TextDocument): void {
    const key = canonicalUri(doc.uri);
    if (!this.isSop(doc)) {
      // was it one before? then its diagnostics go
      if (this.workspace.get(key)?.version !== undefined) {
        this.workspace.close(key);
        this.publish(doc.uri, doc.version, []);
      }
      return;
    }
    const text = doc.getText();
    this.workspace.setOpen(key, text, doc.version);
    // keep the outline in step edit by edit while a splice is cheap (an edit inside one step);
    // otherwise forget it, and the next request that needs it reads the text in full
    const cached = this.outlines.get(key);
    if (cached && cached.text !== text) {
      const spliced = spliceOutline(cached.outline, text);
      if (spliced) this.outlines.set(key, { text, outline: spliced });
      else this.outlines.delete(key);
    }
    this.schedule(key);
    this.scheduleDependants(key);
  }

  private closed(doc: TextDocument): void {
    const key = canonicalUri(doc.uri);
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    this.queue.delete(key);
    this.lastRead.delete(key);
    this.outlines.delete(key);
    this.workspace.close(key);
    if (this.published.has(key)) {
      this.published.delete(key);
      void this.connection.sendDiagnostics({ uri: doc.uri, diagnostics: [] }).catch(() => undefined);
    }
    this.scheduleDependants(key);
  }

  /** Open documents whose check reads `uri` (or would now): they are checked again. */
  private scheduleDependants(uri: string): void {
    for (const doc of this.documents.all()) {
      const key = canonicalUri(doc.uri);
      if (key === uri || this.workspace.get(key)?.version === undefined) continue;
      const read = this.lastRead.get(key) ?? [];
      if (read.includes(uri) || this.workspace.projectFor(key).some((f) => f.uri === uri)) this.schedule(key);
    }
  }

  private schedule(uri: string): void {
    if (this.disposed) return;
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.queue.add(uri);
        this.drain();
      }, this.options.debounce),
    );
  }

  /** Checks queued files one at a time (on the checker's thread), so requests are answered meanwhile. */
  private drain(): void {
    if (this.running || this.disposed) return;
    const next = this.queue.values().next();
    if (next.done) return;
    const uri = next.value;
    this.queue.delete(uri);
    this.running = true;
    this.check(uri)
      .catch((error: unknown) =>
        this.log(`sopflow: check of ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
      )
      .finally(() => {
        this.running = false;
        if (this.queue.size > 0) setImmediate(() => this.drain());
      });
  }

  private async check(uri: string): Promise<void> {
    const file = this.workspace.get(uri);
    if (!file || file.version === undefined) return;
    if (file.text.length > MAX_FILE_BYTES) {
      this.log(`sopflow: ${file.display} is larger than ${MAX_FILE_BYTES / 2 ** 20} MB: not checked`);
      return;
    }
    const plan = planCheck(this.workspace, uri, this.options.today);
    if (!plan) return;
    const started = performance.now();
    const diagnostics = await this.checker.check(plan.request);
    const ms = performance.now() - started;
    if (ms > 1000) this.log(`sopflow: checked ${file.display} in ${Math.round(ms)} ms`);
    // the editor's text moved on meanwhile (a newer check is queued) or the file was closed: drop this result
    const doc = this.documents.get(uri) ?? [...this.documents.all()].find((d) => canonicalUri(d.uri) === uri);
    if (this.disposed || !doc || doc.version !== plan.version || this.workspace.get(uri)?.version !== plan.version) return;
    this.lastRead.set(uri, plan.read);
    this.publish(
      doc.uri,
      plan.version,
      diagnostics.map((core) => ({ core, lsp: toLspDiagnostic(plan.text, core, this.options.docsBase) })),
    );
  }

  private publish(uri: string, version: number | undefined, items: PublishedDiagnostic[]): void {
    this.published.set(canonicalUri(uri), { version, items });
    void this.connection
      .sendDiagnostics({ uri, ...(version !== undefined ? { version } : {}), diagnostics: items.map((i) => i.lsp) })
      .catch(() => undefined);
  }

  /**
   * The outline of a text, cached per file while its text stays the same. After an edit inside
   * one step, only that step is read again (`spliceOutline`).
   */
  private outline(uri: string, text: string): Outline {
    const key = canonicalUri(uri);
    const cached = this.outlines.get(key);
    if (cached?.text === text) return cached.outline;
    const outline = (cached ? spliceOutline(cached.outline, text) : undefined) ?? readOutline(text);
    this.outlines.set(key, { text, outline });
    if (this.outlines.size > 200) {
      // forget the oldest outlines of closed files
      for (const k of this.outlines.keys()) {
        if (this.outlines.size <= 150) break;
        if (this.workspace.get(k)?.version === undefined) this.outlines.delete(k);
      }
    }
    return outline;
  }

  private otherSop(id: string): OtherSop | undefined {
    const file: WorkspaceFile | undefined = this.workspace.declaring(id)[0];
    if (!file) return undefined;
    const outline = this.outline(file.uri, file.text);
    return {
      file,
      outline,
      outcomes: () => {
        const cached = this.sops.get(file.uri);
        if (cached?.text === file.text) return cached.outcomes;
        let outcomes = [...new Set(outline.ends.map((e) => e.name))];
        try {
          const { sop } = loadSop(file.text, { file: file.display, ...(this.options.today ? { today: this.options.today } : {}) });
          if (sop) outcomes = buildSopGraph(sop).outcomes;
        } catch {
          // the `end:` values, then
        }
        this.sops.set(file.uri, { text: file.text, outcomes });
        return outcomes;
      },
    };
  }

  private context(uri: unknown): FeatureContext | undefined {
    const doc = this.sopDocument(uri);
    if (!doc) return undefined;
    return {
      doc,
      outline: this.outline(doc.uri, doc.getText()),
      workspace: this.workspace,
      sop: (id) => this.otherSop(id),
      outlineOf: (file) => this.outline(file.uri, file.text),
    };
  }

  /** Stops pending checks (on shutdown). */
  dispose(): void {
    this.disposed = true;
    this.checker.dispose();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.queue.clear();
  }
}
