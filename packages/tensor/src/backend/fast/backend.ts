/**
 * The dispatch layer shared by the fast backends (native and WebAssembly): it reduces every
 * strided operand to a loop nest of at most two dims, checks dtypes and sizes, and calls the
 * backend's kernels; whatever they do not cover (small tensors, int32 arithmetic, gathers,
 * pooling, ...) runs on the reference backend, which defines the results.
 */
import type { TypedArray } from '../../dtype.js';
import type { KernelBinaryOp, ReduceOp, UnaryOp } from '../../ops/registry/elementwise.js';
import type { Backend, Conv2dGeometry, StridedArray } from '../backend.js';
import type { AdamStepConfig, SgdStepConfig } from '../reference/optim.js';
import * as refRnn from '../reference/rnn.js';
import type { BackendCore } from '../core.js';
import type { FastKernels, KernelArray } from './kernels.js';
import { REDUCE_CODE, SLOT, viewSlot } from './abi.js';

/**
 * The reduced dims as an outer run and an inner run, each walking memory as one dim, with the
 * outer run's stride beyond the inner run's span (so reducing q-major, then r, is the reference
 * backend's memory order); [1, 0] as the outer run when all of them form one run.
 */
function reducedRuns(
  x: StridedArray,
  dims: readonly number[],
): [[number, number], [number, number]] | null {
  const whole = collapse(x.shape, x.strides, dims);
  if (whole) return [[1, 0], whole];
  for (let i = 1; i < dims.length; i++) {
    const q = collapse(x.shape, x.strides, dims.slice(0, i));
    const r = collapse(x.shape, x.strides, dims.slice(i));
    if (q && r && q[1] >= r[1] * r[0]) return [q, r];
  }
  return null;
}

/** Tuning of a fast backend's dispatch. */
export interface FastBackendOptions {
  /** Elementwise ops on fewer elements run on the reference backend (call overhead). */
  readonly minElements: number;
  /** Matrix products with fewer multiply-adds (m*n*k) run on the reference backend. */
  readonly minMatmul: number;
  /** The backend's {@link Backend.allocUninitialized}, where it has one. */
  readonly allocUninitialized?: Backend['allocUninitialized'];
  /** The backend's {@link Backend.recycle}, where it has one. */
  readonly recycle?: Backend['recycle'];
  /** The backend's {@link Backend.emptyCache}, where it has one. */
  readonly emptyCache?: Backend['emptyCache'];
}

const F32 = 1;
const F64 = 2;
const U8 = 4;
function kind(a: TypedArray): number {
  if (a instanceof Float32Array) return F32;
  if (a instanceof Float64Array) return F64;
  if (a instanceof Uint8Array) return U8;
  return 0;
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Whether a batched product is one tall product: B broadcast over the batch (stride 0), and A's
 * and the output's batch dims stepping exactly one M-row block (A's rows evenly spaced
 * throughout, the output contiguous).
 */
function rowsAcrossBatches(
  a: StridedArray,
  b: StridedArray,
  out: StridedArray,
  nd: number,
): boolean {
  if (nd < 3) return false;
  const m = out.shape[nd - 2]!;
  let aStep = a.strides[nd - 2]! * m;
  let outStep = out.strides[nd - 2]! * m;
  if (out.strides[nd - 1] !== 1 || out.strides[nd - 2] !== out.shape[nd - 1]) return false;
  for (let d = nd - 3; d >= 0; d--) {
    const size = out.shape[d]!;
    if (size === 1) continue;
    if (b.strides[d] !== 0 || a.strides[d] !== aStep || out.strides[d] !== outStep) return false;
    aStep *= size;
    outStep *= size;
  }
  return true;
}

function hasNegative(strides: readonly number[]): boolean {
  for (const s of strides) if (s < 0) return true;
  return false;
}

/** Op name -> code, from a kernel binary's own table. */
function codesOf(table: readonly string[]): Map<string, number> {
  const codes = new Map<string, number>();
  table.forEach((name, code) => {
    if (name !== '') codes.set(name, code);
  });
  return codes;
}

/** Views an elementwise kernel reads at most (where's cond, a, b, out). */
const MAX_VIEWS = 4;

// The reference backend's loop-nest reduction, from the core given to createFastBackend (the
// same function whichever fast backend sets it).
let coalesce: BackendCore['coalesce'];

/**
 * Runs `call` over the 2-d slabs of an elementwise loop nest: operand j's (offset, stride0,
 * stride1) go to view slot j, the nest's sizes to n0/n1. Kernels that walk `outerLevels` loop
 * levels themselves get the next dims out in the `outerLoops` slots; dims further out are
 * walked here, one call each. Returns false if the kernel declined (it then wrote nothing).
 */
