import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const src = new URL('../src/', import.meta.url);

describe('browser safety', () => {
  it('imports nothing Node-only, no YAML parser and no schema validator', () => {
    for (const file of readdirSync(src)) {
      const text = readFileSync(new URL(file, src), 'utf8');
      expect(text, file).not.toMatch(/from ['"](node:|fs|path|yaml|ajv)/);
    }
  });

  it('bundles for the browser from startRun alone, without yaml or ajv', async () => {
    const result = await build({
      stdin: { contents: "export { startRun, summarizeJournal } from '@sopflow/runtime';", resolveDir: new URL('.', import.meta.url).pathname },
      bundle: true, write: false, platform: 'browser', format: 'esm', minify: true,
      conditions: ['source'], external: ['xstate'], logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/node:|require\(/);
    expect(code).not.toMatch(/yaml|ajv/i);
    expect(code).toMatch(/from"xstate"/);
    // issue 4's budget: under 10 KB gzipped beyond xstate
    expect(gzipSync(result.outputFiles[0]!.contents).length).toBeLessThan(10 * 1024);
  });
});
