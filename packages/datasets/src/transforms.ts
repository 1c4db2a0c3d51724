/**
 * Transforms in the style of torchvision: `Compose`, `ToTensor`, `Normalize`, `Lambda`, and two
 * seeded augmentations, `RandomCrop` and `RandomAffine`.
 *
 * Every transform has `apply(x)` for one sample. Those that can work on a whole batch
 * `[B, C, H, W]` at once also have `applyBatch(x)`; `MNIST.getBatch` uses it when every
 * transform in the pipeline has one (and fuses a leading `ToTensor` + `Normalize` into a lookup
 * table read straight from the uint8 pixels).
 */
import { Tensor, fromTypedArray, noGrad, stack } from '@gd/autograd';
import type { DType, Generator, TypedArray } from '@gd/tensor';
import {
  check as tensorCheck,
  defaultGenerator,
  isFloatingDType,
  typedArrayConstructor,
} from '@gd/tensor';
import type { Image } from './image.js';
import { isImage } from './image.js';

/**
 * A transform from `I` to `O`. `applyBatch`, when present, maps a batch `[B, C, H, W]` to the
 * batch of `apply` results (random transforms draw each sample's parameters in batch order, so
 * `applyBatch` consumes the generator exactly as `apply` on each sample in turn would).
 *
 * @example
 * ```ts
 * const double: Transform<Tensor, Tensor> = { apply: (x) => x.mul(2), applyBatch: (x) => x.mul(2) };
 * ```
 */
export interface Transform<I = unknown, O = unknown> {
  /** The transformed sample. */
  apply(x: I): O;
  /** The same transform on a whole batch `[B, C, H, W]` at once, where the transform can. */
  applyBatch?(x: Tensor): Tensor;
}

/** Any transform (inputs are checked at run time). */
export type AnyTransform = Transform<never, unknown>;

function describe(x: unknown): string {
  if (x instanceof Tensor) return `Tensor of shape [${x.shape.join(', ')}]`;
  if (isImage(x)) return `Image ${x.height}x${x.width}x${x.channels}`;
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  return typeof x === 'object' ? (x.constructor?.name ?? 'object') : typeof x;
}

function hasBatch(t: AnyTransform): t is AnyTransform & { applyBatch(x: Tensor): Tensor } {
  return typeof t.applyBatch === 'function';
}

function newArray(dtype: DType, n: number): TypedArray {
  return new (typedArrayConstructor(dtype))(n);
}

function checkImageTensor(name: string, x: unknown, minDims = 3): asserts x is Tensor {
  if (!(x instanceof Tensor)) {
    throw new TypeError(`${name}: expected a Tensor [..., C, H, W], got ${describe(x)}`);
  }
  if (x.ndim < minDims) {
    throw new RangeError(
      `${name}: expected a tensor image of size (..., C, H, W), got shape [${x.shape.join(', ')}]`,
    );
  }
}

function checkBatch(name: string, x: unknown): asserts x is Tensor {
  checkImageTensor(name, x);
  if (x.ndim !== 4) {
    throw new RangeError(
      `${name}.applyBatch: expected a batch [B, C, H, W], got shape [${x.shape.join(', ')}]`,
    );
  }
}

// ---- Compose / Lambda ------------------------------------------------------------------------

/** The input type of a pipeline: that of its first transform (an {@link Image} by default). */
export type ComposeInput<TS extends readonly AnyTransform[]> = TS extends readonly [
  infer F,
  ...unknown[],
]
  ? F extends { apply(x: infer I): unknown }
    ? I
    : unknown
  : Image;

/** The output type of a pipeline: that of its last transform (a Tensor by default). */
export type ComposeOutput<TS extends readonly AnyTransform[]> = TS extends readonly [
  ...unknown[],
  infer L,
]
  ? L extends { apply(x: never): infer O }
    ? O
    : unknown
  : Tensor;

/**
 * Applies transforms in order (torchvision's `Compose`). It has `applyBatch` exactly when
 * every transform in it does. Its input and output types are those of the first and last
 * transforms (`Image` in and `Tensor` out when the list is not a literal tuple), so
 * `new MNIST({ transform: new Compose([...]) })` knows that samples are Tensors.
 *
 * @example
 * ```ts
 * const transform = new Compose([new ToTensor(), new Normalize([0.1307], [0.3081])]);
 * const x = transform.apply(image); // Tensor [1, 28, 28]
 * ```
 */