function run2d(
  P: Float64Array,
  outerLevels: number,
  shape: readonly number[],
  strides: readonly (readonly number[])[],
  offsets: readonly number[],
  call: () => boolean,
): boolean {
  for (const s of strides) if (hasNegative(s)) return false;
  const nest = coalesce(shape, strides);
  const nd = nest.shape.length;
  const k = strides.length;
  const inKernel = Math.max(0, Math.min(outerLevels, nd - 2));
  const walked = Math.max(0, nd - 2 - inKernel);
  P[SLOT.n1] = nest.shape[nd - 1]!;
  P[SLOT.n0] = nd >= 2 ? nest.shape[nd - 2]! : 1;
  for (let j = 0; j < k; j++) {
    const st = nest.strides[j]!;
    P[viewSlot(j) + 1] = nd >= 2 ? st[nd - 2]! : 0;
    P[viewSlot(j) + 2] = st[nd - 1]!;
  }
  for (let level = 0; level < outerLevels; level++) {
    const at = SLOT.outerLoops + level * (1 + MAX_VIEWS);
    const d = walked + level - (outerLevels - inKernel);
    P[at] = d >= walked ? nest.shape[d]! : 1;
    for (let j = 0; j < MAX_VIEWS; j++) {
      P[at + 1 + j] = d >= walked && j < k ? nest.strides[j]![d]! : 0;
    }
  }
  if (walked === 0) {
    for (let j = 0; j < k; j++) P[viewSlot(j)] = offsets[j]!;
    return call();
  }
  // The dims outside those the kernel walks, one kernel call per slab.
  const idx = new Array<number>(walked).fill(0);
  const offs = Array.from(offsets);
  for (let first = true; ; first = false) {
    for (let j = 0; j < k; j++) P[viewSlot(j)] = offs[j]!;
    if (!call() && first) return false;
    let d = walked - 1;
    for (; d >= 0; d--) {
      idx[d]!++;
      for (let j = 0; j < k; j++) offs[j]! += nest.strides[j]![d]!;
      if (idx[d]! < nest.shape[d]!) break;
      for (let j = 0; j < k; j++) offs[j]! -= nest.strides[j]![d]! * nest.shape[d]!;
      idx[d] = 0;
    }
    if (d < 0) return true;
  }
}

// Contiguous in row-major order (size-1 dims ignored).
function isDense(x: StridedArray): boolean {
  let expect = 1;
  for (let d = x.shape.length - 1; d >= 0; d--) {
    const n = x.shape[d]!;
    if (n === 1) continue;
    if (x.strides[d] !== expect) return false;
    expect *= n;
  }
  return true;
}

// Merges `dims` (in order) into one (size, stride) if they walk memory as one dim.
function collapse(
  shape: readonly number[],
  strides: readonly number[],
  dims: readonly number[],
): [number, number] | null {
  let size = 1;
  let stride = 0;
  let last = -1;
  for (const d of dims) {
    const n = shape[d]!;
    if (n === 1) continue;
    if (last >= 0 && strides[last]! !== strides[d]! * n) return null;
    size *= n;
    stride = strides[d]!;
    last = d;
  }
  return [size, stride];
}

/**
 * A backend whose kernels are `kernels` where they apply and the reference backend elsewhere
 * (`core.reference`, whose allocator it uses).
 *
 * @example
 * ```ts
 * const options = { minElements: 64, minMatmul: 512 };
 * registerBackend(createFastBackend('native', addonKernels, options, BACKEND_CORE), 20);
 * ```
 */
