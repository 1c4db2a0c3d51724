/** Activation layers and Dropout, Flatten, Unflatten. */
import { formatShape } from '@gd/tensor';
import type { DType, Tensor } from '@gd/autograd';
import { full } from '@gd/autograd';
import * as F from './functional/activation.js';
import { Module } from './module.js';
import { checkDropoutProbability, checkLayerArgs } from './checks.js';
import { Parameter } from './parameter.js';

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
  /** The slope a·x for x < 0 (default 0.01). */
  declare readonly negativeSlope: number;

  constructor(negativeSlope = 0.01) {
    super();
    this.negativeSlope = negativeSlope;
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
  /** `none`: the exact x·Φ(x) with erf; `tanh`: the tanh approximation. */
  declare readonly approximate: 'none' | 'tanh';

  constructor(approximate: 'none' | 'tanh' = 'none') {
    super();
    this.approximate = approximate;
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
  /** The dim whose entries sum to 1. */
  declare readonly dim: number;

  constructor(dim: number) {
    super();
    this.dim = dim;
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
  /** The dim along which the log-probabilities are normalised. */
  declare readonly dim: number;

  constructor(dim: number) {
    super();
    this.dim = dim;
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
  /** Probability of zeroing an element in training (default 0.5). */
  declare readonly p: number;

  constructor(p = 0.5) {
    super();
    this.p = p;
    checkLayerArgs('Dropout', [p]);
    checkDropoutProbability(p);
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
  /** First dim flattened (default 1, keeping the batch dim). */
  declare readonly startDim: number;
  /** Last dim flattened (default -1). */
  declare readonly endDim: number;

  constructor(startDim = 1, endDim = -1) {
    super();
    this.startDim = startDim;
    this.endDim = endDim;
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
  /** The dim split. */
  declare readonly dim: number;
  /** The sizes it is split into; their product is its size (one may be -1). */
  declare readonly sizes: readonly number[];

  constructor(dim: number, sizes: readonly number[]) {
    super();
    this.dim = dim;
    this.sizes = sizes;
    checkLayerArgs('Unflatten', [dim, sizes]);
  }
  forward(x: Tensor): Tensor {
    return x.unflatten(this.dim, this.sizes);
  }
  override extraRepr(): string {
    return `dim=${this.dim}, unflattenedSize=${formatShape(this.sizes)}`;
  }
}

/**
 * Dropout of whole channels of [N, C, H, W] (or [C, H, W]) while training; the identity in eval.
 *
 * @example
 * ```ts
 * new Dropout2d(0.2).call(randn([8, 16, 14, 14]));
 * ```
 */
export class Dropout2d extends Module {
  /** Probability of zeroing a whole channel in training (default 0.5). */
  declare readonly p: number;

  constructor(p = 0.5) {
    super();
    this.p = p;
    checkDropoutProbability(p);
  }
  forward(x: Tensor): Tensor {
    return F.dropout2d(x, this.p, this.training);
  }
  override extraRepr(): string {
    return `p=${this.p}`;
  }
}

/** Options of {@link PReLU}. */
export interface PReLUOptions {
  /** Initial slope (default 0.25). */
  init?: number;
  /** dtype of the weight (default float32). */
  dtype?: DType;
}

/**
 * x for x > 0, a·x otherwise, with the slope a learned: one shared (default) or one per channel.
 *
 * @example
 * ```ts
 * const act = new PReLU(16); // one slope per channel of [N, 16, H, W]
 * act.weight.shape; // [16]
 * ```
 */
export class PReLU extends Module {
  /** The learned slopes for x < 0: [numParameters], one shared or one per channel. */
  declare readonly weight: Parameter;
  /** The slopes' initial value (default 0.25). */
  declare readonly init: number;
  // PyTorch's `num_parameters` is `weight.numel()` here: Module.numParameters() is a method.
  constructor(numParameters = 1, options: PReLUOptions = {}) {
    super();
    if (!Number.isInteger(numParameters) || numParameters <= 0)
      throw new RangeError(`numParameters must be a positive integer, got ${numParameters}`);
    this.init = options.init ?? 0.25;
    this.weight = new Parameter(
      full([numParameters], this.init, { dtype: options.dtype ?? 'float32' }),
    );
  }
  forward(x: Tensor): Tensor {
    return F.prelu(x, this.weight);
  }
  override extraRepr(): string {
    return `numParameters=${this.weight.numel()}`;
  }
}

/**
 * log(1 + e^(beta·x)) / beta, linear where beta·x > threshold.
 *
 * @example
 * ```ts
 * new Softplus().call(tensor([0])); // tensor([0.6931])
 * new Softplus(2, 10).call(tensor([0])); // tensor([0.3466])
 * ```
 */
export class Softplus extends Module {
  /** Sharpness: log(1 + exp(beta·x)) / beta (default 1). */
  declare readonly beta: number;
  /** Above beta·x = threshold the layer returns x as it is (default 20). */
  declare readonly threshold: number;

  constructor(beta = 1, threshold = 20) {
    super();
    this.beta = beta;
    this.threshold = threshold;
    checkLayerArgs('Softplus', [beta, threshold]);
  }
  forward(x: Tensor): Tensor {
    return x.softplus(this.beta, this.threshold);
  }
  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/**
 * x for x > 0, alpha·(eˣ − 1) otherwise.
 *
 * @example
 * ```ts
 * new ELU().call(tensor([-1, 2])); // tensor([-0.6321,  2.0000])
 * ```
 */
export class ELU extends Module {
  /** For x < 0 the output is alpha·(exp(x) - 1), tending to -alpha (default 1). */
  declare readonly alpha: number;

  constructor(alpha = 1) {
    super();
    this.alpha = alpha;
  }
  forward(x: Tensor): Tensor {
    return x.elu(this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/**
 * max(0, x) + min(0, alpha·(e^(x/alpha) − 1)).
 *
 * @example
 * ```ts
 * new CELU(0.5).call(tensor([-1])); // tensor([-0.4323])
 * ```
 */
export class CELU extends Module {
  /** Scale of the negative part, alpha·(exp(x/alpha) - 1) (default 1). */
  declare readonly alpha: number;

  constructor(alpha = 1) {
    super();
    this.alpha = alpha;
  }
  forward(x: Tensor): Tensor {
    return x.celu(this.alpha);
  }
  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/**
 * Scaled ELU with PyTorch's fixed constants (self-normalising networks).
 *
 * @example
 * ```ts
 * new SELU().call(tensor([1])); // tensor([1.0507])
 * ```
 */
export class SELU extends Module {
  forward(x: Tensor): Tensor {
    return x.selu();
  }
}

/**
 * x · tanh(softplus(x)).
 *
 * @example
 * ```ts
 * new Mish().call(tensor([1])); // tensor([0.8651])
 * ```
 */
export class Mish extends Module {
  forward(x: Tensor): Tensor {
    return x.mish();
  }
}

/**
 * x · relu6(x + 3) / 6.
 *
 * @example
 * ```ts
 * new Hardswish().call(tensor([1])); // tensor([0.6667])
 * ```
 */
export class Hardswish extends Module {
  forward(x: Tensor): Tensor {
    return x.hardswish();
  }
}

/**
 * relu6(x + 3) / 6.
 *
 * @example
 * ```ts
 * new Hardsigmoid().call(tensor([0])); // tensor([0.5000])
 * ```
 */
export class Hardsigmoid extends Module {
  forward(x: Tensor): Tensor {
    return x.hardsigmoid();
  }
}

/**
 * log(sigmoid(x)).
 *
 * @example
 * ```ts
 * new LogSigmoid().call(tensor([0])); // tensor([-0.6931])
 * ```
 */
export class LogSigmoid extends Module {
  forward(x: Tensor): Tensor {
    return x.logsigmoid();
  }
}

/**
 * x clamped to [minVal, maxVal].
 *
 * @example
 * ```ts
 * new Hardtanh().call(tensor([-2, 0.5, 2])); // tensor([-1.0000,  0.5000,  1.0000])
 * ```
 */
export class Hardtanh extends Module {
  /** Lower clamp (default -1). */
  declare readonly minVal: number;
  /** Upper clamp (default 1). */
  declare readonly maxVal: number;

  constructor(minVal = -1, maxVal = 1) {
    super();
    this.minVal = minVal;
    this.maxVal = maxVal;
    if (!(maxVal > minVal)) throw new RangeError('max_val must be greater than min_val');
  }
  forward(x: Tensor): Tensor {
    return x.hardtanh(this.minVal, this.maxVal);
  }
  override extraRepr(): string {
    return `minVal=${this.minVal}, maxVal=${this.maxVal}`;
  }
}

/**
 * x − lambd for x > lambd, x + lambd for x < −lambd, 0 otherwise.
 *
 * @example
 * ```ts
 * new Softshrink(0.5).call(tensor([-1, 0.2, 1])); // tensor([-0.5000,  0.0000,  0.5000])
 * ```
 */
export class Softshrink extends Module {
  /** Values within [-lambd, lambd] become 0, others move lambd toward 0 (default 0.5). */
  declare readonly lambd: number;

  constructor(lambd = 0.5) {
    super();
    this.lambd = lambd;
  }
  forward(x: Tensor): Tensor {
    return x.softshrink(this.lambd);
  }
  override extraRepr(): string {
    return `lambd=${this.lambd}`;
  }
}
