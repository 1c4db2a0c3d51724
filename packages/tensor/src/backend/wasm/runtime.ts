/**
 * The WebAssembly backend's runtime: the kernels' instance and memory, the copies in and out
 * of it, and the kernel calls behind the fast backend's dispatch. index.ts imports it once the
 * kernels are loaded, so that a browser bundle keeps it in a chunk of its own, fetched with
 * the kernels (a page whose kernels are not found, or that never calls initWasm, does not load
 * it).
 */
import type { Backend } from '../backend.js';
import { createFastBackend } from '../fast/backend.js';
import type { BackendCore } from '../core.js';
import type { FastKernels, KernelArray, KernelTables } from '../fast/kernels.js';
import { parseTable } from '../fast/kernels.js';
import { DTYPE_CODE, PARAMS_LENGTH, SLOT, viewSlot } from '../fast/abi.js';
import type { GemmFn } from './gemm-task.js';
import { runGemmTask } from './gemm-task.js';
import type { WasmThreads } from './threads.js';

// The kernels' loader, loaded with this module (see load.ts).
export { loadKernels } from './load.js';

interface KernelExports {
  gemm: GemmFn;
  gemmScratchFloats(): number;
  gemv(
    n: number,
    k: number,
    a: number,
    acs: number,
    b: number,
    brs: number,
    bcs: number,
    c: number,
    acc: number,
    scratch: number,
  ): void;
  binary(...args: number[]): number;
  unary(...args: number[]): number;
  where(...args: number[]): void;
  copy(...args: number[]): void;
  reduce(...args: number[]): number;
  softmax(...args: number[]): void;
  im2col(...args: number[]): void;
  addBias(out: number, n: number, o: number, l: number, bias: number): void;
  col2im(...args: number[]): void;
  maxPool2d(...args: number[]): void;
  maxPool2dBackward(...args: number[]): number;
  avgPool2d(...args: number[]): void;
  avgPool2dBackward(...args: number[]): void;
  mtBernoulli(
    state: number,
    counters: number,
    out: number,
    dtype: number,
    n: number,
    threshold: number,
    scratch: number,
  ): void;
  MT_BLOCK_WORDS: WebAssembly.Global;
  unaryTable(): number;
  unaryTableLength(): number;
  binaryTable(): number;
  binaryTableLength(): number;
}

const RESERVED = 1 << 20; // the module's own static data and stack live below this
const PAGE = 65536;
const MAX_PAGES = 32768; // as the module declares (2 GiB)

class Runtime {
  f32!: Float32Array;
  i32!: Int32Array;
  u8!: Uint8Array;
  readonly scratchBytes: number;
  readonly dynBase: number;
  private top = 0;

  constructor(
    readonly exports: KernelExports,
    readonly memory: WebAssembly.Memory,
    readonly threads: WasmThreads | null,
    readonly slots: number,
  ) {
    this.scratchBytes = ((exports.gemmScratchFloats() * 4 + 63) & ~63) >>> 0;
    this.dynBase = RESERVED + slots * this.scratchBytes;
    this.ensure(this.dynBase + (16 << 20));
    this.reset();
  }

  private refresh(): void {
    this.f32 = new Float32Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
    this.u8 = new Uint8Array(this.memory.buffer);
  }

