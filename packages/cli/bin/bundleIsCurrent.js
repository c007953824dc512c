'use strict';
// Which build bin/sopflow.js runs: plain JavaScript (CommonJS), loaded by the bin before anything else.
const { readFileSync, statSync } = require('node:fs');
const path = require('node:path');

/**
 * The CLI as one esbuild bundle (../bundle/, written by `pnpm run build`: scripts/bundleCli.mjs)
 * starts much faster than ../dist/ (~150 modules). Use it when it is there and was built from the
 * current compile: the manifest holds the content hash of each bundled package's tsc build record,
 * which a bare `tsc -b` rewrites (then dist/ is newer: run from there). A build record that does
 * not exist (an installed package ships none) does not count against the bundle. A record whose
 * size and modification time are those the manifest saw is taken as unchanged without hashing it
 * (as git's index does): node:crypto, loaded only to hash, costs a start some 5 ms.
 */
function bundleIsCurrent(base = path.join(__dirname, '../bundle')) {
  try {
    const manifest = JSON.parse(readFileSync(path.join(base, 'manifest.json'), 'utf8'));
    for (const [record, hash] of Object.entries(manifest.builtFrom ?? {})) {
      const file = path.resolve(base, record);
      let info;
      try {
        info = statSync(file);
      } catch {
        continue;
      }
      const seen = manifest.builtFromStat?.[record];
      if (seen && seen.size === info.size && seen.mtimeMs === info.mtimeMs) continue;
      const { createHash } = require('node:crypto');
      if (createHash('sha1').update(readFileSync(file)).digest('hex') !== hash) return false;
    }
    return true;
  } catch {
    return false;
  }
}

module.exports = { bundleIsCurrent };