export class Compose<
  const TS extends readonly AnyTransform[] = readonly AnyTransform[],
> implements Transform<ComposeInput<TS>, ComposeOutput<TS>> {
  /** The transforms, in order. */
  readonly transforms: TS;
  /** Present when every transform has `applyBatch`. */
  readonly applyBatch?: (x: Tensor) => Tensor;

  constructor(transforms: TS) {
    if (!Array.isArray(transforms)) {
      throw new TypeError('Compose: expected an array of transforms');
    }
    transforms.forEach((t: AnyTransform, i: number) => {
      if (typeof t !== 'object' || t === null || typeof t.apply !== 'function') {
        throw new TypeError(`Compose: transform at index ${i} has no apply(x) method`);
      }
    });
    this.transforms = [...transforms] as unknown as TS;
    const list: readonly AnyTransform[] = this.transforms;
    if (list.every(hasBatch)) {
      const batched = list as readonly (AnyTransform & { applyBatch(x: Tensor): Tensor })[];
      this.applyBatch = (x: Tensor): Tensor => batched.reduce((acc, t) => t.applyBatch(acc), x);
    }
  }

  /** The sample through every transform, in order. */
  apply(x: ComposeInput<TS>): ComposeOutput<TS> {
    let out: unknown = x;
    for (const t of this.transforms as readonly AnyTransform[]) out = t.apply(out as never);
    return out as ComposeOutput<TS>;
  }

  toString(): string {
    const list: readonly AnyTransform[] = this.transforms;
    return `Compose(\n${list.map((t) => `    ${String(t)}`).join('\n')}\n)`;
  }
}

/**
 * Wraps a function as a transform (torchvision's `Lambda`); `batchFn`, when given, becomes
 * `applyBatch`.
 *
 * @example
 * ```ts
 * const flatten = new Lambda((x: Tensor) => x.flatten(), (b: Tensor) => b.flatten(1));
 * ```
 */
export class Lambda<I = Tensor, O = Tensor> implements Transform<I, O> {
  /** The function applied to each sample. */
  readonly fn: (x: I) => O;
  /** Present when a batch function was given. */
  readonly applyBatch?: (x: Tensor) => Tensor;

  constructor(fn: (x: I) => O, batchFn?: (x: Tensor) => Tensor) {
    if (typeof fn !== 'function') {
      throw new TypeError(`Lambda: expected a function, got ${describe(fn)}`);
    }
    this.fn = fn;
    if (batchFn !== undefined) {
      if (typeof batchFn !== 'function') {
        throw new TypeError(`Lambda: batchFn must be a function, got ${describe(batchFn)}`);
      }
      this.applyBatch = batchFn;
    }
  }

  /** The sample through `fn`. */
  apply(x: I): O {
    return this.fn(x);
  }

  toString(): string {
    return 'Lambda()';
  }
}

/**
 * The transforms of a pipeline, with nested `Compose`s expanded, in order.
 *
 * @example
 * ```ts
 * flattenTransforms(new Compose([new ToTensor(), new Compose([norm])])); // [ToTensor, Normalize]
 * ```
 */
export function flattenTransforms(t: AnyTransform | undefined): AnyTransform[] {
  if (t === undefined) return [];
  if (t instanceof Compose) {
    return (t.transforms as readonly AnyTransform[]).flatMap((u) => flattenTransforms(u));
  }
  return [t];
}

// ---- ToTensor / Normalize --------------------------------------------------------------------

/**
 * ToTensor's value for one pixel byte: the float32 quotient `v / 255`, as PyTorch computes it.
 *
 * @example
 * ```ts
 * toTensorValue(255); // 1
 * ```
 */
export function toTensorValue(v: number): number {
  // A float64 quotient rounded to float32 equals the correctly rounded float32 quotient.
  return Math.fround(v / 255);
}

/**
 * Converts an 8-bit {@link Image} (HWC, or HW with one channel) to a float32 Tensor
 * `[C, H, W]` with values in [0, 1] (torchvision's `ToTensor`: `v / 255` in float32).
 * `applyBatch` takes a float batch `[B, C, H, W]` of raw 0..255 values and divides it by 255.
 *
 * @example
 * ```ts
 * const x = new ToTensor().apply({ data: new Uint8Array([0, 255]), height: 1, width: 2, channels: 1 });
 * x.toArray(); // [[[0, 1]]]
 * ```
 */
