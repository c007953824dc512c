// Loads bundle/validate.cjs (the validate path as one CommonJS file, see scripts/bundleCli.mjs)
// through vm.Script with a V8 code cache: Node 20 has no compile cache for ES modules
// (module.enableCompileCache is Node 22.1+), and compiling the bundle is most of sopflow's
// start-up. The cache (bundle/validate.cjs.cache) is V8's own format; V8 checks it against the
// source and its own version and flags, and rejects it when they differ: then the bundle is
// compiled as usual and the cache rewritten on exit. It is only read from and written next to
// the bundle (never a shared temporary folder); when that folder is read-only, nothing is written.
'use strict';
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const vm = require('node:vm');

/** `runCli` from bundle/validate.cjs, or undefined when it cannot be loaded (then the caller imports the ES module bundle). */
function loadValidateBundle() {
  try {
    const file = path.join(__dirname, '../bundle/validate.cjs');
    const cacheFile = `${file}.cache`;
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

module.exports = { loadValidateBundle };
