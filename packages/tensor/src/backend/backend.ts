/**
 * The backend boundary: every kernel gd runs goes through this interface, so a faster backend
 * (WebAssembly, native) can replace the reference TypeScript one without touching the ops.
 *
 * Kernels see plain strided views ({@link StridedArray}). Shapes are already checked and
 * broadcast by the op layer: a broadcast operand arrives with stride 0 on its broadcast dims,
 * and outputs are allocated by the caller (contiguous unless the op writes in place).
 */
import type { DType, TypedArray } from '../dtype.js';
import type { KernelBinaryOp, ReduceOp, UnaryOp } from '../ops/registry/elementwise.js';
import type { AdamStepConfig, SgdStepConfig } from './reference/optim.js';

/** A strided view of a typed array: element `[i, j, ...]` is at `offset + i*strides[0] + ...`. */
export interface StridedArray {
  /** The storage the view reads. */
  readonly data: TypedArray;
  /** Size of each dim. */
  readonly shape: readonly number[];
  /** Elements to step in `data` per index of each dim (0 along a broadcast dim). */
  readonly strides: readonly number[];
  /** Position in `data` of element [0, 0, ...]. */
  readonly offset: number;
}

/** Geometry of a 2-d convolution or pooling window, as PyTorch names it. */
export interface Conv2dGeometry {
  /** The window's [height, width]. */
  readonly kernel: readonly [number, number];
  /** Step of the window, [down, across]. */
  readonly stride: readonly [number, number];
  /** Padding on each side, [rows, columns]. */
  readonly padding: readonly [number, number];
  /** Spacing between window elements, [down, across]. */
  readonly dilation: readonly [number, number];
}

/**
 * The kernels a backend provides. All of them are synchronous and write into `out`.
 *
 * @example
 * ```ts
 * import { getBackend } from '@gd/tensor';
 * console.log(getBackend().name); // 'reference'
 * ```
 */