export class ToTensor implements Transform<Image, Tensor> {
  /** The image as a float32 `[C, H, W]` tensor in [0, 1]. */
  apply(img: Image): Tensor {
    if (!isImage(img)) {
      throw new TypeError(
        `ToTensor: expected an Image { data: Uint8Array, height, width, channels } with data.length = height*width*channels, got ${describe(img)}`,
      );
    }
    const { data, height: h, width: w, channels: c } = img;
    const hw = h * w;
    const out = new Float32Array(c * hw);
    if (c === 1) {
      for (let i = 0; i < hw; i++) out[i] = toTensorValue(data[i]!);
    } else {
      for (let p = 0; p < hw; p++) {
        for (let k = 0; k < c; k++) out[k * hw + p] = toTensorValue(data[p * c + k]!);
      }
    }
    return fromTypedArray(out, [c, h, w]);
  }

  /** The same transform on a whole batch `[B, C, H, W]` at once. */
  applyBatch(x: Tensor): Tensor {
    checkBatch('ToTensor', x);
    const src = x.value.data;
    const out = new Float32Array(src.length);
    for (let i = 0; i < src.length; i++) out[i] = Math.fround(Math.fround(src[i]!) / 255);
    return fromTypedArray(out, x.shape);
  }

  toString(): string {
    return 'ToTensor()';
  }
}

/**
 * Normalizes each channel of a float tensor image: `(x - mean[c]) / std[c]` (torchvision's
 * `Normalize`, computed in the tensor's precision; float32 means and stds are rounded to float32
 * first, as PyTorch does). Works on `[C, H, W]` and on batches `[B, C, H, W]`; `mean` and `std`
 * have one entry per channel or a single entry for all.
 *
 * @example
 * ```ts
 * const normalize = new Normalize([0.1307], [0.3081]); // MNIST's mean and std
 * normalize.apply(new ToTensor().apply(image));
 * ```
 */
export class Normalize implements Transform<Tensor, Tensor> {
  /** The mean subtracted from each channel. */
  readonly mean: readonly number[];
  /** The standard deviation each channel is divided by. */
  readonly std: readonly number[];

  constructor(mean: readonly number[], std: readonly number[]) {
    const check = (name: string, v: readonly number[]): number[] => {
      if (!Array.isArray(v) || v.length === 0 || v.some((e) => typeof e !== 'number')) {
        throw new TypeError(`Normalize: ${name} must be a non-empty array of numbers`);
      }
      return [...v];
    };
    this.mean = check('mean', mean);
    this.std = check('std', std);
    if (this.std.some((s) => Math.fround(s) === 0)) {
      throw new RangeError(
        `Normalize: std evaluated to zero after conversion to float32, leading to division by zero (std = [${this.std.join(', ')}])`,
      );
    }
    if (this.mean.length !== this.std.length && this.mean.length !== 1 && this.std.length !== 1) {
      throw new RangeError(
        `Normalize: mean has ${this.mean.length} entries but std has ${this.std.length}`,
      );
    }
  }

  /** The float32 result for value `v` in channel `c` (used for the fused MNIST fast path). */
  normalizeValue32(v: number, c: number): number {
    const m = Math.fround(this.mean[this.mean.length === 1 ? 0 : c]!);
    const s = Math.fround(this.std[this.std.length === 1 ? 0 : c]!);
    return Math.fround(Math.fround(v - m) / s);
  }

  private run(name: string, x: Tensor): Tensor {
    if (!isFloatingDType(x.dtype)) {
      throw new TypeError(`${name}: input tensor should be a float tensor, got ${x.dtype}`);
    }
    const shape = x.shape;
    const channels = shape[shape.length - 3]!;
    for (const [label, v] of [
      ['mean', this.mean],
      ['std', this.std],
    ] as const) {
      if (v.length !== 1 && v.length !== channels) {
        throw new RangeError(
          `${name}: ${label} has ${v.length} entries but the image has ${channels} channels`,
        );
      }
    }
    const plane = shape[shape.length - 2]! * shape[shape.length - 1]!;
    const src = x.value.data;
    const out = newArray(x.dtype, src.length);
    const f32 = x.dtype === 'float32';
    for (let base = 0, c = 0; base < src.length; base += plane, c = (c + 1) % channels) {
      let m = this.mean[this.mean.length === 1 ? 0 : c]!;
      let s = this.std[this.std.length === 1 ? 0 : c]!;
      if (f32) {
        m = Math.fround(m);
        s = Math.fround(s);
        for (let i = base; i < base + plane; i++) {
          out[i] = Math.fround(Math.fround(src[i]! - m) / s);
        }
      } else {
        for (let i = base; i < base + plane; i++) out[i] = (src[i]! - m) / s;
      }
    }
    return fromTypedArray(out, shape);
  }

