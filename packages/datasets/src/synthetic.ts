/**
 * The lecture's synthetic data sets, drawn from gd's PyTorch-compatible generator.
 */
import type { Tensor } from '@gd/autograd';
import { arange, bernoulli, noGrad, randn, tensor } from '@gd/autograd';
import { Generator, defaultGenerator } from '@gd/tensor';

/** Where random numbers come from: an explicit generator, a seed for a fresh one, or the global one. */
export interface SeedOptions {
  /** Seed for a private generator (the global generator is left untouched). */
  seed?: number;
  /** Generator to draw from (takes precedence over `seed`). */
  generator?: Generator;
}

function pickGenerator(name: string, options: SeedOptions): Generator {
  if (options.generator !== undefined) {
    if (!(options.generator instanceof Generator)) {
      throw new TypeError(`${name}: generator must be a Generator`);
    }
    return options.generator;
  }
  if (options.seed !== undefined) return new Generator(options.seed);
  return defaultGenerator;
}

function positiveInt(name: string, what: string, v: number): number {
  if (!Number.isInteger(v) || v <= 0) {
    throw new RangeError(`${name}: ${what} must be a positive integer, got ${String(v)}`);
  }
  return v;
}

function nonNegative(name: string, what: string, v: number): number {
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) {
    throw new RangeError(`${name}: ${what} must be a non-negative number, got ${String(v)}`);
  }
  return v;
}

/** Options of {@link linearRegressionData}. */
export interface LinearRegressionOptions extends SeedOptions {
  /** Rows of X (default 1000). */
  nSamples?: number;
  /** Columns of X (default 3; must equal `wTrue.length`). */
  nFeatures?: number;
  /** The true weights (default the lecture's [1, -0.5, 0.25]). */
  wTrue?: readonly number[];
  /** Standard deviation of the Gaussian noise on y (default 0.1). */
  noise?: number;
}

/**
 * The lecture's least-squares data: `X = randn(nSamples, nFeatures)`, then
 * `y = X @ wTrue + noise * randn(nSamples)`, all float32, drawn in that order. With the global
 * generator seeded by `manualSeed(42)` (or `seed: 42`), `X` equals PyTorch's
 * `torch.manual_seed(42); X = torch.randn(1000, 3)` and `y` matches to float32 rounding.
 *
 * @example
 * ```ts
 * const { X, y, wTrue } = linearRegressionData({ seed: 42 });
 * X.shape; // [1000, 3]
 * ```
 */
export function linearRegressionData(options: LinearRegressionOptions = {}): {
  /** The inputs, `[nSamples, nFeatures]`. */
  X: Tensor;
  /** The targets `X @ wTrue` plus noise, `[nSamples]`. */
  y: Tensor;
  /** The weights the targets were made with, `[nFeatures]`. */
  wTrue: Tensor;
} {
  const name = 'linearRegressionData';
  const nSamples = positiveInt(name, 'nSamples', options.nSamples ?? 1000);
  const w = options.wTrue ?? [1, -0.5, 0.25];
  const nFeatures = positiveInt(name, 'nFeatures', options.nFeatures ?? w.length);
  if (w.length !== nFeatures) {
    throw new RangeError(
      `${name}: wTrue has ${w.length} entries but nFeatures is ${nFeatures}; pass wTrue with ${nFeatures} entries`,
    );
  }
  const noise = nonNegative(name, 'noise', options.noise ?? 0.1);
  const generator = pickGenerator(name, options);
  return noGrad(() => {
    const X = randn([nSamples, nFeatures], { generator });
    const wTrue = tensor([...w]);
    const eps = randn([nSamples], { generator });
    const y = X.matmul(wTrue).add(eps.mul(noise));
    return { X, y, wTrue };
  });
}

/** Options of {@link temperatureData}. */
export interface TemperatureOptions extends SeedOptions {
  /** Number of hourly readings, at t = 0, 1, ..., hours-1 (default 48: two days). */
  hours?: number;
  /** Mean temperature (default 15). */
  offset?: number;
  /** Half the daily swing (default 5). */
  amplitude?: number;
  /** Phase in radians (default -3π/4: coldest at 3:00, warmest at 15:00). */
  phase?: number;
  /** Standard deviation of the measurement noise (default 0.5). */
  noise?: number;
}