export interface Backend {
  /** A short name, e.g. `'reference'` or `'wasm'`. */
  readonly name: string;
  /**
   * True for a backend whose arrays live on a device (WebGPU): host code reads them through
   * `Storage.data`, which brings them back first.
   */
  readonly device?: boolean;
  /**
   * Called by {@link setBackend} before the backend becomes the active one: a device backend
   * connects to its device here, and throws if there is none.
   */
  activate?(): void;
  /**
   * How far this backend's float32 results may be from correctly rounded ones (relative), where
   * that is looser than float32 rounding: GPU math functions, sums and products accumulated in
   * float32. Undefined for the CPU backends, whose float32 sums and elementwise ops accumulate
   * in float64 (their matrix products accumulate in float32, as BLAS does).
   */
  readonly float32Tolerance?: number;
  /** Blocks until the device has run every queued kernel (device backends). */
  synchronize?(): void;
  /** Resolves when the device has run every queued kernel (device backends). */
  synchronizeAsync?(): Promise<void>;
  /**
   * Bernoulli samples into `out`, drawn from an mt19937 engine (its 624 state `words` and its
   * `counters`, PyTorch's `left` and `next`) as PyTorch's CPU kernel draws them for a scalar
   * probability: two 32-bit outputs per element, 1 where their 53-bit integer is below
   * `threshold` (p * 2^53). Advances the words and counters as the engine would. False, having
   * drawn nothing, where the backend leaves it to the engine (TypeScript).
   */
  mtBernoulli?(
    words: Int32Array,
    counters: Int32Array,
    out: TypedArray,
    threshold: number,
  ): boolean;
  /** A zero-filled buffer for `size` elements of `dtype`. */
  alloc(dtype: DType, size: number): TypedArray;
  /**
   * A buffer whose contents are unspecified, for an output a kernel writes in full (skips
   * zero-filling large buffers every step). Backends without it use {@link Backend.alloc}.
   */
  allocUninitialized?(dtype: DType, size: number): TypedArray;
  /**
   * Takes back a buffer that no tensor will read or write again, so that a later
   * {@link Backend.allocUninitialized} of the same dtype and size can hand it out instead of
   * asking the allocator (and the garbage collector) for new memory. The backend may keep or
   * drop it.
   */
  recycle?(data: TypedArray): void;
  /** Lets go of the buffers {@link Backend.recycle} keeps, leaving them to the garbage collector. */
  emptyCache?(): void;
  /** `out[i] = op(x[i], p0, p1)` over `out.shape`; x has the same shape. */
  unary(op: UnaryOp, x: StridedArray, out: StridedArray, p0: number, p1: number): void;
  /** `out[i] = op(a[i], b[i], p)`; a and b are broadcast to `out.shape` (stride 0). */
  binary(op: KernelBinaryOp, a: StridedArray, b: StridedArray, out: StridedArray, p: number): void;
  /** `out[i] = cond[i] ? a[i] : b[i]`, all broadcast to `out.shape`. */
  where(cond: StridedArray, a: StridedArray, b: StridedArray, out: StridedArray): void;
  /** Copies `src` into `dst` (same shape; src may be broadcast), converting dtypes. */
  copy(src: StridedArray, dst: StridedArray): void;
  /** Sets every element of `dst` to `value`. */
  fill(dst: StridedArray, value: number): void;
  /**
   * Reduces `x` over `dims` into `out`, whose shape is x's with those dims set to 1.
   * `max`/`min` propagate NaN; `logsumexp` is computed stably.
   */
  reduce(op: ReduceOp, x: StridedArray, dims: readonly number[], out: StridedArray): void;
  /**
   * Max or min along `dim` with the index of the first extreme element (NaN counts as the
   * extreme). `values` and `indices` have x's shape with `dim` set to 1.
   */
  argReduce(
    op: 'max' | 'min',
    x: StridedArray,
    dim: number,
    values: StridedArray | null,
    indices: StridedArray,
  ): void;
  /** Softmax (or log-softmax) along `dim`, numerically stable. */
  softmax(x: StridedArray, dim: number, out: StridedArray, log: boolean): void;
  /**
   * Batched matrix product: a is `[...batch, M, K]`, b is `[...batch, K, N]` (batch dims
   * already broadcast, any strides, so transposed operands need no copy), out is
   * `[...batch, M, N]` and contiguous.
   */
  matmul(a: StridedArray, b: StridedArray, out: StridedArray): void;
  /** `out[...] = x[... index[...] ...]` along `dim` (torch.gather); index is int32. */
  gather(x: StridedArray, dim: number, index: StridedArray, out: StridedArray): void;
  /**
   * Scatters `src` into `out` along `dim` at `index` (torch.scatter_); with `accumulate`, adds
   * instead of overwriting (scatter_add_). `out` already holds the base values.
   */
  scatter(
    out: StridedArray,
    dim: number,
    index: StridedArray,
    src: StridedArray,
    accumulate: boolean,
  ): void;
  /**
   * Unfolds image patches: x `[N, C, H, W]` into cols `[N, C*kh*kw, outH*outW]`
   * (the im2col that turns convolution into matmul).
   */
  im2col(x: StridedArray, geometry: Conv2dGeometry, cols: StridedArray): void;
  /** The adjoint of {@link Backend.im2col}: sums cols `[N, C*kh*kw, L]` back into x `[N, C, H, W]`. */
  col2im(cols: StridedArray, geometry: Conv2dGeometry, out: StridedArray): void;
  /**
   * 2-d convolution (one group) of x `[N, C, H, W]` with weight `[O, C, kh, kw]` plus bias `[O]`
   * (or null) into contiguous out `[N, O, oh, ow]`, without materialising im2col's column
   * matrix. Returns false, having written nothing, for arrays it does not handle (dtype,
   * layout); the caller then composes im2col and matmul, as it does for a backend without it.
   */
  conv2d?(
    x: StridedArray,
    weight: StridedArray,
    bias: StridedArray | null,
    geometry: Conv2dGeometry,
    out: StridedArray,
  ): boolean;
  /**
   * The gradient of {@link Backend.conv2d} with respect to its input: from contiguous gradOut
   * `[N, O, oh, ow]` and the weight into contiguous out `[N, C, H, W]` (written, not
   * accumulated). False as for conv2d.
   */
  conv2dBackwardInput?(
    gradOut: StridedArray,
    weight: StridedArray,
    geometry: Conv2dGeometry,
    out: StridedArray,
  ): boolean;
  /**
   * The gradient of {@link Backend.conv2d} with respect to its weight: from contiguous gradOut
   * `[N, O, oh, ow]` and the input x into contiguous out `[O, C, kh, kw]`, with the same
   * result for any thread count. False as for conv2d.
   */
  conv2dBackwardWeight?(
    gradOut: StridedArray,
    x: StridedArray,
    geometry: Conv2dGeometry,
    out: StridedArray,
  ): boolean;
  /**
   * 2-d max pooling over x `[N, C, H, W]` (padding counts as -Infinity). `indices` receives the
   * flat `h*W + w` position of each maximum within its plane, as PyTorch returns them.
   */
  maxPool2d(
    x: StridedArray,
    geometry: Conv2dGeometry,
    out: StridedArray,
    indices: StridedArray,
  ): void;
  /**
   * Max pooling's gradient: each of gradOut `[N, C, oh, ow]` added at its window's maximum
   * (`indices`, as {@link Backend.maxPool2d} wrote them) in out `[N, C, H, W]` (contiguous
   * planes), every other element zero. Returns false, having written nothing, for arrays it does
   * not handle or an index out of range; the caller then scatter-adds into zeros.
   */
  maxPool2dBackward?(gradOut: StridedArray, indices: StridedArray, out: StridedArray): boolean;
  /**
   * One Adam/AdamW update in place over whole contiguous arrays of one length: the parameter,
   * its gradient and the moment buffers (maxExpAvgSq for amsgrad, else null). A backend without
   * it leaves the update to elementwise ops.
   */
  adamStep?(
    param: TypedArray,
    grad: TypedArray,
    expAvg: TypedArray,
    expAvgSq: TypedArray,
    maxExpAvgSq: TypedArray | null,
    config: AdamStepConfig,
  ): void;
  /**
   * One SGD update in place over whole contiguous arrays of one length: the parameter, its
   * gradient and the momentum buffer (null without momentum), with the same bits as the update
   * written with elementwise ops. A backend without it leaves the update to elementwise ops.
   */
  sgdStep?(
    param: TypedArray,
    grad: TypedArray,
    momentumBuffer: TypedArray | null,
    config: SgdStepConfig,
  ): void;
  /**
   * Layer normalisation of contiguous rows x `[rows, d]` into out, with each row's mean and
   * rstd = 1/sqrt(biased variance + eps) written to `[rows]` arrays; weight and bias `[d]` or
   * null. A backend without it gets the normalisation composed of elementwise ops and reductions.
   */
  layerNorm?(
    x: StridedArray,
    weight: StridedArray | null,
    bias: StridedArray | null,
    eps: number,
    out: StridedArray,
    mean: StridedArray,
    rstd: StridedArray,
  ): void;
  /**
   * The gradients of {@link Backend.layerNorm}: dx `[rows, d]`, dWeight and dBias `[d]` (each
   * only where given), from grad, x, mean and rstd (all contiguous).
   */
  layerNormBackward?(
    grad: StridedArray,
    x: StridedArray,
    mean: StridedArray,
    rstd: StridedArray,
    weight: StridedArray | null,
    dx: StridedArray | null,
    dWeight: StridedArray | null,
    dBias: StridedArray | null,
  ): void;
  /**
   * The LSTM cell's pointwise part: gates `[N, 4H]` (i, f, g, o pre-activations) and the cell
   * state c `[N, H]` (row stride 0: one state broadcast over the batch) into hc `[N, 2H]` =
   * [h1 | c1] and act `[N, 4H]`, the activated gates (both contiguous). A backend without it
   * gets the cell composed of elementwise ops.
   */
  lstmCell?(gates: StridedArray, c: StridedArray, hc: StridedArray, act: StridedArray): void;
  /**
   * The gradients of {@link Backend.lstmCell}: grad `[N, 2H]`, act and hc contiguous, c as in
   * the forward; writes dGates `[N, 4H]` and dc `[N, H]` (per row), contiguous.
   */
  lstmCellBackward?(
    grad: StridedArray,
    act: StridedArray,
    c: StridedArray,
    hc: StridedArray,
    dGates: StridedArray,
    dc: StridedArray,
  ): void;
  /** 2-d average pooling; with `countIncludePad`, padded zeros count in the divisor. */
  avgPool2d(
    x: StridedArray,
    geometry: Conv2dGeometry,
    out: StridedArray,
    countIncludePad: boolean,
  ): void;
  /** The gradient of {@link Backend.avgPool2d}: spreads gradOut `[N, C, oh, ow]` into out `[N, C, H, W]`. */
  avgPool2dBackward(
    gradOut: StridedArray,
    geometry: Conv2dGeometry,
    out: StridedArray,
    countIncludePad: boolean,
  ): void;
}

