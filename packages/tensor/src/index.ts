/**
 * @gd/tensor — N-d arrays with PyTorch's semantics: dtypes and promotion, broadcasting, views,
 * a seeded RNG that reproduces PyTorch's CPU streams, and kernels behind a backend boundary.
 *
 * @example
 * ```ts
 * import { manualSeed, randn, tensor } from '@gd/tensor';
 * manualSeed(42);
 * const X = randn([1000, 3]);
 * const w = tensor([1.0, -0.5, 0.25]);
 * const y = X.matmul(w).add(randn([1000]).mul(0.1));
 * console.log(y.shape); // [1000]
 * ```
 *
 * @packageDocumentation
 */
export { NDArray } from './ndarray.js';
export type {
  ClampArgs,
  ClampBound,
  GeluArgs,
  NestedArray,
  VarArgs,
  VarOptions,
} from './ndarray.js';
export { clampArgs, geluApproximate, maxMinArgs, recycleStorage, varArgs } from './ndarray.js';
export { ValuesIndices } from './result.js';
export type { SortArgs } from './ndarray.js';
export type { Composable, Level, SortOptions, TopkOptions } from './ops/composite.js';
export {
  diagWith,
  einsumWith,
  flipWith,
  meshgridWith,
  nanToNumWith,
  repeatInterleaveWith,
  rollWith,
  sortArgs,
  sortIndices,
  sortWith,
  topkArgs,
  topkWith,
  triangleWith,
} from './ops/composite.js';
export type { BincountOptions, UniqueOptions, UniqueResult } from './ops/counting.js';
export type { ArgKind, ArrayKinds, ExtraKinds, ParamSig, SignatureRow } from './signatures.js';
export {
  BASE_KINDS,
  CHECKED_IN_BODY,
  METHOD_SIGNATURES,
  addSignatures,
  checkArgs,
  checkOptionsSchema,
  checkRow,
  installChecks,
  signature,
} from './signatures.js';
export type { Bounds, Dims, ReduceArgs, ReduceOptions } from './check.js';
export {
  check,
  describe,
  isAutogradTensor,
  isOptionsObject,
  positionalOrOptions,
  reduceArgs,
  reduceOneDimArgs,
} from './check.js';
export { Storage, hostAsync, setAsyncHostAccessHook, setHostAccessHook } from './storage.js';
export type { DType, DTypeLike, TypedArray, TypedArrayFor, PromotionOperand } from './dtype.js';
export {
  DTYPES,
  DEFAULT_FLOAT_DTYPE,
  DEFAULT_INT_DTYPE,
  canCast,
  dtypeByteSize,
  isFloatingDType,
  promoteTypes,
  resultType,
  toDType,
  typedArrayConstructor,
} from './dtype.js';
export type { Shape, ShapeLike } from './shape.js';
export {
  broadcastShapes,
  contiguousStrides,
  formatShape,
  normalizeDim,
  shapesEqual,
} from './shape.js';
export type { Backend, Conv2dGeometry, StridedArray } from './backend/backend.js';
export {
  cpuBackend,
  findBackend,
  getBackend,
  listBackends,
  registerBackend,
  setBackend,
  emptyCache,
  synchronize,
  synchronizeAsync,
} from './backend/backend.js';
export { referenceBackend } from './backend/reference/index.js';
export { nativeBackend, nativeSimd, nativeThreads } from './backend/native/index.js';
export type { WasmOptions } from './backend/wasm/index.js';
export { initWasm, wasmBackend, wasmThreads } from './backend/wasm/index.js';
export type { WasmSource } from './backend/wasm/source.js';
export type { WebGpuBackend, WebGpuLimits, WebGpuOptions } from './backend/webgpu/index.js';
export { initWebGpu, webgpuBackend } from './backend/webgpu/index.js';
export {
  BINARY_OPS,
  BINARY_REGISTRY,
  GENERATED_UNARY_OPS,
  GRAD_REGISTRY,
  UNARY_OPS,
  UNARY_REGISTRY,
  binaryEntry,
  binaryFormula,
  gradKernelOf,
  unaryEntry,
  unaryFormula,
} from './ops/registry/elementwise.js';
export type {
  BinaryEntry,
  BinaryOp,
  GeneratedUnary,
  GeneratedUnaryOp,
  GradEntry,
  GradOp,
  KernelBinaryEntry,
  KernelBinaryOp,
  ParamSpec,
  ReduceOp,
  UnaryEntry,
  UnaryOp,
} from './ops/registry/elementwise.js';
/** `formula`: the small expression language of the op registry's formulas (see {@link UNARY_REGISTRY}). */
export * as formula from './ops/registry/formula.js';
export { resolveParams } from './ops/registry/params.js';
export type { GeneratedUnaryMethods, OpArgs } from './ops/registry/params.js';
export type { TensorLike } from './ops/elementwise.js';
export { gradKernel, where } from './ops/elementwise.js';
export type { CreateOptions, TensorData } from './ops/create.js';
export {
  arange,
  empty,
  emptyLike,
  eye,
  fromTypedArray,
  full,
  fullLike,
  linspace,
  ones,
  onesLike,
  tensor,
  zeros,
  zerosLike,
} from './ops/create.js';
export type { RandomOptions } from './ops/random.js';
export {
  bernoulli,
  normal,
  rand,
  randLike,
  randint,
  randn,
  randnLike,
  randperm,
} from './ops/random.js';
export { Generator, defaultGenerator, manualSeed } from './random/generator.js';
export { cat, chunk, split, stack } from './ops/join.js';
export type { IndexList, IndexSpec, Slice } from './ops/indexing.js';
export { normalizeSpecs } from './ops/indexing.js';
export { addmm, matmul } from './ops/linalg.js';
export { adamStep_, sgdStep_ } from './ops/optim.js';
export type { AdamStepConfig, SgdStepConfig } from './ops/optim.js';
export { layerNorm, layerNormBackward } from './ops/layer-norm.js';
export type { LayerNormGrads, LayerNormResult } from './ops/layer-norm.js';
export type { AvgPool2dOptions, Conv2dOptions, Pair, Pool2dOptions } from './ops/conv.js';
export {
  avgPool2d,
  avgPool2dBackward,
  conv2d,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  conv2dOutputShape,
  maxPool2d,
  maxPool2dBackward,
  maxPool2dWithIndices,
} from './ops/conv.js';
export type { FoldOptions } from './ops/fold.js';
export { fold, unfold } from './ops/fold.js';
export type { PrintOptions } from './format.js';
export { formatTensor, getPrintOptions, setPrintOptions } from './format.js';
