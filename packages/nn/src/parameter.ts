/** Parameter: a tensor that a Module registers as a learnable weight. */
import type { NDArray } from '@gd/tensor';
import { Tensor } from '@gd/autograd';

/**
 * A Tensor that requires grad by default and that a {@link Module} picks up as a parameter
 * when assigned to one of its properties (PyTorch's `nn.Parameter`). It shares storage with
 * the data it wraps.
 *
 * @example
 * ```ts
 * class Scale extends Module {
 *   weight = new Parameter(ones([3]));
 *   forward(x: Tensor) { return x.mul(this.weight); }
 * }
 * ```
 */
export class Parameter extends Tensor {
  constructor(data: Tensor | NDArray, requiresGrad = true) {
    super(data instanceof Tensor ? data.value : data, null);
    if (requiresGrad) this.requiresGrad_(true);
  }

  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}
