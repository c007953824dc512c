import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The process a run lives in never dies of it: thousands of random walks with hostile
 *  actions and subscribers, in a child process on the built runtime (`pnpm test` builds first). */
describe('a host process survives random walks', () => {
  it('2,000 walks in a child process: exit 0, nothing uncaught, no unhandled rejection', () => {
    const script = fileURLToPath(new URL('./fuzz/childFuzz.mjs', import.meta.url));
    const result = spawnSync(process.execPath, [script, process.env.SOPFLOW_FUZZ_CHILD_RUNS ?? '2000'], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^survived 2000\n$|^survived \d+\n$/);
  }, 320_000);
});