  /** The transformed image tensor `[C, H, W]`. */
  apply(x: Tensor): Tensor {
    checkImageTensor('Normalize', x);
    return this.run('Normalize', x);
  }

  /** The same transform on a whole batch `[B, C, H, W]` at once. */
  applyBatch(x: Tensor): Tensor {
    checkBatch('Normalize', x);
    return this.run('Normalize', x);
  }

  toString(): string {
    return `Normalize(mean=[${this.mean.join(', ')}], std=[${this.std.join(', ')}])`;
  }
}

/**
 * For a pipeline that starts with `ToTensor` followed by any number of `Normalize`s, one
 * float32 lookup table per channel mapping a pixel byte to its transformed value, and the
 * transforms left after that prefix; `null` when the pipeline does not start with `ToTensor`.
 * An empty pipeline gives the identity table (raw 0..255 values).
 *
 * @example
 * ```ts
 * const plan = pixelLookup(flattenTransforms(transform), 1);
 * if (plan) out[i] = plan.luts[0][pixel];
 * ```
 */
export function pixelLookup(
  list: readonly AnyTransform[],
  channels: number,
): { luts: Float32Array[]; rest: AnyTransform[] } | null {
  const luts: Float32Array[] = [];
  if (list.length === 0) {
    const id = new Float32Array(256);
    for (let v = 0; v < 256; v++) id[v] = v;
    for (let c = 0; c < channels; c++) luts.push(id);
    return { luts, rest: [] };
  }
  if (!(list[0] instanceof ToTensor)) return null;
  let k = 1;
  while (k < list.length && list[k] instanceof Normalize) k++;
  const norms = list.slice(1, k) as Normalize[];
  for (const n of norms) {
    for (const [label, v] of [
      ['mean', n.mean],
      ['std', n.std],
    ] as const) {
      if (v.length !== 1 && v.length !== channels) {
        throw new RangeError(
          `Normalize: ${label} has ${v.length} entries but the image has ${channels} channels`,
        );
      }
    }
  }
  for (let c = 0; c < channels; c++) {
    const lut = new Float32Array(256);
    for (let v = 0; v < 256; v++) {
      let y = toTensorValue(v);
      for (const n of norms) y = n.normalizeValue32(y, c);
      lut[v] = y;
    }
    luts.push(lut);
  }
  return { luts, rest: list.slice(k) };
}

/**
 * Applies `transforms` to a batch `[B, C, H, W]`: with `applyBatch` when all have one, else
 * sample by sample (each row through every `apply`), stacking the results.
 *
 * @example
 * ```ts
 * const out = applyToBatch([new RandomCrop(28, { padding: 2 })], batch);
 * ```
 */
export function applyToBatch(transforms: readonly AnyTransform[], batch: Tensor): Tensor {
  if (transforms.length === 0) return batch;
  if (transforms.every(hasBatch)) {
    return transforms.reduce(
      (acc, t) => (t as { applyBatch(x: Tensor): Tensor }).applyBatch(acc),
      batch,
    );
  }
  const rows: Tensor[] = [];
  for (let b = 0; b < batch.shape[0]!; b++) {
    let y: unknown = batch.select(0, b);
    for (const t of transforms) y = t.apply(y as never);
    if (!(y instanceof Tensor)) {
      throw new TypeError(
        `a batch needs every transformed sample to be a Tensor, but the transforms returned ${describe(y)}`,
      );
    }
    rows.push(y);
  }
  return noGrad(() => stack(rows));
}

// ---- geometry helpers ------------------------------------------------------------------------

/** Strided access to one image: channel, row and column strides into `data` from `offset`. */
interface Layout {
  data: ArrayLike<number> & { [i: number]: number };
  offset: number;
  c: number;
  h: number;
  w: number;
  cs: number;
  rs: number;
  ws: number;
}

function imageLayout(img: Image, data: Uint8Array = img.data): Layout {
  const { height: h, width: w, channels: c } = img;
  return { data, offset: 0, c, h, w, cs: 1, rs: w * c, ws: c };
}

