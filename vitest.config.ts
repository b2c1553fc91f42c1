import { defineConfig } from 'vitest/config';

// Three suites: unit (pure, no I/O), integration (real PostgreSQL: embedded
// unless DATABASE_URL is set), e2e (real Chromium against a running server).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      'test/e2e/vitest.config.ts',
    ],
  },
});
