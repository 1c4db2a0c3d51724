/**
 * The fills behind `@gd/nn/init` and the layers' default initialisation (PyTorch's
 * `reset_parameters`), without argument checks: `@gd/nn/init`'s functions check their
 * arguments and then call these, and the layers, whose arguments are their own, call these
 * directly, so a page that builds layers does not load init's checks or its other
 * initialisers. Each draws from the global seeded generator (or `generator`) in PyTorch's order.
 * The layers also create their parameters here, before filling them.
 */
import type { Generator } from '@gd/tensor';
import type { DType, Tensor } from '@gd/autograd';
import { empty, noGrad } from '@gd/autograd';
import { Parameter } from './parameter.js';

/**
 * A layer's parameter of `shape`, uninitialised (the layer's reset fills it), in `dtype`
 * (float32 when not given).
 */
export function emptyParameter(shape: readonly number[], dtype?: DType | null): Parameter {
  return new Parameter(empty(shape, { dtype: dtype ?? 'float32' }));
}

/** Fills `tensor` with `value`, outside the graph. */
export function fill(tensor: Tensor, value: number): Tensor {
  return noGrad(() => tensor.fill_(value));
}

/** Fills `tensor` with U(a, b), outside the graph. */
export function fillUniform(tensor: Tensor, a: number, b: number, generator?: Generator): Tensor {
  return noGrad(() => tensor.uniform_(a, b, generator ? { generator } : {}));
}

/** Fills `tensor` with N(mean, std²), outside the graph. */
export function fillNormal(
  tensor: Tensor,
  mean: number,
  std: number,
  generator?: Generator,
): Tensor {
  return noGrad(() => tensor.normal_(mean, std, generator ? { generator } : {}));
}

/** [fanIn, fanOut] of a weight: dims 1 and 0 times the receptive field (dims 2+). */
export function fanInAndFanOut(tensor: Tensor): [number, number] {
  if (tensor.ndim < 2) {
    throw new RangeError(
      'Fan in and fan out can not be computed for tensor with fewer than 2 dimensions',
    );
  }
  const receptive = tensor.shape.slice(2).reduce((a, b) => a * b, 1);
  return [tensor.shape[1]! * receptive, tensor.shape[0]! * receptive];
}

/** The gain of a leaky ReLU of negative slope `slope`: √(2 / (1 + slope²)). */
export function leakyReluGain(slope: number): number {
  return Math.sqrt(2 / (1 + slope * slope));
}

/**
 * PyTorch's `reset_parameters` of Linear and the convolutions: the weight from
 * `kaiming_uniform_(weight, a=√5)`, the bias from U(-1/√fanIn, 1/√fanIn). With a fan-in of 0,
 * Linear still draws its bias (from U(0, 0)) and the convolutions skip it, as in PyTorch, which
 * keeps the generator's stream the same.
 */
export function resetWeightAndBias(
  weight: Tensor,
  bias: Tensor | null,
  drawBiasOfEmptyFanIn: boolean,
): void {
  // As kaimingUniform_(weight, { a: Math.sqrt(5) }) computes it, to the last bit.
  const std =
    weight.numel() === 0 ? 0 : leakyReluGain(Math.sqrt(5)) / Math.sqrt(fanInAndFanOut(weight)[0]);
  const bound = Math.sqrt(3) * std;
  fillUniform(weight, -bound, bound);
  if (bias) {
    const [fanIn] = fanInAndFanOut(weight);
    if (fanIn > 0) fillUniform(bias, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn));
    else if (drawBiasOfEmptyFanIn) fillUniform(bias, -0, 0);
  }
}

/** Ones for a normalisation's scale, zeros for its shift (where it has them). */
export function resetAffine(weight: Tensor | null, bias: Tensor | null): void {
  if (weight) fill(weight, 1);
  if (bias) fill(bias, 0);
}
