/**
 * Samplers: which indices a `DataLoader` visits, in which order, with PyTorch 1.13's random
 * streams (`RandomSampler`, `WeightedRandomSampler`, `SubsetRandomSampler`).
 */
import { Tensor } from '@gd/autograd';
import { Generator, check, defaultGenerator, describe } from '@gd/tensor';

/**
 * An iterable of indices with a known `length` (PyTorch's `Sampler` with `__len__`). Iterating
 * again starts a new pass (for random samplers, a new draw).
 *
 * @example
 * ```ts
 * const evens: Sampler = { length: 5, *[Symbol.iterator]() { for (let i = 0; i < 10; i += 2) yield i; } };
 * ```
 */
export interface Sampler<T = number> extends Iterable<T> {
  /** Number of items one pass yields. */
  readonly length: number;
}

/** Something with a length: a data set, or a plain number of samples. */
export type SizedSource =
  | {
      /** Its number of samples. */
      readonly length: number;
    }
  | number;

function sizeOf(name: string, source: SizedSource): number {
  const n =
    typeof source === 'number'
      ? source
      : typeof source === 'object' && source !== null
        ? source.length
        : undefined;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new TypeError(`${name}: expected a data set (with a length) or a number of samples`);
  }
  return n;
}

const TWO_POW_63 = 1n << 63n;

/**
 * Draws a seed as `torch.empty((), dtype=torch.int64).random_(generator=g)` does: one 64-bit
 * draw (two 32-bit words, high first) modulo 2^63.
 *
 * @example
 * ```ts
 * drawSeed(new Generator(0)); // 900450186894289455n, as torch.manual_seed(0) then random_()
 * ```
 */
export function drawSeed(g: Generator = defaultGenerator): bigint {
  return g.nextUint64() % TWO_POW_63;
}

/**
 * A new generator seeded with a 64-bit seed, as `torch.Generator().manual_seed(seed)`: PyTorch's
 * mt19937 keeps only the low 32 bits of the seed, so this generator's stream is PyTorch's
 * (its `initialSeed()` reports those low 32 bits).
 *
 * @example
 * ```ts
 * generatorFromSeed(drawSeed()).randperm(10);
 * ```
 */
export function generatorFromSeed(seed: bigint): Generator {
  return new Generator(Number(seed & 0xffffffffn));
}

function checkPositiveInt(name: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) {
    throw new RangeError(
      `${name}: ${what} should be a positive integer value, but got ${what}=${String(v)}`,
    );
  }
  return v;
}

/**
 * Visits 0, 1, ..., n-1 in order (PyTorch's `SequentialSampler`).
 *
 * @example
 * ```ts
 * [...new SequentialSampler(4)]; // [0, 1, 2, 3]
 * ```
 */
export class SequentialSampler implements Sampler<number> {
  private readonly source: SizedSource;

  constructor(dataSource: SizedSource) {
    sizeOf('SequentialSampler', dataSource);
    this.source = dataSource;
  }

  /** The number of indices one pass yields. */
  get length(): number {
    return sizeOf('SequentialSampler', this.source);
  }

  /** One pass over the indices. */
  *[Symbol.iterator](): Iterator<number> {
    const n = this.length;
    for (let i = 0; i < n; i++) yield i;
  }
}

/** Options of {@link RandomSampler}. */
export interface RandomSamplerOptions {
  /** Draw with replacement (default false). */
  replacement?: boolean;
  /** Number of indices per pass (default: the data set's length). */
  numSamples?: number;
  /**
   * Generator to draw from. Without one, each pass draws a 64-bit seed from the global
   * generator and shuffles with a fresh generator seeded from it, as PyTorch does.
   */
  generator?: Generator;
}

/**
 * Visits the indices in random order (PyTorch 1.13's `RandomSampler`, stream for stream):
 * - without replacement: `numSamples / n` full `randperm(n)` passes, then one more
 *   `randperm(n)` of which the first `numSamples % n` are used (always drawn, as in PyTorch);
 * - with replacement: `randint(0, n)` in chunks of 32, then the remainder.
 * Without a `generator`, each pass starts by drawing a seed from the global generator
 * (`torch.empty((), dtype=torch.int64).random_()`) and samples from a new generator seeded with
 * it. So after `manualSeed(s)` the order equals PyTorch's after `torch.manual_seed(s)`.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * [...new RandomSampler(10)]; // [6, 9, 0, 7, 3, 5, 4, 2, 1, 8], as PyTorch
 * ```
 */
export class RandomSampler implements Sampler<number> {
  private readonly source: SizedSource;
  /** Whether indices are drawn with replacement (repeats possible) or as a permutation. */
  readonly replacement: boolean;
  /** The generator of the draws (undefined: the global one that `manualSeed` seeds). */
  readonly generator: Generator | undefined;
  private readonly requested: number | undefined;

