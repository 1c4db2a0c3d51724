/**
 * The WebGPU backend: float32, int32 and bool tensors live in GPU buffers and the kernels are
 * WGSL compute shaders (wgsl.ts), the elementwise ones rendered from the op registry's formulas.
 * The device is owned by a worker (host.ts), so that a synchronous read can block this thread
 * while the worker waits for the GPU; asynchronous reads (`dataAsync`, `toArrayAsync`,
 * `itemAsync` on tensors) never block.
 *
 * What runs where:
 * - On the GPU: every registry elementwise op whose formula renders in WGSL, on float32 (bool
 *   results for the predicates and comparisons); where, copy/casts and fill on float32, int32
 *   and bool; sum/prod/max/min/logsumexp reductions, argmax/argmin, softmax/log-softmax,
 *   batched matmul, im2col/col2im, max/avg pooling and avg pooling's gradient on float32;
 *   gather and scatter (scatter_add with float atomics) on float32/int32.
 * - On the CPU (the best CPU backend, with the data moved as needed): float64 (WGSL has no
 *   64-bit floats), integer arithmetic, and any operand with more than 8 dims. This is the rule,
 *   not an error: results are the same, only slower.
 *
 * Never chosen by default: select it with `GD_BACKEND=webgpu` or `setBackend('webgpu')`. If no
 * adapter is found that call fails with what was looked for.
 */
/// <reference types="@webgpu/types" />
import type { DType, TypedArray } from '../../dtype.js';
import type {
  KernelBinaryOp,
  ParamSpec,
  ReduceOp,
  UnaryOp,
} from '../../ops/registry/elementwise.js';
import type { Formula, LanguageSpec } from '../../ops/registry/formula.js';
import type { Backend, Conv2dGeometry, StridedArray } from '../backend.js';
import type { BackendCore } from '../core.js';
import { WGSL_I32_LANGUAGE as WGSL_I32, wgslF32Language } from './wgsl-languages.js';
import type { HostWorker } from './link.js';
import { DeviceLink } from './link.js';
import type { DeviceLimits, FromHost, ToHost } from './protocol.js';
import type { GpuReduceOp } from './wgsl.js';
import {
  CONV_META,
  ELEMENTWISE_META,
  INDEX_META,
  LINE_META,
  MATMUL_META,
  MAX_DIMS,
  REDUCE_META,
  TILE,
  WORKGROUP,
  argReduceSource,
  avgPool2dBackwardSource,
  avgPool2dSource,
  col2imSource,
  convertExpr,
  elementwiseSource,
  fillValue,
  gatherSource,
  im2colSource,
  matmulSource,
  maxPool2dSource,
  reduceSource,
  scatterSource,
  softmaxSource,
} from './wgsl.js';

// The package's functions this module calls: the core the backend is made with
// (the same functions whichever device is made): see ../core.ts for why they are not imported.
let core: BackendCore;
// WGSL over f32, as `@gd/tensor/kernel-languages` has it, made with the core's isBooleanNode.
let WGSL: LanguageSpec;

const GPU_DTYPES: ReadonlySet<DType> = new Set(['float32', 'int32', 'bool']);
const MAX_GROUPS = 65535;
/**
 * Uploads and reads move at most this many bytes per message (and a quarter of the binding
 * limit at most): a big tensor never needs one staging copy of its whole size.
 */
export const TRANSFER_CHUNK_BYTES = 16 * 1024 * 1024;
/** Every dtype the device holds takes 4 bytes an element (bool as a u32). */
const DEVICE_ELEMENT_BYTES = 4;

/** Where the current values of an array are. */
type Where = 'host' | 'device' | 'both';

interface Resident {
  readonly id: number;
  readonly length: number;
  readonly dtype: DType;
  where: Where;
  /** Counts the kernels that wrote it: a read that a later kernel overtook is not applied. */
  version: number;
}

/** One buffer binding of a dispatch, in binding order. */
interface Binding {
  readonly array: StridedArray;
  /** Written by the kernel. */
  readonly write?: boolean;
  /** Every element of the array's buffer is written (so its old values need not be uploaded). */
  readonly whole?: boolean;
}

function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function dtypeOf(a: StridedArray): DType {
  return core.dtypeOfTypedArray(a.data);
}

/** Whether a kernel writing every element of view `a` writes all of its buffer. */
function coversBuffer(a: StridedArray): boolean {
  const n = sizeOf(a.shape);
  if (a.offset !== 0 || n !== a.data.length) return false;
  let expected = 1;
  for (let d = a.shape.length - 1; d >= 0; d--) {
    if (a.shape[d] !== 1 && a.strides[d] !== expected) return false;
    expected *= a.shape[d]!;
  }
  return true;
}

// The bits of `value` stored as `dtype` (JavaScript's typed-array conversion), as a u32.
function bitsOf(value: number, dtype: DType): number {
  const held = new (core.typedArrayConstructor(dtype))(1);
  held[0] = value;
  if (dtype === 'float32') return new Uint32Array(held.buffer)[0]!;
  if (dtype === 'int32') return held[0]! >>> 0;
  return held[0]!;
}

// The output grid [oh, ow] of a convolution whose columns are cols [N, C*kh*kw, oh*ow].
function colsGrid(width: number, g: Conv2dGeometry, cols: StridedArray): [number, number] {
  const [, kw] = g.kernel;
  const ow =
    Math.floor((width + 2 * g.padding[1] - g.dilation[1] * (kw - 1) - 1) / g.stride[1]) + 1;
  return [cols.shape[2]! / ow, ow];
}

function groupsFor(count: number, perGroup: number): [number, number, number] {
  const groups = Math.ceil(count / perGroup);
  const x = Math.min(groups, MAX_GROUPS);
  return [x, Math.ceil(groups / x), 1];
}

