/** Linear and Identity layers. */
import type { DType } from '@gd/tensor';
import type { Tensor } from '@gd/autograd';
import { linear } from './functional/activation.js';
import { emptyParameter, resetWeightAndBias } from './layer-init.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';
import { checkLayerArgs, checkSizes } from './checks.js';

/**
 * dtype option shared by layers with parameters.
 *
 * @example
 * ```ts
 * new Linear(3, 2, true, { dtype: 'float64' });
 * ```
 */
export interface LayerOptions {
  /** dtype of the parameters (default float32). */
  dtype?: DType;
}

/**
 * y = x Wᵀ + b, with PyTorch's default initialisation (Kaiming-uniform weights with a = √5,
 * uniform bias in ±1/√fanIn), drawn from the global seeded generator in PyTorch's order.
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const layer = new Linear(784, 10); // same initial weights as torch.manual_seed(0); nn.Linear(784, 10)
 * layer.call(x); // [N, 784] -> [N, 10]
 * ```
 */
export class Linear extends Module {
  /** Size of each input sample (the last dim). */
  declare readonly inFeatures: number;
  /** Size of each output sample. */
  declare readonly outFeatures: number;
  /** [outFeatures, inFeatures], initialised from U(-1/√inFeatures, 1/√inFeatures). */
  declare readonly weight: Parameter;
  /** [outFeatures], initialised like the weight, or null when built without bias. */
  declare readonly bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, bias = true, options: LayerOptions = {}) {
    super();
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    checkLayerArgs('Linear', [inFeatures, outFeatures, bias, options]);
    checkSizes('Linear', { inFeatures, outFeatures });
    this.weight = emptyParameter([outFeatures, inFeatures], options.dtype);
    this.bias = bias ? emptyParameter([outFeatures], options.dtype) : null;
    this.resetParameters();
  }

  /** Re-draws the weights with PyTorch's default initialisation. */
  resetParameters(): void {
    resetWeightAndBias(this.weight, this.bias, true);
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

/**
 * Returns its input unchanged (a placeholder layer).
 *
 * @example
 * ```ts
 * new Identity().call(x) === x; // true
 * ```
 */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}
