import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

/**
 * Issue 4: `sopflow validate` must never load xstate or mermaid. esbuild resolves the module
 * graph from the sources as Node would (workspace packages through their `source` export
 * condition); we follow only static imports from runCli.ts and commands/validate.ts, which is
 * everything `sopflow validate` loads: other commands are dynamic imports, loaded only when
 * they run. Third-party packages are not descended into: we collect their names.
 */
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = path.resolve(CLI, '../..');
const FORBIDDEN = [
  'xstate',
  'mermaid',
  'jsdom',
  'playwright-core',
  '@sopflow/compiler',
  '@sopflow/runtime',
  '@sopflow/render',
  '@sopflow/lsp',
  'vscode-languageserver',
  'vscode-languageserver-protocol',
  'vscode-languageserver-textdocument',
];

interface Graph {
  /** source files reached by static imports (relative to the repo root) */
  files: string[];
  /** third-party packages imported statically from those files */
  packages: string[];
}

async function staticGraph(entries: string[]): Promise<Graph> {
  const result = await build({
    entryPoints: entries,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    splitting: true,
    outdir: path.join(ROOT, 'node_modules/.cache/import-graph/out'),
    conditions: ['source'],
    logLevel: 'silent',
    plugins: [
      {
        name: 'collect-packages',
        setup(b) {
          // third-party packages: recorded by name, not bundled
          b.onResolve({ filter: /.*/ }, (args) => {
            if (/^([./]|node:|@sopflow\/)/.test(args.path)) return undefined;
            return {
              path: args.path
                .split('/')
                .slice(0, args.path.startsWith('@') ? 2 : 1)
                .join('/'),
              external: true,
            };
          });
          // the other commands' modules (other people's, maybe not written yet) are dynamic imports: not followed
          b.onResolve({ filter: /^\.\/(compile|run|paths|render|lsp)\.js$/ }, (args) => ({ path: args.path, external: true }));
        },
      },
    ],
  });
  const inputs = result.metafile.inputs;
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = entries.map((e) => path.relative(ROOT, e));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file) || !inputs[file]) continue;
    files.add(file);
    for (const imp of inputs[file].imports) {
      if (imp.kind === 'dynamic-import') continue;
      if (imp.external) {
        if (!imp.path.startsWith('node:') && !imp.path.startsWith('.')) packages.add(imp.path);
      } else queue.push(imp.path);
    }
  }
  // a workspace package reached through its source is named too
  for (const file of files) {
    const m = /^packages\/([^/]+)\//.exec(file);
    if (m) packages.add(`@sopflow/${m[1]}`);
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}

describe("validate's import graph", () => {
  it('holds the core validator but no xstate, mermaid, jsdom, compiler, runtime, render or language server', async () => {
    const graph = await staticGraph([path.join(CLI, 'src/runCli.ts'), path.join(CLI, 'src/commands/validate.ts')]);
    expect(graph.packages).toContain('@sopflow/core');
    expect(graph.packages).toContain('yaml');
    expect(graph.packages).toContain('commander');
    expect(graph.packages.filter((p) => FORBIDDEN.includes(p))).toEqual([]);
  });

  it('does not follow dynamic imports, and does see a forbidden static import', async () => {
    const commands = await staticGraph([path.join(CLI, 'src/commands/index.ts')]);
    expect(commands.files).not.toContain('packages/cli/src/commands/validate.ts');
    const lsp = await staticGraph([path.join(CLI, 'src/commands/lsp.ts')]);
    expect(lsp.packages).toContain('@sopflow/lsp');
    const probe = path.join(ROOT, 'node_modules/.cache/import-graph/probe.ts');
    mkdirSync(path.dirname(probe), { recursive: true });
    writeFileSync(probe, "import { createActor } from 'xstate';\nimport mermaid from 'mermaid';\nexport { createActor, mermaid };\n");
    const bad = await staticGraph([probe]);
    expect(bad.packages).toEqual(['mermaid', 'xstate']);
  });
});
