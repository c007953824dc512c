import { readdirSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const src = new URL('../src/', import.meta.url);

describe('browser safety', () => {
  it('imports nothing Node-only, no YAML parser, no schema validator and no XState', () => {
    const files = (dir: URL): URL[] =>
      readdirSync(dir).flatMap((name) => {
        const url = new URL(name, dir);
        return statSync(url).isDirectory() ? files(new URL(`${name}/`, dir)) : [url];
      });
    for (const file of files(src)) {
      const text = readFileSync(file, 'utf8');
      expect(text, file.pathname).not.toMatch(/from ['"](node:|fs|path|yaml|ajv|xstate)/);
    }
  });

  it('bundles for the browser from startRun alone, without yaml, ajv or XState', async () => {
    const result = await build({
      stdin: {
        contents: "export { startRun, summarizeJournal } from '@sopflow/runtime';",
        resolveDir: new URL('.', import.meta.url).pathname,
      },
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'esm',
      minify: true,
      conditions: ['source'],
      external: ['xstate'],
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/node:|require\(/);
    expect(code).not.toMatch(/yaml|ajv/i);
    expect(code).not.toMatch(/from"xstate"/); // the runtime runs its own step function; XState is the compile target
    // the whole runtime (compiler for SOP objects, sealing, paths, time targets and list fields included) in under 23 KB
    // gzipped (22 KB until model's graph builder was written for speed, in loops: +0.3 KB for graphs built twice as fast)
    expect(gzipSync(result.outputFiles[0]!.contents).length).toBeLessThan(23 * 1024);
  });
});
