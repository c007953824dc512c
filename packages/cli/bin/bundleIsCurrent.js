'use strict';
// Which build bin/sopflow.js runs: plain JavaScript (CommonJS), loaded by the bin before anything else.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const path = require('node:path');

/**
 * The CLI as one esbuild bundle (../bundle/, written by `pnpm run build`: scripts/bundleCli.mjs)
 * starts much faster than ../dist/ (~150 modules). Use it when it is there and was built from the
 * current compile: the manifest holds the content hash of each bundled package's tsc build record,
 * which a bare `tsc -b` rewrites (then dist/ is newer: run from there). A build record that does
 * not exist (an installed package ships none) does not count against the bundle.
 */
function bundleIsCurrent() {
  try {
    const base = path.join(__dirname, '../bundle');
    const manifest = JSON.parse(readFileSync(path.join(base, 'manifest.json'), 'utf8'));
    for (const [record, hash] of Object.entries(manifest.builtFrom ?? {})) {
      let content;
      try {
        content = readFileSync(path.resolve(base, record));
      } catch {
        continue;
      }
      if (createHash('sha1').update(content).digest('hex') !== hash) return false;
    }
    return true;
  } catch {
    return false;
  }
}

module.exports = { bundleIsCurrent };
