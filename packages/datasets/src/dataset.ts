/**
 * Map-style and iterable data sets: the `Dataset` interfaces, `TensorDataset`, `Subset`,
 * `ConcatDataset` and `randomSplit`, with PyTorch's semantics.
 */
import { Tensor, cat, noGrad } from '@gd/autograd';
import type { Generator } from '@gd/tensor';
import { NDArray, defaultGenerator, describe, tensor as ndTensor } from '@gd/tensor';
import type { Collated } from './collate.js';

/**
 * A map-style data set: `length` samples, sample `i` from `get(i)` (PyTorch's `Dataset` with
 * `__len__` and `__getitem__`).
 *
 * @example
 * ```ts
 * const squares: Dataset<[number, number]> = { length: 10, get: (i) => [i, i * i] };
 * ```
 */
export interface Dataset<T> {
  /** The number of samples. */
  readonly length: number;
  /** Sample `index` (0 <= index < length). */
  get(index: number): T;
}

/**
 * A data set that can also build a whole batch at once, without per-sample objects:
 * `getBatch(indices)` must equal `defaultCollate(indices.map(get))` (the `DataLoader` uses it
 * when present).
 *
 * @example
 * ```ts
 * const ds = new TensorDataset(X, y);
 * const [xb, yb] = ds.getBatch([0, 5, 7]);
 * ```
 */
export interface BatchedDataset<T, B> extends Dataset<T> {
  /** The samples at `indices`, collated into one batch. */
  getBatch(indices: readonly number[]): B;
}

/**
 * An iterable-style data set (PyTorch's `IterableDataset`): samples come from iterating it;
 * `length`, when known, lets a `DataLoader` report its number of batches.
 *
 * @example
 * ```ts
 * const stream: IterableDataset<number> = { *[Symbol.iterator]() { for (let i = 0; i < 5; i++) yield i; } };
 * ```
 */
export interface IterableDataset<T> extends Iterable<T> {
  /** The number of samples, when known. */
  readonly length?: number;
}

/**
 * A data set whose `getBatch`, if any, returns `B` (how `DataLoader`, `Subset` and
 * `randomSplit` learn the batch type).
 */
export type MaybeBatchedDataset<T, B> = Dataset<T> & {
  /** The samples at `indices`, collated into one batch. */
  getBatch?(indices: readonly number[]): B;
};

/**
 * Whether `ds` has a `getBatch` fast path.
 *
 * @example
 * ```ts
 * hasGetBatch(new TensorDataset(x)); // true
 * ```
 */
export function hasGetBatch<T, B>(ds: MaybeBatchedDataset<T, B>): ds is BatchedDataset<T, B> {
  return typeof (ds as { getBatch?: unknown }).getBatch === 'function';
}

/**
 * Throws a RangeError unless `index` is an integer in [0, length).
 *
 * @example
 * ```ts
 * checkIndex('MNIST', 60000, 60000); // throws: index 60000 is out of range ...
 * ```
 */
export function checkIndex(name: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new RangeError(
      `${name}: index ${String(index)} is out of range for a data set of length ${length}`,
    );
  }
}

function checkDataset(name: string, ds: unknown): void {
  const d = ds as Partial<Dataset<unknown>> | null;
  if (
    typeof d !== 'object' ||
    d === null ||
    typeof d.get !== 'function' ||
    !Number.isInteger(d.length)
  ) {
    throw new TypeError(`${name}: expected a map-style data set with length and get(i)`);
  }
}

function indexArray(indices: readonly number[]) {
  return ndTensor(indices as number[], { dtype: 'int32' });
}

// ---- TensorDataset ---------------------------------------------------------------------------

/**
 * Wraps tensors that share their first dim: sample `i` is each tensor's row `i` (PyTorch's
 * `TensorDataset`). `getBatch` gathers rows with one `indexSelect` per tensor.
 *
 * @example
 * ```ts
 * const ds = new TensorDataset(randn([100, 3]), randn([100]));
 * const [x0, y0] = ds.get(0); // shapes [3] and []
 * ```
 */
export class TensorDataset implements BatchedDataset<Tensor[], Tensor[]> {
  /** The tensors, each indexed along its first dim (all of the same length). */
  readonly tensors: readonly Tensor[];
  /** The number of samples. */
  readonly length: number;

