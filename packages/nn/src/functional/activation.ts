/** Activation and linear functions (PyTorch's `torch.nn.functional`). */
import { formatShape } from '@gd/tensor';
import { addmm } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';
import { checkDropoutProbability, checkFunctionArgs } from '../checks.js';

/**
 * y = x Wᵀ + b.
 *
 * @example
 * ```ts
 * F.linear(x, weight, bias); // x [N, in], weight [out, in]
 * ```
 */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  [input, weight, bias] = checkFunctionArgs('linear', [input, weight, bias]) as [
    never,
    never,
    never,
  ];
  if (weight.ndim !== 2)
    throw new RangeError(
      `linear: expected a 2-d weight [out, in], got shape ${formatShape(weight.shape)}`,
    );
  const inFeatures = weight.shape[1]!;
  if (input.ndim === 0 || input.shape[input.ndim - 1] !== inFeatures) {
    throw new RangeError(
      `mat1 and mat2 shapes cannot be multiplied (input of shape ${formatShape(input.shape)} and weight.T of shape [${inFeatures}, ${weight.shape[0]}])`,
    );
  }
  // With a bias, a batch of rows is PyTorch's addmm (one node, one output), and so is a
  // contiguous 3-d batch, viewed as rows and back; other inputs are a product and an add, as in
  // PyTorch.
  if (bias && input.ndim === 2) return addmm(bias, input, weight.t());
  if (bias && input.ndim === 3 && input.isContiguous()) {
    const [n, l] = input.shape as [number, number, number];
    return addmm(bias, input.view(n * l, inFeatures), weight.t()).view(n, l, weight.shape[0]!);
  }
  const out = input.matmul(weight.t());
  return bias ? out.add(bias) : out;
}

/**
 * max(x, 0).
 *
 * @example
 * ```ts
 * F.relu(tensor([-1, 2])); // tensor([0., 2.])
 * ```
 */
export const relu = (x: Tensor): Tensor => x.relu();
/**
 * Leaky ReLU: x for x > 0, negativeSlope·x otherwise.
 *
 * @example
 * ```ts
 * F.leakyRelu(tensor([-1, 2]), 0.1); // tensor([-0.1000, 2.0000])
 * ```
 */
export const leakyRelu = (x: Tensor, negativeSlope = 0.01): Tensor =>
  (checkFunctionArgs('leakyRelu', [x, negativeSlope])[0] as Tensor).leakyRelu(negativeSlope);
/**
 * Hyperbolic tangent.
 *
 * @example
 * ```ts
 * F.tanh(tensor([0])); // tensor([0.])
 * ```
 */
export const tanh = (x: Tensor): Tensor => x.tanh();
/**
 * Logistic sigmoid.
 *
 * @example
 * ```ts
 * F.sigmoid(tensor([0])); // tensor([0.5000])
 * ```
 */
export const sigmoid = (x: Tensor): Tensor => x.sigmoid();
/**
 * GELU, exact or with the tanh approximation.
 *
 * @example
 * ```ts
 * F.gelu(x);
 * F.gelu(x, 'tanh');
 * ```
 */
export const gelu = (x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor =>
  x.gelu(approximate);
/**
 * x · sigmoid(x).
 *
 * @example
 * ```ts
 * F.silu(tensor([1])); // tensor([0.7311])
 * ```
 */
export const silu = (x: Tensor): Tensor => x.silu();
/**
 * log(1 + e^(beta·x)) / beta, and x itself where beta·x > threshold (PyTorch's defaults: beta 1,
 * threshold 20).
 *
 * @example
 * ```ts
 * F.softplus(tensor([0])); // tensor([0.6931])
 * F.softplus(tensor([0]), 2); // tensor([0.3466])
 * ```
 */
export const softplus = (x: Tensor, beta = 1, threshold = 20): Tensor =>
  (checkFunctionArgs('softplus', [x, beta, threshold])[0] as Tensor).softplus(beta, threshold);
/**
 * Softmax along `dim`.
 *
 * @example
 * ```ts
 * F.softmax(logits, 1);
 * ```
 */
export const softmax = (x: Tensor, dim: number): Tensor =>
  (checkFunctionArgs('softmax', [x, dim])[0] as Tensor).softmax(dim);
/**
 * Log-softmax along `dim`.
 *
 * @example
 * ```ts
 * F.logSoftmax(logits, 1);
 * ```
 */
export const logSoftmax = (x: Tensor, dim: number): Tensor =>
  (checkFunctionArgs('logSoftmax', [x, dim])[0] as Tensor).logSoftmax(dim);

/**
 * Zeroes each element with probability p while training and scales the rest by 1/(1-p)
 * ("inverted" dropout); the identity when not training.
 *
 * @example
 * ```ts
 * F.dropout(h, 0.2, model.training);
 * ```
 */
export function dropout(x: Tensor, p = 0.5, training = true): Tensor {
  [x, p, training] = checkFunctionArgs('dropout', [x, p, training]) as [never, never, never];
  checkDropoutProbability(p);
  if (!training || p === 0) return x;
  if (p === 1) return x.mul(0);
  // PyTorch's CPU dropout: a Bernoulli(1 - p) mask divided by (1 - p), drawn in x's dtype.
  const mask = x
    .newZeros(x.shape)
    .bernoulli_(1 - p)
    .div_(1 - p);
  return x.mul(mask);
}

/**
 * Zeroes whole channels of [N, C, H, W] (or [C, H, W]) with probability p while training and
 * scales the rest by 1/(1-p) (`torch.nn.functional.dropout2d`); the identity otherwise.
 *
 * @example
 * ```ts
 * F.dropout2d(features, 0.2, model.training);
 * ```
 */
export function dropout2d(x: Tensor, p = 0.5, training = true): Tensor {
  checkDropoutProbability(p);
  if (x.ndim !== 3 && x.ndim !== 4)
    throw new RangeError(
      `dropout2d: expected a 3-d [C, H, W] or 4-d [N, C, H, W] input, got shape ${formatShape(x.shape)}`,
    );
  if (!training || p === 0) return x;
  // One Bernoulli draw per channel, as PyTorch's feature dropout draws its noise.
  const channels = x.shape.slice(0, x.ndim - 2);
  const mask = dropout(x.newOnes([...channels, 1, 1]), p, true);
  return x.mul(mask);
}

/**
 * x for x > 0, weight·x otherwise, with a learned slope per channel (dim 1) or one shared
 * slope (`torch.nn.functional.prelu`).
 *
 * @example
 * ```ts
 * F.prelu(tensor([-2, 3]), tensor([0.25])); // tensor([-0.5000, 3.0000])
 * ```
 */
export function prelu(x: Tensor, weight: Tensor): Tensor {
  const k = weight.numel();
  let w: Tensor;
  if (k !== 1) {
    const c = x.ndim >= 2 ? x.shape[1]! : 1;
    if (weight.ndim !== 1 || c !== k)
      throw new RangeError(
        `Mismatch of parameter numbers and input channel size. Found parameter numbers = ${k} and channel size = ${c}.`,
      );
    w = weight.reshape([k, ...x.shape.slice(2).map(() => 1)]);
  } else w = weight.reshape([]);
  // relu(x) + w·min(x, 0) via clamp: every op recorded (so it exports), and at x = 0 the
  // gradient is w, as PyTorch's.
  return x.relu().add(x.clamp(null, 0).mul(w));
}