  private ensure(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) {
      const pages = Math.ceil((bytes - have) / PAGE);
      if (have / PAGE + pages > MAX_PAGES) throw new RangeError('wasm backend: out of memory');
      this.memory.grow(pages);
    }
    // A shared memory's buffer object changes on grow (old views stay valid but short).
    if (!this.f32 || this.f32.buffer.byteLength !== this.memory.buffer.byteLength) this.refresh();
  }

  reset(): void {
    this.top = this.dynBase;
  }

  alloc(bytes: number): number {
    const p = (this.top + 15) & ~15;
    this.ensure(p + bytes);
    this.top = p + bytes;
    return p;
  }

  /** Copies the span of a 2-d view into the memory; returns the byte address of its start. */
  put(a: KernelArray, off: number, s0: number, s1: number, n0: number, n1: number): number {
    const span = n0 === 0 || n1 === 0 ? 0 : 1 + (n0 - 1) * s0 + (n1 - 1) * s1;
    if (a instanceof Uint8Array) {
      const p = this.alloc(span);
      this.u8.set(a.subarray(off, off + span), p);
      return p;
    }
    const p = this.alloc(span * 4);
    this.f32.set((a as Float32Array).subarray(off, off + span), p >>> 2);
    return p;
  }

  /** Copies a view's span back out of the memory. */
  get(
    a: KernelArray,
    p: number,
    off: number,
    s0: number,
    s1: number,
    n0: number,
    n1: number,
  ): void {
    const span = n0 === 0 || n1 === 0 ? 0 : 1 + (n0 - 1) * s0 + (n1 - 1) * s1;
    if (a instanceof Uint8Array) a.set(this.u8.subarray(p, p + span), off);
    else (a as Float32Array).set(this.f32.subarray(p >>> 2, (p >>> 2) + span), off);
  }
}

const F32 = DTYPE_CODE.float32;
const BOOL = DTYPE_CODE.bool;
// The kernels' dtype code of a buffer: float32 or uint8 (bool); -1: not handled here.
function code(a: KernelArray): number {
  return a instanceof Float32Array ? F32 : a instanceof Uint8Array ? BOOL : -1;
}

// Any output's dtype code (the sampler writes all four).
function dtypeCode(a: KernelArray): number {
  if (a instanceof Float32Array) return F32;
  if (a instanceof Float64Array) return DTYPE_CODE.float64;
  return a instanceof Int32Array ? DTYPE_CODE.int32 : BOOL;
}

const [V0, V1, V2, V3] = [viewSlot(0), viewSlot(1), viewSlot(2), viewSlot(3)];

// A UTF-16 string constant of the module, by address and length.
function readTable(rt: Runtime, at: number, length: number): string[] {
  return parseTable(String.fromCharCode(...new Uint16Array(rt.memory.buffer, at, length)));
}

function dense(s0: number, s1: number, n0: number, n1: number): boolean {
  return (n1 === 1 || s1 === 1) && (n0 === 1 || s0 === n1);
}

