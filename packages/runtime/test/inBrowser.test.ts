import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { toMachineConfig } from '@sopflow/compiler';
import { loadFixture } from './loadFixture.js';
import { chromiumPath, skipBrowserTests } from '../../../scripts/testing/browser.js';

/** The runtime, bundled for the browser, runs a compiled SOP from its JSON in a real Chromium. */
// skipped (with one loud line at the end of the run) without Chromium, unless SOPFLOW_REQUIRE_BROWSER=1 (CI)
describe.skipIf(skipBrowserTests)('in a browser', () => {
  it('runs a compiled SOP from JSON: moves, a limit on the simulated clock, persist/restore', async () => {
    const bundle = await build({
      stdin: {
        contents: "export { startRun, SimulatedClock } from '@sopflow/runtime';",
        resolveDir: new URL('.', import.meta.url).pathname,
      },
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'iife',
      globalName: 'sopflow',
      conditions: ['source'],
      logLevel: 'silent',
    });
    const config = toMachineConfig(loadFixture('parent.sop.yaml'), { procedures: { verify: loadFixture('verify.sop.yaml') } });
    const browser = await chromium.launch({
      executablePath: chromiumPath || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage();
      await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
      const result = await page.evaluate((json) => {
        const { startRun, SimulatedClock } = (window as any).sopflow;
        const clock = new SimulatedClock();
        const saved: unknown[] = [];
        const actions = { 'audit.log': (c: { data: unknown }) => saved.push(c.data) };
        const run = startRun(JSON.parse(json), { clock, actions });
        run.complete();
        const inChild = run.view();
        const snapshot = JSON.parse(JSON.stringify(run.persist()));
        run.stop();
        const again = startRun(JSON.parse(json), { clock, actions, snapshot });
        clock.increment(120_000); // the sub-procedure's 2-minute limit
        const afterLimit = again.view().step;
        again.complete();
        return { inChild: inChild.path, afterLimit, outcome: again.outcome, journal: again.journal.length };
      }, JSON.stringify(config));
      expect(result).toEqual({
        inChild: [{ step: 'check#1', procedure: 'verify' }],
        afterLimit: 'refuse',
        outcome: 'refused',
        journal: expect.any(Number),
      });
    } finally {
      await browser.close();
    }
  });
});