  constructor(dataSource: SizedSource, options: RandomSamplerOptions = {}) {
    sizeOf('RandomSampler', dataSource);
    check.options('RandomSampler', 'options', options, ['replacement', 'numSamples', 'generator']);
    this.source = dataSource;
    const replacement = options.replacement ?? false;
    if (typeof replacement !== 'boolean') {
      throw new TypeError(
        `RandomSampler: replacement should be a boolean value, but got replacement=${String(replacement)}`,
      );
    }
    this.replacement = replacement;
    this.generator = options.generator;
    this.requested = options.numSamples;
    checkPositiveInt('RandomSampler', 'numSamples', this.numSamples);
  }

  /** Indices per pass: `numSamples`, or the data set's current length. */
  get numSamples(): number {
    return this.requested ?? sizeOf('RandomSampler', this.source);
  }

  /** The number of indices one pass yields. */
  get length(): number {
    return this.numSamples;
  }

  /** One pass over the indices. */
  *[Symbol.iterator](): Iterator<number> {
    const n = sizeOf('RandomSampler', this.source);
    const g = this.generator ?? generatorFromSeed(drawSeed(defaultGenerator));
    const total = this.numSamples;
    if (this.replacement) {
      if (n === 0)
        throw new RangeError(
          'RandomSampler: cannot sample with replacement from an empty data set',
        );
      const chunk = new Int32Array(32);
      for (let k = 0; k < Math.floor(total / 32); k++) {
        g.randint_(chunk, 0, n);
        yield* chunk;
      }
      const rest = new Int32Array(total % 32);
      if (rest.length > 0) g.randint_(rest, 0, n);
      yield* rest;
    } else {
      if (n === 0) return;
      for (let k = 0; k < Math.floor(total / n); k++) yield* g.randperm(n);
      yield* g.randperm(n).subarray(0, total % n);
    }
  }
}

/**
 * Visits the given indices in random order, one `randperm` per pass (PyTorch's
 * `SubsetRandomSampler`).
 *
 * @example
 * ```ts
 * const sampler = new SubsetRandomSampler([10, 20, 30], { generator: new Generator(0) });
 * ```
 */
export class SubsetRandomSampler implements Sampler<number> {
  /** The indices to permute. */
  readonly indices: readonly number[];
  /** The generator of the permutations (undefined: the global one). */
  readonly generator: Generator | undefined;

  constructor(indices: ArrayLike<number>, options: { generator?: Generator } = {}) {
    check.options('SubsetRandomSampler', 'options', options, ['generator']);
    if (typeof indices !== 'object' || indices === null || typeof indices.length !== 'number')
      throw new TypeError(
        `SubsetRandomSampler: indices must be an array of indices, got ${describe(indices)}`,
      );
    this.indices = Array.from(indices);
    this.generator = options.generator;
  }

  /** The number of indices one pass yields. */
  get length(): number {
    return this.indices.length;
  }

  /** One pass over the indices. */
  *[Symbol.iterator](): Iterator<number> {
    const perm = (this.generator ?? defaultGenerator).randperm(this.indices.length);
    for (const i of perm) yield this.indices[i]!;
  }
}

/** Options of {@link WeightedRandomSampler}. */
export interface WeightedRandomSamplerOptions {
  /** Draw with replacement (default true). */
  replacement?: boolean;
  /** Generator to draw from (default: the global one). */
  generator?: Generator;
}

/**
 * Draws `numSamples` indices in [0, weights.length) with probabilities proportional to
 * `weights` (PyTorch's `WeightedRandomSampler`, i.e. `torch.multinomial` on float64 weights,
 * reproduced stream for stream):
 * - with replacement: one 53-bit uniform per sample, located by binary search in the
 *   normalized cumulative sum;
 * - without replacement: PyTorch's exponential race, the top `numSamples` of `w_i / q_i` with
 *   `q_i = -log(1 - u_i)` drawn for every category (largest first; `Math.log` may differ from
 *   glibc's `log` by an ulp, which can only matter for near-ties).
 * Each pass draws anew.
 *
 * @example
 * ```ts
 * const sampler = new WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 20, {
 *   generator: new Generator(0),
 * });
 * [...sampler]; // [5, 4, 4, 5, 4, 4, 2, 3, 4, 3, ...] as PyTorch
 * ```
 */
export class WeightedRandomSampler implements Sampler<number> {
  /** The sampling weights, one per index (need not sum to 1). */
  readonly weights: Float64Array;
  /** Number of indices one pass yields. */
  readonly numSamples: number;
  /** Whether an index can be drawn more than once in a pass. */
  readonly replacement: boolean;
  /** The generator of the draws (undefined: the global one). */
  readonly generator: Generator | undefined;

