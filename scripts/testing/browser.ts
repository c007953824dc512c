// For the browser tests: the Chromium found by the global setup (scripts/testing/browserSetup.ts),
// and whether to skip them (no Chromium, and SOPFLOW_REQUIRE_BROWSER is not set).
import { inject } from 'vitest';

/** The Chromium executable, or '' when there is none on PATH. */
export const chromiumPath: string = inject('chromium') ?? '';

/** Skip the browser tests: no Chromium, and not required (CI requires them: they then fail). */
export const skipBrowserTests: boolean = chromiumPath === '' && inject('browserRequired') !== true;
