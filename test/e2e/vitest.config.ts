import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

// The browser suite: real Chromium against `leadpath serve` on the production
// build. Alone: `npm run build && vitest run --config test/e2e/vitest.config.ts`;
// or list this file in the root config's `projects`.
export default defineProject({
  test: {
    name: 'e2e',
    // Paths are relative to the repository, however this file is loaded.
    root: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'),
    include: ['test/e2e/**/*.test.ts'],
    environment: 'node',
    // Each file starts its own server, database and browser, so files may run
    // in parallel; the timeouts cover a cold PostgreSQL initdb.
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
