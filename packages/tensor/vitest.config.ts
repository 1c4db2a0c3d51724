// The tensor suite is the backend conformance suite: it runs once per available backend, with
// GD_KERNEL_MIN=1 so that even tiny tensors go through the fast backends' kernels. The tests
// of the reference backend's own helpers run once, and so does the browser test (it picks its
// backends inside the page).
import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';
import { gdVitestConfig } from '@gd/vitest-config';

const base = gdVitestConfig().test!;
const built = (file: string): boolean => existsSync(new URL(`./build/${file}`, import.meta.url));
const gpu = webgpuEnv();
const backends = [
  'reference',
  ...(built('gd_kernels.wasm') ? ['wasm'] : []),
  ...(built('gd_native.node') && process.env.GD_NATIVE !== '0' ? ['native'] : []),
  ...(gpu ? ['webgpu'] : []),
];
const only = process.env.GD_BACKEND;

/**
 * The environment that gives the WebGPU backend an adapter here: the `webgpu` package (Dawn)
 * over Vulkan, with Chromium's SwiftShader as the driver where no other ICD is named. Null
 * (the webgpu project is left out) where Vulkan or Dawn is missing; GD_WEBGPU=0 leaves it out,
 * GD_WEBGPU=1 requires it (CI), so a broken set-up fails instead of silently skipping.
 */
function webgpuEnv(): Record<string, string> | null {
  const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
  const icd = process.env.VK_ICD_FILENAMES ?? (existsSync(swiftshader) ? swiftshader : undefined);
  const vulkan = [
    '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
    '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
  ];
  const ready =
    icd !== undefined &&
    vulkan.some((p) => existsSync(p)) &&
    existsSync(new URL('./node_modules/webgpu/package.json', import.meta.url)) &&
    existsSync(new URL('./dist/backend/webgpu/worker.js', import.meta.url));
  if (process.env.GD_WEBGPU === '0') return null;
  if (!ready) {
    if (process.env.GD_WEBGPU === '1') {
      throw new Error(
        "GD_WEBGPU=1 but WebGPU cannot run here: it needs libvulkan1, a Vulkan ICD (Chromium's SwiftShader), the webgpu package and a build of @gd/tensor",
      );
    }
    return null;
  }
  return { VK_ICD_FILENAMES: icd!, XDG_RUNTIME_DIR: process.env.XDG_RUNTIME_DIR ?? '/tmp' };
}

export default defineConfig({
  test: {
    ...base,
    projects: (only ? [only] : backends).map((name) => ({
      test: {
        ...base,
        name,
        exclude:
          name === 'reference'
            ? []
            : ['src/backend/reference/**', 'src/backend/fast/**', 'test/browser.test.ts'],
        env: {
          GD_BACKEND: name,
          GD_KERNEL_MIN: name === 'reference' ? '' : '1',
          ...(name === 'webgpu' ? gpu : {}),
        },
      },
    })),
  },
});