function tensorLayouts(
  src: TypedArray,
  dst: TypedArray,
  shape: readonly number[],
  outH: number,
  outW: number,
): { src: Layout; dst: Layout; count: number } {
  const n = shape.length;
  const c = shape[n - 3]!;
  const h = shape[n - 2]!;
  const w = shape[n - 1]!;
  let count = 1;
  for (let i = 0; i < n - 3; i++) count *= shape[i]!;
  return {
    src: { data: src, offset: 0, c, h, w, cs: h * w, rs: w, ws: 1 },
    dst: { data: dst, offset: 0, c, h: outH, w: outW, cs: outH * outW, rs: outW, ws: 1 },
    count,
  };
}

function store(dst: Layout, isByte: boolean, idx: number, v: number): void {
  dst.data[idx] = isByte ? Math.min(255, Math.max(0, Math.round(v))) : v;
}

function pair(name: string, v: number | readonly number[]): [number, number] {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2) return [v[0]!, v[1]!];
  throw new TypeError(`${name}: expected a number or a pair [a, b], got ${JSON.stringify(v)}`);
}

function drawInt(g: Generator, high: number): number {
  const out = new Int32Array(1);
  g.randint_(out, 0, high);
  return out[0]!;
}

function drawUniform(g: Generator, from: number, to: number): number {
  const out = new Float32Array(1);
  g.uniform_(out, from, to);
  return out[0]!;
}

/** Python's round(): to nearest, ties to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// ---- RandomCrop ------------------------------------------------------------------------------

/** Options of {@link RandomCrop}. */
export interface RandomCropOptions {
  /**
   * Zero (`fill`) padding added before cropping: one number for all sides, `[leftRight,
   * topBottom]`, or `[left, top, right, bottom]` (torchvision's order). Default 0.
   */
  padding?: number | readonly [number, number] | readonly [number, number, number, number];
  /** Value of padded pixels (default 0). */
  fill?: number;
  /** Generator the crop positions are drawn from (default: the global one). */
  generator?: Generator;
}

/**
 * Pads an image, then crops a random `size` window from it (torchvision's `RandomCrop` with
 * constant padding). The top row is drawn first, then the left column, each as
 * `torch.randint(0, paddedSize - cropSize + 1, (1,))` from the generator (nothing is drawn when
 * the padded image is already the crop size), as torchvision's `get_params` does. Works on an
 * {@link Image}, a Tensor `[..., C, H, W]` (one crop for all leading dims, as torchvision), and
 * through `applyBatch` on `[B, C, H, W]` with one crop per sample, drawn in batch order.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const crop = new RandomCrop(28, { padding: 2 });
 * crop.apply(x); // x: Tensor [1, 28, 28] -> shifted by up to 2 pixels, zeros shifted in
 * ```
 */
export class RandomCrop implements Transform<Tensor | Image, Tensor | Image> {
  /** The output's [height, width]. */
  readonly size: readonly [number, number];
  /** Padding as [left, top, right, bottom]. */
  readonly padding: readonly [number, number, number, number];
  /** The value of padded pixels. */
  readonly fill: number;
  /** The generator of the crop positions (undefined: the global one). */
  readonly generator: Generator | undefined;

  constructor(size: number | readonly [number, number], options: RandomCropOptions = {}) {
    tensorCheck.options('RandomCrop', 'options', options, ['padding', 'fill', 'generator']);
    const [th, tw] = pair('RandomCrop: size', size);
    if (!(Number.isInteger(th) && Number.isInteger(tw) && th > 0 && tw > 0)) {
      throw new RangeError(`RandomCrop: size must be positive integers, got [${th}, ${tw}]`);
    }
    this.size = [th, tw];
    const p = options.padding ?? 0;
    let pad: [number, number, number, number];
    if (typeof p === 'number') pad = [p, p, p, p];
    else if (Array.isArray(p) && p.length === 2) pad = [p[0]!, p[1]!, p[0]!, p[1]!];
    else if (Array.isArray(p) && p.length === 4) pad = [p[0]!, p[1]!, p[2]!, p[3]!];
    else {
      throw new TypeError(
        `RandomCrop: padding must be a number, [leftRight, topBottom] or [left, top, right, bottom], got ${JSON.stringify(p)}`,
      );
    }
    if (pad.some((v) => !Number.isInteger(v) || v < 0)) {
      throw new RangeError(
        `RandomCrop: padding must be non-negative integers, got [${pad.join(', ')}]`,
      );
    }
    this.padding = pad;
    this.fill = options.fill ?? 0;
    this.generator = options.generator;
  }