let current: Backend | undefined;
const registry = new Map<string, { backend: Backend; priority: number }>();
// Why a known backend is not registered here (named in setBackend's error).
const unavailable = new Map<string, string>();

/**
 * Records why the backend `name` is not available (kernels not found, no WebAssembly, ...), so
 * that {@link setBackend} can say so and what to do; a later {@link registerBackend} clears it.
 *
 * @example
 * ```ts
 * markUnavailable('wasm', 'kernels not found at http://x/k.wasm (HTTP 404); call initWasm');
 * ```
 */
export function markUnavailable(name: string, reason: string): void {
  unavailable.set(name, reason);
}

/**
 * Registers a backend under its name. The highest-priority registered backend becomes the
 * active one unless {@link setBackend} picked one explicitly.
 *
 * @example
 * ```ts
 * registerBackend(myWasmBackend, 10); // preferred over the reference backend (priority 0)
 * ```
 */
export function registerBackend(backend: Backend, priority = 0): void {
  registry.set(backend.name, { backend, priority });
  unavailable.delete(backend.name);
}

/** The names of the registered backends, highest priority first. */
export function listBackends(): string[] {
  return [...registry.entries()]
    .sort((a, b) => b[1].priority - a[1].priority)
    .map(([name]) => name);
}

/** The active backend, or undefined while none is registered (a Generator used on its own). */
export function activeBackend(): Backend | undefined {
  return current ?? (registry.size > 0 ? getBackend() : undefined);
}

