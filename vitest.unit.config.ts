// Plain-Node unit tests: pure modules (core/), adapters' transforms and the CLI. No Workers runtime here.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'adapters/**/*.test.ts', 'cli/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    // A hang guard, not a speed check: some conformance tests run thousands of SQLite queries or generate whole
    // demo datasets and take several seconds on a shared 2-core machine. Timing is measured in bench/, never here.
    testTimeout: 60_000,
  },
});
