/** `grad()`: gradients of outputs with respect to chosen inputs, returned instead of accumulated. */
import type { BackwardOptions } from './engine.js';
import { runBackward } from './engine.js';
import { checkEntry } from './checks.js';
import type { Tensor } from './tensor.js';

/** Options of {@link grad}. */
export interface GradOptions extends BackwardOptions {
  /** The vectors of the vector-Jacobian products, one per output (needed for non-scalar outputs). */
  gradOutputs?: readonly (Tensor | null)[] | Tensor | null;
  /** Return null for inputs the outputs do not depend on, instead of throwing. */
  allowUnused?: boolean;
}

/**
 * The gradients of `outputs` with respect to `inputs` (PyTorch's `torch.autograd.grad`). Leaves'
 * `.grad` are left alone. With `createGraph`, the results are differentiable again.
 *
 * @example
 * ```ts
 * const x = tensor([2.0], { requiresGrad: true });
 * const y = x.pow(3);
 * const [dy] = grad(y, x, { createGraph: true });   // 3x² = 12
 * const [d2y] = grad(dy!, x);                        // 6x = 12
 * ```
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: Tensor | readonly Tensor[],
  options: GradOptions = {},
): (Tensor | null)[] {
  checkEntry('grad', [outputs, inputs, options]);
  const outs = Array.isArray(outputs) ? (outputs as readonly Tensor[]) : [outputs as Tensor];
  const ins = Array.isArray(inputs) ? (inputs as readonly Tensor[]) : [inputs as Tensor];
  const go = options.gradOutputs;
  const gradOutputs =
    go === undefined || go === null
      ? outs.map(() => null)
      : Array.isArray(go)
        ? go
        : [go as Tensor];
  if (gradOutputs.length !== outs.length) {
    throw new RangeError(`grad: got ${gradOutputs.length} gradOutputs for ${outs.length} outputs`);
  }
  ins.forEach((t, i) => {
    if (!t.requiresGrad)
      throw new Error(`One of the differentiated Tensors (input ${i}) does not require grad`);
  });
  const results = runBackward(outs, gradOutputs, options, ins);
  if (!options.allowUnused) {
    const unused = results.findIndex((r) => r === null);
    if (unused >= 0) {
      throw new Error(
        `One of the differentiated Tensors (input ${unused}) appears to not have been used in the graph. Set allowUnused: true if this is the desired behavior.`,
      );
    }
  }
  return results;
}