/**
 * Makes the named backend the one every op uses from now on.
 *
 * @example
 * ```ts
 * setBackend('reference');
 * ```
 */
export function setBackend(name: string): Backend {
  const entry = registry.get(name);
  if (!entry) {
    const why = unavailable.get(name);
    throw new Error(
      why
        ? `the ${name} backend is not available: ${why}`
        : `no backend named ${JSON.stringify(name)}; registered: ${listBackends().join(', ') || 'none'}`,
    );
  }
  if (entry.backend === current) return current;
  entry.backend.activate?.();
  current = entry.backend;
  return current;
}

/**
 * The registered backend of that name, if any (without making it the active one).
 *
 * @example
 * ```ts
 * findBackend('wasm')?.name; // 'wasm' where WebAssembly is available
 * ```
 */
export function findBackend(name: string): Backend | undefined {
  return registry.get(name)?.backend;
}

/**
 * The highest-priority registered backend whose arrays live on the host: where a device
 * backend runs what its device does not.
 *
 * @example
 * ```ts
 * cpuBackend().name; // 'native', 'wasm' or 'reference'
 * ```
 */
export function cpuBackend(): Backend {
  for (const name of listBackends()) {
    const b = registry.get(name)!.backend;
    if (!b.device) return b;
  }
  throw new Error('no CPU backend is registered');
}

/**
 * The backend ops run on.
 *
 * @example
 * ```ts
 * getBackend().name; // 'reference'
 * ```
 */
export function getBackend(): Backend {
  if (current) return current;
  const [best] = listBackends();
  if (best === undefined) throw new Error('no backend is registered');
  current = registry.get(best)!.backend;
  return current;
}

/**
 * Waits until the active backend has finished every queued kernel, as
 * `torch.cuda.synchronize()`: on the CPU backends kernels finish as they are called and this
 * returns at once; on WebGPU it blocks until the GPU is done (time GPU work with it).
 *
 * @example
 * ```ts
 * const t0 = performance.now();
 * a.matmul(b);
 * synchronize();
 * console.log(performance.now() - t0, 'ms');
 * ```
 */
export function synchronize(): void {
  getBackend().synchronize?.();
}

/**
 * Lets go of the memory that backends keep for reuse (the native backend pools the buffers of
 * gradients a backward pass has consumed, up to 128 MB), as PyTorch's
 * `torch.cuda.empty_cache()` does for its caching allocator. Training reuses that memory step
 * after step; call this when a long-lived process is done training.
 *
 * @example
 * ```ts
 * trainModel();
 * emptyCache(); // the pooled buffers go to the garbage collector
 * ```
 */
export function emptyCache(): void {
  for (const { backend } of registry.values()) backend.emptyCache?.();
}

/**
 * {@link synchronize} without blocking the thread (a browser's main thread).
 *
 * @example
 * ```ts
 * await synchronizeAsync();
 * ```
 */
export async function synchronizeAsync(): Promise<void> {
  await getBackend().synchronizeAsync?.();
}