// A bool output (one u32 per element on the device) from a formula of either kind.
function asBoolOut(f: Formula, body: string): string {
  return core.isBooleanNode(f.node)
    ? `select(0u, 1u, ${body})`
    : `select(0u, 1u, gd_ne(${body}, 0.0f))`;
}

function slotNames(
  params: readonly ParamSpec[] | undefined,
  slots: string[],
): Record<string, string> {
  return Object.fromEntries((params ?? []).map((p, i) => [p.name, slots[i]!]));
}

/** A backend whose kernels run on a WebGPU device (registered through the facade in index.ts). */
export class WebGpuDevice implements Backend {
  readonly name = 'webgpu';
  readonly device = true;
  // GPU math functions are a few ulps from correctly rounded, and sums accumulate in float32.
  readonly float32Tolerance = 3e-5;
  private link: DeviceLink | null = null;
  private deviceLimits: DeviceLimits | null = null;
  private readonly residents = new WeakMap<TypedArray, Resident>();
  // Arrays this backend allocated that nobody has written yet: zeros on both sides.
  private readonly fresh = new WeakSet<TypedArray>();
  private readonly sent = new Set<string>();
  private readonly freed = new FinalizationRegistry<number>((id) =>
    this.link?.push({ op: 'free', id }),
  );
  private nextId = 1;

  /** A device backend calling the package's functions given in `core`. */
  constructor(given: BackendCore) {
    core = given;
    WGSL = wgslF32Language(core.isBooleanNode);
  }

  /** The adapter in use, or null before the backend has been activated. */
  get adapter(): string | null {
    return this.link?.adapter ?? null;
  }

  /** The backend that runs what the GPU does not (float64, integer arithmetic). */
  get cpu(): Backend {
    return core.cpuBackend();
  }

  /**
   * The limits the backend keeps to: the device's, lowered by `GD_WEBGPU_LIMITS` where that
   * asks for less. Null before the backend has been activated.
   */
  get limits(): DeviceLimits | null {
    return this.deviceLimits;
  }

  activate(): void {
    if (!this.link) {
      // Read first: a malformed request fails before a device is started.
      const requested = requestedLimits();
      const worker = startWorker();
      try {
        this.link = DeviceLink.connectSync(worker, dawnOptions());
      } catch (e) {
        worker.terminate();
        throw noAdapter(e as Error);
      }
      this.deviceLimits = lowerLimits(this.link.limits, requested);
    }
    this.hook();
  }

  /** Connects without blocking (a browser's main thread). */
  async activateAsync(options?: { workerUrl?: string | URL }): Promise<void> {
    if (!this.link) {
      // Read first: a malformed request fails before a device is started.
      const requested = requestedLimits();
      const worker = startWorker(options?.workerUrl);
      try {
        this.link = await DeviceLink.connect(worker, dawnOptions());
      } catch (e) {
        worker.terminate();
        throw (e as Error).message.startsWith(WORKER_MISSING) ? e : noAdapter(e as Error);
      }
      this.deviceLimits = lowerLimits(this.link.limits, requested);
    }
    this.hook();
  }

  private hook(): void {
    core.setHostAccessHook((data) => this.toHost(data, true));
    core.setAsyncHostAccessHook((data) => this.read(data));
  }

  alloc(dtype: DType, size: number): TypedArray {
    const a = new (core.typedArrayConstructor(dtype))(size);
    if (GPU_DTYPES.has(dtype)) this.fresh.add(a);
    return a;
  }

  // ---- residency -----------------------------------------------------------------------------

  private connected(): DeviceLink {
    if (!this.link) this.activate();
    return this.link!;
  }

  private resident(data: TypedArray): Resident {
    let r = this.residents.get(data);
    if (!r) {
      const dtype = core.dtypeOfTypedArray(data);
      const link = this.connected();
      const bytes = data.length * DEVICE_ELEMENT_BYTES;
      // Within maxBufferSize: every array reaches the device as a kernel's binding, checked
      // against the binding limit, which is never larger.
      r = { id: this.nextId++, length: data.length, dtype, where: 'host', version: 0 };
      link.push({ op: 'create', id: r.id, bytes });
      this.residents.set(data, r);
      this.freed.register(data, r.id);
      if (this.fresh.has(data)) {
        this.fresh.delete(data);
        r.where = 'both';
      }
    }
    return r;
  }

  /** Makes the device copy current (uploading unless `skipUpload`) and returns its id. */
  private toDevice(data: TypedArray, skipUpload = false): number {
    const r = this.resident(data);
    if (r.where === 'host') {
      if (!skipUpload) this.upload(data, r);
      r.where = 'both';
    }
    return r.id;
  }

  /** Elements per transfer message (see TRANSFER_CHUNK_BYTES). */
  private chunkElements(): number {
    const limits = this.deviceLimits!;
    const bytes = Math.min(TRANSFER_CHUNK_BYTES, limits.maxStorageBufferBindingSize / 4);
    return Math.max(1, Math.floor(bytes / DEVICE_ELEMENT_BYTES));
  }

  /**
   * Uploads the host copy in chunks, each a copy of its own handed to the worker; with more
   * than one, each goes out at once, so no message (nor the device's staging) holds them all.
   */
  private upload(data: TypedArray, r: Resident): void {
    const link = this.connected();
    const step = this.chunkElements();
    for (let start = 0; start < data.length; start += step) {
      const part = data.subarray(start, Math.min(data.length, start + step));
      const bytes = (r.dtype === 'bool' ? Uint32Array.from(part) : part.slice()).buffer;
      link.push(
        { op: 'write', id: r.id, offset: start * DEVICE_ELEMENT_BYTES, data: bytes },
        bytes,
      );
      if (data.length > step) link.flush();
    }
  }

