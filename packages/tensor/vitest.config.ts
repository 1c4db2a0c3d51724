// The tensor suite is the backend conformance suite: it runs once per available backend, with
// GD_KERNEL_MIN=1 so that even tiny tensors go through the fast backends' kernels. The tests
// of the reference backend's own helpers run once, and so do the browser tests (they pick their
// backends inside the page); test/suites.ts lists which files run where.
import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { gdVitestConfig, webgpuEnv } from '@gd/vitest-config';
import { GPU_ONLY, ONCE } from './test/suites.js';

const base = gdVitestConfig().test!;
const built = (file: string): boolean => existsSync(new URL(`./build/${file}`, import.meta.url));
const gpu = webgpuEnv(new URL('.', import.meta.url));
const backends = [
  'reference',
  ...(built('gd_kernels.wasm') ? ['wasm'] : []),
  ...(built('gd_native.node') && process.env.GD_NATIVE !== '0' ? ['native'] : []),
  ...(gpu ? ['webgpu'] : []),
];
const only = process.env.GD_BACKEND;

export default defineConfig({
  test: {
    ...base,
    projects: (only ? [only] : backends).map((name) => ({
      test: {
        ...base,
        name,
        exclude:
          name === 'reference' ? GPU_ONLY : name === 'webgpu' ? ONCE : [...ONCE, ...GPU_ONLY],
        env: {
          GD_BACKEND: name,
          GD_KERNEL_MIN: name === 'reference' ? '' : '1',
          ...(name === 'webgpu' ? gpu : {}),
        },
        ...(name === 'webgpu' ? { testTimeout: 600_000, hookTimeout: 600_000 } : {}),
      },
    })),
  },
});
