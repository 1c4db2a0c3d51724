/** Activation layers and Dropout, Flatten, Unflatten. */
import type { Tensor } from '@gd/autograd';
import * as F from './functional/activation.js';
import { Module } from './module.js';
import { checkLayerArgs } from './checks.js';

/**
 * max(x, 0).
 *
 * @example
 * ```ts
 * new ReLU().call(tensor([-1, 2])); // tensor([0., 2.])
 * ```
 */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return x.relu();
  }
}

/**
 * x for x > 0, negativeSlope·x otherwise.
 *
 * @example
 * ```ts
 * new LeakyReLU(0.1).call(tensor([-1, 2])); // tensor([-0.1000, 2.0000])
 * ```
 */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
    checkLayerArgs('LeakyReLU', [negativeSlope]);
  }
  forward(x: Tensor): Tensor {
    return x.leakyRelu(this.negativeSlope);
  }
  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/**
 * Hyperbolic tangent.
 *
 * @example
 * ```ts
 * new Tanh().call(tensor([0, 1])); // tensor([0.0000, 0.7616])
 * ```
 */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return x.tanh();
  }
}

/**
 * Logistic sigmoid.
 *
 * @example
 * ```ts
 * new Sigmoid().call(tensor([0])); // tensor([0.5000])
 * ```
 */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return x.sigmoid();
  }
}

/**
 * GELU (exact by default; `'tanh'` for the approximation).
 *
 * @example
 * ```ts
 * new GELU().call(tensor([1])); // tensor([0.8413])
 * new GELU('tanh');
 * ```
 */
export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
    checkLayerArgs('GELU', [approximate]);
  }
  forward(x: Tensor): Tensor {
    return x.gelu(this.approximate);
  }
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/**
 * x · sigmoid(x).
 *
 * @example
 * ```ts
 * new SiLU().call(tensor([1])); // tensor([0.7311])
 * ```
 */
export class SiLU extends Module {
  forward(x: Tensor): Tensor {
    return x.silu();
  }
}

/**
 * Softmax along `dim`.
 *
 * @example
 * ```ts
 * new Softmax(1).call(logits); // each row sums to 1
 * ```
 */
export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
    checkLayerArgs('Softmax', [dim]);
  }
  forward(x: Tensor): Tensor {
    return x.softmax(this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * Log-softmax along `dim`.
 *
 * @example
 * ```ts
 * new LogSoftmax(1).call(logits); // log-probabilities per row
 * ```
 */
export class LogSoftmax extends Module {
  constructor(readonly dim: number) {
    super();
    checkLayerArgs('LogSoftmax', [dim]);
  }
  forward(x: Tensor): Tensor {
    return x.logSoftmax(this.dim);
  }
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * Dropout with inverted scaling while training; the identity in eval mode.
 *
 * @example
 * ```ts
 * const drop = new Dropout(0.2);
 * drop.eval(); // now drop.call(x) returns x
 * ```
 */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    checkLayerArgs('Dropout', [p]);
    if (!(p >= 0 && p <= 1))
      throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
  }
  forward(x: Tensor): Tensor {
    return F.dropout(x, this.p, this.training);
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/**
 * Flattens dims startDim..endDim (by default all but the batch dim).
 *
 * @example
 * ```ts
 * new Flatten().call(randn([8, 1, 28, 28])).shape; // [8, 784]
 * ```
 */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
    checkLayerArgs('Flatten', [startDim, endDim]);
  }
  forward(x: Tensor): Tensor {
    return x.flatten(this.startDim, this.endDim);
  }
  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

/**
 * Splits dim `dim` into `sizes`.
 *
 * @example
 * ```ts
 * new Unflatten(1, [1, 28, 28]).call(randn([8, 784])).shape; // [8, 1, 28, 28]
 * ```
 */
export class Unflatten extends Module {
  constructor(
    readonly dim: number,
    readonly sizes: readonly number[],
  ) {
    super();
    checkLayerArgs('Unflatten', [dim, sizes]);
  }
  forward(x: Tensor): Tensor {
    return x.unflatten(this.dim, this.sizes);
  }
  override extraRepr(): string {
    return `dim=${this.dim}, unflattenedSize=[${this.sizes.join(', ')}]`;
  }
}