  /**
   * Makes the host copy current; with `handOver`, the host copy becomes the one that counts
   * (the caller may write to it).
   */
  toHost(data: TypedArray, handOver: boolean): void {
    this.fresh.delete(data);
    const r = this.residents.get(data);
    if (!r) return;
    if (r.where === 'device') {
      const link = this.connected();
      for (const [start, count] of this.chunks(r.length)) {
        const bytes = link.readSync(
          r.id,
          start * DEVICE_ELEMENT_BYTES,
          count * DEVICE_ELEMENT_BYTES,
        );
        this.fromDeviceBytes(data, r, start, bytes);
      }
      r.where = 'both';
    }
    if (handOver) r.where = 'host';
  }

  /** [start, count] of each transfer chunk of `length` elements. */
  private chunks(length: number): [number, number][] {
    const step = this.chunkElements();
    const out: [number, number][] = [];
    for (let start = 0; start < length; start += step) {
      out.push([start, Math.min(step, length - start)]);
    }
    return out;
  }

  private fromDeviceBytes(data: TypedArray, r: Resident, start: number, bytes: ArrayBuffer): void {
    if (r.dtype === 'bool') data.set(new Uint32Array(bytes), start);
    else data.set(new (core.typedArrayConstructor(r.dtype))(bytes) as never, start);
  }

  /** The values of `data` without blocking (the async readers of tensors). */
  async read(data: TypedArray): Promise<void> {
    const r = this.residents.get(data);
    if (!r || r.where !== 'device') return;
    const link = this.connected();
    const version = r.version;
    // Chunk after chunk, so one staging buffer of a chunk's size at a time. While we wait the
    // host may take the values over, or a kernel write them again: then this read is dropped
    // (the host copy of a 'device' array counts for nothing, so the chunks written stand).
    for (const [start, count] of this.chunks(r.length)) {
      const bytes = await link.readAsync(
        r.id,
        start * DEVICE_ELEMENT_BYTES,
        count * DEVICE_ELEMENT_BYTES,
      );
      if (r.where !== 'device' || r.version !== version) return;
      this.fromDeviceBytes(data, r, start, bytes);
    }
    r.where = 'both';
  }

  /** Waits, blocking this thread, until every queued kernel has run. */
  synchronize(): void {
    if (!this.link) return;
    this.toHost(this.probe(), false);
  }

  /** Waits, without blocking, until every queued kernel has run. */
  async synchronizeAsync(): Promise<void> {
    if (!this.link) return;
    await this.read(this.probe());
  }

  // A one-element buffer marked as written by the GPU: reading it waits for the queue.
  private probe(): TypedArray {
    const probe = this.alloc('float32', 1);
    this.toDevice(probe);
    this.residents.get(probe)!.where = 'device';
    return probe;
  }

  // ---- dispatch --------------------------------------------------------------------------------

  private run(
    kernel: string,
    source: () => string,
    bindings: readonly Binding[],
    meta: Uint32Array,
    groups: readonly [number, number, number],
  ): void {
    const link = this.connected();
    this.checkBindings(kernel, bindings);
    // An output that the kernel writes in full needs no upload, unless it is also read.
    const readsData = (b: Binding): boolean =>
      bindings.some((o) => o !== b && o.array.data === b.array.data);
    const ids = bindings.map((b) =>
      this.toDevice(b.array.data, !!b.write && !!b.whole && coversBuffer(b.array) && !readsData(b)),
    );

    // WebGPU forbids binding a buffer writable and readable in one dispatch: an output that
    // aliases an input is computed into a copy, then copied back.
    const swaps: [number, number, number][] = [];
    bindings.forEach((b, k) => {
      if (!b.write) return;
      const aliased = ids.some((id, j) => j !== k && id === ids[k]);
      if (!aliased) return;
      const temp = this.nextId++;
      const bytes = b.array.data.length * 4;
      link.push({ op: 'create', id: temp, bytes });
      link.push({ op: 'copy', src: ids[k]!, dst: temp, bytes });
      swaps.push([ids[k]!, temp, bytes]);
      ids[k] = temp;
    });
    let src: string | undefined;
    if (!this.sent.has(kernel)) {
      src = source();
      this.sent.add(kernel);
    }
    link.push({
      op: 'run',
      kernel,
      ...(src !== undefined ? { source: src } : {}),
      buffers: ids,
      meta,
      groups,
    });
    for (const [id, temp, bytes] of swaps) {
      link.push({ op: 'copy', src: temp, dst: id, bytes });
      link.push({ op: 'free', id: temp });
    }
    for (const b of bindings) {
      if (!b.write) continue;
      const r = this.residents.get(b.array.data)!;
      r.where = 'device';
      r.version++;
    }
  }

  /** A kernel binds its operands' whole buffers: each must be within the binding limit. */
  private checkBindings(kernel: string, bindings: readonly Binding[]): void {
    const limit = this.deviceLimits!.maxStorageBufferBindingSize;
    for (const b of bindings) {
      const bytes = b.array.data.length * DEVICE_ELEMENT_BYTES;
      if (bytes <= limit) continue;
      throw new Error(
        `webgpu: the ${kernel.split(':')[0]} kernel would bind a ${dtypeOf(b.array)} tensor storage of ${b.array.data.length} elements = ${formatBytes(bytes)}, more than the maxStorageBufferBindingSize of this device (${this.link!.adapter}), ${formatBytes(limit)}; ${TOO_BIG_ADVICE}`,
      );
    }
  }

