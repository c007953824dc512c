// Loads the built packages (dist/) the benchmark measures, by file path, so bench/ needs no
// workspace links of its own. Each throws a clear error when a package has not been built.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function loadPackage(name) {
  const entry = path.join(ROOT, 'packages', name, 'dist/index.js');
  if (!existsSync(entry)) throw new Error(`packages/${name} is not built (${path.relative(ROOT, entry)} missing): run pnpm run build`);
  return import(pathToFileURL(entry).href);
}

/** A function a package must export, or a clear error naming what is missing. */
export function need(mod, pkg, name) {
  const fn = mod[name];
  if (typeof fn !== 'function') throw new Error(`@sopflow/${pkg} does not export ${name}() yet`);
  return fn;
}

/** Imports a dependency the way a package resolves it (from packages/<pkg>/node_modules). */
export async function importFrom(pkg, specifier) {
  const { createRequire } = await import('node:module');
  const require = createRequire(path.join(ROOT, 'packages', pkg, 'package.json'));
  let resolved;
  try {
    resolved = require.resolve(specifier);
  } catch {
    resolved = import.meta.resolve ? fileURLToPath(import.meta.resolve(specifier)) : specifier;
  }
  return import(pathToFileURL(resolved).href);
}
