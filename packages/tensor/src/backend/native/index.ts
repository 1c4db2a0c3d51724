/**
 * The native backend: an N-API addon (packages/tensor/native, built at install with the
 * machine's C++ compiler) with vectorised, multi-threaded float kernels. Node only; where the
 * addon is missing (no compiler, a browser, GD_NATIVE=0) nothing is registered and the
 * WebAssembly backend serves instead.
 */
import type * as NodeModule from 'node:module';
import type { Backend } from '../backend.js';
import { allocUninitialized, emptyBufferPool, recycle } from './buffer-pool.js';
import { registerBackend } from '../backend.js';
import { createFastBackend } from '../fast/backend.js';
import { BACKEND_CORE } from '../core.js';
import type { FastKernels } from '../fast/kernels.js';
import { parseTable } from '../fast/kernels.js';
import { PARAMS_LENGTH } from '../fast/abi.js';

interface Addon extends Required<
  Omit<FastKernels, 'params' | 'tables' | 'batchedGemm' | 'outerLoops'>
> {
  setParams(params: Float64Array): void;
  tables(): { unary: string; binary: string };
  threads(n?: number): number;
  simd(): string;
}

/** Why the addon did not load, or null when it did. */
export let nativeUnavailableReason: string | null = null;

async function loadAddon(): Promise<Addon | null> {
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  if (!proc?.versions?.node) {
    nativeUnavailableReason = 'not running in Node.js';
    return null;
  }
  if (proc.env.GD_NATIVE === '0') {
    nativeUnavailableReason = 'disabled by GD_NATIVE=0';
    return null;
  }
  try {
    // A variable specifier keeps bundlers for the browser from resolving node:module.
    const specifier = 'node:module';
    const { createRequire } = (await import(/* @vite-ignore */ specifier)) as typeof NodeModule;
    const require = createRequire(import.meta.url);
    // src/backend/native and dist/backend/native are both three levels below the package root.
    return require('../../../build/gd_native.node') as Addon;
  } catch (e) {
    nativeUnavailableReason = `addon not built (${(e as Error).message.split('\n')[0]})`;
    return null;
  }
}

const addon = await loadAddon();

function createNativeBackend(a: Addon): Backend {
  const params = new Float64Array(PARAMS_LENGTH);
  const tables = a.tables();
  a.setParams(params);
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  const threads = Number(proc?.env.GD_NUM_THREADS);
  if (threads > 0) a.threads(threads);
  const kernels: FastKernels = {
    params,
    tables: { unary: parseTable(tables.unary), binary: parseTable(tables.binary) },
    batchedGemm: true,
    outerLoops: true,
    gemm: a.gemm,
    binary: a.binary,
    unary: a.unary,
    where: a.where,
    copy: a.copy,
    reduce: a.reduce,
    softmax: a.softmax,
    gather: a.gather,
    scatter: a.scatter,
    im2col: a.im2col,
    col2im: a.col2im,
    conv2d: a.conv2d,
    conv2dBackwardInput: a.conv2dBackwardInput,
    conv2dBackwardWeight: a.conv2dBackwardWeight,
    maxPool2d: a.maxPool2d,
    maxPool2dBackward: a.maxPool2dBackward,
    avgPool2d: a.avgPool2d,
    avgPool2dBackward: a.avgPool2dBackward,
    mtBernoulli: a.mtBernoulli,
    adamStep: a.adamStep,
    sgdStep: a.sgdStep,
    layerNorm: a.layerNorm,
    layerNormBackward: a.layerNormBackward,
    lstmCell: a.lstmCell,
    lstmCellBackward: a.lstmCellBackward,
  };
  return createFastBackend(
    'native',
    kernels,
    {
      minElements: 64,
      minMatmul: 64,
      allocUninitialized,
      recycle,
      emptyCache: emptyBufferPool,
    },
    BACKEND_CORE,
  );
}

/**
 * The native backend, or null where its addon is not available.
 *
 * @example
 * ```ts
 * import { nativeBackend, setBackend } from '@gd/tensor';
 * if (nativeBackend) setBackend('native');
 * ```
 */
export const nativeBackend: Backend | null = addon ? createNativeBackend(addon) : null;

/**
 * Sets (and returns) the number of threads the native kernels use; without an argument,
 * returns it. 0 where the addon is not available.
 *
 * @example
 * ```ts
 * nativeThreads(1); // single-threaded kernels
 * ```
 */
export function nativeThreads(n?: number): number {
  if (!addon) return 0;
  return n === undefined ? addon.threads() : addon.threads(n);
}

/** The vector unit the addon was compiled for ('avx512', 'avx2', 'neon', ...), or null. */
export function nativeSimd(): string | null {
  return addon ? addon.simd() : null;
}

if (nativeBackend) registerBackend(nativeBackend, 20);