  /** Runs a CPU kernel on host copies of its operands; the outputs stay on the host. */
  private onCpu(
    inputs: readonly StridedArray[],
    outputs: readonly StridedArray[],
    fn: (cpu: Backend) => void,
  ): void {
    for (const a of inputs) this.toHost(a.data, false);
    for (const a of outputs) this.toHost(a.data, true);
    fn(this.cpu);
  }

  // ---- elementwise -------------------------------------------------------------------------------

  private elementwise(
    kernel: string,
    body: () => string,
    out: StridedArray,
    inputs: readonly { name: string; array: StridedArray }[],
    params: { p0?: number; p1?: number; p0Bits?: number } = {},
  ): void {
    const count = sizeOf(out.shape);
    if (count === 0) return;
    const nest = core.coalesce(out.shape, [out.strides, ...inputs.map((i) => i.array.strides)]);
    const M = ELEMENTWISE_META;
    const meta = new Uint32Array(M.size(inputs.length + 1));
    meta[M.count] = count;
    meta[M.ndim] = nest.shape.length;
    meta.set(nest.shape, M.shape);
    meta[M.p0] = params.p0Bits ?? bitsOf(params.p0 ?? 0, 'float32');
    meta[M.p1] = bitsOf(params.p1 ?? 0, 'float32');
    const operands = [out, ...inputs.map((i) => i.array)];
    operands.forEach((a, k) => {
      meta[M.operand(k)] = a.offset;
      new Int32Array(meta.buffer, (M.operand(k) + 1) * 4, MAX_DIMS).set(nest.strides[k]!);
    });
    const dtypes = inputs.map((i) => ({ name: i.name, dtype: dtypeOf(i.array) }));
    this.run(
      kernel,
      () => elementwiseSource(dtypeOf(out), dtypes, body()),
      [{ array: out, write: true, whole: true }, ...inputs.map((i) => ({ array: i.array }))],
      meta,
      groupsFor(count, WORKGROUP),
    );
  }

  private fits(...arrays: (StridedArray | null)[]): boolean {
    return arrays.every(
      (a) => a === null || (a.shape.length <= MAX_DIMS && GPU_DTYPES.has(dtypeOf(a))),
    );
  }

  unary(op: UnaryOp, x: StridedArray, out: StridedArray, p0: number, p1: number): void {
    const outType = dtypeOf(out);
    const formula = core.unaryFormula(op);
    if (
      !this.fits(x, out) ||
      dtypeOf(x) !== 'float32' ||
      (outType !== 'float32' && outType !== 'bool') ||
      !core.renders(formula, WGSL)
    ) {
      this.onCpu([x], [out], (cpu) => cpu.unary(op, x, out, p0, p1));
      return;
    }
    this.elementwise(
      `unary:${op}:${outType}`,
      () => {
        const body = core.render(
          formula,
          WGSL,
          slotNames(core.unaryEntry(op).params, ['p0', 'p1']),
        );
        return outType === 'bool' ? asBoolOut(formula, body) : body;
      },
      out,
      [{ name: 'x', array: x }],
      { p0, p1 },
    );
  }

  binary(op: KernelBinaryOp, a: StridedArray, b: StridedArray, out: StridedArray, p: number): void {
    const outType = dtypeOf(out);
    const formula = core.binaryFormula(op);
    if (this.fits(a, b, out) && this.intBinary(op, a, b, out, p)) return;
    if (
      !this.fits(a, b, out) ||
      dtypeOf(a) !== 'float32' ||
      dtypeOf(b) !== 'float32' ||
      (outType !== 'float32' && outType !== 'bool') ||
      !core.renders(formula, WGSL)
    ) {
      this.onCpu([a, b], [out], (cpu) => cpu.binary(op, a, b, out, p));
      return;
    }
    this.elementwise(
      `binary:${op}:${outType}`,
      () => {
        const body = core.render(formula, WGSL, slotNames(core.binaryEntry(op).params, ['p0']));
        return outType === 'bool' ? asBoolOut(formula, body) : body;
      },
      out,
      [
        { name: 'a', array: a },
        { name: 'b', array: b },
      ],
      { p0: p },
    );
  }

  /**
   * int32 operands with an int32 or bool result (labels, indices, counts): the formula in WGSL's
   * integer arithmetic, wrapping as typed arrays do. False where the formula has no integer form
   * (a math function, a fractional constant or parameter).
   */
  private intBinary(
    op: KernelBinaryOp,
    a: StridedArray,
    b: StridedArray,
    out: StridedArray,
    p: number,
  ): boolean {
    const outType = dtypeOf(out);
    if (dtypeOf(a) !== 'int32' || dtypeOf(b) !== 'int32') return false;
    if ((outType !== 'int32' && outType !== 'bool') || !Number.isInteger(p)) return false;
    const formula = core.binaryFormula(op);
    if (!core.renders(formula, WGSL_I32)) return false;
    let body: string;
    try {
      body = core.render(formula, WGSL_I32, {
        ...slotNames(core.binaryEntry(op).params, ['i32(p0)']),
      });
    } catch {
      return false;
    }
    const result = core.isBooleanNode(formula.node)
      ? outType === 'bool'
        ? `select(0u, 1u, ${body})`
        : `select(0i, 1i, ${body})`
      : outType === 'bool'
        ? `select(0u, 1u, ${body} != 0i)`
        : body;
    this.elementwise(
      `binary-i32:${op}:${outType}`,
      () => result,
      out,
      [
        { name: 'a', array: a },
        { name: 'b', array: b },
      ],
      { p0: p },
    );
    return true;
  }