  constructor(...inputs: (Tensor | NDArray)[]) {
    if (inputs.length === 0) throw new RangeError('TensorDataset: expected at least one tensor');
    // NDArrays (data read with @gd/tensor) are taken as constant Tensors.
    const tensors = inputs.map((t) => (t instanceof NDArray ? Tensor.fromArray(t) : t));
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) {
        throw new TypeError(
          `TensorDataset: tensors[${i}] must be a Tensor or an NDArray, got ${describe(t)}`,
        );
      }
      if (t.ndim === 0) {
        throw new RangeError(`TensorDataset: tensor ${i} is 0-d; every tensor needs a first dim`);
      }
    });
    const n = tensors[0]!.shape[0]!;
    tensors.forEach((t, i) => {
      if (t.shape[0] !== n) {
        throw new RangeError(
          `TensorDataset: size mismatch between tensors: tensor 0 has ${n} rows but tensor ${i} has ${t.shape[0]}`,
        );
      }
    });
    this.tensors = tensors;
    this.length = n;
  }

  /** Sample `index`: the `index`-th row of every tensor. */
  get(index: number): Tensor[] {
    checkIndex('TensorDataset', index, this.length);
    return this.tensors.map((t) => t.select(0, index));
  }

  /** The rows at `indices` of every tensor, gathered in one op each. */
  getBatch(indices: readonly number[]): Tensor[] {
    for (const i of indices) checkIndex('TensorDataset', i, this.length);
    const idx = indexArray(indices);
    return this.tensors.map((t) => t.indexSelect(0, idx));
  }
}

// ---- Subset ----------------------------------------------------------------------------------

/**
 * The samples of `dataset` at `indices`, in that order (PyTorch's `Subset`). It has `getBatch`
 * when `dataset` does (the indices are mapped, nothing is copied).
 *
 * @example
 * ```ts
 * const firstThousand = new Subset(mnist, Array.from({ length: 1000 }, (_, i) => i));
 * ```
 */
export class Subset<T, B = Collated<T>> implements Dataset<T> {
  /** The data set the subset draws from. */
  readonly dataset: MaybeBatchedDataset<T, B>;
  /** The positions in `dataset` that make up the subset, in order. */
  readonly indices: readonly number[];
  /** Present when the underlying data set has `getBatch`. */
  readonly getBatch?: (indices: readonly number[]) => B;

  constructor(dataset: MaybeBatchedDataset<T, B>, indices: ArrayLike<number>) {
    checkDataset('Subset', dataset);
    const list = Array.from(indices);
    list.forEach((i) => checkIndex('Subset', i, dataset.length));
    this.dataset = dataset;
    this.indices = list;
    if (hasGetBatch(dataset)) {
      this.getBatch = (batch: readonly number[]): B => {
        const mapped = batch.map((i) => {
          checkIndex('Subset', i, list.length);
          return list[i]!;
        });
        return dataset.getBatch(mapped);
      };
    }
  }

  /** The number of samples. */
  get length(): number {
    return this.indices.length;
  }

  /** Sample `index` of this data set (read from the underlying one). */
  get(index: number): T {
    checkIndex('Subset', index, this.indices.length);
    return this.dataset.get(this.indices[index]!);
  }
}

// ---- ConcatDataset ---------------------------------------------------------------------------

function reorderBatch(batch: unknown, order: number[]): unknown {
  if (batch instanceof Tensor) return batch.indexSelect(0, indexArray(order));
  if (Array.isArray(batch)) {
    if (batch.length === order.length && batch.every((v) => typeof v === 'string')) {
      return order.map((q) => batch[q] as string);
    }
    return batch.map((b: unknown) => reorderBatch(b, order));
  }
  if (typeof batch === 'object' && batch !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(batch)) out[k] = reorderBatch(v, order);
    return out;
  }
  throw new TypeError(`ConcatDataset.getBatch: cannot merge batches of type ${typeof batch}`);
}

function concatBatches(parts: readonly unknown[]): unknown {
  const first = parts[0];
  if (first instanceof Tensor) return cat(parts as Tensor[]);
  if (Array.isArray(first)) {
    if (first.every((v) => typeof v === 'string')) {
      // a collated list of strings
      return (parts as string[][]).flat();
    }
    return first.map((_, k) => concatBatches(parts.map((p) => (p as unknown[])[k])));
  }
  if (typeof first === 'object' && first !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(first)) {
      out[k] = concatBatches(parts.map((p) => (p as Record<string, unknown>)[k]));
    }
    return out;
  }
  throw new TypeError(`ConcatDataset.getBatch: cannot merge batches of type ${typeof first}`);
}

/**
 * Several data sets one after another (PyTorch's `ConcatDataset`). It has `getBatch` when every
 * part does: the indices are grouped by part, each group fetched with one `getBatch`, and the
 * results concatenated and put back in the requested order.
 *
 * @example
 * ```ts
 * const all = new ConcatDataset([train, test]); // 70,000 MNIST digits
 * all.cumulativeSizes; // [60000, 70000]
 * ```
 */
export class ConcatDataset<T, B = Collated<T>> implements Dataset<T> {
  /** The data sets, in the order their samples are numbered. */
  readonly datasets: readonly MaybeBatchedDataset<T, B>[];
  /** Running totals of the parts' lengths. */
  readonly cumulativeSizes: readonly number[];
  /** Present when every part has `getBatch`. */
  readonly getBatch?: (indices: readonly number[]) => B;

