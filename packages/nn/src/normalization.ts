/** Normalisation layers (PyTorch's `nn.BatchNorm1d`, `nn.BatchNorm2d`, `nn.LayerNorm`). */
import { formatShape } from '@gd/tensor';
import type { DType, Tensor } from '@gd/autograd';
import { noGrad, ones, zeros } from '@gd/autograd';
import { batchNorm, groupNorm, layerNorm } from './functional/normalization.js';
import { emptyParameter, resetAffine } from './layer-init.js';
import { Module } from './module.js';
import { Parameter } from './parameter.js';
import { LAYER_SIGNATURES, checkLayerArgs, checkSizes } from './checks.js';

/** Options of the BatchNorm layers (PyTorch's keyword arguments, camelCase). */
export interface BatchNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of each new batch in the running averages (default 0.1); null for a cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true); without them eval uses batch statistics too. */
  trackRunningStats?: boolean;
  /** dtype of the parameters and running statistics (default float32). */
  dtype?: DType;
}

/**
 * What BatchNorm1d and BatchNorm2d share (PyTorch's `_BatchNorm`): parameters `weight` (γ, ones)
 * and `bias` (β, zeros) when `affine`, and buffers `runningMean` (zeros), `runningVar` (ones)
 * and `numBatchesTracked` (int32 0) when `trackRunningStats` — the state-dict keys are PyTorch's
 * in camelCase. Subclasses check the input's rank.
 *
 * @example
 * ```ts
 * class BatchNorm3d extends BatchNormBase {
 *   protected checkInputDim(x: Tensor) { if (x.ndim !== 5) throw new RangeError(`expected 5D input (got ${x.ndim}D input)`); }
 * }
 * ```
 */
export abstract class BatchNormBase extends Module {
  /** Channels C of the input [N, C] or [N, C, ...]. */
  declare readonly numFeatures: number;
  /** Added to the variance before its square root (default 1e-5). */
  declare readonly eps: number;
  /**
   * Weight of the newest batch in the running statistics (default 0.1); null: a cumulative average.
   */
  declare readonly momentum: number | null;
  /** Whether a per-channel scale and shift are learned. */
  declare readonly affine: boolean;
  /** Whether running statistics are kept (and used in eval mode). */
  declare readonly trackRunningStats: boolean;
  /** The per-channel scale [numFeatures] (ones at first), or null without `affine`. */
  declare readonly weight: Parameter | null;
  /** The per-channel shift [numFeatures] (zeros at first), or null without `affine`. */
  declare readonly bias: Parameter | null;
  /** Running mean per channel (a buffer), or null without `trackRunningStats`. */
  declare runningMean: Tensor | null;
  /** Running (unbiased) variance per channel (a buffer), or null without `trackRunningStats`. */
  declare runningVar: Tensor | null;
  /** How many training batches have updated the running statistics (an int32 buffer), or null. */
  declare numBatchesTracked: Tensor | null;

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super();
    this.numFeatures = numFeatures;
    if (new.target.name in LAYER_SIGNATURES)
      checkLayerArgs(new.target.name, [numFeatures, options]);
    checkSizes(new.target.name, { numFeatures });
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    const dtype = options.dtype ?? 'float32';
    this.weight = this.affine ? emptyParameter([numFeatures], dtype) : null;
    this.bias = this.affine ? emptyParameter([numFeatures], dtype) : null;
    const track = this.trackRunningStats;
    this.registerBuffer('runningMean', track ? zeros([numFeatures], { dtype }) : null);
    this.registerBuffer('runningVar', track ? ones([numFeatures], { dtype }) : null);
    this.registerBuffer('numBatchesTracked', track ? zeros([], { dtype: 'int32' }) : null);
    this.resetParameters();
  }

  /** Resets the running statistics (mean 0, variance 1, no batches tracked). */
  resetRunningStats(): void {
    if (!this.trackRunningStats) return;
    noGrad(() => {
      this.runningMean!.zero_();
      this.runningVar!.fill_(1);
      this.numBatchesTracked!.zero_();
    });
  }

  /** Resets the running statistics and the affine parameters (γ = 1, β = 0). */
  resetParameters(): void {
    this.resetRunningStats();
    resetAffine(this.weight, this.bias);
  }

  /** Throws when the input's rank does not fit the layer. */
  protected abstract checkInputDim(x: Tensor): void;

  forward(x: Tensor): Tensor {
    this.checkInputDim(x);
    let factor = this.momentum ?? 0;
    if (this.training && this.trackRunningStats && this.numBatchesTracked) {
      // Checked before counting the batch (PyTorch counts it and then throws).
      const perChannel = x.shape[0]! * x.shape.slice(2).reduce((a, b) => a * b, 1);
      if (perChannel === 1)
        throw new RangeError(
          `Expected more than 1 value per channel when training, got input size ${formatShape(x.shape)}`,
        );
      noGrad(() => this.numBatchesTracked!.add_(1));
      // momentum null: a cumulative moving average.
      factor = this.momentum ?? 1 / this.numBatchesTracked.item();
    }
    // Batch statistics while training, and in eval when no running statistics are kept.
    const useBatchStats = this.training || (this.runningMean === null && this.runningVar === null);
    const track = !this.training || this.trackRunningStats;
    return batchNorm(x, track ? this.runningMean : null, track ? this.runningVar : null, {
      weight: this.weight,
      bias: this.bias,
      training: useBatchStats,
      momentum: factor,
      eps: this.eps,
    });
  }

  /** `3, eps=0.00001, momentum=0.1, affine=true, trackRunningStats=true`. */
  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

