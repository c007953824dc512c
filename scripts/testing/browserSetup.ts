// vitest global setup: finds Chromium for the browser tests and tells them (inject('chromium')).
// Without one they are skipped, and the run ends with ONE loud line saying what was skipped and
// how to run them; with SOPFLOW_REQUIRE_BROWSER=1 (CI) they run and fail instead.
// The README's test command installs Chromium first when it can (scripts/testing/chromium.mjs).
import type { TestProject } from 'vitest/node';
// @ts-expect-error: a plain .mjs script without types
import { BROWSER_TESTS, HOW_TO_RUN, browserRequired, findChromiumOnPath, lastReason } from './chromium.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** the Chromium executable for the browser tests, or '' when there is none */
    chromium: string;
    /** SOPFLOW_REQUIRE_BROWSER=1: run the browser tests (and fail) even without Chromium */
    browserRequired: boolean;
  }
}

export default function setup(project: TestProject): () => void {
  const chromium: string = findChromiumOnPath(process.env) ?? '';
  const required: boolean = browserRequired(process.env);
  project.provide('chromium', chromium);
  project.provide('browserRequired', required);
  return () => {
    if (chromium) return;
    const reason: string | undefined = lastReason();
    const line = required
      ? `!!! BROWSER TESTS REQUIRED (SOPFLOW_REQUIRE_BROWSER=1) but no Chromium on PATH${reason ? ` (${reason})` : ''}: they ran and failed. To fix: ${HOW_TO_RUN}.`
      : `!!! SKIPPED the browser tests (${BROWSER_TESTS}): no Chromium on PATH${reason ? ` (${reason})` : ''}. To run them: ${HOW_TO_RUN}.`;
    const yellow = process.stdout.isTTY && !process.env.NO_COLOR ? (t: string) => `\u001b[1;33m${t}\u001b[0m` : (t: string) => t;
    process.stdout.write(`\n${yellow(line)}\n`);
  };
}