  constructor(datasets: readonly MaybeBatchedDataset<T, B>[]) {
    if (!Array.isArray(datasets) || datasets.length === 0) {
      throw new RangeError('ConcatDataset: datasets should not be an empty iterable');
    }
    datasets.forEach((d) => checkDataset('ConcatDataset', d));
    this.datasets = [...datasets];
    const sizes: number[] = [];
    let total = 0;
    for (const d of datasets) {
      total += d.length;
      sizes.push(total);
    }
    this.cumulativeSizes = sizes;
    if (datasets.every((d) => hasGetBatch(d))) {
      this.getBatch = (indices: readonly number[]): B => this.batch(indices);
    }
  }

  /** The number of samples. */
  get length(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1]!;
  }

  /** Which part holds global index `i`, and the index within it. */
  locate(index: number): [number, number] {
    checkIndex('ConcatDataset', index, this.length);
    const sizes = this.cumulativeSizes;
    let lo = 0;
    let hi = sizes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sizes[mid]! <= index) lo = mid + 1;
      else hi = mid;
    }
    return [lo, lo === 0 ? index : index - sizes[lo - 1]!];
  }

  /** Sample `index` of this data set (read from the underlying one). */
  get(index: number): T {
    const [d, i] = this.locate(index);
    return this.datasets[d]!.get(i);
  }

  private batch(indices: readonly number[]): B {
    const groups = new Map<number, { local: number[]; positions: number[] }>();
    indices.forEach((index, p) => {
      const [d, i] = this.locate(index);
      let g = groups.get(d);
      if (!g) groups.set(d, (g = { local: [], positions: [] }));
      g.local.push(i);
      g.positions.push(p);
    });
    const entries = [...groups.entries()].sort((a, b) => a[0] - b[0]);
    const fetch = (d: number, local: number[]): B =>
      (this.datasets[d] as BatchedDataset<T, B>).getBatch(local);
    if (entries.length === 1) return fetch(entries[0]![0], entries[0]![1].local);
    const parts = entries.map(([d, g]) => fetch(d, g.local));
    const concatenated = entries.flatMap(([, g]) => g.positions);
    const order = new Array<number>(indices.length);
    concatenated.forEach((p, q) => (order[p] = q));
    return noGrad(() => reorderBatch(concatBatches(parts), order)) as B;
  }
}

// ---- randomSplit -----------------------------------------------------------------------------

function isClose(a: number, b: number): boolean {
  // Python's math.isclose with its defaults (rel_tol=1e-9, abs_tol=0).
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

/**
 * Splits a data set into non-overlapping random subsets (PyTorch's `random_split`), drawing one
 * `randperm(n)` from `generator` (default: the global one, as PyTorch's `default_generator`),
 * so the indices equal PyTorch's for the same seed. `lengths` are sizes summing to the data set's
 * length, or fractions summing to 1: each split gets `floor(n * fraction)` and the remainder is
 * handed out one by one, round-robin from the first split.
 *
 * @example
 * ```ts
 * const [train, val] = randomSplit(mnist, [0.9, 0.1], { generator: new Generator(42) });
 * train.length; // 54000 (a literal lengths array gives a tuple: no undefined entries)
 * ```
 */
export function randomSplit<
  T,
  B = Collated<T>,
  const L extends readonly number[] = readonly number[],
>(
  dataset: MaybeBatchedDataset<T, B>,
  lengths: L,
  options: { generator?: Generator } = {},
): { -readonly [K in keyof L]: Subset<T, B> } {
  checkDataset('randomSplit', dataset);
  if (!Array.isArray(lengths) || lengths.length === 0) {
    throw new RangeError('randomSplit: lengths must be a non-empty array');
  }
  lengths.forEach((l, i) => {
    if (typeof l !== 'number' || !Number.isFinite(l)) {
      throw new TypeError(`randomSplit: length at index ${i} is not a finite number`);
    }
  });
  const n = dataset.length;
  let sizes = [...lengths];
  const total = sizes.reduce((a, b) => a + b, 0);
  if (isClose(total, 1) && total <= 1) {
    sizes = lengths.map((frac, i) => {
      if (frac < 0 || frac > 1) {
        throw new RangeError(`randomSplit: fraction at index ${i} is not between 0 and 1`);
      }
      return Math.floor(n * frac);
    });
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length]! += 1;
  }
  sizes.forEach((l, i) => {
    if (!Number.isInteger(l) || l < 0) {
      throw new RangeError(
        `randomSplit: length at index ${i} must be a non-negative integer (or all lengths fractions summing to 1), got ${l}`,
      );
    }
  });
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (sum !== n) {
    throw new RangeError(
      `randomSplit: sum of input lengths (${sum}) does not equal the length of the input dataset (${n})`,
    );
  }
  const perm = (options.generator ?? defaultGenerator).randperm(sum);
  const out: Subset<T, B>[] = [];
  let offset = 0;
  for (const l of sizes) {
    out.push(new Subset<T, B>(dataset, perm.subarray(offset, offset + l)));
    offset += l;
  }
  return out as { -readonly [K in keyof L]: Subset<T, B> };
}