/**
 * Batch normalisation of [N, C] or [N, C, L] input over the batch (and length) dims, per
 * channel. Training normalises with the batch's statistics (biased variance) and updates the
 * running estimates (unbiased variance); eval mode normalises with the running estimates.
 *
 * @example
 * ```ts
 * const bn = new BatchNorm1d(3);
 * bn.call(randn([16, 3])); // training: batch statistics, running stats updated
 * bn.eval();
 * bn.call(randn([4, 3])); // eval: running statistics
 * Object.keys(bn.stateDict()); // ['weight', 'bias', 'runningMean', 'runningVar', 'numBatchesTracked']
 * ```
 */
export class BatchNorm1d extends BatchNormBase {
  protected checkInputDim(x: Tensor): void {
    if (x.ndim !== 2 && x.ndim !== 3)
      throw new RangeError(`expected 2D or 3D input (got ${x.ndim}D input)`);
  }
}

/**
 * Batch normalisation of [N, C, H, W] input, per channel over the batch and spatial dims.
 *
 * @example
 * ```ts
 * const model = new Sequential(new Conv2d(3, 8, 3, { padding: 1 }), new BatchNorm2d(8), new ReLU());
 * model.call(randn([4, 3, 16, 16])).shape; // [4, 8, 16, 16]
 * String(new BatchNorm2d(8)); // 'BatchNorm2d(8, eps=0.00001, momentum=0.1, affine=true, trackRunningStats=true)'
 * ```
 */
export class BatchNorm2d extends BatchNormBase {
  protected checkInputDim(x: Tensor): void {
    if (x.ndim !== 4) throw new RangeError(`expected 4D input (got ${x.ndim}D input)`);
  }
}

/** Options of {@link LayerNorm}. */
export interface LayerNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn an elementwise scale (ones) and shift (zeros) of shape `normalizedShape` (default true). */
  elementwiseAffine?: boolean;
  /** With `elementwiseAffine`, whether to learn the shift too (default true). */
  bias?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: DType;
}

/**
 * Layer normalisation over the trailing dims `normalizedShape`: each sample is normalised with
 * its own mean and biased variance over those dims (the same in training and eval).
 *
 * @example
 * ```ts
 * const ln = new LayerNorm(8);
 * ln.call(randn([2, 5, 8])).shape; // [2, 5, 8]
 * String(ln); // 'LayerNorm([8], eps=0.00001, elementwiseAffine=true)'
 * ```
 */