  /** Draws a crop's top and left (in padded coordinates) for an image of h x w. */
  private params(h: number, w: number): [number, number] {
    const [left, top, right, bottom] = this.padding;
    const ph = h + top + bottom;
    const pw = w + left + right;
    const [th, tw] = this.size;
    if (ph < th || pw < tw) {
      throw new RangeError(
        `RandomCrop: required crop size (${th}, ${tw}) is larger than the padded input image size (${ph}, ${pw})`,
      );
    }
    if (ph === th && pw === tw) return [0, 0];
    const g = this.generator ?? defaultGenerator;
    const i = drawInt(g, ph - th + 1);
    const j = drawInt(g, pw - tw + 1);
    return [i, j];
  }

  private crop(src: Layout, dst: Layout, i: number, j: number, isByte: boolean): void {
    const [left, top] = this.padding;
    const dy = i - top;
    const dx = j - left;
    for (let c = 0; c < src.c; c++) {
      for (let y = 0; y < dst.h; y++) {
        const sy = y + dy;
        for (let x = 0; x < dst.w; x++) {
          const sx = x + dx;
          const di = dst.offset + c * dst.cs + y * dst.rs + x * dst.ws;
          if (sy >= 0 && sy < src.h && sx >= 0 && sx < src.w) {
            dst.data[di] = src.data[src.offset + c * src.cs + sy * src.rs + sx * src.ws]!;
          } else {
            store(dst, isByte, di, this.fill);
          }
        }
      }
    }
  }

  /** A tensor `[C, H, W]` in, a tensor out. */
  apply(x: Tensor): Tensor;
  /** An image in, an image out. */
  apply(x: Image): Image;
  /** Either, when the caller does not know which. */
  apply(x: Tensor | Image): Tensor | Image;
  apply(x: Tensor | Image): Tensor | Image {
    const [th, tw] = this.size;
    if (isImage(x)) {
      const [i, j] = this.params(x.height, x.width);
      const out: Image = {
        data: new Uint8Array(th * tw * x.channels),
        height: th,
        width: tw,
        channels: x.channels,
      };
      this.crop(imageLayout(x), imageLayout(out), i, j, true);
      return out;
    }
    checkImageTensor('RandomCrop', x);
    const shape = x.shape;
    const [i, j] = this.params(shape[shape.length - 2]!, shape[shape.length - 1]!);
    const outShape = [...shape.slice(0, -2), th, tw];
    const src = x.value.data;
    const out = newArray(
      x.dtype,
      outShape.reduce((a, b) => a * b, 1),
    );
    const { src: s, dst: d, count } = tensorLayouts(src, out, shape, th, tw);
    for (let k = 0; k < count; k++) {
      s.offset = k * s.c * s.cs;
      d.offset = k * d.c * d.cs;
      this.crop(s, d, i, j, false);
    }
    return fromTypedArray(out, outShape);
  }

  /** The same transform on a whole batch `[B, C, H, W]` at once. */
  applyBatch(x: Tensor): Tensor {
    checkBatch('RandomCrop', x);
    const [th, tw] = this.size;
    const shape = x.shape;
    const outShape = [shape[0]!, shape[1]!, th, tw];
    const out = newArray(
      x.dtype,
      outShape.reduce((a, b) => a * b, 1),
    );
    const { src: s, dst: d, count } = tensorLayouts(x.value.data, out, shape, th, tw);
    for (let k = 0; k < count; k++) {
      const [i, j] = this.params(s.h, s.w);
      s.offset = k * s.c * s.cs;
      d.offset = k * d.c * d.cs;
      this.crop(s, d, i, j, false);
    }
    return fromTypedArray(out, outShape);
  }

  toString(): string {
    return `RandomCrop(size=(${this.size.join(', ')}), padding=[${this.padding.join(', ')}])`;
  }
}

// ---- RandomAffine ----------------------------------------------------------------------------

/** Options of {@link RandomAffine}. */
export interface RandomAffineOptions {
  /** Rotation range in degrees: `d` means [-d, d]; or `[min, max]`. */
  degrees: number | readonly [number, number];
  /** Maximum shift as fractions of width and height: `[fx, fy]` (default: no shift). */
  translate?: readonly [number, number];
  /** Scale range `[min, max]` (default: no scaling). */
  scale?: readonly [number, number];
  /** Sampling: 'nearest' (default, as torchvision) or 'bilinear'. */
  interpolation?: 'nearest' | 'bilinear';
  /** Value of pixels mapped from outside the input (default 0). */
  fill?: number;
  /** Generator the parameters are drawn from (default: the global one). */
  generator?: Generator;
}