  where(cond: StridedArray, a: StridedArray, b: StridedArray, out: StridedArray): void {
    const t = dtypeOf(out);
    if (
      !this.fits(cond, a, b, out) ||
      dtypeOf(cond) !== 'bool' ||
      dtypeOf(a) !== t ||
      dtypeOf(b) !== t
    ) {
      this.onCpu([cond, a, b], [out], (cpu) => cpu.where(cond, a, b, out));
      return;
    }
    this.elementwise(`where:${t}`, () => 'select(b, a, c != 0u)', out, [
      { name: 'c', array: cond },
      { name: 'a', array: a },
      { name: 'b', array: b },
    ]);
  }

  copy(src: StridedArray, dst: StridedArray): void {
    if (!this.fits(src, dst)) {
      this.onCpu([src], [dst], (cpu) => cpu.copy(src, dst));
      return;
    }
    const from = dtypeOf(src);
    const to = dtypeOf(dst);
    this.elementwise(`copy:${from}:${to}`, () => convertExpr('s', from, to), dst, [
      { name: 's', array: src },
    ]);
  }

  fill(dst: StridedArray, value: number): void {
    if (!this.fits(dst)) {
      this.onCpu([], [dst], (cpu) => cpu.fill(dst, value));
      return;
    }
    const t = dtypeOf(dst);
    this.elementwise(`fill:${t}`, () => fillValue(t), dst, [], { p0Bits: bitsOf(value, t) });
  }

  // ---- reductions --------------------------------------------------------------------------------

  reduce(op: ReduceOp, x: StridedArray, dims: readonly number[], out: StridedArray): void {
    const gpuOps: readonly string[] = ['sum', 'prod', 'max', 'min', 'logsumexp'];
    const keep = x.shape.map((_, d) => d).filter((d) => !dims.includes(d));
    const count = sizeOf(out.shape);
    const reduced = sizeOf(dims.map((d) => x.shape[d]!));
    const floats = dtypeOf(x) === 'float32' && dtypeOf(out) === 'float32';
    // Sums, products and extremes of int32 or bool into int32 (counts of correct predictions).
    const ints = dtypeOf(x) !== 'float32' && dtypeOf(out) === 'int32' && op !== 'logsumexp';
    if (!gpuOps.includes(op) || !this.fits(x, out) || !(floats || ints) || reduced === 0) {
      this.onCpu([x], [out], (cpu) => cpu.reduce(op, x, dims, out));
      return;
    }
    if (count === 0) return;
    const R = REDUCE_META;
    const meta = new Uint32Array(R.size);
    const i32 = new Int32Array(meta.buffer);
    meta[R.count] = count;
    meta[R.reduced] = reduced;
    meta[R.keepDims] = keep.length;
    meta[R.redDims] = dims.length;
    keep.forEach((d, k) => {
      meta[R.keepShape + k] = x.shape[d]!;
      i32[R.keepX + k] = x.strides[d]!;
      i32[R.keepOut + k] = out.strides[d]!;
    });
    dims.forEach((d, k) => {
      meta[R.redShape + k] = x.shape[d]!;
      i32[R.redX + k] = x.strides[d]!;
    });
    meta[R.xOffset] = x.offset;
    meta[R.outOffset] = out.offset;
    const gop = op as GpuReduceOp;
    const input = dtypeOf(x);
    this.run(
      `reduce:${op}:${input}`,
      () => reduceSource(gop, input),
      [{ array: out, write: true, whole: true }, { array: x }],
      meta,
      groupsFor(count, 1),
    );
  }

  /** The meta block of a line kernel over `x` along `dim` with its companion operands. */
  private lineMeta(
    x: StridedArray,
    dim: number,
    operands: readonly StridedArray[],
    flag = 0,
  ): Uint32Array {
    const L = LINE_META;
    const meta = new Uint32Array(L.size);
    const i32 = new Int32Array(meta.buffer);
    const others = x.shape.map((_, d) => d).filter((d) => d !== dim);
    meta[L.count] = sizeOf(others.map((d) => x.shape[d]!));
    meta[L.len] = x.shape[dim]!;
    meta[L.ndim] = others.length;
    others.forEach((d, k) => {
      meta[L.shape + k] = x.shape[d]!;
      operands.forEach((a, j) => (i32[L.strides(j) + k] = a.strides[d]!));
    });
    operands.forEach((a, j) => {
      meta[L.offset(j)] = a.offset;
      i32[L.step(j)] = a.strides[dim]!;
    });
    meta[L.flag] = flag;
    return meta;
  }

  argReduce(
    op: 'max' | 'min',
    x: StridedArray,
    dim: number,
    values: StridedArray | null,
    indices: StridedArray,
  ): void {
    if (
      !this.fits(x, values, indices) ||
      dtypeOf(x) !== 'float32' ||
      (values !== null && dtypeOf(values) !== 'float32') ||
      x.shape[dim] === 0
    ) {
      this.onCpu([x], values ? [values, indices] : [indices], (cpu) =>
        cpu.argReduce(op, x, dim, values, indices),
      );
      return;
    }
    const meta = this.lineMeta(x, dim, values ? [x, indices, values] : [x, indices]);
    if (meta[LINE_META.count] === 0) return;
    this.run(
      `arg${op}:${values ? 'values' : 'indices'}`,
      () => argReduceSource(op, values !== null),
      [
        { array: indices, write: true, whole: true },
        { array: x },
        ...(values ? [{ array: values, write: true, whole: true }] : []),
      ],
      meta,
      groupsFor(meta[LINE_META.count]!, WORKGROUP),
    );
  }

