/**
 * The contract between the fast backends' shared dispatch layer ({@link createFastBackend}) and
 * their kernels (the native addon or the WebAssembly module). Scalar arguments travel through
 * `params`, a Float64Array the kernels read directly (its layout is `SLOT` in abi.ts); typed
 * arrays are passed as they are. Every kernel returns false when it does not handle the op or
 * the dtypes it was given, and then it has written nothing: the dispatcher falls back to the
 * reference backend.
 */

/** A typed array a fast kernel may see. */
export type KernelArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** The op names a kernel binary implements, by code ('' for a code it lacks). */
export interface KernelTables {
  readonly unary: readonly string[];
  readonly binary: readonly string[];
}

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
  /** The binary's own op tables: the only source of the codes the dispatcher sends. */
  readonly tables: KernelTables;
  /**
   * Whether unary, binary, where and copy walk two more loop levels outside the 2-d nest
   * (slots `outerLoops`), so a 4-d strided loop is one call.
   */
  readonly outerLoops?: boolean;
  /** Whether gemm takes a batch nest (slots `gemmBatches`, `gemmInnerBatches` and their strides) in one call. */
  readonly batchedGemm?: boolean;
  gemm(a: Float32Array, b: Float32Array, out: Float32Array): boolean;
  /** Adam's update in place (slots `adam*`; maxExpAvgSq a placeholder without amsgrad). */
  adamStep?(
    param: KernelArray,
    grad: KernelArray,
    expAvg: KernelArray,
    expAvgSq: KernelArray,
    maxExpAvgSq: KernelArray,
  ): boolean;
  /** SGD's update in place (slots `sgd*`; momentumBuffer a placeholder without momentum). */
  sgdStep?(param: KernelArray, grad: KernelArray, momentumBuffer: KernelArray): boolean;
  /** Layer norm (slots n0, n1: rows, d; `normEps`, `normHasWeight`, `normHasBias`). */
  layerNorm?(
    x: KernelArray,
    weight: KernelArray,
    bias: KernelArray,
    out: KernelArray,
    mean: KernelArray,
    rstd: KernelArray,
  ): boolean;
  /** Its gradients (slots as the forward's, plus `normNeedDx/Weight/Bias`). */
  layerNormBackward?(
    grad: KernelArray,
    x: KernelArray,
    mean: KernelArray,
    rstd: KernelArray,
    weight: KernelArray,
    dx: KernelArray,
    dWeight: KernelArray,
    dBias: KernelArray,
  ): boolean;
  /** The LSTM cell (slots n0, n1: N, H; views 0 and 1: gates, c; hc and act contiguous). */
  lstmCell?(gates: KernelArray, c: KernelArray, hc: KernelArray, act: KernelArray): boolean;
  /** Its gradients (view 2: c; grad, act, hc, dGates, dc contiguous). */
  lstmCellBackward?(
    grad: KernelArray,
    act: KernelArray,
    c: KernelArray,
    hc: KernelArray,
    dGates: KernelArray,
    dc: KernelArray,
  ): boolean;
  /** Bernoulli sampling from an engine's state (threshold in slot `bernoulliThreshold`). */
  mtBernoulli?(words: Int32Array, counters: Int32Array, out: KernelArray): boolean;
  binary(a: KernelArray, b: KernelArray, out: KernelArray): boolean;
  unary(x: KernelArray, out: KernelArray): boolean;
  where(cond: KernelArray, a: KernelArray, b: KernelArray, out: KernelArray): boolean;
  copy(x: KernelArray, out: KernelArray): boolean;
  reduce(x: KernelArray, out: KernelArray): boolean;
  softmax(x: KernelArray, out: KernelArray): boolean;
  /**
   * Gather / scatter along a dim (optional): views index (int32), values, line base, then
   * `indexStep`, `indexSize`, `indexAccumulate`. False (nothing written) for an index out of
   * range.
   */
  readonly gather?: (index: KernelArray, values: KernelArray, line: KernelArray) => boolean;
  readonly scatter?: (index: KernelArray, values: KernelArray, line: KernelArray) => boolean;
  /**
   * Convolution and pooling (optional: a backend without them uses the reference kernels).
   * Layout: 4-d views at `convIn`, `convOut` (and `convIndices`), geometry pairs, a flag.
   */
  readonly im2col?: (x: KernelArray, cols: KernelArray) => boolean;
  /**
   * Fused convolution, float32 (optional): views `convIn` (x) and `convOut` (out), convFlag =
   * has bias (else bias is a placeholder).
   */
  readonly conv2d?: (
    x: KernelArray,
    weight: KernelArray,
    bias: KernelArray,
    out: KernelArray,
  ) => boolean;
  /** Its input gradient: views `convIn` (gradOut) and `convOut` (out). */
  readonly conv2dBackwardInput?: (
    gradOut: KernelArray,
    weight: KernelArray,
    out: KernelArray,
  ) => boolean;
  /** Its weight gradient: views `convIn` (x) and `convOut` (gradOut); dWeight contiguous. */
  readonly conv2dBackwardWeight?: (
    gradOut: KernelArray,
    x: KernelArray,
    dWeight: KernelArray,
  ) => boolean;
  readonly col2im?: (cols: KernelArray, out: KernelArray) => boolean;
  readonly maxPool2d?: (x: KernelArray, out: KernelArray, indices: KernelArray) => boolean;
  /** Max pooling's gradient: views `convIn` (gradOut), `convIndices`, `convOut` (out). */
  readonly maxPool2dBackward?: (
    gradOut: KernelArray,
    indices: KernelArray,
    out: KernelArray,
  ) => boolean;
  readonly avgPool2d?: (x: KernelArray, out: KernelArray) => boolean;
  readonly avgPool2dBackward?: (gradOut: KernelArray, out: KernelArray) => boolean;
}

/** Reads a comma-separated table embedded in a kernel binary. */
export function parseTable(text: string): string[] {
  return text.split(',');
}
