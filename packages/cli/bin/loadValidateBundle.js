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

/** `runCli` from bundle/validate.cjs, or undefined when it cannot be loaded (then the caller imports the ES module bundle). */
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
    if (cachedData === undefined || script.cachedDataRejected) {
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
    return typeof loaded.exports.runCli === 'function' ? loaded.exports.runCli : undefined;
  } catch {
    return undefined;
  }
}

module.exports = { loadValidateBundle, cacheFileFor };