  softmax(x: StridedArray, dim: number, out: StridedArray, log: boolean): void {
    if (!this.fits(x, out) || dtypeOf(x) !== 'float32' || dtypeOf(out) !== 'float32') {
      this.onCpu([x], [out], (cpu) => cpu.softmax(x, dim, out, log));
      return;
    }
    if (x.shape[dim] === 0) return;
    const meta = this.lineMeta(x, dim, [x, out], log ? 1 : 0);
    if (meta[LINE_META.count] === 0) return;
    this.run(
      'softmax',
      softmaxSource,
      [{ array: out, write: true, whole: true }, { array: x }],
      meta,
      groupsFor(meta[LINE_META.count]!, WORKGROUP),
    );
  }

  // ---- matmul ------------------------------------------------------------------------------------

  matmul(a: StridedArray, b: StridedArray, out: StridedArray): void {
    const nd = out.shape.length;
    const batchShape = out.shape.slice(0, -2);
    const batch = sizeOf(batchShape);
    const [m, n] = [out.shape[nd - 2]!, out.shape[nd - 1]!];
    const k = a.shape[nd - 1]!;
    if (
      !this.fits(a, b, out) ||
      [a, b, out].some((t) => dtypeOf(t) !== 'float32') ||
      batch > MAX_GROUPS ||
      Math.ceil(m / TILE) > MAX_GROUPS ||
      Math.ceil(n / TILE) > MAX_GROUPS
    ) {
      this.onCpu([a, b], [out], (cpu) => cpu.matmul(a, b, out));
      return;
    }
    if (batch === 0 || m === 0 || n === 0) return;
    const T = MATMUL_META;
    const meta = new Uint32Array(T.size);
    const i32 = new Int32Array(meta.buffer);
    meta[T.m] = m;
    meta[T.k] = k;
    meta[T.n] = n;
    meta[T.batch] = batch;
    meta[T.batchDims] = batchShape.length;
    batchShape.forEach((s, d) => {
      meta[T.batchShape + d] = s;
      i32[T.aBatch + d] = a.strides[d]!;
      i32[T.bBatch + d] = b.strides[d]!;
    });
    i32[T.aRow] = a.strides[nd - 2]!;
    i32[T.aCol] = a.strides[nd - 1]!;
    i32[T.bRow] = b.strides[nd - 2]!;
    i32[T.bCol] = b.strides[nd - 1]!;
    meta[T.aOffset] = a.offset;
    meta[T.bOffset] = b.offset;
    meta[T.outOffset] = out.offset;
    this.run(
      'matmul',
      matmulSource,
      [{ array: out, write: true, whole: true }, { array: a }, { array: b }],
      meta,
      [Math.ceil(n / TILE), Math.ceil(m / TILE), batch],
    );
  }

  // ---- indexing ----------------------------------------------------------------------------------

  /** Bounds of an index array still on the host are checked there, as the CPU kernels do. */
  private checkIndices(index: StridedArray, size: number, dim: number): void {
    const r = this.residents.get(index.data);
    if (r && r.where === 'device') return; // made by a GPU kernel, in range by construction
    const nest = core.coalesce(index.shape, [index.strides]);
    const walk = (d: number, off: number): void => {
      if (d === nest.shape.length) {
        const i = index.data[off]!;
        if (i < 0 || i >= size) {
          throw new RangeError(
            `index ${i} is out of bounds for dimension ${dim} with size ${size}`,
          );
        }
        return;
      }
      for (let j = 0; j < nest.shape[d]!; j++) walk(d + 1, off + j * nest.strides[0]![d]!);
    };
    if (sizeOf(index.shape) > 0) walk(0, index.offset);
  }

  private indexMeta(
    index: StridedArray,
    walked: StridedArray,
    indexed: StridedArray,
    dim: number,
  ): Uint32Array {
    const I = INDEX_META;
    const meta = new Uint32Array(I.size);
    const i32 = new Int32Array(meta.buffer);
    meta[I.count] = sizeOf(index.shape);
    meta[I.ndim] = index.shape.length;
    meta.set(index.shape, I.shape);
    const line = core.lineStrides(indexed, dim);
    [index.strides, walked.strides, line].forEach((s, k) =>
      i32.set(s.slice(0, index.shape.length), I.strides(k)),
    );
    [index, walked, indexed].forEach((a, k) => (meta[I.offset(k)] = a.offset));
    meta[I.size_] = indexed.shape[dim]!;
    i32[I.step] = indexed.strides[dim]!;
    return meta;
  }

  gather(x: StridedArray, dim: number, index: StridedArray, out: StridedArray): void {
    const t = dtypeOf(x);
    if (!this.fits(x, index, out) || dtypeOf(index) !== 'int32' || dtypeOf(out) !== t) {
      this.onCpu([x, index], [out], (cpu) => cpu.gather(x, dim, index, out));
      return;
    }
    this.checkIndices(index, x.shape[dim]!, dim);
    const meta = this.indexMeta(index, out, x, dim);
    if (meta[INDEX_META.count] === 0) return;
    this.run(
      `gather:${t}`,
      () => gatherSource(t),
      [{ array: out, write: true }, { array: index }, { array: x }],
      meta,
      groupsFor(meta[INDEX_META.count]!, WORKGROUP),
    );
  }

  scatter(
    out: StridedArray,
    dim: number,
    index: StridedArray,
    src: StridedArray,
    accumulate: boolean,
  ): void {
    const t = dtypeOf(out);
    const gpu = accumulate ? t === 'float32' || t === 'int32' : true;
    if (!gpu || !this.fits(out, index, src) || dtypeOf(index) !== 'int32' || dtypeOf(src) !== t) {
      this.onCpu([index, src], [out], (cpu) => cpu.scatter(out, dim, index, src, accumulate));
      return;
    }
    this.checkIndices(index, out.shape[dim]!, dim);
    const meta = this.indexMeta(index, src, out, dim);
    if (meta[INDEX_META.count] === 0) return;
    this.run(
      `scatter:${t}:${accumulate}`,
      () => scatterSource(t, accumulate),
      [{ array: out, write: true }, { array: index }, { array: src }],
      meta,
      groupsFor(meta[INDEX_META.count]!, WORKGROUP),
    );
  }