export class LayerNorm extends Module {
  /** The trailing dims each sample is normalised over. */
  declare readonly normalizedShape: readonly number[];
  /** Added to the variance before its square root. */
  declare readonly eps: number;
  /** Whether a scale and shift of shape `normalizedShape` are learned. */
  declare readonly elementwiseAffine: boolean;
  /** The scale (ones at first), or null without `elementwiseAffine`. */
  declare readonly weight: Parameter | null;
  /** The shift (zeros at first), or null without it. */
  declare readonly bias: Parameter | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    checkLayerArgs('LayerNorm', [normalizedShape, options]);
    this.normalizedShape =
      typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    // Integers already (the table's `ints` kind); the sign is checked here.
    if (this.normalizedShape.some((d) => d < 0)) {
      throw new RangeError(
        `LayerNorm: normalizedShape must be non-negative integers, got ${formatShape(this.normalizedShape)}`,
      );
    }
    this.eps = options.eps ?? 1e-5;
    this.elementwiseAffine = options.elementwiseAffine ?? true;
    const dtype = options.dtype ?? 'float32';
    this.weight = this.elementwiseAffine
      ? new Parameter(ones(this.normalizedShape, { dtype }))
      : null;
    this.bias =
      this.elementwiseAffine && (options.bias ?? true)
        ? new Parameter(zeros(this.normalizedShape, { dtype }))
        : null;
  }

  /** Resets the affine parameters (weight 1, bias 0). */
  resetParameters(): void {
    resetAffine(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, {
      weight: this.weight,
      bias: this.bias,
      eps: this.eps,
    });
  }

  override extraRepr(): string {
    return `${formatShape(this.normalizedShape)}, eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}

/** Options of {@link GroupNorm}. */
export interface GroupNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a per-channel scale (ones) and shift (zeros) (default true). */
  affine?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: DType;
}

/**
 * Group normalisation over [N, C, *]: channels split into `numGroups` groups, each normalised
 * per sample (PyTorch's `nn.GroupNorm`); the same in training and eval.
 *
 * @example
 * ```ts
 * const gn = new GroupNorm(4, 16);
 * gn.call(randn([2, 16, 8, 8])).shape; // [2, 16, 8, 8]
 * ```
 */
export class GroupNorm extends Module {
  /** Groups the channels are split into; must divide numChannels. */
  declare readonly numGroups: number;
  /** Channels C of the input [N, C, ...]. */
  declare readonly numChannels: number;
  /** Added to the variance before its square root. */
  declare readonly eps: number;
  /** Whether a per-channel scale and shift are learned. */
  declare readonly affine: boolean;
  /** The per-channel scale [numChannels] (ones at first), or null without `affine`. */
  declare readonly weight: Parameter | null;
  /** The per-channel shift [numChannels] (zeros at first), or null without `affine`. */
  declare readonly bias: Parameter | null;

  constructor(numGroups: number, numChannels: number, options: GroupNormOptions = {}) {
    super();
    this.numGroups = numGroups;
    this.numChannels = numChannels;
    if (!Number.isInteger(numGroups) || numGroups <= 0 || numChannels % numGroups !== 0)
      throw new RangeError('num_channels must be divisible by num_groups');
    this.eps = options.eps ?? 1e-5;
    this.affine = options.affine ?? true;
    this.weight = this.affine ? emptyParameter([numChannels], options.dtype) : null;
    this.bias = this.affine ? emptyParameter([numChannels], options.dtype) : null;
    this.resetParameters();
  }

  /** Ones for the scale, zeros for the shift. */
  resetParameters(): void {
    resetAffine(this.weight, this.bias);
  }

  forward(x: Tensor): Tensor {
    if (x.ndim < 2 || x.shape[1] !== this.numChannels)
      throw new RangeError(
        `GroupNorm: expected input [N, ${this.numChannels}, *], got ${formatShape(x.shape)}`,
      );
    return groupNorm(x, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.affine}`;
  }
}
