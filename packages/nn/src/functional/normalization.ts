/**
 * Normalisation functions (PyTorch's `F.batch_norm` and `F.layer_norm`), composed of
 * differentiable Tensor ops, so gradients (of every order) flow through the batch statistics.
 */
import { formatShape, shapesEqual } from '@gd/tensor';
import type { Tensor } from '@gd/autograd';
import { layerNorm as fusedLayerNorm, noGrad } from '@gd/autograd';

/** Options of {@link batchNorm}. */
export interface BatchNormFunctionOptions {
  /** Per-channel scale γ ([C]), or null. */
  weight?: Tensor | null;
  /** Per-channel shift β ([C]), or null. */
  bias?: Tensor | null;
  /** Normalise with the batch's statistics (and update the running ones); default false. */
  training?: boolean;
  /** Weight of the new batch in the running averages (default 0.1). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * Batch normalisation over dim 1 of an [N, C, *] input (`torch.nn.functional.batch_norm`).
 *
 * With `training`, each channel is normalised with the batch's mean and biased variance, and
 * the running statistics (when given) are updated in place:
 * `running = (1 - momentum)·running + momentum·batch`, the variance using the unbiased
 * estimate. Otherwise the running statistics normalise. Then y = x̂·weight + bias.
 *
 * @example
 * ```ts
 * const x = randn([8, 3, 4, 4]);
 * const rm = zeros([3]), rv = ones([3]);
 * const y = F.batchNorm(x, rm, rv, { training: true }); // rm, rv updated in place
 * ```
 */
export function batchNorm(
  input: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  options: BatchNormFunctionOptions = {},
): Tensor {
  const { weight = null, bias = null, training = false, momentum = 0.1, eps = 1e-5 } = options;
  if (input.ndim < 2)
    throw new RangeError(
      `batch_norm: expected an input of shape [N, C, *] (at least 2 dims), but got ${formatShape(input.shape)}`,
    );
  const c = input.shape[1]!;
  const named: [string, Tensor | null][] = [
    ['running_mean', runningMean],
    ['running_var', runningVar],
    ['weight', weight],
    ['bias', bias],
  ];
  for (const [name, t] of named) {
    if (t && t.numel() !== c)
      throw new RangeError(`${name} should contain ${c} elements not ${t.numel()}`);
  }
  const statShape = input.shape.map((d, i) => (i === 1 ? c : 1));
  const dims = input.shape.map((_, i) => i).filter((i) => i !== 1);
  let out: Tensor;
  if (training) {
    const perChannel = input.numel() / Math.max(c, 1);
    if (perChannel === 1)
      throw new RangeError(
        `Expected more than 1 value per channel when training, got input size ${formatShape(input.shape)}`,
      );
    const mean = input.mean(dims, true);
    const centered = input.sub(mean);
    const variance = centered.square().mean(dims, true); // biased, for normalising
    out = centered.mul(variance.add(eps).rsqrt());
    noGrad(() => {
      if (runningMean) runningMean.mul_(1 - momentum).add_(mean.reshape([c]).mul(momentum));
      // The running variance uses the unbiased estimate, as PyTorch's does.
      if (runningVar)
        runningVar
          .mul_(1 - momentum)
          .add_(variance.reshape([c]).mul((momentum * perChannel) / (perChannel - 1)));
    });
  } else {
    if (!runningMean || !runningVar)
      throw new Error('running_mean must be defined in evaluation mode');
    out = input
      .sub(runningMean.reshape(statShape))
      .mul(runningVar.reshape(statShape).add(eps).rsqrt());
  }
  if (weight) out = out.mul(weight.reshape(statShape));
  if (bias) out = out.add(bias.reshape(statShape));
  return out;
}

/** Options of {@link layerNorm}. */
export interface LayerNormFunctionOptions {
  /** Elementwise scale of shape `normalizedShape`, or null. */
  weight?: Tensor | null;
  /** Elementwise shift of shape `normalizedShape`, or null. */
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * Layer normalisation over the trailing dims given by `normalizedShape`
 * (`torch.nn.functional.layer_norm`): each sample is normalised with its own mean and biased
 * variance over those dims, then y = x̂·weight + bias.
 *
 * @example
 * ```ts
 * const x = randn([2, 5, 8]);
 * F.layerNorm(x, [8]).mean(-1); // ≈ 0 everywhere
 * ```
 */
export function layerNorm(
  input: Tensor,
  normalizedShape: number | readonly number[],
  options: LayerNormFunctionOptions = {},
): Tensor {
  const { weight = null, bias = null, eps = 1e-5 } = options;
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const k = shape.length;
  const tail = input.shape.slice(input.ndim - k);
  if (k === 0 || input.ndim < k || !shapesEqual(tail, shape)) {
    throw new RangeError(
      `Given normalized_shape=${formatShape(shape)}, expected input with shape [*${shape.map((d) => `, ${d}`).join('')}], but got input of size${formatShape(input.shape)}`,
    );
  }
  for (const [name, t] of [
    ['weight', weight],
    ['bias', bias],
  ] as const) {
    if (t && !shapesEqual(t.shape, shape)) {
      throw new RangeError(
        `Expected ${name} to be of same shape as normalized_shape, but got ${name} of shape ${formatShape(t.shape)} and normalized_shape = ${formatShape(shape)}`,
      );
    }
  }
  // One op: statistics, normalisation and affine in one kernel, and one for the gradients.
  return fusedLayerNorm(input, shape, weight, bias, eps);
}

/** Options of {@link groupNorm}. */
export interface GroupNormFunctionOptions {
  /** Per-channel scale [C], or null. */
  weight?: Tensor | null;
  /** Per-channel shift [C], or null. */
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * Group normalisation (`torch.nn.functional.group_norm`): the C channels of [N, C, *] are split
 * into `numGroups` groups, each normalised per sample with its mean and biased variance, then
 * y = x̂·weight[c] + bias[c].
 *
 * @example
 * ```ts
 * F.groupNorm(randn([2, 6, 4, 4]), 3).shape; // [2, 6, 4, 4]
 * ```
 */
export function groupNorm(
  input: Tensor,
  numGroups: number,
  options: GroupNormFunctionOptions = {},
): Tensor {
  const { weight = null, bias = null, eps = 1e-5 } = options;
  if (input.ndim < 2)
    throw new RangeError(
      `Expected at least 2 dimensions for input tensor but received ${input.ndim}`,
    );
  const [n, c] = input.shape as [number, number];
  if (!Number.isInteger(numGroups) || numGroups <= 0 || c % numGroups !== 0)
    throw new RangeError(
      `Expected number of channels in input to be divisible by num_groups, but got input of shape ${formatShape(input.shape)} and num_groups=${numGroups}`,
    );
  const grouped = input.reshape([n, numGroups, -1]);
  const mean = grouped.mean(-1, true);
  const centered = grouped.sub(mean);
  const variance = centered.square().mean(-1, true);
  let out = centered.mul(variance.add(eps).rsqrt()).reshape(input.shape);
  const perChannel = [1, c, ...input.shape.slice(2).map(() => 1)];
  if (weight) out = out.mul(weight.reshape(perChannel));
  if (bias) out = out.add(bias.reshape(perChannel));
  return out;
}
