// Shared vitest settings: tests sit next to sources as src/**/*.test.ts.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

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

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const VULKAN_LOADERS = [
  '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
];

/**
 * The environment that gives @gd/tensor's WebGPU backend an adapter on this machine: Dawn (the
 * `webgpu` package, resolved from `packageDir`) over Vulkan, with Chromium's SwiftShader as the
 * driver unless VK_ICD_FILENAMES names another. Null where Vulkan, Dawn or the built tensor
 * package is missing. GD_WEBGPU=0 turns the WebGPU runs off; GD_WEBGPU=1, and CI=true, make a
 * missing piece an error instead of a silent skip.
 *
 * @param {string | URL} packageDir
 * @returns {Record<string, string> | null}
 */
export function webgpuEnv(packageDir) {
  if (process.env.GD_WEBGPU === '0') return null;
  const icd =
    process.env.VK_ICD_FILENAMES ?? (existsSync(SWIFTSHADER_ICD) ? SWIFTSHADER_ICD : undefined);
  // Dawn is resolved from @gd/tensor, where the WebGPU worker imports it.
  const tensorDir = tensorPackageDir(packageDir);
  const fromTensor = tensorDir && createRequire(new URL('./package.json', tensorDir));
  const resolves = (specifier) => {
    try {
      fromTensor.resolve(specifier);
      return true;
    } catch {
      return false;
    }
  };
  const missing = [
    icd === undefined && `a Vulkan driver (${SWIFTSHADER_ICD}: apt-get install chromium)`,
    !VULKAN_LOADERS.some((p) => existsSync(p)) && 'the Vulkan loader (apt-get install libvulkan1)',
    !tensorDir && '@gd/tensor',
    tensorDir && !resolves('webgpu/package.json') && 'the webgpu package (Dawn)',
    tensorDir &&
      !existsSync(new URL('./dist/backend/webgpu/worker.js', tensorDir)) &&
      'a build of @gd/tensor',
  ].filter(Boolean);
  if (missing.length > 0) {
    if (process.env.GD_WEBGPU === '1' || process.env.CI === 'true') {
      throw new Error(
        `WebGPU tests are required here (GD_WEBGPU=1 or CI=true) but cannot run: missing ${missing.join(', ')}`,
      );
    }
    return null;
  }
  return { VK_ICD_FILENAMES: icd, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' };
}

/** @param {string | URL} packageDir */
function tensorPackageDir(packageDir) {
  const own = new URL('./package.json', packageDir);
  try {
    const require = createRequire(own);
    const pkg = require('./package.json');
    if (pkg.name === '@gd/tensor') return new URL('.', own);
    return new URL('.', `file://${require.resolve('@gd/tensor/package.json')}`);
  } catch {
    return null;
  }
}

/**
 * The shared config as two projects, the default backend and (where it can run) WebGPU, so a
 * package's whole suite also runs with its tensors on the GPU.
 *
 * @param {string | URL} packageDir the package's directory URL (`new URL('.', import.meta.url)`)
 * @param {import('vitest/config').UserConfig['test']} [overrides]
 * @param {{ webgpuExclude?: string[] }} [options] test files left out of the WebGPU run
 */
export function gdBackendProjectsConfig(packageDir, overrides = {}, options = {}) {
  const base = gdVitestConfig(overrides).test;
  const gpu = webgpuEnv(packageDir);
  return defineConfig({
    test: {
      ...base,
      projects: [
        { test: { ...base, name: 'cpu' } },
        ...(gpu
          ? [
              {
                test: {
                  ...base,
                  name: 'webgpu',
                  env: { GD_BACKEND: 'webgpu', ...gpu },
                  // Browser tests pick their backends inside the page: once is enough.
                  exclude: [
                    ...configDefaults.exclude,
                    'test/browser*.test.ts',
                    ...(options.webgpuExclude ?? []),
                  ],
                  // A software GPU (SwiftShader) spends ~0.1 ms per kernel: the lecture's
                  // thousand-step loops of tiny ops take minutes on a loaded 2-core machine.
                  testTimeout: 600_000,
                  hookTimeout: 600_000,
                },
              },
            ]
          : []),
      ],
    },
  });
}

export default gdVitestConfig();