  constructor(
    weights: ArrayLike<number> | Tensor,
    numSamples: number,
    options: WeightedRandomSamplerOptions = {},
  ) {
    const name = 'WeightedRandomSampler';
    check.options(name, 'options', options, ['replacement', 'generator']);
    checkPositiveInt(name, 'numSamples', numSamples);
    const replacement = options.replacement ?? true;
    if (typeof replacement !== 'boolean') {
      throw new TypeError(
        `${name}: replacement should be a boolean value, but got replacement=${String(replacement)}`,
      );
    }
    let w: Float64Array;
    if (weights instanceof Tensor) {
      if (weights.ndim !== 1) {
        throw new RangeError(
          `${name}: weights should be a 1d sequence but given weights have shape [${weights.shape.join(', ')}]`,
        );
      }
      w = Float64Array.from(weights.value.data);
    } else {
      w = Float64Array.from(weights);
    }
    if (w.length === 0) throw new RangeError(`${name}: weights must not be empty`);
    let sum = 0;
    w.forEach((v) => {
      if (!(v >= 0)) {
        throw new RangeError(
          `${name}: invalid multinomial distribution (encountering probability entry < 0)`,
        );
      }
      if (!Number.isFinite(v)) {
        throw new RangeError(
          `${name}: invalid multinomial distribution (encountering probability entry = infinity or NaN)`,
        );
      }
      sum += v;
    });
    if (!(sum > 0)) {
      throw new RangeError(`${name}: invalid multinomial distribution (sum of probabilities <= 0)`);
    }
    if (!replacement) {
      const positive = w.reduce((a, v) => a + (v > 0 ? 1 : 0), 0);
      if (numSamples > positive) {
        throw new RangeError(
          `${name}: cannot sample ${numSamples} indices without replacement from ${positive} with non-zero weight`,
        );
      }
    }
    this.weights = w;
    this.numSamples = numSamples;
    this.replacement = replacement;
    this.generator = options.generator;
  }

  /** The number of indices one pass yields. */
  get length(): number {
    return this.numSamples;
  }

  /** One pass over the indices. */
  [Symbol.iterator](): Iterator<number> {
    const g = this.generator ?? defaultGenerator;
    return (this.replacement ? this.withReplacement(g) : this.exponential(g))[Symbol.iterator]();
  }

  /** multinomial_with_replacement: cumulative sums in float64, binary search per draw. */
  private withReplacement(g: Generator): number[] {
    const w = this.weights;
    const n = w.length;
    const cum = new Float64Array(n);
    let sum = 0;
    for (let j = 0; j < n; j++) {
      sum += w[j]!;
      cum[j] = sum;
    }
    for (let j = 0; j < n; j++) cum[j] = cum[j]! / sum;
    cum[n - 1] = 1;
    const u = new Float64Array(1);
    const out: number[] = [];
    for (let k = 0; k < this.numSamples; k++) {
      g.uniform_(u, 0, 1);
      const x = u[0]!;
      let left = 0;
      let right = n;
      while (right - left > 0) {
        const mid = left + Math.floor((right - left) / 2);
        if (cum[mid]! < x) left = mid + 1;
        else right = mid;
      }
      out.push(left);
    }
    return out;
  }

  /** The exponential-race path of torch.multinomial without replacement. */
  private exponential(g: Generator): number[] {
    const w = this.weights;
    const n = w.length;
    const u = new Float64Array(n);
    g.uniform_(u, 0, 1);
    const keys = new Float64Array(n);
    for (let j = 0; j < n; j++) keys[j] = w[j]! / -Math.log(1 - u[j]!);
    const order = Array.from({ length: n }, (_, j) => j);
    // Largest key first; ties keep the lower index first.
    order.sort((a, b) => keys[b]! - keys[a]! || a - b);
    return order.slice(0, this.numSamples);
  }
}

/**
 * Groups the indices of a sampler into lists of `batchSize` (PyTorch's `BatchSampler`); with
 * `dropLast` a final short batch is dropped.
 *
 * @example
 * ```ts
 * [...new BatchSampler(new SequentialSampler(10), 3, false)]; // [[0,1,2],[3,4,5],[6,7,8],[9]]
 * ```
 */
export class BatchSampler implements Sampler<number[]> {
  /** The sampler whose indices are grouped. */
  readonly sampler: Iterable<number> & {
    /** How many indices it yields, when it knows. */
    readonly length?: number;
  };
  /** Indices per batch. */
  readonly batchSize: number;
  /** Whether a final batch shorter than `batchSize` is dropped. */
  readonly dropLast: boolean;

  constructor(
    sampler: Iterable<number> & { readonly length?: number },
    batchSize: number,
    dropLast: boolean,
  ) {
    if (sampler === null || typeof sampler !== 'object' || !(Symbol.iterator in sampler)) {
      throw new TypeError('BatchSampler: sampler must be an iterable of indices');
    }
    checkPositiveInt('BatchSampler', 'batchSize', batchSize);
    if (typeof dropLast !== 'boolean') {
      throw new TypeError(
        `BatchSampler: dropLast should be a boolean value, but got dropLast=${String(dropLast)}`,
      );
    }
    this.sampler = sampler;
    this.batchSize = batchSize;
    this.dropLast = dropLast;
  }

  /** The number of indices one pass yields. */
  get length(): number {
    const n = this.sampler.length;
    if (typeof n !== 'number') {
      throw new TypeError('BatchSampler: the sampler has no length');
    }
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** One pass over the batches of indices. */
  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const idx of this.sampler) {
      batch.push(idx);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}
