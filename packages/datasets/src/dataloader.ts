/**
 * `DataLoader`: batches from a data set, in sampler order, with PyTorch 1.13's random streams.
 */
import type { ArgKind, Generator } from '@gd/tensor';
import { checkOptionsSchema, defaultGenerator } from '@gd/tensor';
import type { Collated } from './collate.js';
import { defaultCollate } from './collate.js';
import type { Dataset, IterableDataset, MaybeBatchedDataset } from './dataset.js';
import { hasGetBatch } from './dataset.js';
import { BatchSampler, RandomSampler, SequentialSampler, drawSeed } from './sampler.js';

/** Options of {@link DataLoader}. */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Visit the samples in a new random order every epoch (default false). */
  shuffle?: boolean;
  /** Drop the last batch when it is short (default false). */
  dropLast?: boolean;
  /** The order of indices (mutually exclusive with `shuffle` and `batchSampler`). */
  sampler?: Iterable<number> & {
    /** How many indices it yields, when it knows. */
    readonly length?: number;
  };
  /** Yields whole lists of indices (mutually exclusive with batchSize/shuffle/sampler/dropLast). */
  batchSampler?: Iterable<readonly number[]> & {
    /** How many batches it yields, when it knows. */
    readonly length?: number;
  };
  /**
   * Merges a list of samples into a batch. Default: the data set's `getBatch` when it has one,
   * else {@link defaultCollate}. A collate given here is always used (with `get`).
   */
  collate?: (samples: T[]) => B;
  /** Generator for shuffling and for the per-iterator seed (default: the global one). */
  generator?: Generator;
}

