/**
 * The contract between the fast backends' shared dispatch layer ({@link createFastBackend}) and
 * their kernels (the native addon or the WebAssembly module). Scalar arguments travel through
 * `params`, a Float64Array the kernels read directly; typed arrays are passed as they are.
 * Every kernel returns false when it does not handle the dtypes it was given, and then it has
 * written nothing: the dispatcher falls back to the reference backend.
 */
import type { BinaryOp, ReduceOp, UnaryOp } from '../../ops/elementwise-table.js';

/** A typed array a fast kernel may see. */
export type KernelArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/**
 * Kernels over ≤2-d loop nests. Layouts of `params` (one view = offset, stride0, stride1):
 * - gemm: m n k | a: off rowStride colStride | b: off rowStride colStride | out: off ldc | accumulate
 * - binary: op n0 n1 | a | b | out | alpha
 * - unary: op n0 n1 | x | out | p0 p1
 * - where: 0 n0 n1 | cond | a | b | out
 * - copy: 0 n0 n1 | x | out
 * - reduce: op np nr | x: off pStride rStride | out: off pStride 0
 * - softmax: log np len | x: off lineStride elemStride | out: same
 */
export interface FastKernels {
  readonly params: Float64Array;
  gemm(a: Float32Array, b: Float32Array, out: Float32Array): boolean;
  binary(a: KernelArray, b: KernelArray, out: KernelArray): boolean;
  unary(x: KernelArray, out: KernelArray): boolean;
  where(cond: KernelArray, a: KernelArray, b: KernelArray, out: KernelArray): boolean;
  copy(x: KernelArray, out: KernelArray): boolean;
  reduce(x: KernelArray, out: KernelArray): boolean;
  softmax(x: KernelArray, out: KernelArray): boolean;
}

/** Binary op codes the kernels implement (comparisons write bool). */
export const BINARY_CODES: Partial<Record<BinaryOp, number>> = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 4,
  minimum: 5,
  eq: 6,
  ne: 7,
  lt: 8,
  le: 9,
  gt: 10,
  ge: 11,
};

/** Unary op codes the kernels implement (float in, same float out). */
export const UNARY_CODES: Partial<Record<UnaryOp, number>> = {
  neg: 0,
  abs: 1,
  exp: 2,
  log: 3,
  sqrt: 4,
  relu: 5,
  sigmoid: 6,
  tanh: 7,
  square: 8,
  clamp: 9,
  leakyRelu: 10,
  reciprocal: 11,
  rsqrt: 12,
  log1p: 13,
  expm1: 14,
  sign: 15,
  silu: 16,
  softplus: 17,
  sin: 18,
  cos: 19,
};

/** Reduction op codes the kernels implement. */
export const REDUCE_CODES: Partial<Record<ReduceOp, number>> = { sum: 0, max: 1, min: 2 };
