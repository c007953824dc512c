import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { glob } from 'tinyglobby';
import { describe, expect, it } from 'vitest';
import { runInProcess } from './runValidate.js';

/**
 * Issue 3, "done when": every example SOP (and every fixture of these commands) compiles, and
 * every path `sopflow paths` finds replays through the runtime (`sopflow run --script`) to its
 * end outcome. The files are globbed at test time, so a new example is covered without editing
 * this test; the paths are computed, never hand-listed.
 */
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../..');
const files = await glob(['examples/**/*.sop.yaml', 'packages/cli/test/fixtures/run/*.sop.yaml'], {
  cwd: ROOT,
  ignore: ['**/node_modules/**'],
});
const tmp = mkdtempSync(path.join(tmpdir(), 'sopflow-paths-'));
const sopflow = (...args: string[]) => runInProcess(args, { cwd: ROOT });

describe('every path of every example replays to its outcome', () => {
  it('finds the example SOPs', () => {
    expect(files.length).toBeGreaterThan(2);
  });

  for (const file of files.sort()) {
    it(file, async () => {
      const compiled = await sopflow('compile', file);
      expect(compiled.stderr).toBe('');
      expect(compiled.code).toBe(0);
      const outcomes: string[] = JSON.parse(compiled.stdout).meta.sopflow.outcomes;

      const listed = await sopflow('paths', file, '--json');
      expect(listed.code).toBe(0);
      const { paths } = JSON.parse(listed.stdout) as { paths: { outcome: string; steps: string[]; moves: unknown[] }[] };
      expect(paths.length).toBeGreaterThan(0);

      for (const [i, p] of paths.entries()) {
        expect(outcomes).toContain(p.outcome);
        const top = p.steps.filter((s) => !s.includes('/'));
        expect(new Set(top).size).toBe(top.length); // simple: no step twice
        const scriptFile = path.join(tmp, `${path.basename(file)}.${i}.json`);
        writeFileSync(scriptFile, JSON.stringify({ moves: p.moves }));
        const replay = await sopflow('run', file, '--script', scriptFile, '--json');
        expect(replay.code, `${file} path ${i + 1}: ${replay.stderr}`).toBe(0);
        const result = JSON.parse(replay.stdout);
        expect(result.outcome).toBe(p.outcome);
        const entered = result.journal
          .filter((e: { type: string }) => e.type === 'step-entered')
          .map((e: { step: string; path?: string[] }) => [...(e.path ?? []), e.step].join('/'));
        expect(entered).toEqual(p.steps);
      }
    });
  }
});