  // ---- convolution and pooling -------------------------------------------------------------------

  private convMeta(
    planes: StridedArray,
    g: Conv2dGeometry,
    oh: number,
    ow: number,
    operands: readonly StridedArray[],
    count: number,
    flag = 0,
  ): Uint32Array {
    const C = CONV_META;
    const meta = new Uint32Array(C.size);
    const i32 = new Int32Array(meta.buffer);
    meta[C.count] = count;
    [meta[C.n], meta[C.c], meta[C.h], meta[C.w]] = planes.shape as [number, number, number, number];
    [meta[C.kh], meta[C.kw]] = g.kernel;
    [meta[C.sh], meta[C.sw]] = g.stride;
    [meta[C.ph], meta[C.pw]] = g.padding;
    [meta[C.dh], meta[C.dw]] = g.dilation;
    meta[C.oh] = oh;
    meta[C.ow] = ow;
    meta[C.flag] = flag;
    operands.forEach((a, k) => {
      i32.set(a.strides, C.strides(k));
      meta[C.offset(k)] = a.offset;
    });
    return meta;
  }

  private floats(...arrays: StridedArray[]): boolean {
    return arrays.every((a) => dtypeOf(a) === 'float32');
  }

  im2col(x: StridedArray, g: Conv2dGeometry, cols: StridedArray): void {
    if (!this.floats(x, cols)) {
      this.onCpu([x], [cols], (cpu) => cpu.im2col(x, g, cols));
      return;
    }
    const count = sizeOf(cols.shape);
    if (count === 0) return;
    const [oh, ow] = colsGrid(x.shape[3]!, g, cols);
    this.run(
      'im2col',
      im2colSource,
      [{ array: cols, write: true, whole: true }, { array: x }],
      this.convMeta(x, g, oh, ow, [x, cols], count),
      groupsFor(count, WORKGROUP),
    );
  }

  col2im(cols: StridedArray, g: Conv2dGeometry, out: StridedArray): void {
    if (!this.floats(cols, out)) {
      this.onCpu([cols], [out], (cpu) => cpu.col2im(cols, g, out));
      return;
    }
    const count = sizeOf(out.shape);
    if (count === 0) return;
    const [oh, ow] = colsGrid(out.shape[3]!, g, cols);
    this.run(
      'col2im',
      col2imSource,
      [{ array: out, write: true }, { array: cols }],
      this.convMeta(out, g, oh, ow, [cols, out], count),
      groupsFor(count, WORKGROUP),
    );
  }

  maxPool2d(x: StridedArray, g: Conv2dGeometry, out: StridedArray, indices: StridedArray): void {
    if (!this.floats(x, out) || dtypeOf(indices) !== 'int32') {
      this.onCpu([x], [out, indices], (cpu) => cpu.maxPool2d(x, g, out, indices));
      return;
    }
    const count = sizeOf(out.shape);
    if (count === 0) return;
    this.run(
      'maxPool2d',
      maxPool2dSource,
      [
        { array: out, write: true, whole: true },
        { array: indices, write: true, whole: true },
        { array: x },
      ],
      this.convMeta(x, g, out.shape[2]!, out.shape[3]!, [x, out, indices], count),
      groupsFor(count, WORKGROUP),
    );
  }

  avgPool2d(x: StridedArray, g: Conv2dGeometry, out: StridedArray, countIncludePad: boolean): void {
    if (!this.floats(x, out)) {
      this.onCpu([x], [out], (cpu) => cpu.avgPool2d(x, g, out, countIncludePad));
      return;
    }
    const count = sizeOf(out.shape);
    if (count === 0) return;
    this.run(
      'avgPool2d',
      avgPool2dSource,
      [{ array: out, write: true, whole: true }, { array: x }],
      this.convMeta(x, g, out.shape[2]!, out.shape[3]!, [x, out], count, countIncludePad ? 1 : 0),
      groupsFor(count, WORKGROUP),
    );
  }

  avgPool2dBackward(
    gradOut: StridedArray,
    g: Conv2dGeometry,
    out: StridedArray,
    countIncludePad: boolean,
  ): void {
    if (!this.floats(gradOut, out)) {
      this.onCpu([gradOut], [out], (cpu) =>
        cpu.avgPool2dBackward(gradOut, g, out, countIncludePad),
      );
      return;
    }
    const count = sizeOf(out.shape);
    if (count === 0) return;
    this.run(
      'avgPool2dBackward',
      avgPool2dBackwardSource,
      [{ array: out, write: true }, { array: gradOut }],
      this.convMeta(
        out,
        g,
        gradOut.shape[2]!,
        gradOut.shape[3]!,
        [gradOut, out],
        count,
        countIncludePad ? 1 : 0,
      ),
      groupsFor(count, WORKGROUP),
    );
  }
}

// ---- the worker ------------------------------------------------------------------------------

