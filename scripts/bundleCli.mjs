// Bundles the built CLI (packages/cli/dist, after `tsc -b packages/cli`) with esbuild into
// packages/cli/bundle/, so `sopflow validate` starts from a few files instead of ~150 modules.
//
// - Entries: runCli.js (loaded by bin/sopflow.js) and validateWorker.js (started by
//   validateInParallel with `new URL('./validateWorker.js', import.meta.url)`: both land in the same
//   folder, so that URL still finds the worker). Code splitting shares one chunk between them, and
//   keeps each command's own code in a chunk loaded only when the command runs.
// - Bundled: the CLI, @sopflow/core, @sopflow/model, yaml, commander, tinyglobby, and whatever else
//   core imports (followed from core's built dist, so a new dependency of core is picked up).
// - External (left to Node, loaded lazily by compile/run/paths/render/serve only): @sopflow/compiler,
//   @sopflow/runtime, @sopflow/render, @sopflow/host, @sopflow/host-sqlite, @sopflow/server (and better-sqlite3), and the heavy packages they bring (xstate, mermaid, jsdom,
//   playwright-core). The CLI depends on the three @sopflow packages, so they resolve from
//   packages/cli/bundle/ exactly as from packages/cli/dist/; their own dist code imports xstate and
//   mermaid from their own node_modules.
// - bundle/manifest.json lists the workspace files the bundle was built from, and the content hash
//   of each bundled package's tsc build record (packages/<pkg>/tsconfig.tsbuildinfo, rewritten by
//   every `tsc -b` that changes anything). bin/sopflow.js uses the bundle only while those hashes
//   still match (else dist/, e.g. after a bare `tsc -b`): by content, never by modification time.
//   A published package has no build records: there the bundle is always used.
// - The bundle sits two folders below the repo root like packages/<pkg>/dist/, so
//   `import.meta.url`-relative paths inside bundled code (core's SCHEMA_URL) stay correct.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(ROOT, 'packages/cli');
const OUT = path.join(CLI, 'bundle');
// built beside, then swapped in, so a running `sopflow` never sees a half-written bundle
const TMP = path.join(CLI, `.bundle-${process.pid}`);
const esbuild = createRequire(path.join(ROOT, 'package.json'))('esbuild');

/** Never inside the bundle: loaded at run time by the commands that need them. */
const EXTERNAL = [
  '@sopflow/compiler',
  '@sopflow/runtime',
  '@sopflow/render',
  '@sopflow/host',
  '@sopflow/host-sqlite',
  '@sopflow/host-restate',
  '@restatedev/restate-sdk',
  '@sopflow/server',
  'better-sqlite3',
  '@sopflow/lsp',
  'vscode-languageserver',
  'vscode-languageserver-protocol',
  'vscode-languageserver-textdocument',
  'xstate',
  'mermaid',
  'jsdom',
  'playwright-core',
];

rmSync(TMP, { recursive: true, force: true });
process.on('exit', () => rmSync(TMP, { recursive: true, force: true }));
const result = await esbuild.build({
  entryPoints: { runCli: path.join(CLI, 'dist/runCli.js'), validateWorker: path.join(CLI, 'dist/validateWorker.js') },
  absWorkingDir: ROOT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: TMP,
  chunkNames: 'chunk-[hash]',
  external: EXTERNAL.flatMap((name) => [name, `${name}/*`]),
  // CommonJS packages (commander, yaml's cjs parts, ajv runtime helpers) call require() for Node builtins
  banner: {
    js: "import { createRequire as __sopflowCreateRequire } from 'node:module';\nconst require = __sopflowCreateRequire(import.meta.url);",
  },
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});

/**
 * Modules the validate path imports but a clean file never calls, replaced in validate.cjs by a
 * stand-in whose exports load the real module on first use (their names are listed when the
 * bundle is built):
 * - node:child_process, which commander requires at load for subcommands that are separate
 *   executables (sopflow has none): with the net and stream modules it pulls in, ~3 ms of a start;
 * - the yaml package, which sets up its schemas and tags when it loads (~2 ms): sopflow's own
 *   reader reads the plain subset, and yaml is needed only for a file outside it.
 */
const LOADED_ON_FIRST_USE = [
  {
    module: 'child_process',
    filter: /^(node:)?child_process$/,
    from: /[\\/]node_modules[\\/](\.pnpm[\\/][^\\/]+[\\/]node_modules[\\/])?commander[\\/]/,
  },
  { module: 'yaml', filter: /^yaml$/ },
];
const requireFromCore = createRequire(path.join(ROOT, 'packages/core/package.json'));
const loadedOnFirstUse = {
  name: 'loaded-on-first-use',
  setup(build) {
    for (const { module, filter, from } of LOADED_ON_FIRST_USE) {
      const names = Object.keys(requireFromCore(module));
      // the stand-in's own require of the module resolves as usual (its namespace is left alone)
      build.onResolve({ filter }, (args) =>
        args.namespace === 'first-use' || (from && !from.test(args.importer))
          ? undefined
          : { path: args.path, namespace: 'first-use', pluginData: { resolveDir: args.resolveDir, names } },
      );
    }
    build.onLoad({ filter: /.*/, namespace: 'first-use' }, (args) => ({
      contents: [
        'let real;',
        `const load = () => (real ??= require(${JSON.stringify(args.path)}));`,
        `for (const name of ${JSON.stringify(args.pluginData.names)}) Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });`,
      ].join('\n'),
      loader: 'js',
      resolveDir: args.pluginData.resolveDir,
    }));
  },
};