function createKernels(rt: Runtime): FastKernels {
  const P = new Float64Array(PARAMS_LENGTH);
  const x = rt.exports;
  // An output's span is copied in first when the kernel will not write all of it.
  const putOut = (o: KernelArray, at: number): number => {
    const n0 = P[SLOT.n0]!;
    const n1 = P[SLOT.n1]!;
    const [off, s0, s1] = [P[at]!, P[at + 1]!, P[at + 2]!];
    if (dense(s0, s1, n0, n1)) return rt.alloc((o instanceof Uint8Array ? 1 : 4) * n0 * n1);
    return rt.put(o, off, s0, s1, n0, n1);
  };
  const view = (a: KernelArray, at: number): number =>
    rt.put(a, P[at]!, P[at + 1]!, P[at + 2]!, P[SLOT.n0]!, P[SLOT.n1]!);
  const back = (o: KernelArray, p: number, at: number): void =>
    rt.get(o, p, P[at]!, P[at + 1]!, P[at + 2]!, P[SLOT.n0]!, P[SLOT.n1]!);

  // The 4-d view at `at` when it is contiguous (its offset, else -1), and its element count.
  const dense4 = (at: number): [number, number] => {
    let expect = 1;
    for (let i = 3; i >= 0; i--) {
      if (P[at + i]! !== 1 && P[at + 4 + i]! !== expect) return [-1, 0];
      expect *= P[at + i]!;
    }
    return [P[at + 8]!, expect];
  };
  // Copies a contiguous span of float32 or int32 data into the memory.
  const putSpan = (a: KernelArray, off: number, size: number): number => {
    const p = rt.alloc(size * 4);
    if (a instanceof Int32Array) rt.i32.set(a.subarray(off, off + size), p >>> 2);
    else rt.f32.set((a as Float32Array).subarray(off, off + size), p >>> 2);
    return p;
  };
  const getSpan = (a: KernelArray, p: number, off: number, size: number): void => {
    if (a instanceof Int32Array) a.set(rt.i32.subarray(p >>> 2, (p >>> 2) + size), off);
    else (a as Float32Array).set(rt.f32.subarray(p >>> 2, (p >>> 2) + size), off);
  };
  // n c h w of the image (the view at `image`) and the window geometry, as the conv kernels
  // take them.
  const convArgs = (image: number = SLOT.convIn): number[] => [
    P[image]!,
    P[image + 1]!,
    P[image + 2]!,
    P[image + 3]!,
    P[SLOT.convKernel]!,
    P[SLOT.convKernel + 1]!,
    P[SLOT.convStride]!,
    P[SLOT.convStride + 1]!,
    P[SLOT.convPadding]!,
    P[SLOT.convPadding + 1]!,
  ];
  const dilation = (): number[] => [P[SLOT.convDilation]!, P[SLOT.convDilation + 1]!];
  const floats = (...arrays: KernelArray[]): boolean =>
    arrays.every((a) => a instanceof Float32Array);

  // C = A x B (+ C) on operands already in the memory, split across the GEMM threads when
  // large: each task computes a block of C's rows or columns with the same arithmetic.
  const gemmIn = (
    m: number,
    n: number,
    k: number,
    pa: number,
    ars: number,
    acs: number,
    pb: number,
    brs: number,
    bcs: number,
    pc: number,
    ldc: number,
    acc: number,
  ): void => {
    const A = rt.threads ? rt.threads.args : new Float64Array(16);
    A.set([m, n, k, pa, ars, acs, pb, brs, bcs, pc, ldc, acc, 0, 0, RESERVED, rt.scratchBytes]);
    const threads = rt.threads;
    if (!threads || threads.threads === 1 || 2 * m * n * k < 4e6) {
      A[12] = 1;
      A[13] = n;
      runGemmTask(x.gemm, A, 0, 0);
      return;
    }
    const want = threads.threads * 3;
    const ntiles = Math.ceil(n / 8);
    const mtiles = Math.ceil(m / 4);
    let tasks: number;
    if (ntiles >= mtiles || ntiles >= want) {
      A[12] = 1;
      A[13] = Math.ceil(ntiles / want) * 8;
      tasks = Math.ceil(n / A[13]!);
    } else {
      A[12] = 0;
      A[13] = Math.ceil(mtiles / want) * 4;
      tasks = Math.ceil(m / A[13]!);
    }
    threads.run(tasks, x.gemm);
  };

  // The geometry of the fused convolution kernels: the image view's [n, c, h, w], the other
  // view's [n, o, oh, ow], and the window, with k = c*kh*kw and l = oh*ow.
  const convShape = (image: number, other: number) => {
    const [n, c, h, w] = [P[image]!, P[image + 1]!, P[image + 2]!, P[image + 3]!];
    const [o, oh, ow] = [P[other + 1]!, P[other + 2]!, P[other + 3]!];
    const window = [...convArgs(image).slice(4), ...dilation()];
    const k = c * P[SLOT.convKernel]! * P[SLOT.convKernel + 1]!;
    return { n, c, h, w, o, l: oh * ow, k, window };
  };
  // The image (4-d view at `at`) copied into the memory contiguously, whatever its strides.
  const imageIn = (a: KernelArray, at: number): number => {
    const [off, size] = dense4(at);
    if (off >= 0) return putSpan(a, off, size);
    const [n0, n1, n2, n3] = [P[at]!, P[at + 1]!, P[at + 2]!, P[at + 3]!];
    const [s0, s1, s2, s3] = [P[at + 4]!, P[at + 5]!, P[at + 6]!, P[at + 7]!];
    const p = rt.alloc(n0 * n1 * n2 * n3 * 4);
    const f = rt.f32;
    const src = a as Float32Array;
    let q = p >>> 2;
    for (let i = 0; i < n0; i++)
      for (let j = 0; j < n1; j++)
        for (let y = 0; y < n2; y++) {
          const row = P[at + 8]! + i * s0 + j * s1 + y * s2;
          for (let z = 0; z < n3; z++) f[q++] = src[row + z * s3]!;
        }
    return p;
  };
  // Images per partial sum of the weight gradient, as the native kernel: fixed, so the result
  // does not depend on the thread count.
  const WEIGHT_CHUNK = 8;

  const fusedConv = {
    conv2d(xa: KernelArray, wa: KernelArray, ba: KernelArray, out: KernelArray): boolean {
      if (!floats(xa, wa, ba, out)) return false;
      const { n, c, h, w, o, l, k, window } = convShape(SLOT.convIn, SLOT.convOut);
      rt.reset();
      const px = imageIn(xa, SLOT.convIn);
      const pw = putSpan(wa, 0, o * k);
      const pcols = rt.alloc(k * l * 4);
      const po = rt.alloc(n * o * l * 4);
      for (let b = 0; b < n; b++) {
        x.im2col(px + b * c * h * w * 4, 1, c, h, w, ...window, pcols, l);
        gemmIn(o, l, k, pw, k, 1, pcols, l, 1, po + b * o * l * 4, l, 0);
      }
      if (P[SLOT.convFlag]) x.addBias(po, n, o, l, putSpan(ba, 0, o));
      getSpan(out, po, 0, n * o * l);
      return true;
    },
    conv2dBackwardInput(ga: KernelArray, wa: KernelArray, out: KernelArray): boolean {
      const [go, gn] = dense4(SLOT.convIn);
      const [oo, on] = dense4(SLOT.convOut);
      if (go < 0 || oo < 0 || !floats(ga, wa, out)) return false;
      const { n, c, h, w, o, l, k, window } = convShape(SLOT.convOut, SLOT.convIn);
      rt.reset();
      const pg = putSpan(ga, go, gn);
      const pw = putSpan(wa, 0, o * k);
      const pcols = rt.alloc(k * l * 4);
      const po = rt.alloc(on * 4);
      rt.f32.fill(0, po >>> 2, (po >>> 2) + on);
      for (let b = 0; b < n; b++) {
        gemmIn(k, l, o, pw, 1, k, pg + b * o * l * 4, l, 1, pcols, l, 0);
        x.col2im(pcols, 1, c, h, w, ...window, po + b * c * h * w * 4, l);
      }
      getSpan(out, po, oo, on);
      return true;
    },
    conv2dBackwardWeight(ga: KernelArray, xa: KernelArray, dw: KernelArray): boolean {
      const [go, gn] = dense4(SLOT.convOut);
      if (go < 0 || !floats(ga, xa, dw)) return false;
      const { n, c, h, w, o, l, k, window } = convShape(SLOT.convIn, SLOT.convOut);
      const chunks = Math.ceil(n / WEIGHT_CHUNK);
      rt.reset();
      const px = imageIn(xa, SLOT.convIn);
      const pg = putSpan(ga, go, gn);
      const pcols = rt.alloc(k * l * 4);
      const parts = rt.alloc(chunks * o * k * 4);
      for (let b = 0; b < n; b++) {
        const first = b % WEIGHT_CHUNK === 0;
        const part = parts + Math.floor(b / WEIGHT_CHUNK) * o * k * 4;
        x.im2col(px + b * c * h * w * 4, 1, c, h, w, ...window, pcols, l);
        gemmIn(o, k, l, pg + b * o * l * 4, l, 1, pcols, 1, l, part, k, first ? 0 : 1);
      }
      const f = rt.f32;
      const out = dw as Float32Array;
      for (let e = 0; e < o * k; e++) {
        let sum = 0;
        for (let ci = 0; ci < chunks; ci++) sum += f[(parts >>> 2) + ci * o * k + e]!;
        out[e] = sum;
      }
      return true;
    },
  };

  const conv = {
    im2col(xa: KernelArray, cols: KernelArray): boolean {
      const [xo, xn] = dense4(SLOT.convIn);
      const [co, cn] = dense4(SLOT.convOut);
      if (xo < 0 || co < 0 || !floats(xa, cols)) return false;
      rt.reset();
      const px = putSpan(xa, xo, xn);
      const pc = rt.alloc(cn * 4);
      x.im2col(px, ...convArgs(), ...dilation(), pc, P[SLOT.convOut + 2]!);
      getSpan(cols, pc, co, cn);
      return true;
    },
    col2im(cols: KernelArray, out: KernelArray): boolean {
      const [co, cn] = dense4(SLOT.convIn);
      const [oo, on] = dense4(SLOT.convOut);
      if (co < 0 || oo < 0 || !floats(cols, out)) return false;
      rt.reset();
      const pc = putSpan(cols, co, cn);
      const po = putSpan(out, oo, on);
      // The image is the output view here.
      const args = convArgs(SLOT.convOut);
      x.col2im(pc, ...args, ...dilation(), po, P[SLOT.convIn + 2]!);
      getSpan(out, po, oo, on);
      return true;
    },
    maxPool2d(xa: KernelArray, out: KernelArray, idx: KernelArray): boolean {
      const [xo, xn] = dense4(SLOT.convIn);
      const [oo, on] = dense4(SLOT.convOut);
      const [io] = dense4(SLOT.convIndices);
      if (xo < 0 || oo < 0 || io < 0 || !floats(xa, out) || !(idx instanceof Int32Array)) {
        return false;
      }
      rt.reset();
      const px = putSpan(xa, xo, xn);
      const po = rt.alloc(on * 4);
      const pi = rt.alloc(on * 4);
      const [oh, ow] = [P[SLOT.convOut + 2]!, P[SLOT.convOut + 3]!];
      x.maxPool2d(px, ...convArgs(), ...dilation(), po, pi, oh, ow);
      getSpan(out, po, oo, on);
      getSpan(idx, pi, io, on);
      return true;
    },
    // Max pooling's gradient: dense gradient, indices and output, float32.
    maxPool2dBackward(grad: KernelArray, idx: KernelArray, out: KernelArray): boolean {
      const [go, gn] = dense4(SLOT.convIn);
      const [io] = dense4(SLOT.convIndices);
      const [oo, on] = dense4(SLOT.convOut);
      if (go < 0 || io < 0 || oo < 0 || !floats(grad, out) || !(idx instanceof Int32Array)) {
        return false;
      }
      if (gn === 0) return false;
      rt.reset();
      const pg = putSpan(grad, go, gn);
      const pi = putSpan(idx, io, gn);
      const po = rt.alloc(on * 4);
      const planes = P[SLOT.convOut]! * P[SLOT.convOut + 1]!;
      if (!x.maxPool2dBackward(pg, pi, po, planes, gn / planes, on / planes)) return false;
      getSpan(out, po, oo, on);
      return true;
    },
    avgPool2d(xa: KernelArray, out: KernelArray): boolean {
      const [xo, xn] = dense4(SLOT.convIn);
      const [oo, on] = dense4(SLOT.convOut);
      if (xo < 0 || oo < 0 || !floats(xa, out)) return false;
      rt.reset();
      const px = putSpan(xa, xo, xn);
      const po = rt.alloc(on * 4);
      const [oh, ow] = [P[SLOT.convOut + 2]!, P[SLOT.convOut + 3]!];
      x.avgPool2d(px, ...convArgs(), po, oh, ow, P[SLOT.convFlag]!);
      getSpan(out, po, oo, on);
      return true;
    },
    // Dropout's masks drawn in the module: the engine's state goes in and comes back out.
    mtBernoulli(words: Int32Array, counters: Int32Array, out: KernelArray): boolean {
      rt.reset();
      const ps = rt.alloc(words.byteLength);
      const pc = rt.alloc(8);
      const po = rt.alloc(out.byteLength);
      const pw = rt.alloc((x.MT_BLOCK_WORDS.value as number) * 4);
      rt.i32.set(words, ps >>> 2);
      rt.i32.set(counters, pc >>> 2);
      const threshold = P[SLOT.bernoulliThreshold]!;
      x.mtBernoulli(ps, pc, po, dtypeCode(out), out.length, threshold, pw);
      words.set(rt.i32.subarray(ps >>> 2, (ps >>> 2) + words.length));
      counters.set(rt.i32.subarray(pc >>> 2, (pc >>> 2) + 2));
      new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(
        rt.u8.subarray(po, po + out.byteLength),
      );
      return true;
    },
    avgPool2dBackward(grad: KernelArray, out: KernelArray): boolean {
      const [go, gn] = dense4(SLOT.convIn);
      const [oo, on] = dense4(SLOT.convOut);
      if (go < 0 || oo < 0 || !floats(grad, out)) return false;
      rt.reset();
      const pg = putSpan(grad, go, gn);
      const po = putSpan(out, oo, on);
      const [oh, ow] = [P[SLOT.convIn + 2]!, P[SLOT.convIn + 3]!];
      const args = convArgs(SLOT.convOut);
      x.avgPool2dBackward(pg, ...args, po, oh, ow, P[SLOT.convFlag]!);
      getSpan(out, po, oo, on);
      return true;
    },
  };

  const tables: KernelTables = {
    unary: readTable(rt, x.unaryTable(), x.unaryTableLength()),
    binary: readTable(rt, x.binaryTable(), x.binaryTableLength()),
  };
  return {
    ...conv,
    ...fusedConv,
    params: P,
    tables,
    gemm(a, b, out) {
      rt.reset();
      const [m, n, k] = [P[SLOT.gemmM]!, P[SLOT.gemmN]!, P[SLOT.gemmK]!];
      const pa = rt.put(a, P[SLOT.gemmA]!, P[SLOT.gemmA + 1]!, P[SLOT.gemmA + 2]!, m, k);
      const pb = rt.put(b, P[SLOT.gemmB]!, P[SLOT.gemmB + 1]!, P[SLOT.gemmB + 2]!, k, n);
      const pc = rt.alloc(m * n * 4);
      const acc = P[SLOT.gemmAccumulate]!;
      if (acc) rt.f32.set(out.subarray(P[SLOT.gemmOut]!, P[SLOT.gemmOut]! + m * n), pc >>> 2);
      if (m === 1) {
        // Rows of B accumulate into n doubles of thread 0's scratch (when they fit).
        const scratch = n * 8 <= rt.scratchBytes ? RESERVED : 0;
        x.gemv(
          n,
          k,
          pa,
          P[SLOT.gemmA + 2]!,
          pb,
          P[SLOT.gemmB + 1]!,
          P[SLOT.gemmB + 2]!,
          pc,
          acc,
          scratch,
        );
      } else {
        gemmIn(
          m,
          n,
          k,
          pa,
          P[SLOT.gemmA + 1]!,
          P[SLOT.gemmA + 2]!,
          pb,
          P[SLOT.gemmB + 1]!,
          P[SLOT.gemmB + 2]!,
          pc,
          n,
          acc,
        );
      }
      out.set(rt.f32.subarray(pc >>> 2, (pc >>> 2) + m * n), P[SLOT.gemmOut]!);
      return true;
    },
    binary(a, b, out) {
      const [ca, cb, co] = [code(a), code(b), code(out)];
      if (ca < 0 || cb < 0 || co < 0) return false;
      rt.reset();
      const pa = view(a, V0);
      const pb = view(b, V1);
      const po = putOut(out, V2);
      const dn = dense(P[V2 + 1]!, P[V2 + 2]!, P[SLOT.n0]!, P[SLOT.n1]!);
      const done = x.binary(
        P[SLOT.op]!,
        P[SLOT.n0]!,
        P[SLOT.n1]!,
        pa,
        ca,
        P[V0 + 1]!,
        P[V0 + 2]!,
        pb,
        cb,
        P[V1 + 1]!,
        P[V1 + 2]!,
        po,
        co,
        dn ? P[SLOT.n1]! : P[V2 + 1]!,
        dn ? 1 : P[V2 + 2]!,
        P[SLOT.binaryP]!,
      );
      if (!done) return false;
      if (dn) rt.get(out, po, P[V2]!, P[SLOT.n1]!, 1, P[SLOT.n0]!, P[SLOT.n1]!);
      else back(out, po, V2);
      return true;
    },
    unary(xa, out) {
      if (code(xa) !== F32 || code(out) !== F32) return false;
      rt.reset();
      const px = view(xa, V0);
      const po = putOut(out, V1);
      const dn = dense(P[V1 + 1]!, P[V1 + 2]!, P[SLOT.n0]!, P[SLOT.n1]!);
      const done = x.unary(
        P[SLOT.op]!,
        P[SLOT.n0]!,
        P[SLOT.n1]!,
        px,
        P[V0 + 1]!,
        P[V0 + 2]!,
        po,
        dn ? P[SLOT.n1]! : P[V1 + 1]!,
        dn ? 1 : P[V1 + 2]!,
        P[SLOT.unaryP0]!,
        P[SLOT.unaryP1]!,
      );
      if (!done) return false;
      if (dn) rt.get(out, po, P[V1]!, P[SLOT.n1]!, 1, P[SLOT.n0]!, P[SLOT.n1]!);
      else back(out, po, V1);
      return true;
    },
    where(c, a, b, out) {
      if (code(c) !== BOOL || code(a) !== F32 || code(b) !== F32 || code(out) !== F32) return false;
      rt.reset();
      const pc = view(c, V0);
      const pa = view(a, V1);
      const pb = view(b, V2);
      const po = putOut(out, V3);
      const dn = dense(P[V3 + 1]!, P[V3 + 2]!, P[SLOT.n0]!, P[SLOT.n1]!);
      x.where(
        P[SLOT.n0]!,
        P[SLOT.n1]!,
        pc,
        P[V0 + 1]!,
        P[V0 + 2]!,
        pa,
        P[V1 + 1]!,
        P[V1 + 2]!,
        pb,
        P[V2 + 1]!,
        P[V2 + 2]!,
        po,
        dn ? P[SLOT.n1]! : P[V3 + 1]!,
        dn ? 1 : P[V3 + 2]!,
      );
      if (dn) rt.get(out, po, P[V3]!, P[SLOT.n1]!, 1, P[SLOT.n0]!, P[SLOT.n1]!);
      else back(out, po, V3);
      return true;
    },
    copy(xa, out) {
      const [cx, co] = [code(xa), code(out)];
      if (cx < 0 || co < 0) return false;
      rt.reset();
      const px = view(xa, V0);
      const po = putOut(out, V1);
      const dn = dense(P[V1 + 1]!, P[V1 + 2]!, P[SLOT.n0]!, P[SLOT.n1]!);
      x.copy(
        P[SLOT.n0]!,
        P[SLOT.n1]!,
        px,
        cx,
        P[V0 + 1]!,
        P[V0 + 2]!,
        po,
        co,
        dn ? P[SLOT.n1]! : P[V1 + 1]!,
        dn ? 1 : P[V1 + 2]!,
      );
      if (dn) rt.get(out, po, P[V1]!, P[SLOT.n1]!, 1, P[SLOT.n0]!, P[SLOT.n1]!);
      else back(out, po, V1);
      return true;
    },
    reduce(xa, out) {
      // An outer reduced run is the native kernel's; here it runs on the reference backend.
      if (code(xa) !== F32 || code(out) !== F32 || P[SLOT.reduceOuter] !== 1) return false;
      rt.reset();
      const [np, nr] = [P[SLOT.n0]!, P[SLOT.n1]!];
      const px = rt.put(xa, P[V0]!, P[V0 + 1]!, P[V0 + 2]!, np, nr);
      const po = rt.alloc(np * 4);
      if (!x.reduce(P[SLOT.op]!, np, nr, px, P[V0 + 1]!, P[V0 + 2]!, po, 1)) return false;
      for (let i = 0; i < np; i++) out[P[V1]! + i * P[V1 + 1]!] = rt.f32[(po >>> 2) + i]!;
      return true;
    },
    softmax(xa, out) {
      if (code(xa) !== F32 || code(out) !== F32) return false;
      rt.reset();
      const [np, len] = [P[SLOT.n0]!, P[SLOT.n1]!];
      const px = rt.put(xa, P[V0]!, P[V0 + 1]!, P[V0 + 2]!, np, len);
      const po = rt.put(out, P[V1]!, P[V1 + 1]!, P[V1 + 2]!, np, len);
      x.softmax(P[SLOT.op]!, np, len, px, P[V0 + 1]!, P[V0 + 2]!, po, P[V1 + 1]!, P[V1 + 2]!);
      rt.get(out, po, P[V1]!, P[V1 + 1]!, P[V1 + 2]!, np, len);
      return true;
    },
  };
}

