// The language server on a large SOP: `sopflow lsp --stdio` (the built bin) driven as an editor
// drives it, over stdio. Times, from the moment a `didChange` is sent to the moment the
// `publishDiagnostics` of that version arrives (the server's debounce included, at its default):
// an edit that keeps the file clean, one that breaks it, one that fixes it again; and completion
// right after an edit (the outline is read again). Target: a 5,000-step SOP re-checks within
// 300 ms of a change (issue 13).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { spawn } from 'node:child_process';
import { importFrom } from '../lib/api.mjs';
import { generateSop, toYaml } from '../lib/generateSop.mjs';
import { deriveSeed } from '../lib/prng.mjs';
import { describe, fmtMs, summarize } from '../lib/stats.mjs';

const TARGET_MS = 300;

export async function lspRows(ctx) {
  const { root, corpus, runs, quick, log } = ctx;
  const steps = quick ? 1000 : 5000;
  const dir = path.join(corpus.dir, 'lsp');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `steps-${steps}.sop.yaml`);
  const text = toYaml(generateSop({ id: `lsp-${steps}`, steps, seed: deriveSeed(corpus.seed, 3e6 + steps) }));
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const rpc = await importFrom('lsp', 'vscode-jsonrpc/node');

  const child = spawn(process.execPath, [path.join(root, 'packages/cli/bin/sopflow.js'), 'lsp', '--stdio'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const waiting = new Map();
  connection.onNotification('textDocument/publishDiagnostics', (p) => {
    const resolve = waiting.get(p.version);
    if (resolve) {
      waiting.delete(p.version);
      resolve({ at: performance.now(), diagnostics: p.diagnostics });
    }
  });
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  const published = (version) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for version ${version} within 60 s`)), 60_000);
      waiting.set(version, (r) => {
        clearTimeout(timer);
        resolve(r);
      });
    });

  try {
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(dir).href,
      workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'lsp' }],
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
      initializationOptions: { today: '2026-01-01' },
    });
    await connection.sendNotification('initialized', {});
    let version = 1;
    const open = published(version);
    const opened = performance.now();
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
    const first = await open;
    if (first.diagnostics.length > 0)
      throw new Error(`the ${steps}-step SOP has diagnostics: ${JSON.stringify(first.diagnostics.slice(0, 2))}`);
    log(`open ${steps} steps (${(text.length / 2 ** 20).toFixed(1)} MB) -> first diagnostics: ${fmtMs(first.at - opened)}`);

    // edits as a writer makes them, one line each (incremental sync): a word in a text, a `next` target
    const lines = text.split('\n');
    const doLine = lines.findIndex((l) => /^\s+do: /.test(l) && l.length > 12);
    const nextLine = lines.findIndex((l) => /^\s+next: \S+$/.test(l));
    const lineEnd = (n) => lines[n].length;
    const edit = async (line, newText) => {
      version++;
      const done = published(version);
      const sent = performance.now();
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: lineEnd(line) } }, text: newText }],
      });
      lines[line] = newText;
      const result = await done;
      return { ms: result.at - sent, diagnostics: result.diagnostics };
    };
    const samples = { clean: [], breaks: [], fixes: [], completion: [] };
    const original = { do: lines[doLine], next: lines[nextLine] };
    const warmup = 2;
    for (let r = 0; r < warmup + runs; r++) {
      const keep = await edit(doLine, r % 2 === 0 ? `${original.do} now` : original.do);
      if (keep.diagnostics.length > 0) throw new Error('an edit of a text broke the file');
      const broken = await edit(nextLine, original.next.replace(/next: (\S+)$/, 'next: $1-typo'));
      if (!broken.diagnostics.some((d) => d.code === 'unknown-step')) throw new Error('a misspelt next was not reported');
      const fixed = await edit(nextLine, original.next);
      if (fixed.diagnostics.length > 0) throw new Error('fixing the next left diagnostics');
      // completion of the `next` value right after the edit (the outline of the new text is read)
      const column = original.next.indexOf('next: ') + 6;
      const asked = performance.now();
      const items = await connection.sendRequest('textDocument/completion', {
        textDocument: { uri },
        position: { line: nextLine, character: column },
      });
      const completionMs = performance.now() - asked;
      if (!Array.isArray(items) || items.length < steps) throw new Error(`completion offered ${items?.length} step ids`);
      if (r >= warmup) {
        samples.clean.push(keep.ms);
        samples.breaks.push(broken.ms);
        samples.fixes.push(fixed.ms);
        samples.completion.push(completionMs);
      }
    }
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    const s = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, summarize(v)]));
    log(describe(`re-check after an edit that keeps it clean (${steps} steps, default debounce)`, s.clean));
    log(describe(`re-check after an edit that breaks it`, s.breaks));
    log(describe(`re-check after the edit that fixes it`, s.fixes));
    log(describe(`completion of a next right after an edit (${steps} step ids)`, s.completion));
    const label = steps.toLocaleString('en-US');
    return [
      {
        metric: `LSP: ${label} steps re-checked after an edit (stays clean)`,
        sopflow: fmtMs(s.clean.median),
        peer: '',
        ratio: '',
        target: `< ${TARGET_MS} ms`,
        pass: s.clean.median < TARGET_MS,
        data: s.clean,
      },
      {
        metric: `LSP: ${label} steps re-checked after an edit that breaks it`,
        sopflow: fmtMs(s.breaks.median),
        peer: '',
        ratio: '',
        target: `< ${TARGET_MS} ms`,
        pass: s.breaks.median < TARGET_MS,
        data: s.breaks,
      },
      {
        metric: `LSP: ${label} steps re-checked after the edit that fixes it`,
        sopflow: fmtMs(s.fixes.median),
        peer: '',
        ratio: '',
        target: `< ${TARGET_MS} ms`,
        pass: s.fixes.median < TARGET_MS,
        data: s.fixes,
      },
      {
        metric: `LSP: completion in ${label} steps right after an edit`,
        sopflow: fmtMs(s.completion.median),
        peer: '',
        ratio: '',
        target: '',
        pass: undefined,
        data: s.completion,
      },
    ];
  } finally {
    connection.dispose();
    child.kill();
  }
}