export function createFastBackend(
  name: string,
  kernels: FastKernels,
  options: FastBackendOptions,
  core: BackendCore,
): Backend {
  const P = kernels.params;
  const { reference: ref, binaryEntry, lineStrides, contiguousStrides } = core;
  coalesce = core.coalesce;
  // The placeholder passed for an optional array a kernel is told (by a flag) not to read.
  const NONE = new Float32Array(0);
  // GD_KERNEL_MIN=1 sends even tiny tensors to the kernels (the conformance runs use it).
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  const forced = Number(proc?.env?.GD_KERNEL_MIN);
  const minElements = forced >= 0 ? forced : options.minElements;
  const minMatmul = forced >= 0 ? forced : options.minMatmul;
  // Loop levels outside the 2-d nest that the kernels walk themselves.
  const outerLevels = kernels.outerLoops ? 2 : 0;
  const unaryCodes = codesOf(kernels.tables.unary);
  const binaryCodes = codesOf(kernels.tables.binary);

  function unary(op: UnaryOp, x: StridedArray, out: StridedArray, p0: number, p1: number): void {
    const code = unaryCodes.get(op);
    const kx = kind(x.data);
    if (
      code === undefined ||
      (kx !== F32 && kx !== F64) ||
      kind(out.data) !== kx ||
      sizeOf(out.shape) < minElements
    ) {
      ref.unary(op, x, out, p0, p1);
      return;
    }
    P[SLOT.op] = code;
    P[SLOT.unaryP0] = p0;
    P[SLOT.unaryP1] = p1;
    const ok = run2d(
      P,
      outerLevels,
      out.shape,
      [x.strides, out.strides],
      [x.offset, out.offset],
      () => kernels.unary(x.data, out.data),
    );
    if (!ok) ref.unary(op, x, out, p0, p1);
  }

  function binary(
    op: KernelBinaryOp,
    a: StridedArray,
    b: StridedArray,
    out: StridedArray,
    p: number,
  ): void {
    const code = binaryCodes.get(op);
    const ka = kind(a.data);
    const kb = kind(b.data);
    const ko = kind(out.data);
    const cmp = binaryEntry(op).dtype === 'bool';
    const typesOk = cmp
      ? ko === U8 && ka === kb && (ka === F32 || ka === F64)
      : (ko === F32 && (ka | kb) === F32) ||
        (ko === F32 && (ka | kb) === (F32 | U8)) ||
        (ko === F64 && ka === F64 && kb === F64);
    if (code === undefined || !typesOk || sizeOf(out.shape) < minElements) {
      ref.binary(op, a, b, out, p);
      return;
    }
    P[SLOT.op] = code;
    P[SLOT.binaryP] = p;
    const ok = run2d(
      P,
      outerLevels,
      out.shape,
      [a.strides, b.strides, out.strides],
      [a.offset, b.offset, out.offset],
      () => kernels.binary(a.data, b.data, out.data),
    );
    if (!ok) ref.binary(op, a, b, out, p);
  }

  function where(cond: StridedArray, a: StridedArray, b: StridedArray, out: StridedArray): void {
    const ko = kind(out.data);
    if (
      kind(cond.data) !== U8 ||
      (ko !== F32 && ko !== F64) ||
      kind(a.data) !== ko ||
      kind(b.data) !== ko ||
      sizeOf(out.shape) < minElements
    ) {
      ref.where(cond, a, b, out);
      return;
    }
    P[SLOT.op] = 0;
    const ok = run2d(
      P,
      outerLevels,
      out.shape,
      [cond.strides, a.strides, b.strides, out.strides],
      [cond.offset, a.offset, b.offset, out.offset],
      () => kernels.where(cond.data, a.data, b.data, out.data),
    );
    if (!ok) ref.where(cond, a, b, out);
  }

  function copy(src: StridedArray, dst: StridedArray): void {
    const ks = kind(src.data);
    const kd = kind(dst.data);
    // Same-dtype copies of contiguous data are one TypedArray.set in the reference backend.
    if (
      ks === 0 ||
      kd === 0 ||
      sizeOf(dst.shape) < minElements ||
      (src.data.constructor === dst.data.constructor && isDense(src) && isDense(dst))
    ) {
      ref.copy(src, dst);
      return;
    }
    P[SLOT.op] = 0;
    const ok = run2d(
      P,
      outerLevels,
      dst.shape,
      [src.strides, dst.strides],
      [src.offset, dst.offset],
      () => kernels.copy(src.data, dst.data),
    );
    if (!ok) ref.copy(src, dst);
  }

  function reduce(op: ReduceOp, x: StridedArray, dims: readonly number[], out: StridedArray): void {
    const code = op in REDUCE_CODE ? REDUCE_CODE[op as keyof typeof REDUCE_CODE] : undefined;
    const kx = kind(x.data);
    const n = sizeOf(x.shape);
    if (
      code === undefined ||
      (kx !== F32 && kx !== F64) ||
      kind(out.data) !== kx ||
      n < minElements ||
      hasNegative(x.strides)
    ) {
      ref.reduce(op, x, dims, out);
      return;
    }
    const kept: number[] = [];
    for (let d = 0; d < x.shape.length; d++) if (!dims.includes(d)) kept.push(d);
    const runs = reducedRuns(
      x,
      [...dims].sort((p, q) => p - q),
    );
    const k = collapse(x.shape, x.strides, kept);
    const o = collapse(out.shape, out.strides, kept);
    if (!runs || !k || !o) {
      ref.reduce(op, x, dims, out);
      return;
    }
    const [q, r] = runs;
    P[SLOT.reduceOuter] = q[0];
    P[SLOT.reduceOuterStride] = q[1];
    P[SLOT.op] = code;
    P[SLOT.n0] = k[0];
    P[SLOT.n1] = r[0];
    P[viewSlot(0)] = x.offset;
    P[viewSlot(0) + 1] = k[1];
    P[viewSlot(0) + 2] = r[1];
    P[viewSlot(1)] = out.offset;
    P[viewSlot(1) + 1] = o[1];
    P[viewSlot(1) + 2] = 0;
    if (!kernels.reduce(x.data, out.data)) ref.reduce(op, x, dims, out);
  }

  function softmax(x: StridedArray, dim: number, out: StridedArray, log: boolean): void {
    const kx = kind(x.data);
    const len = x.shape[dim]!;
    if (
      (kx !== F32 && kx !== F64) ||
      kind(out.data) !== kx ||
      sizeOf(x.shape) < minElements ||
      len === 0 ||
      hasNegative(x.strides) ||
      hasNegative(out.strides)
    ) {
      ref.softmax(x, dim, out, log);
      return;
    }
    const others: number[] = [];
    for (let d = 0; d < x.shape.length; d++) if (d !== dim) others.push(d);
    const xp = collapse(x.shape, x.strides, others);
    const op = collapse(out.shape, out.strides, others);
    if (!xp || !op) {
      ref.softmax(x, dim, out, log);
      return;
    }
    P[SLOT.op] = log ? 1 : 0;
    P[SLOT.n0] = xp[0];
    P[SLOT.n1] = len;
    P[viewSlot(0)] = x.offset;
    P[viewSlot(0) + 1] = xp[1];
    P[viewSlot(0) + 2] = x.strides[dim]!;
    P[viewSlot(1)] = out.offset;
    P[viewSlot(1) + 1] = op[1];
    P[viewSlot(1) + 2] = out.strides[dim]!;
    if (!kernels.softmax(x.data, out.data)) ref.softmax(x, dim, out, log);
  }

  function matmul(a: StridedArray, b: StridedArray, out: StridedArray): void {
    const nd = out.shape.length;
    const m = out.shape[nd - 2]!;
    const n = out.shape[nd - 1]!;
    const k = a.shape[nd - 1]!;
    if (
      !(a.data instanceof Float32Array) ||
      !(b.data instanceof Float32Array) ||
      !(out.data instanceof Float32Array) ||
      m * n * k < minMatmul ||
      hasNegative(a.strides) ||
      hasNegative(b.strides)
    ) {
      ref.matmul(a, b, out);
      return;
    }
    const batchShape = out.shape.slice(0, nd - 2);
    const batches = sizeOf(batchShape);
    // A batch of row blocks times one matrix (x [..., M, K] @ W for a Linear on 3-d input):
    // the blocks are the rows of one [batches·M, K] matrix, so one GEMM, not one per batch.
    // Each output element is the same dot product either way.
    const m1 = rowsAcrossBatches(a, b, out, nd) ? m * batches : m;
    P[SLOT.gemmM] = m1;
    P[SLOT.gemmN] = n;
    P[SLOT.gemmK] = k;
    P[SLOT.gemmA + 1] = a.strides[nd - 2]!;
    P[SLOT.gemmA + 2] = a.strides[nd - 1]!;
    P[SLOT.gemmB + 1] = b.strides[nd - 2]!;
    P[SLOT.gemmB + 2] = b.strides[nd - 1]!;
    P[SLOT.gemmLdc] = n;
    P[SLOT.gemmAccumulate] = 0;
    P[SLOT.gemmA] = a.offset;
    P[SLOT.gemmB] = b.offset;
    P[SLOT.gemmOut] = out.offset;
    if (m1 !== m) {
      gemmBatchNest([], []);
      kernels.gemm(a.data, b.data, out.data);
      return;
    }
    // Batch dims that walk memory as one or two levels (attention's [batch, heads] over a
    // [batch, seq, heads, dim] tensor) go to the kernels in one call, when they take batches.
    const batchNest = coalesce(batchShape, [
      a.strides.slice(0, nd - 2),
      b.strides.slice(0, nd - 2),
      contiguousStrides(batchShape).map((s) => s * m * n),
    ]);
    if (kernels.batchedGemm && batchNest.shape.length <= 2) {
      gemmBatchNest(batchNest.shape, batchNest.strides);
      kernels.gemm(a.data, b.data, out.data);
      return;
    }
    gemmBatchNest([], []);
    const idx = new Array<number>(batchShape.length).fill(0);
    for (let t = 0; t < batches; t++) {
      let aOff = a.offset;
      let bOff = b.offset;
      for (let d = 0; d < batchShape.length; d++) {
        aOff += idx[d]! * a.strides[d]!;
        bOff += idx[d]! * b.strides[d]!;
      }
      P[SLOT.gemmA] = aOff;
      P[SLOT.gemmB] = bOff;
      P[SLOT.gemmOut] = out.offset + t * m * n;
      kernels.gemm(a.data, b.data, out.data);
      for (let d = batchShape.length - 1; d >= 0; d--) {
        if (++idx[d]! < batchShape[d]!) break;
        idx[d] = 0;
      }
    }
  }

  // Writes a batch nest of at most two levels (sizes; strides per level as [a, b, out]) to the
  // GEMM's batch slots, outer level first; missing levels are one product.
  function gemmBatchNest(sizes: readonly number[], strides: readonly (readonly number[])[]): void {
    const level = (i: number, at: readonly number[]): void => {
      const d = sizes.length - 2 + i;
      const on = d >= 0;
      P[at[0]!] = on ? sizes[d]! : 1;
      for (let j = 0; j < 3; j++) P[at[j + 1]!] = on ? strides[j]![d]! : 0;
    };
    level(0, [SLOT.gemmBatches, SLOT.gemmBatchA, SLOT.gemmBatchB, SLOT.gemmBatchOut]);
    level(1, [
      SLOT.gemmInnerBatches,
      SLOT.gemmInnerBatchA,
      SLOT.gemmInnerBatchB,
      SLOT.gemmInnerBatchOut,
    ]);
  }

  // Writes a ≤4-d view (sizes, strides, offset) at `at`, padding to 4 dims with size 1.
  function view4(v: StridedArray, at: number): void {
    for (let i = 0; i < 4; i++) {
      P[at + i] = v.shape[i] ?? 1;
      P[at + 4 + i] = v.strides[i] ?? 0;
    }
    P[at + 8] = v.offset;
  }

  function geometry(g: Conv2dGeometry, flag = 0): void {
    P.set(g.kernel, SLOT.convKernel);
    P.set(g.stride, SLOT.convStride);
    P.set(g.padding, SLOT.convPadding);
    P.set(g.dilation, SLOT.convDilation);
    P[SLOT.convFlag] = flag;
  }

  // Float views of one dtype, large enough for the kernels and not walked backwards.
  function convable(views: readonly StridedArray[], size: number): boolean {
    const k = kind(views[0]!.data);
    if (k !== F32 && k !== F64) return false;
    if (size < minElements) return false;
    return views.every((v) => kind(v.data) === k && !hasNegative(v.strides));
  }

  function im2col(x: StridedArray, g: Conv2dGeometry, cols: StridedArray): void {
    if (!kernels.im2col || !convable([x, cols], sizeOf(cols.shape))) {
      ref.im2col(x, g, cols);
      return;
    }
    view4(x, SLOT.convIn);
    view4(cols, SLOT.convOut);
    geometry(g);
    if (!kernels.im2col(x.data, cols.data)) ref.im2col(x, g, cols);
  }

  function col2im(cols: StridedArray, g: Conv2dGeometry, out: StridedArray): void {
    if (!kernels.col2im || !convable([cols, out], sizeOf(cols.shape))) {
      ref.col2im(cols, g, out);
      return;
    }
    view4(cols, SLOT.convIn);
    view4(out, SLOT.convOut);
    geometry(g);
    if (!kernels.col2im(cols.data, out.data)) ref.col2im(cols, g, out);
  }

  // A float32 array the kernels may read from its start: offset 0, row-major contiguous.
  function denseF32(v: StridedArray): boolean {
    if (kind(v.data) !== F32 || v.offset !== 0) return false;
    let step = 1;
    for (let d = v.shape.length - 1; d >= 0; d--) {
      if (v.shape[d] !== 1 && v.strides[d] !== step) return false;
      step *= v.shape[d]!;
    }
    return true;
  }

  // The fused convolution takes float32 images (any layout without negative strides) and
  // dense float32 weights, gradients and outputs; anything else is composed by the caller.
  function fusedConvable(image: StridedArray, dense: readonly StridedArray[]): boolean {
    return (
      kind(image.data) === F32 &&
      !hasNegative(image.strides) &&
      dense.every(denseF32) &&
      sizeOf(image.shape) >= minElements
    );
  }

  function maxPool2dBackward(
    gradOut: StridedArray,
    indices: StridedArray,
    out: StridedArray,
  ): boolean {
    if (
      !kernels.maxPool2dBackward ||
      !convable([gradOut, out], sizeOf(out.shape)) ||
      !(indices.data instanceof Int32Array)
    )
      return false;
    view4(gradOut, SLOT.convIn);
    view4(indices, SLOT.convIndices);
    view4(out, SLOT.convOut);
    return kernels.maxPool2dBackward(gradOut.data, indices.data, out.data);
  }

  function conv2d(
    x: StridedArray,
    weight: StridedArray,
    bias: StridedArray | null,
    g: Conv2dGeometry,
    out: StridedArray,
  ): boolean {
    const dense = bias ? [weight, bias, out] : [weight, out];
    if (!kernels.conv2d || !fusedConvable(x, dense)) return false;
    view4(x, SLOT.convIn);
    view4(out, SLOT.convOut);
    geometry(g, bias ? 1 : 0);
    return kernels.conv2d(x.data, weight.data, bias?.data ?? NONE, out.data);
  }

  function conv2dBackwardInput(
    gradOut: StridedArray,
    weight: StridedArray,
    g: Conv2dGeometry,
    out: StridedArray,
  ): boolean {
    if (!kernels.conv2dBackwardInput || !fusedConvable(out, [gradOut, weight, out])) return false;
    view4(gradOut, SLOT.convIn);
    view4(out, SLOT.convOut);
    geometry(g);
    return kernels.conv2dBackwardInput(gradOut.data, weight.data, out.data);
  }

  function conv2dBackwardWeight(
    gradOut: StridedArray,
    x: StridedArray,
    g: Conv2dGeometry,
    out: StridedArray,
  ): boolean {
    if (!kernels.conv2dBackwardWeight || !fusedConvable(x, [gradOut, out])) return false;
    view4(x, SLOT.convIn);
    view4(gradOut, SLOT.convOut);
    geometry(g);
    return kernels.conv2dBackwardWeight(gradOut.data, x.data, out.data);
  }

  function maxPool2d(
    x: StridedArray,
    g: Conv2dGeometry,
    out: StridedArray,
    indices: StridedArray,
  ): void {
    if (
      !kernels.maxPool2d ||
      !convable([x, out], sizeOf(x.shape)) ||
      !(indices.data instanceof Int32Array)
    ) {
      ref.maxPool2d(x, g, out, indices);
      return;
    }
    view4(x, SLOT.convIn);
    view4(out, SLOT.convOut);
    view4(indices, SLOT.convIndices);
    geometry(g);
    if (!kernels.maxPool2d(x.data, out.data, indices.data)) ref.maxPool2d(x, g, out, indices);
  }

  function avgPool2d(
    x: StridedArray,
    g: Conv2dGeometry,
    out: StridedArray,
    countIncludePad: boolean,
  ): void {
    if (!kernels.avgPool2d || !convable([x, out], sizeOf(x.shape))) {
      ref.avgPool2d(x, g, out, countIncludePad);
      return;
    }
    view4(x, SLOT.convIn);
    view4(out, SLOT.convOut);
    geometry(g, countIncludePad ? 1 : 0);
    if (!kernels.avgPool2d(x.data, out.data)) ref.avgPool2d(x, g, out, countIncludePad);
  }

  function avgPool2dBackward(
    gradOut: StridedArray,
    g: Conv2dGeometry,
    out: StridedArray,
    countIncludePad: boolean,
  ): void {
    if (!kernels.avgPool2dBackward || !convable([gradOut, out], sizeOf(out.shape))) {
      ref.avgPool2dBackward(gradOut, g, out, countIncludePad);
      return;
    }
    view4(gradOut, SLOT.convIn);
    view4(out, SLOT.convOut);
    geometry(g, countIncludePad ? 1 : 0);
    if (!kernels.avgPool2dBackward(gradOut.data, out.data)) {
      ref.avgPool2dBackward(gradOut, g, out, countIncludePad);
    }
  }

  // Sets up a gather/scatter over a single ≤2-d slab; false where it does not apply (several
  // slabs could fail an index check after writing some of them).
  function indexNest(
    index: StridedArray,
    values: StridedArray,
    line: StridedArray,
    lineStrideOf: readonly number[],
    dim: number,
  ): boolean {
    const kv = kind(values.data);
    if (!(index.data instanceof Int32Array) || (kv !== F32 && kv !== F64)) return false;
    if (kind(line.data) !== kv || sizeOf(index.shape) < minElements) return false;
    const strides = [index.strides, values.strides, lineStrideOf];
    if (strides.some(hasNegative) || line.strides[dim]! < 0) return false;
    const nest = coalesce(index.shape, strides);
    if (nest.shape.length > 2) return false;
    const nd = nest.shape.length;
    P[SLOT.n0] = nd === 2 ? nest.shape[0]! : 1;
    P[SLOT.n1] = nest.shape[nd - 1]!;
    [index, values, line].forEach((v, j) => {
      P[viewSlot(j)] = v.offset;
      P[viewSlot(j) + 1] = nd === 2 ? nest.strides[j]![0]! : 0;
      P[viewSlot(j) + 2] = nest.strides[j]![nd - 1]!;
    });
    P[SLOT.indexStep] = line.strides[dim]!;
    P[SLOT.indexSize] = line.shape[dim]!;
    return true;
  }

  function gather(x: StridedArray, dim: number, index: StridedArray, out: StridedArray): void {
    if (
      !kernels.gather ||
      !indexNest(index, out, x, lineStrides(x, dim), dim) ||
      !kernels.gather(index.data, out.data, x.data)
    ) {
      ref.gather(x, dim, index, out);
    }
  }

  function scatter(
    out: StridedArray,
    dim: number,
    index: StridedArray,
    src: StridedArray,
    accumulate: boolean,
  ): void {
    if (kernels.scatter && indexNest(index, src, out, lineStrides(out, dim), dim)) {
      P[SLOT.indexAccumulate] = accumulate ? 1 : 0;
      if (kernels.scatter(index.data, src.data, out.data)) return;
    }
    ref.scatter(out, dim, index, src, accumulate);
  }

  function mtBernoulli(
    words: Int32Array,
    counters: Int32Array,
    out: TypedArray,
    threshold: number,
  ): boolean {
    if (!kernels.mtBernoulli || out.length < minElements) return false;
    P[SLOT.bernoulliThreshold] = threshold;
    return kernels.mtBernoulli(words, counters, out);
  }

  // Views 0.. of the params block from (offset, strides) of 2-d arrays.
  function setViews(views: readonly StridedArray[]): void {
    views.forEach((v, j) => {
      const at = viewSlot(j);
      P[at] = v.offset;
      P[at + 1] = v.strides[0]!;
      P[at + 2] = v.strides[1]!;
    });
  }

  function lstmCell(gates: StridedArray, c: StridedArray, hc: StridedArray, act: StridedArray) {
    const [n, h] = c.shape as [number, number];
    if (kernels.lstmCell && hc.offset === 0 && act.offset === 0 && n * h >= minElements) {
      P[SLOT.n0] = n;
      P[SLOT.n1] = h;
      setViews([gates, c]);
      if (kernels.lstmCell(gates.data, c.data, hc.data, act.data)) return;
    }
    refRnn.lstmCell(gates, c, hc, act);
  }

  function lstmCellBackward(
    grad: StridedArray,
    act: StridedArray,
    c: StridedArray,
    hc: StridedArray,
    dGates: StridedArray,
    dc: StridedArray,
  ) {
    const [n, h] = dc.shape as [number, number];
    const dense = [grad, act, hc, dGates, dc].every((v) => v.offset === 0);
    if (kernels.lstmCellBackward && dense && n * h >= minElements) {
      P[SLOT.n0] = n;
      P[SLOT.n1] = h;
      setViews([grad, act, c]);
      const ok = kernels.lstmCellBackward(
        grad.data,
        act.data,
        c.data,
        hc.data,
        dGates.data,
        dc.data,
      );
      if (ok) return;
    }
    refRnn.lstmCellBackward(grad, act, c, hc, dGates, dc);
  }

  const dense = (v: StridedArray | null): boolean => v === null || v.offset === 0;

  function layerNorm(
    x: StridedArray,
    weight: StridedArray | null,
    bias: StridedArray | null,
    eps: number,
    out: StridedArray,
    mean: StridedArray,
    rstd: StridedArray,
  ): void {
    const [rows, d] = x.shape as [number, number];
    if (
      kernels.layerNorm &&
      [x, weight, bias, out, mean, rstd].every(dense) &&
      rows * d >= minElements
    ) {
      P[SLOT.n0] = rows;
      P[SLOT.n1] = d;
      P[SLOT.normEps] = eps;
      P[SLOT.normHasWeight] = weight ? 1 : 0;
      P[SLOT.normHasBias] = bias ? 1 : 0;
      const w = weight?.data ?? NONE;
      const b = bias?.data ?? NONE;
      if (kernels.layerNorm(x.data, w, b, out.data, mean.data, rstd.data)) return;
    }
    ref.layerNorm!(x, weight, bias, eps, out, mean, rstd);
  }

  function layerNormBackward(
    grad: StridedArray,
    x: StridedArray,
    mean: StridedArray,
    rstd: StridedArray,
    weight: StridedArray | null,
    dx: StridedArray | null,
    dWeight: StridedArray | null,
    dBias: StridedArray | null,
  ): void {
    const [rows, d] = x.shape as [number, number];
    const all = [grad, x, mean, rstd, weight, dx, dWeight, dBias];
    if (kernels.layerNormBackward && all.every(dense) && rows * d >= minElements) {
      P[SLOT.n0] = rows;
      P[SLOT.n1] = d;
      P[SLOT.normHasWeight] = weight ? 1 : 0;
      P[SLOT.normNeedDx] = dx ? 1 : 0;
      P[SLOT.normNeedWeight] = dWeight ? 1 : 0;
      P[SLOT.normNeedBias] = dBias ? 1 : 0;
      const [w, gx, gw, gb] = [weight, dx, dWeight, dBias].map((v) => v?.data ?? NONE);
      if (kernels.layerNormBackward(grad.data, x.data, mean.data, rstd.data, w!, gx!, gw!, gb!))
        return;
    }
    ref.layerNormBackward!(grad, x, mean, rstd, weight, dx, dWeight, dBias);
  }

  function adamStep(
    param: TypedArray,
    grad: TypedArray,
    expAvg: TypedArray,
    expAvgSq: TypedArray,
    maxExpAvgSq: TypedArray | null,
    c: AdamStepConfig,
  ): void {
    if (kernels.adamStep && param.length >= minElements) {
      P[SLOT.adamLength] = param.length;
      P[SLOT.adamLr] = c.lr;
      P[SLOT.adamBeta1] = c.beta1;
      P[SLOT.adamBeta2] = c.beta2;
      P[SLOT.adamEps] = c.eps;
      P[SLOT.adamWeightDecay] = c.weightDecay;
      P[SLOT.adamStep] = c.step;
      P[SLOT.adamFlags] = (c.decoupled ? 1 : 0) | (c.maximize ? 2 : 0) | (maxExpAvgSq ? 4 : 0);
      if (kernels.adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq ?? NONE)) return;
    }
    ref.adamStep!(param, grad, expAvg, expAvgSq, maxExpAvgSq, c);
  }

  function sgdStep(
    param: TypedArray,
    grad: TypedArray,
    momentumBuffer: TypedArray | null,
    c: SgdStepConfig,
  ): void {
    if (kernels.sgdStep && param.length >= minElements) {
      P[SLOT.sgdLength] = param.length;
      P[SLOT.sgdLr] = c.lr;
      P[SLOT.sgdMomentum] = c.momentum;
      P[SLOT.sgdDampening] = c.dampening;
      P[SLOT.sgdWeightDecay] = c.weightDecay;
      P[SLOT.sgdFlags] =
        (c.nesterov ? 1 : 0) |
        (c.maximize ? 2 : 0) |
        (c.firstStep ? 4 : 0) |
        (momentumBuffer ? 8 : 0);
      if (kernels.sgdStep(param, grad, momentumBuffer ?? NONE)) return;
    }
    ref.sgdStep!(param, grad, momentumBuffer, c);
  }

  const backend: Backend = {
    ...ref,
    mtBernoulli,
    adamStep,
    sgdStep,
    layerNorm,
    layerNormBackward,
    lstmCell,
    lstmCellBackward,
    name,
    alloc: ref.alloc,
    ...(options.allocUninitialized ? { allocUninitialized: options.allocUninitialized } : {}),
    ...(options.recycle ? { recycle: options.recycle } : {}),
    ...(options.emptyCache ? { emptyCache: options.emptyCache } : {}),
    unary,
    binary,
    where,
    copy,
    reduce,
    softmax,
    matmul,
    gather,
    scatter,
    im2col,
    col2im,
    // Advertised only where the kernels exist, so the op layer composes the rest.
    ...(kernels.conv2d ? { conv2d, conv2dBackwardInput, conv2dBackwardWeight } : {}),
    ...(kernels.maxPool2dBackward ? { maxPool2dBackward } : {}),
    maxPool2d,
    avgPool2d,
    avgPool2dBackward,
  };
  kernelsOf.set(backend, kernels);
  return backend;
}

const kernelsOf = new WeakMap<Backend, FastKernels>();

/** The kernels behind a fast backend (null for other backends), for conformance tests. */
export function fastKernels(backend: Backend): FastKernels | null {
  return kernelsOf.get(backend) ?? null;
}

/** The kernel-array view of a tensor buffer (every dtype's typed array qualifies). */
export function asKernelArray(a: TypedArray): KernelArray {
  return a;
}
