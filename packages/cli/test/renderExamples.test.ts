import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { glob } from 'tinyglobby';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/index.js';

/**
 * Every `examples/**\/*.sop.yaml` has its rendered Markdown document committed beside it
 * (`x.sop.md`). This re-renders them the way `pnpm run examples` does (`sopflow render
 * "examples/**\/*.sop.yaml" --to markdown --beside`), in a copy of the folder, and fails when a
 * committed render is missing or stale. Fix: `npx -y pnpm@10.34.9 run examples`, then commit.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const EXAMPLES = path.join(ROOT, 'examples');
const copy = mkdtempSync(path.join(tmpdir(), 'sopflow-examples-'));
afterAll(() => rmSync(copy, { recursive: true, force: true }));

const sources = await glob('**/*.sop.{yaml,yml}', { cwd: EXAMPLES, ignore: ['**/node_modules/**'] });
sources.sort();

describe('committed example renders', () => {
  it('there are example SOPs', () => {
    expect(sources.length).toBeGreaterThan(0);
  });

  it('every example renders without errors', async () => {
    cpSync(EXAMPLES, path.join(copy, 'examples'), { recursive: true });
    let stdout = '';
    let stderr = '';
    const code = await runCli(['render', 'examples/**/*.sop.yaml', '--to', 'markdown', '--beside'], {
      cwd: copy,
      env: {},
      isTTY: false,
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').sort()).toEqual(sources.map((s) => `examples/${s.replace(/\.ya?ml$/, '.md')}`).sort());
  });

  it.each(sources)('%s: the committed .sop.md is up to date (else run `pnpm run examples` and commit)', (source) => {
    const committed = path.join(EXAMPLES, source.replace(/\.ya?ml$/, '.md'));
    const fresh = path.join(copy, 'examples', source.replace(/\.ya?ml$/, '.md'));
    expect(
      existsSync(committed),
      `${path.relative(ROOT, committed)} is missing: run \`npx -y pnpm@10.34.9 run examples\` and commit it`,
    ).toBe(true);
    expect(
      readFileSync(committed, 'utf8'),
      `${path.relative(ROOT, committed)} is stale: run \`npx -y pnpm@10.34.9 run examples\` and commit it`,
    ).toBe(readFileSync(fresh, 'utf8'));
  });
});
