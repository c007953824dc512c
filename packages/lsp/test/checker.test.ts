import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { CHILD, PARENT_BROKEN } from './fixtures.js';
import { ROOT } from './lspClient.js';
import { runCheck, type Checker, type CheckRequest } from '../src/check/Checker.js';

/** The worker checker runs the built worker (dist/check/checkWorker.js): load it from dist, as the CLI does. */
const built = async () =>
  (await import(pathToFileURL(path.join(ROOT, 'packages/lsp/dist/check/Checker.js')).href)) as { workerChecker(): Checker };

const request: CheckRequest = {
  files: [
    { file: 'calls/inbound-call.sop.yaml', text: PARENT_BROKEN },
    { file: 'verify-identity.sop.yaml', text: CHILD },
  ],
  target: 0,
  today: '2026-01-01',
};

describe('checks on a worker thread', () => {
  test('give what the same check gives on this thread, for many checks at once', async () => {
    const checker = (await built()).workerChecker();
    try {
      const here = runCheck(request);
      expect(here.map((d) => d.code)).toContain('missing-procedure');
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => checker.check({ ...request, target: i % 2 })));
      results.forEach((diagnostics, i) => expect(diagnostics).toEqual(runCheck({ ...request, target: i % 2 })));
    } finally {
      checker.dispose();
    }
  });

  test('once disposed, a pending check answers nothing and later checks still answer', async () => {
    const checker = (await built()).workerChecker();
    const pending = checker.check(request);
    checker.dispose();
    expect(await pending).toEqual([]);
    expect((await checker.check(request)).map((d) => d.code)).toEqual(runCheck(request).map((d) => d.code));
  });
});
