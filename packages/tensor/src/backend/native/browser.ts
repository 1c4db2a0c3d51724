/**
 * The native backend in browser bundles: package.json's `browser` field puts this module in
 * place of index.ts for bundlers that build for the web (esbuild, Vite, webpack, Rollup), so
 * they do not carry the addon's loader. Node, and pages that load dist/ unbundled, keep
 * index.ts (which finds no addon outside Node). The exports are those of index.ts, with
 * nothing loaded.
 */
import type { Backend } from '../backend.js';

/** Why the addon did not load. */
export const nativeUnavailableReason: string | null = 'not running in Node.js';

/**
 * The native backend: null, as there is no addon outside Node.js.
 *
 * @example
 * ```ts
 * import { nativeBackend, setBackend } from '@gd/tensor';
 * if (nativeBackend) setBackend('native');
 * ```
 */
export const nativeBackend: Backend | null = null;

/**
 * The number of threads the native kernels use: 0, as there is no addon outside Node.js.
 *
 * @example
 * ```ts
 * nativeThreads(1); // 0 in a browser
 * ```
 */
export function nativeThreads(n?: number): number {
  void n;
  return 0;
}

/** The vector unit the addon was compiled for: null, as there is no addon outside Node.js. */
export function nativeSimd(): string | null {
  return null;
}