// An instance of the kernels over a memory that is shared when it can be (and the module, when
// compiled by the caller, imports a shared one).
function instantiate(
  module: WebAssembly.Module,
  shared: boolean,
): [WebAssembly.Instance, WebAssembly.Memory] {
  const memory = new WebAssembly.Memory({
    initial: 64,
    maximum: MAX_PAGES,
    shared,
  } as WebAssembly.MemoryDescriptor);
  return [new WebAssembly.Instance(module, { env: { memory } }), memory];
}

/** The wasm backend and the number of threads its GEMM uses. */
export interface WasmStarted {
  backend: Backend;
  threads: number;
}

/**
 * Instantiates `module` over a memory that is shared when `shared` (falling back to a plain
 * one when `fromCaller`, a module the caller compiled, imports that kind), starts the GEMM
 * thread pool on a shared memory, and makes the backend with `core`; throws why not.
 */
export async function startWasm(
  module: WebAssembly.Module,
  shared: boolean,
  fromCaller: boolean,
  core: BackendCore,
): Promise<WasmStarted> {
  let instance: WebAssembly.Instance;
  let memory: WebAssembly.Memory;
  try {
    [instance, memory] = instantiate(module, shared);
  } catch (e) {
    // A module compiled by the caller imports the other kind of memory.
    if (!(e instanceof WebAssembly.LinkError) || !fromCaller) throw e;
    if (!shared) {
      throw new Error(
        'the WebAssembly.Module given imports a shared memory, which needs a cross-origin-isolated page: pass the bytes or the URL of gd_kernels_single.wasm instead',
      );
    }
    shared = false;
    [instance, memory] = instantiate(module, shared);
  }
  // The pool's code loads here, on the pages that can use it.
  const pool = shared ? await (await import('./threads.js')).startThreads(module, memory) : null;
  const threads = pool?.threads ?? 1;
  const rt = new Runtime(instance.exports as unknown as KernelExports, memory, pool, threads);
  const backend = createFastBackend(
    'wasm',
    createKernels(rt),
    { minElements: 1024, minMatmul: 4096 },
    core,
  );
  return { backend, threads };
}