interface NodeWorker {
  postMessage(m: unknown, transfer?: ArrayBuffer[]): void;
  on(event: 'message', fn: (m: FromHost) => void): void;
  on(event: 'error', fn: (e: Error) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}
type NodeWorkerCtor = new (url: URL, options?: object) => NodeWorker;

const isNode =
  typeof (globalThis as { process?: NodeJS.Process }).process?.versions?.node === 'string';
// Loaded up front so that a backend switch can start the worker synchronously.
// A variable specifier keeps bundlers for the browser from resolving node:worker_threads.
const WORKER_THREADS = 'node:worker_threads';
const NodeWorkerClass: NodeWorkerCtor | null = isNode
  ? ((await import(/* @vite-ignore */ WORKER_THREADS)) as { Worker: NodeWorkerCtor }).Worker
  : null;

// src/backend/webgpu and dist/backend/webgpu are both three levels below the package root, and
// the worker must be JavaScript: it is always the built one.
const DEFAULT_WORKER_URL = new URL('../../../dist/backend/webgpu/worker.js', import.meta.url);

const WORKER_MISSING = 'webgpu: the device worker could not be started';

function startWorker(url: string | URL = DEFAULT_WORKER_URL): HostWorker {
  const handlers: ((m: FromHost) => void)[] = [];
  const dispatch = (m: FromHost): void => {
    for (const h of [...handlers]) h(m);
  };
  if (NodeWorkerClass) {
    const w = new NodeWorkerClass(new URL(url));
    w.on('message', dispatch);
    w.on('error', (e) =>
      dispatch({ type: 'ready', error: `the WebGPU worker failed: ${e.message}` }),
    );
    w.unref();
    return {
      post: (m: ToHost, transfer) => w.postMessage(m, transfer),
      onMessage: (h) => handlers.push(h),
      hold: (on) => (on ? w.ref() : w.unref()),
      terminate: () => void w.terminate(),
    };
  }
  const w = new Worker(url, { type: 'module' });
  let started = false;
  w.onmessage = (e: MessageEvent<FromHost>) => {
    started = true;
    dispatch(e.data);
  };
  // A script that is not there (a bundle that moved the package) fails before any message.
  w.onerror = (e: ErrorEvent) => {
    if (started) return;
    const href = new URL(url, (globalThis as { location?: { href: string } }).location?.href).href;
    dispatch({
      type: 'ready',
      error: `${WORKER_MISSING} from ${href}${e.message ? ` (${e.message})` : ''}: where a bundler moved @gd/tensor, build '@gd/tensor/webgpu-worker' as an entry of its own (Vite: import workerUrl from '@gd/tensor/webgpu-worker?worker&url') and pass its URL: initWebGpu({ workerUrl })`,
    });
  };
  return {
    post: (m: ToHost, transfer) => w.postMessage(m, transfer),
    onMessage: (h) => handlers.push(h),
    hold: () => {},
    terminate: () => w.terminate(),
  };
}

const TOO_BIG_ADVICE =
  "split it into smaller tensors (x.split, x.chunk), or compute this on a CPU backend (setBackend('wasm'))";

function formatBytes(bytes: number): string {
  return `${bytes} bytes (${(bytes / 2 ** 20).toFixed(1)} MiB)`;
}

const LIMIT_NAMES = ['maxBufferSize', 'maxStorageBufferBindingSize'] as const;

/**
 * Lower limits asked for with `GD_WEBGPU_LIMITS` (Node's environment, or
 * `globalThis.GD_WEBGPU_LIMITS` in a browser), e.g.
 * `maxStorageBufferBindingSize=134217728,maxBufferSize=268435456`: to try what a smaller GPU
 * allows, or to cap what the backend puts on the device.
 */
export function requestedLimits(): Partial<DeviceLimits> {
  const g = globalThis as { GD_WEBGPU_LIMITS?: unknown; process?: NodeJS.Process };
  const text =
    typeof g.GD_WEBGPU_LIMITS === 'string' ? g.GD_WEBGPU_LIMITS : g.process?.env?.GD_WEBGPU_LIMITS;
  if (!text) return {};
  const out: Partial<Record<(typeof LIMIT_NAMES)[number], number>> = {};
  for (const item of text.split(',').filter(Boolean)) {
    const [name, value] = item.split('=').map((p) => p.trim());
    const n = Number(value);
    if (!LIMIT_NAMES.includes(name as never) || !Number.isInteger(n) || n < 4) {
      throw new Error(
        `webgpu: GD_WEBGPU_LIMITS=${JSON.stringify(text)}: '${item}' is not ${LIMIT_NAMES.map((l) => `${l}=<bytes, at least 4>`).join(' or ')}`,
      );
    }
    out[name as (typeof LIMIT_NAMES)[number]] = n;
  }
  return out;
}

/**
 * The device's limits, each lowered to the requested value where that is smaller, and the
 * binding limit never above the buffer limit (as WebGPU guarantees for a device's own).
 */
export function lowerLimits(device: DeviceLimits, requested: Partial<DeviceLimits>): DeviceLimits {
  const maxBufferSize = Math.min(device.maxBufferSize, requested.maxBufferSize ?? Infinity);
  return {
    maxBufferSize,
    maxStorageBufferBindingSize: Math.min(
      device.maxStorageBufferBindingSize,
      requested.maxStorageBufferBindingSize ?? Infinity,
      maxBufferSize,
    ),
  };
}

function noAdapter(e: Error): Error {
  const where = isNode
    ? 'the npm package "webgpu" (Dawn) with a Vulkan, Metal or D3D12 driver (on Linux without a GPU: Chromium\'s SwiftShader, VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json, with libvulkan1 installed)'
    : 'navigator.gpu in a module Web Worker';
  return new Error(
    `webgpu: no WebGPU adapter was found (${e.message.replace(/^webgpu: /, '')}); looked for ${where}`,
  );
}

// Dawn's options in Node (ignored by browsers): `GD_WEBGPU_OPTIONS="backend=vulkan,..."`.
function dawnOptions(): string[] {
  const env = (globalThis as { process?: NodeJS.Process }).process?.env?.GD_WEBGPU_OPTIONS;
  return env ? env.split(',').filter(Boolean) : [];
}
