import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

let cached: string | undefined;

/** The path of mermaid's browser bundle (`mermaid/dist/mermaid.min.js`), resolved from this package. */
export function mermaidBundlePath(): string {
  return createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
}

/** mermaid's browser bundle (defines `globalThis.mermaid`), read once and cached. */
export function loadMermaidBundle(): string {
  cached ??= readFileSync(mermaidBundlePath(), 'utf8');
  return cached;
}
