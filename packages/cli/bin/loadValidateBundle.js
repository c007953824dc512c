// Loads bundle/validate.cjs (the validate path as one CommonJS file, see scripts/bundleCli.mjs)
// through vm.Script with a V8 code cache: Node 20 has no compile cache for ES modules
// (module.enableCompileCache is Node 22.1+), and compiling the bundle is most of sopflow's
// start-up. The cache is V8's own format; V8 checks it against the source, its own version and
// its flags, and rejects it when they differ: then the bundle is compiled as usual and a cache
// written on exit. Each Node version and set of flags has its own cache file (cacheFileFor), so
// runs with NODE_OPTIONS=--max-old-space-size=4096 (common in CI) and runs without do not reject
// and rewrite one file back and forth. Caches are only read from and written next to the bundle
// (never a shared temporary folder); when that folder is read-only, nothing is written.
'use strict';
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

/**
 * The code cache file of `bundle` for this Node version and these flags (command line and
 * NODE_OPTIONS): `validate.cjs.<key>.cache`, the key an FNV-1a hash (node:crypto would cost the
 * start ~5 ms).
 */
function cacheFileFor(bundle, version = process.version, flags = `${process.execArgv.join(' ')}|${process.env.NODE_OPTIONS ?? ''}`) {
  const key = `${version}|${flags}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return `${bundle}.${(hash >>> 0).toString(16).padStart(8, '0')}.cache`;
}

/**
 * A smaller budget for inlining into one optimised function (V8's default: 920 bytes of
 * bytecode). A `validate` run over many files is mostly the JIT's warm-up: on two cores the
 * optimising compiler is busy for the first third of a run over 1,000 files while the main thread
 * waits in slower code, and with less to inline each function's optimised code arrives sooner.
 * Measured with the bench's files (docs/performance.md): 1,000 files ~6% less wall time and ~12%
 * less CPU, 300 files ~12%, 10 files ~3%; the 50,000-step file no slower.
 */
const INLINING_BUDGET = '--max-inlined-bytecode-size-cumulative=60';

/** The flag for a run over many files, or undefined when the user's own flags (`execArgv`, NODE_OPTIONS) set inlining themselves. */
function manyFilesV8Flag(execArgv = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? '') {
  const own = `${execArgv.join(' ')} ${nodeOptions}`;
  return /max[-_]inlined[-_]bytecode[-_]size[-_]cumulative|turbo[-_]inlining/.test(own) ? undefined : INLINING_BUDGET;
}

/**
 * `{ runCli, beforeManyFiles }` from bundle/validate.cjs, or undefined when it cannot be loaded
 * (then the caller imports the ES module bundle). `beforeManyFiles`, for CliIo, sets
 * manyFilesV8Flag, and only in a run that read the code cache: a flag set at run time changes
 * V8's flag hash, so a cache written after it would be rejected by the next run, which reads the
 * cache before any flag is set. Node keeps run-time flags working on purpose (it starts V8 with
 * --no-freeze-flags-after-init); this one is a compiler heuristic, which changes how soon code is
 * optimised and never what it does. Loading node:v8 costs ~2 ms, so it waits until `validate`
 * knows it has many files.
 */
function loadValidateBundle() {
  try {
    const file = path.join(__dirname, '../bundle/validate.cjs');
    const cacheFile = cacheFileFor(file);
    const source = readFileSync(file, 'utf8');
    let cachedData;
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(source), {
      filename: pathToFileURL(file).href,
      cachedData,
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    const writesCache = cachedData === undefined || script.cachedDataRejected === true;
    if (writesCache) {
      // written at exit, so the cache holds the functions this run compiled too
      process.once('exit', () => {
        try {
          const temporary = `${cacheFile}.${process.pid}`;
          writeFileSync(temporary, script.createCachedData());
          renameSync(temporary, cacheFile);
        } catch {
          // a read-only install: run without a cache
        }
      });
    }
    const loaded = { exports: {} };
    script.runInThisContext()(loaded.exports, Module.createRequire(file), loaded, file, path.dirname(file));
    if (typeof loaded.exports.runCli !== 'function') return undefined;
    const flag = writesCache ? undefined : manyFilesV8Flag();
    const beforeManyFiles =
      flag === undefined
        ? undefined
        : () => {
            try {
              require('node:v8').setFlagsFromString(flag);
            } catch {
              // a Node without run-time flags: the run is only slower
            }
          };
    return { runCli: loaded.exports.runCli, beforeManyFiles };
  } catch {
    return undefined;
  }
}

module.exports = { loadValidateBundle, cacheFileFor, manyFilesV8Flag };