function isIterableDataset(ds: unknown): ds is IterableDataset<unknown> {
  return (
    typeof ds === 'object' &&
    ds !== null &&
    typeof (ds as { get?: unknown }).get !== 'function' &&
    typeof (ds as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
  );
}

// What each DataLoader option takes, checked with @gd/tensor's shared checker.
const LOADER_OPTIONS = {
  batchSize: 'int|null',
  shuffle: 'bool',
  dropLast: 'bool',
  sampler: 'iterable',
  batchSampler: 'iterable',
  collate: 'function',
  generator: 'object',
};
const LOADER_KINDS: Readonly<Record<string, ArgKind>> = {
  iterable: {
    test: (v) => typeof v === 'object' && v !== null && Symbol.iterator in v,
    accepts: 'an iterable of indices',
    wrong: 3,
  },
  object: { test: (v) => typeof v === 'object' && v !== null, accepts: 'a Generator', wrong: 1 },
};

/**
 * Iterates over a data set in batches (PyTorch's `DataLoader`, single process).
 *
 * - Batches: when the data set has `getBatch` (MNIST, TensorDataset, and Subset/ConcatDataset
 *   of those) and no `collate` is given, each batch is one `getBatch(indices)` call: no
 *   per-sample objects and no copy of the data set per epoch. Otherwise `collate(get(i)...)`,
 *   with {@link defaultCollate} by default.
 * - Order: `shuffle: true` uses a {@link RandomSampler} with `generator`; each iteration first
 *   draws one 64-bit seed from `generator` (or the global generator), as PyTorch's
 *   `_BaseDataLoaderIter` does for its workers' `base_seed`, and the sampler draws its own when the
 *   first batch is requested. So with `manualSeed(s)` set right before iterating, the first
 *   epoch's order equals PyTorch's with `torch.manual_seed(s)`, and so do the following epochs.
 * - An {@link IterableDataset} is batched in its own order (no sampler or shuffle).
 *
 * @example
 * ```ts
 * const loader = new DataLoader(new MNIST({ transform }), { batchSize: 128, shuffle: true });
 * for (const [x, y] of loader) {
 *   // x: Tensor [128, 1, 28, 28] float32, y: Tensor [128] int32
 * }
 * loader.length; // 469 batches
 * ```
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B> {
  /** The data set the batches are drawn from. */
  readonly dataset: MaybeBatchedDataset<T, B> | IterableDataset<T>;
  /** Samples per batch (undefined when a custom `batchSampler` sets the batches). */
  readonly batchSize: number | undefined;
  /** Whether a final batch shorter than `batchSize` is dropped. */
  readonly dropLast: boolean;
  /** The index sampler (undefined for iterable data sets or with a custom batchSampler). */
  readonly sampler:
    | (Iterable<number> & {
        /** How many indices it yields, when it knows. */
        readonly length?: number;
      })
    | undefined;
  /** Lists of indices, one per batch (undefined for iterable data sets). */
  readonly batchSampler:
    | (Iterable<readonly number[]> & {
        /** How many batches it yields, when it knows. */
        readonly length?: number;
      })
    | undefined;
  /** The collate function given in the options, if any. */
  readonly collate: ((samples: T[]) => B) | undefined;
  /** The generator of the shuffle's order (undefined: the global one that `manualSeed` seeds). */
  readonly generator: Generator | undefined;

  /** With a custom collate: batches are `collate(samples)`. */
  constructor(
    dataset: Dataset<T> | IterableDataset<T>,
    options: DataLoaderOptions<T, B> & { collate: (samples: T[]) => B },
  );
  /** Batches from the data set's `getBatch`, or `defaultCollate`. */
  constructor(
    dataset: MaybeBatchedDataset<T, B> | IterableDataset<T>,
    options?: DataLoaderOptions<T, B>,
  );
  constructor(
    dataset: MaybeBatchedDataset<T, B> | IterableDataset<T>,
    options: DataLoaderOptions<T, B> = {},
  ) {
    const name = 'DataLoader';
    if (typeof dataset !== 'object' || dataset === null) {
      throw new TypeError(`${name}: expected a data set`);
    }
    checkOptionsSchema(name, options, LOADER_OPTIONS, LOADER_KINDS);
    const {
      shuffle = false,
      dropLast = false,
      sampler,
      batchSampler,
      collate,
      generator,
    } = options;
    if (typeof shuffle !== 'boolean') {
      throw new TypeError(`${name}: shuffle should be a boolean value, but got ${String(shuffle)}`);
    }
    if (collate !== undefined && typeof collate !== 'function') {
      throw new TypeError(`${name}: collate must be a function`);
    }
    this.dataset = dataset;
    this.collate = collate;
    this.generator = generator;
    this.dropLast = dropLast;
    if (isIterableDataset(dataset)) {
      if (shuffle || sampler !== undefined || batchSampler !== undefined) {
        throw new TypeError(
          `${name}: an iterable data set has its own order; shuffle, sampler and batchSampler are not allowed`,
        );
      }
      this.batchSize = options.batchSize ?? 1;
      // Validates batchSize / dropLast like a BatchSampler would.
      new BatchSampler([], this.batchSize, dropLast);
      return;
    }
    if (typeof dataset.get !== 'function' || !Number.isInteger(dataset.length)) {
      throw new TypeError(`${name}: expected a data set with length and get(i), or an iterable`);
    }
    if (batchSampler !== undefined) {
      if (options.batchSize !== undefined || shuffle || sampler !== undefined || dropLast) {
        throw new TypeError(
          `${name}: batchSampler option is mutually exclusive with batchSize, shuffle, sampler, and dropLast`,
        );
      }
      this.batchSize = undefined;
      this.sampler = undefined;
      this.batchSampler = batchSampler;
      return;
    }
    if (sampler !== undefined && shuffle) {
      throw new TypeError(`${name}: sampler option is mutually exclusive with shuffle`);
    }
    this.batchSize = options.batchSize ?? 1;
    this.sampler =
      sampler ??
      (shuffle
        ? new RandomSampler(dataset, generator ? { generator } : {})
        : new SequentialSampler(dataset));
    this.batchSampler = new BatchSampler(this.sampler, this.batchSize, dropLast);
  }

  /** The number of batches per epoch. */
  get length(): number {
    if (this.batchSampler !== undefined) {
      const n = this.batchSampler.length;
      if (typeof n !== 'number') throw new TypeError('DataLoader: the batch sampler has no length');
      return n;
    }
    const n = (this.dataset as IterableDataset<T>).length;
    if (typeof n !== 'number') {
      throw new TypeError('DataLoader: the iterable data set has no length');
    }
    const bs = this.batchSize!;
    return this.dropLast ? Math.floor(n / bs) : Math.ceil(n / bs);
  }

  /** Starts an epoch (drawing the iterator's seed now, and the sampler's at the first batch). */
  [Symbol.iterator](): Iterator<B> {
    drawSeed(this.generator ?? defaultGenerator);
    return this.epoch();
  }

  /** The batch for a list of indices, as this loader builds it. */
  fetch(indices: readonly number[]): B {
    const ds = this.dataset as MaybeBatchedDataset<T, B>;
    if (this.collate === undefined && hasGetBatch(ds)) return ds.getBatch(indices);
    const samples = indices.map((i) => ds.get(i));
    return this.collate ? this.collate(samples) : (defaultCollate(samples) as B);
  }

  private *epoch(): Generator_<B> {
    if (this.batchSampler === undefined) {
      yield* this.iterableEpoch();
      return;
    }
    for (const indices of this.batchSampler) yield this.fetch(indices);
  }

  private *iterableEpoch(): Generator_<B> {
    const bs = this.batchSize!;
    const merge = (samples: T[]): B =>
      this.collate ? this.collate(samples) : (defaultCollate(samples) as B);
    let batch: T[] = [];
    for (const sample of this.dataset as IterableDataset<T>) {
      batch.push(sample);
      if (batch.length === bs) {
        yield merge(batch);
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield merge(batch);
  }
}

/** JavaScript's generator object type (named to avoid a clash with the random Generator). */
type Generator_<T> = globalThis.Generator<T, void, undefined>;