/**
 * Hourly temperatures following a 24-hour sinusoid plus Gaussian noise, for the lecture's
 * nonlinear fit `f(t) = offset + amplitude * sin(2πt/24 + phase)`: `t` is float32 `[hours]`
 * (0, 1, 2, ...), `y = f(t) + noise * randn(hours)`. The true parameters come back in `params`.
 *
 * @example
 * ```ts
 * const { t, y, params } = temperatureData({ hours: 72, seed: 0 });
 * params; // { offset: 15, amplitude: 5, phase: -2.356... }
 * ```
 */
export function temperatureData(options: TemperatureOptions = {}): {
  /** The hours of the readings, float32 `[hours]`: 0, 1, 2, ... */
  t: Tensor;
  /** The readings `f(t)` plus noise, `[hours]`. */
  y: Tensor;
  /** The true parameters of `f(t) = offset + amplitude * sin(2πt/24 + phase)`. */
  params: {
    /** The mean temperature. */
    offset: number;
    /** Half the day's swing between its coldest and warmest. */
    amplitude: number;
    /** The phase of the daily sine, in radians. */
    phase: number;
  };
} {
  const name = 'temperatureData';
  const hours = positiveInt(name, 'hours', options.hours ?? 48);
  const offset = options.offset ?? 15;
  const amplitude = options.amplitude ?? 5;
  const phase = options.phase ?? (-3 * Math.PI) / 4;
  for (const [k, v] of [
    ['offset', offset],
    ['amplitude', amplitude],
    ['phase', phase],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new RangeError(`${name}: ${k} must be a finite number, got ${String(v)}`);
    }
  }
  const noise = nonNegative(name, 'noise', options.noise ?? 0.5);
  const generator = pickGenerator(name, options);
  return noGrad(() => {
    const t = arange(hours, { dtype: 'float32' });
    const clean = t
      .mul((2 * Math.PI) / 24)
      .add(phase)
      .sin()
      .mul(amplitude)
      .add(offset);
    const y = clean.add(randn([hours], { generator }).mul(noise));
    return { t, y, params: { offset, amplitude, phase } };
  });
}

/** Options of {@link spamData}. */
export interface SpamOptions extends SeedOptions {
  /** Number of messages (default 1000). */
  nSamples?: number;
  /** Number of features per message (default 10). */
  nFeatures?: number;
}

/**
 * A spam-like binary classification set for the lecture's regularized logistic regression:
 * standardized features `X = randn(nSamples, nFeatures)`, hidden weights `wTrue =
 * randn(nFeatures)`, and labels `y ~ Bernoulli(sigmoid(X @ wTrue))` (float32 0/1, 1 = spam),
 * drawn in that order. The classes overlap, so no classifier is perfect.
 *
 * @example
 * ```ts
 * const { X, y } = spamData({ nSamples: 500, nFeatures: 20, seed: 0 });
 * y.mean().item(); // about 0.5
 * ```
 */
export function spamData(options: SpamOptions = {}): {
  /** The features, `[nSamples, nFeatures]`, standard normal. */
  X: Tensor;
  /** The labels, float32 0 or 1 (1 = spam), `[nSamples]`. */
  y: Tensor;
  /** The weights of the logistic model the labels were drawn from, `[nFeatures]`. */
  wTrue: Tensor;
} {
  const name = 'spamData';
  const nSamples = positiveInt(name, 'nSamples', options.nSamples ?? 1000);
  const nFeatures = positiveInt(name, 'nFeatures', options.nFeatures ?? 10);
  const generator = pickGenerator(name, options);
  return noGrad(() => {
    const X = randn([nSamples, nFeatures], { generator });
    const wTrue = randn([nFeatures], { generator });
    const y = bernoulli(X.matmul(wTrue).sigmoid(), { generator });
    return { X, y, wTrue };
  });
}