/**
 * In CommonJS output esbuild turns each module's `import path from 'node:path'` into its own
 * `__toESM(require("node:path"))`, a copy of every export of node:path: twenty copies, ~1 ms of a
 * one-file start. This plugin gives the bundled modules one shared default import instead.
 */
const oneNodePath = {
  name: 'one-node-path',
  setup(build) {
    build.onResolve({ filter: /^node:path$/ }, (args) =>
      args.namespace === 'one-node-path' ? undefined : { path: 'node:path', namespace: 'one-node-path' },
    );
    build.onLoad({ filter: /.*/, namespace: 'one-node-path' }, () => ({
      contents: "import path from 'node:path';\nexport default path;\n",
      loader: 'js',
      resolveDir: ROOT,
    }));
  },
};

// The validate path once more, as one CommonJS file (validate.cjs): bin/sopflow.js runs `validate`
// from it through vm.Script with a V8 code cache (validate.cjs.<key>.cache), which Node 20 offers for
// scripts but not for ES modules (module.enableCompileCache is Node 22.1+); compiling ~750 KB of
// bundle is most of sopflow's start-up. The other commands stay in the ES module bundle: their
// packages are ES modules that CommonJS cannot require on Node 20.
const cjs = await esbuild.build({
  plugins: [loadedOnFirstUse, oneNodePath],
  entryPoints: { validate: path.join(CLI, 'dist/runCli.js') },
  absWorkingDir: ROOT,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outdir: TMP,
  outExtension: { '.js': '.cjs' },
  // whitespace and syntax only (names stay, for stack traces): 1,044 -> 681 KB to read at every
  // start, and less to parse for what the code cache does not hold; ~1.3 ms of a one-file start
  minifyWhitespace: true,
  minifySyntax: true,
  external: EXTERNAL.flatMap((name) => [name, `${name}/*`]),
  define: { 'import.meta.url': '__sopflowImportMetaUrl' },
  banner: { js: "const __sopflowImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  metafile: true,
  legalComments: 'none',
  logLevel: 'warning',
});
Object.assign(result.metafile.outputs, cjs.metafile.outputs);

// a subfolder would break `new URL('../../../…', import.meta.url)` in bundled code: every output sits in bundle/
const nested = Object.keys(result.metafile.outputs).filter((file) => path.dirname(path.resolve(ROOT, file)) !== TMP);
if (nested.length > 0) throw new Error(`bundleCli: outputs outside packages/cli/bundle/: ${nested.join(', ')}`);
const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules/'));
const builtIn = Object.keys(result.metafile.inputs).filter((file) =>
  EXTERNAL.some((name) => file.includes(`node_modules/${name}/`) || file.includes(`packages/${name.replace('@sopflow/', '')}/`)),
);
if (builtIn.length > 0) throw new Error(`bundleCli: external code got into the bundle: ${builtIn.join(', ')}`);

// the tsc build records of the bundled workspace packages, by content (see bin/sopflow.js)
const bundledPackages = [...new Set(inputs.map((file) => /^packages\/([^/]+)\//.exec(file)?.[1]).filter(Boolean))].sort();
const builtFrom = {};
// each record's size and modification time too: while both are unchanged the bin takes the content
// as unchanged without hashing it (git's index does the same), which spares every start loading node:crypto
const builtFromStat = {};
for (const pkg of bundledPackages) {
  const record = path.join(ROOT, 'packages', pkg, 'tsconfig.tsbuildinfo');
  if (!existsSync(record)) continue;
  const key = `../../${pkg}/tsconfig.tsbuildinfo`;
  builtFrom[key] = createHash('sha1').update(readFileSync(record)).digest('hex');
  const { size, mtimeMs } = statSync(record);
  builtFromStat[key] = { size, mtimeMs };
}
writeFileSync(
  path.join(TMP, 'manifest.json'),
  JSON.stringify(
    {
      note: 'written by scripts/bundleCli.mjs; bin/sopflow.js uses the bundle while each build record below still has this content hash',
      builtFrom,
      builtFromStat,
      inputs: inputs.map((file) => path.relative(TMP, path.resolve(ROOT, file))),
    },
    null,
    1,
  ) + '\n',
);
rmSync(OUT, { recursive: true, force: true });
renameSync(TMP, OUT);
const size = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
// A first run writes the code cache of validate.cjs for this Node and its flags (the bin writes one
// for any other Node or flags): `validate` of one clean SOP alone in a folder, what CI runs most,
// and short on purpose. A cache
// written after the whole examples folder (cross-file checks, the yaml package, more garbage
// collections, which drop the bytecode of functions no longer running) is ~90 KB larger and made a
// one-file start ~5 ms slower (in-process, alternating, 25-30 runs each); a file with problems
// compiles the rest of its path on first use instead (~1-3 ms).
const primeDir = mkdtempSync(path.join(tmpdir(), 'sopflow-prime-'));
try {
  const clean = path.join(primeDir, 'prime.sop.yaml');
  copyFileSync(path.join(ROOT, 'examples/customer-service/verify-identity.sop.yaml'), clean);
  execFileSync(process.execPath, [path.join(CLI, 'bin/sopflow.js'), 'validate', clean], {
    cwd: primeDir,
    stdio: 'ignore',
    env: { ...process.env, SOPFLOW_THREADS: '1' },
  });
} catch {
  // a run that finds problems still wrote the cache; without one, the first real run writes it
} finally {
  rmSync(primeDir, { recursive: true, force: true });
}
console.log(
  `bundleCli: packages/cli/bundle/ (${Object.keys(result.metafile.outputs).length} files, ${Math.round(size / 1024)} KB, ${Object.keys(result.metafile.inputs).length} modules)`,
);