/** The parameters of one {@link RandomAffine} draw. */
export interface AffineParams {
  /** Rotation in degrees: positive turns the picture clockwise on screen (torchvision's `F.affine`). */
  angle: number;
  /** Shift in whole pixels, [right, down]. */
  translate: [number, number];
  /** The zoom factor (1: unchanged size). */
  scale: number;
}

/**
 * A random rotation / translation / scaling about the image centre (torchvision's
 * `RandomAffine` without shear). Parameters are drawn as torchvision's `get_params` draws them
 * (each a float32 `torch.empty(1).uniform_(a, b)`): the angle from `degrees`; then, with
 * `translate = [fx, fy]`, the shifts `round(U(-fx*W, fx*W))` and `round(U(-fy*H, fy*H))`
 * (Python's round); then the scale. Each output pixel centre is mapped back through the inverse
 * transform (rotation about the centre `((W-1)/2, (H-1)/2)`, as torchvision's tensor path does)
 * and sampled with nearest (ties to even) or bilinear interpolation; pixels from outside the input
 * get `fill`. As in torchvision's `F.affine`, a positive angle turns the picture clockwise on
 * screen (rows go down). Exact torchvision parity is not claimed. Works on an {@link Image}, a Tensor
 * `[..., C, H, W]` (one draw for all leading dims), and via `applyBatch` with one draw per sample.
 *
 * @example
 * ```ts
 * const augment = new RandomAffine({ degrees: 10, translate: [0.1, 0.1] });
 * augment.apply(x); // x: Tensor [1, 28, 28]
 * ```
 */
export class RandomAffine implements Transform<Tensor | Image, Tensor | Image> {
  /** The range [min, max] the rotation angle is drawn from, in degrees. */
  readonly degrees: readonly [number, number];
  /** The largest shifts as fractions of [width, height] (undefined: no shift). */
  readonly translate: readonly [number, number] | undefined;
  /** The range [min, max] the scale is drawn from (undefined: no scaling). */
  readonly scale: readonly [number, number] | undefined;
  /** How output pixels are sampled from the input. */
  readonly interpolation: 'nearest' | 'bilinear';
  /** The value of pixels that come from outside the input. */
  readonly fill: number;
  /** The generator of the draws (undefined: the global one). */
  readonly generator: Generator | undefined;

  constructor(options: RandomAffineOptions) {
    if (typeof options !== 'object' || options === null || options.degrees === undefined) {
      throw new TypeError('RandomAffine: options.degrees is required');
    }
    tensorCheck.options('RandomAffine', 'options', options, [
      'degrees',
      'translate',
      'scale',
      'interpolation',
      'fill',
      'generator',
    ]);
    const d = options.degrees;
    if (typeof d === 'number') {
      if (!(d >= 0)) {
        throw new RangeError(`RandomAffine: a single degrees value must be non-negative, got ${d}`);
      }
      this.degrees = [-d, d];
    } else {
      const [a, b] = pair('RandomAffine: degrees', d);
      if (!(a <= b))
        throw new RangeError(`RandomAffine: degrees [${a}, ${b}] must have min <= max`);
      this.degrees = [a, b];
    }
    if (options.translate !== undefined) {
      const [fx, fy] = pair('RandomAffine: translate', options.translate);
      if (!(fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1)) {
        throw new RangeError(
          `RandomAffine: translate values should be between 0 and 1, got [${fx}, ${fy}]`,
        );
      }
      this.translate = [fx, fy];
    }
    if (options.scale !== undefined) {
      const [a, b] = pair('RandomAffine: scale', options.scale);
      if (!(a > 0 && b >= a)) {
        throw new RangeError(`RandomAffine: scale [${a}, ${b}] must be positive with min <= max`);
      }
      this.scale = [a, b];
    }
    this.interpolation = options.interpolation ?? 'nearest';
    if (this.interpolation !== 'nearest' && this.interpolation !== 'bilinear') {
      throw new TypeError(
        `RandomAffine: interpolation must be 'nearest' or 'bilinear', got ${JSON.stringify(options.interpolation)}`,
      );
    }
    this.fill = options.fill ?? 0;
    this.generator = options.generator;
  }

