import { defineConfig } from 'vitest/config';

export default defineConfig({
  ssr: { resolve: { conditions: ['source'] } },
  resolve: { conditions: ['source'] },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'bench/test/**/*.test.ts', 'scripts/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // finds Chromium for the browser tests; without one they skip with one loud line (CI: SOPFLOW_REQUIRE_BROWSER=1 fails them)
    globalSetup: ['scripts/testing/browserSetup.ts'],
  },
});
