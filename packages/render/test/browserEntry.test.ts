import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as browser from '../src/browser.js';
import * as all from '../src/index.js';

describe('@sopflow/render/browser', () => {
  it('bundles for the browser without any Node built-in, mermaid or playwright', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('../src/browser.ts', import.meta.url))],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      metafile: true,
      logLevel: 'silent',
      conditions: ['source'],
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((f) => /node:|mermaid|playwright|jsdom/.test(f))).toEqual([]);
    expect(inputs.some((f) => f.includes('model/src'))).toBe(true);
  });

  it('exports the same functions as the package root', () => {
    for (const [name, value] of Object.entries(browser)) expect((all as Record<string, unknown>)[name]).toBe(value);
  });
});
