/**
 * Loss modules (PyTorch's `nn.MSELoss`, `nn.CrossEntropyLoss`, ...): thin modules holding the
 * options of the functions in `functional/loss.ts`. Called with `(input, target)`. Per-class
 * and per-element weights are registered as buffers (in the state dict, as in PyTorch).
 */
import type { Tensor } from '@gd/autograd';
import * as F from './functional/loss.js';
import type { Reduction, ReductionOptions } from './functional/loss.js';
import { Module } from './module.js';
import { LAYER_SIGNATURES, checkLayerArgs } from './checks.js';

/**
 * Base of the loss modules (PyTorch's `_Loss`): a module of (input, target) with a
 * `reduction`.
 *
 * @example
 * ```ts
 * class MyLoss extends Loss {
 *   forward(input: Tensor, target: Tensor) { return F.l1Loss(input.exp(), target, { reduction: this.reduction }); }
 * }
 * ```
 */
export abstract class Loss extends Module<[Tensor, Tensor], Tensor> {
  /** `'mean'` (default), `'sum'` or `'none'`. */
  declare readonly reduction: Reduction;

  constructor(options: ReductionOptions = {}) {
    super();
    if (new.target.name in LAYER_SIGNATURES) checkLayerArgs(new.target.name, [options]);
    const reduction = options.reduction ?? 'mean';
    F.checkReduction(reduction);
    this.reduction = reduction;
  }
}

/**
 * Mean squared error (see {@link F.mseLoss}).
 *
 * @example
 * ```ts
 * const criterion = new MSELoss();
 * const loss = criterion.call(model.call(X), y);
 * ```
 */
export class MSELoss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return F.mseLoss(input, target, { reduction: this.reduction });
  }
}

/**
 * Mean absolute error (see {@link F.l1Loss}).
 *
 * @example
 * ```ts
 * new L1Loss({ reduction: 'sum' }).call(yPred, y);
 * ```
 */
export class L1Loss extends Loss {
  forward(input: Tensor, target: Tensor): Tensor {
    return F.l1Loss(input, target, { reduction: this.reduction });
  }
}

/**
 * Huber loss with threshold `delta` (see {@link F.huberLoss}).
 *
 * @example
 * ```ts
 * new HuberLoss({ delta: 0.5 }).call(yPred, y);
 * ```
 */
export class HuberLoss extends Loss {
  /** Where the loss turns from quadratic to linear. */
  declare readonly delta: number;

  constructor(options: F.HuberLossOptions = {}) {
    super(options);
    this.delta = options.delta ?? 1;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return F.huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/**
 * Smooth L1 loss with threshold `beta` (see {@link F.smoothL1Loss}).
 *
 * @example
 * ```ts
 * new SmoothL1Loss({ beta: 0.5 }).call(yPred, y);
 * ```
 */
export class SmoothL1Loss extends Loss {
  /** Where the loss turns from quadratic to linear. */
  declare readonly beta: number;

  constructor(options: F.SmoothL1LossOptions = {}) {
    super(options);
    this.beta = options.beta ?? 1;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return F.smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/**
 * Negative log-likelihood of log-probabilities (see {@link F.nllLoss}); `weight` is a buffer.
 *
 * @example
 * ```ts
 * const model = new Sequential(new Linear(4, 3), new LogSoftmax(1));
 * const loss = new NLLLoss().call(model.call(x), labels); // labels: int32 [N]
 * ```
 */
export class NLLLoss extends Loss {
  /** Per-class weights (a buffer), or null. */
  declare readonly weight: Tensor | null;
  /** Targets equal to this add nothing to the loss or its mean. */
  declare readonly ignoreIndex: number;

  constructor(options: F.NLLLossOptions = {}) {
    super(options);
    this.registerBuffer('weight', options.weight ?? null);
    this.ignoreIndex = options.ignoreIndex ?? -100;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return F.nllLoss(input, target, {
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      reduction: this.reduction,
    });
  }
}

/**
 * Cross-entropy of logits against class indices or class probabilities (see
 * {@link F.crossEntropy}); `weight` is a buffer.
 *
 * @example
 * ```ts
 * const criterion = new CrossEntropyLoss();
 * const loss = criterion.call(output, target); // output [N, 10] logits, target int32 [N]
 * loss.backward();
 * ```
 */
export class CrossEntropyLoss extends Loss {
  /** Per-class weights (a buffer), or null. */
  declare readonly weight: Tensor | null;
  /** Targets equal to this add nothing to the loss or its mean. */
  declare readonly ignoreIndex: number;
  /** Share of the target mass spread evenly over the classes (0: none). */
  declare readonly labelSmoothing: number;

  constructor(options: F.CrossEntropyOptions = {}) {
    super(options);
    this.registerBuffer('weight', options.weight ?? null);
    this.ignoreIndex = options.ignoreIndex ?? -100;
    this.labelSmoothing = options.labelSmoothing ?? 0;
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return F.crossEntropy(input, target, {
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      reduction: this.reduction,
      labelSmoothing: this.labelSmoothing,
    });
  }
}

/**
 * Binary cross-entropy of probabilities (see {@link F.binaryCrossEntropy}); `weight` is a
 * buffer.
 *
 * @example
 * ```ts
 * const model = new Sequential(new Linear(4, 1), new Sigmoid());
 * new BCELoss().call(model.call(x), y); // y float, same shape as the output
 * ```
 */
export class BCELoss extends Loss {
  /** Per-element weights (a buffer), or null. */
  declare readonly weight: Tensor | null;

  constructor(options: F.BCELossOptions = {}) {
    super(options);
    this.registerBuffer('weight', options.weight ?? null);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/**
 * Binary cross-entropy of logits, numerically stable (see
 * {@link F.binaryCrossEntropyWithLogits}); `weight` and `posWeight` are buffers.
 *
 * @example
 * ```ts
 * const criterion = new BCEWithLogitsLoss({ posWeight: tensor([3.0]) });
 * criterion.call(logits, labels.float());
 * ```
 */
export class BCEWithLogitsLoss extends Loss {
  /** Per-element weights (a buffer), or null. */
  declare readonly weight: Tensor | null;
  /** Weights of the positive term (a buffer), or null. */
  declare readonly posWeight: Tensor | null;

  constructor(options: F.BCEWithLogitsLossOptions = {}) {
    super(options);
    this.registerBuffer('weight', options.weight ?? null);
    this.registerBuffer('posWeight', options.posWeight ?? null);
  }

  forward(input: Tensor, target: Tensor): Tensor {
    return F.binaryCrossEntropyWithLogits(input, target, {
      weight: this.weight,
      posWeight: this.posWeight,
      reduction: this.reduction,
    });
  }
}
