import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * docs/embedding.md is tested: its `js` blocks, in order, are one program (with node:assert
 * checks of what the page claims). They are written to a module and run; any drift between the
 * page and the packages fails here.
 */
const HERE = path.dirname(fileURLToPath(import.meta.url));
const DOC = path.resolve(HERE, '../../../docs/embedding.md');

export function jsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
}

describe('docs/embedding.md', () => {
  const blocks = jsBlocks(readFileSync(DOC, 'utf8'));

  it('has the code of the whole story', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(10);
  });

  it('runs as written', async () => {
    const dir = path.join(HERE, '.tmp');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'embedding.doc.mjs');
    writeFileSync(file, `${blocks.join('\n')}\nexport const ran = true;\n`);
    const mod = await import(/* @vite-ignore */ `${file}?t=${Date.now()}`);
    expect(mod.ran).toBe(true);
  });
});