  /** Draws one set of parameters for an image of `height` x `width`. */
  getParams(height: number, width: number): AffineParams {
    const g = this.generator ?? defaultGenerator;
    const angle = drawUniform(g, this.degrees[0], this.degrees[1]);
    let translate: [number, number] = [0, 0];
    if (this.translate !== undefined) {
      const maxDx = this.translate[0] * width;
      const maxDy = this.translate[1] * height;
      const tx = roundHalfEven(drawUniform(g, -maxDx, maxDx));
      const ty = roundHalfEven(drawUniform(g, -maxDy, maxDy));
      translate = [tx, ty];
    }
    const scale = this.scale === undefined ? 1 : drawUniform(g, this.scale[0], this.scale[1]);
    return { angle, translate, scale };
  }

  /** Applies given parameters to a strided image. */
  private warp(src: Layout, dst: Layout, p: AffineParams, isByte: boolean): void {
    const rad = (p.angle * Math.PI) / 180;
    const cos = Math.cos(rad) / p.scale;
    const sin = Math.sin(rad) / p.scale;
    const [tx, ty] = p.translate;
    const cx = (src.w - 1) / 2;
    const cy = (src.h - 1) / 2;
    const bilinear = this.interpolation === 'bilinear';
    const fill = this.fill;
    const at = (c: number, y: number, x: number): number =>
      y >= 0 && y < src.h && x >= 0 && x < src.w
        ? src.data[src.offset + c * src.cs + y * src.rs + x * src.ws]!
        : fill;
    for (let y = 0; y < dst.h; y++) {
      const oy = y - cy - ty;
      for (let x = 0; x < dst.w; x++) {
        const ox = x - cx - tx;
        const sx = cos * ox + sin * oy + cx;
        const sy = -sin * ox + cos * oy + cy;
        for (let c = 0; c < src.c; c++) {
          const di = dst.offset + c * dst.cs + y * dst.rs + x * dst.ws;
          if (!bilinear) {
            const nx = roundHalfEven(sx);
            const ny = roundHalfEven(sy);
            store(dst, isByte, di, at(c, ny, nx));
          } else {
            const x0 = Math.floor(sx);
            const y0 = Math.floor(sy);
            const fx = sx - x0;
            const fy = sy - y0;
            const v =
              (1 - fy) * ((1 - fx) * at(c, y0, x0) + fx * at(c, y0, x0 + 1)) +
              fy * ((1 - fx) * at(c, y0 + 1, x0) + fx * at(c, y0 + 1, x0 + 1));
            store(dst, isByte, di, v);
          }
        }
      }
    }
  }

  /** A tensor `[C, H, W]` in, a tensor out. */
  apply(x: Tensor): Tensor;
  /** An image in, an image out. */
  apply(x: Image): Image;
  /** Either, when the caller does not know which. */
  apply(x: Tensor | Image): Tensor | Image;
  apply(x: Tensor | Image): Tensor | Image {
    if (isImage(x)) {
      const p = this.getParams(x.height, x.width);
      const out: Image = { ...x, data: new Uint8Array(x.data.length) };
      this.warp(imageLayout(x), imageLayout(out), p, true);
      return out;
    }
    checkImageTensor('RandomAffine', x);
    const shape = x.shape;
    const h = shape[shape.length - 2]!;
    const w = shape[shape.length - 1]!;
    const p = this.getParams(h, w);
    return this.warpTensor(x, () => p);
  }

  private warpTensor(x: Tensor, params: () => AffineParams): Tensor {
    const shape = x.shape;
    const h = shape[shape.length - 2]!;
    const w = shape[shape.length - 1]!;
    const out = newArray(x.dtype, x.numel());
    const { src: s, dst: d, count } = tensorLayouts(x.value.data, out, shape, h, w);
    for (let k = 0; k < count; k++) {
      const p = params();
      s.offset = k * s.c * s.cs;
      d.offset = k * d.c * d.cs;
      this.warp(s, d, p, false);
    }
    return fromTypedArray(out, shape);
  }

  /** The same transform on a whole batch `[B, C, H, W]` at once. */
  applyBatch(x: Tensor): Tensor {
    checkBatch('RandomAffine', x);
    const h = x.shape[2]!;
    const w = x.shape[3]!;
    return this.warpTensor(x, () => this.getParams(h, w));
  }

  toString(): string {
    const parts = [`degrees=[${this.degrees.join(', ')}]`];
    if (this.translate) parts.push(`translate=[${this.translate.join(', ')}]`);
    if (this.scale) parts.push(`scale=[${this.scale.join(', ')}]`);
    return `RandomAffine(${parts.join(', ')})`;
  }
}
