// Shared vitest settings: tests sit next to sources as src/**/*.test.ts.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** @param {import('vitest/config').UserConfig['test']} [overrides] */
export function gdVitestConfig(overrides = {}) {
  return defineConfig({
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      // Two cores on CI: forks keep memory per file bounded and isolate native addons.
      pool: 'forks',
      testTimeout: 60_000,
      hookTimeout: 120_000,
      // Yield to the event loop after each test (see yield.js).
      setupFiles: [fileURLToPath(new URL('./yield.js', import.meta.url))],
      reporters: process.env.CI ? ['default'] : ['default'],
      ...overrides,
    },
  });
}

export default gdVitestConfig();
