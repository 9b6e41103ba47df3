// Plain-Node unit tests: pure modules (core/), adapters' transforms and the CLI. No Workers runtime here.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'adapters/**/*.test.ts', 'cli/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
  },
});
