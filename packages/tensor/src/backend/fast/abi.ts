/**
 * The calling convention between the fast backends' dispatch (TypeScript) and their kernels
 * (C++ and AssemblyScript): where each scalar goes in the shared `params` block and how dtypes
 * are numbered. Written here once; the build renders it into the kernels' generated sources.
 */

/** Slots of the params block (a Float64Array). A view is three slots: offset, stride0, stride1. */
export const SLOT = {
  /** The op code (unary, binary, reduce) or the log flag (softmax). */
  op: 0,
  /** The loop nest's two sizes (n0, n1); for reduce and softmax: lines and their length. */
  n0: 1,
  n1: 2,
  /** The first view; view j starts at `view + 3 * j`. */
  view: 3,
  /** Unary ops' two parameters, after two views. */
  unaryP0: 9,
  unaryP1: 10,
  /** A binary op's parameter, after three views. */
  binaryP: 12,
  /** GEMM: m n k | a(off rs cs) | b(off rs cs) | out(off ldc) | accumulate. */
  gemmM: 0,
  gemmN: 1,
  gemmK: 2,
  gemmA: 3,
  gemmB: 6,
  gemmOut: 9,
  gemmLdc: 10,
  gemmAccumulate: 11,
  /**
   * Batched GEMM (kernels that set `batchedGemm`): the products as an outer x inner nest, each
   * level's count and a, b, out's strides (inner count 1 for a single level).
   */
  gemmBatches: 12,
  gemmBatchA: 13,
  gemmBatchB: 14,
  gemmBatchOut: 15,
  gemmInnerBatches: 16,
  gemmInnerBatchA: 17,
  gemmInnerBatchB: 18,
  gemmInnerBatchOut: 19,
  /**
   * Convolution and pooling: 4-d views of 9 slots (sizes n c h w, strides, offset) for the
   * input, the output (or im2col's columns, 3-d) and max pooling's indices, then the geometry
   * as (h, w) pairs and a flag (average pooling's countIncludePad).
   */
  convIn: 0,
  convOut: 9,
  convIndices: 18,
  convKernel: 27,
  convStride: 29,
  convPadding: 31,
  convDilation: 33,
  convFlag: 35,
  /** Reduce: an outer reduced run (count, stride) after the two views; count 1 for none. */
  reduceOuter: 12,
  reduceOuterStride: 13,
  /** Gather/scatter: views index, values (out or src), line base (x or out) | step size accumulate. */
  indexStep: 12,
  indexSize: 13,
  indexAccumulate: 14,
  /** Layer norm: eps and which optional arrays are real (1) or placeholders (0). */
  normEps: 3,
  normHasWeight: 4,
  normHasBias: 5,
  normNeedDx: 6,
  normNeedWeight: 7,
  normNeedBias: 8,
  /** Adam: the arrays' length, the scalars, and flags (1 decoupled, 2 maximize, 4 amsgrad). */
  adamLength: 0,
  adamLr: 1,
  adamBeta1: 2,
  adamBeta2: 3,
  adamEps: 4,
  adamWeightDecay: 5,
  adamStep: 6,
  adamFlags: 7,
  /** SGD: the arrays' length, the scalars, flags (1 nesterov, 2 maximize, 4 first step, 8 momentum). */
  sgdLength: 0,
  sgdLr: 1,
  sgdMomentum: 2,
  sgdDampening: 3,
  sgdWeightDecay: 4,
  sgdFlags: 5,
  /** Bernoulli sampling: p * 2^53, the bound the 53-bit uniform integers are compared with. */
  bernoulliThreshold: 0,
  /**
   * Elementwise kernels of binaries that set `outerLoops`: two loop levels outside the 2-d nest,
   * outermost first, each a count then the four views' strides (count 1 for a level not used).
   */
  outerLoops: 36,
} as const;

/** Slot of view `j`'s offset (its strides follow). */
export const viewSlot = (j: number): number => SLOT.view + 3 * j;

/** Dtype numbers the kernels see. */
export const DTYPE_CODE = { float32: 0, float64: 1, int32: 2, bool: 3 } as const;

/** Reduction codes (`reduce`'s op slot). */
export const REDUCE_CODE = { sum: 0, max: 1, min: 2 } as const;

/** Size of the params block. */
export const PARAMS_LENGTH = 48;
