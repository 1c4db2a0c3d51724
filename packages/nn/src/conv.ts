/** The 2-d convolution layer (PyTorch's `nn.Conv2d`). */
import type { Pair } from '@gd/tensor';
import { formatShape } from '@gd/tensor';
import type { DType, Tensor } from '@gd/autograd';
import { conv1d, conv2d, convTranspose2d, pair } from './functional/conv.js';
import { emptyParameter, resetWeightAndBias } from './layer-init.js';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';
import { checkLayerArgs, checkSizes } from './checks.js';

/** Options of {@link Conv2d} (PyTorch's keyword arguments, camelCase). */
export interface Conv2dLayerOptions {
  /** Step of the sliding window (default 1). */
  stride?: Pair;
  /** Zero padding on each side (default 0), or 'valid' (none) or 'same' (output size = input size; stride 1 only). */
  padding?: Pair | 'valid' | 'same';
  /** Spacing between kernel elements (default 1). */
  dilation?: Pair;
  /** Number of blocked connections from input to output channels (default 1). */
  groups?: number;
  /** Whether to learn an additive bias (default true). */
  bias?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: DType;
}

/** The channel counts and groups of a convolution layer, checked as PyTorch's `_ConvNd` does. */
function checkChannels(
  layer: string,
  inChannels: number,
  outChannels: number,
  groups: number,
): void {
  checkSizes(layer, { inChannels, outChannels });
  if (!Number.isInteger(groups) || groups <= 0)
    throw new RangeError('groups must be a positive integer');
  if (inChannels % groups !== 0) throw new RangeError('in_channels must be divisible by groups');
  if (outChannels % groups !== 0) throw new RangeError('out_channels must be divisible by groups');
}

/**
 * 2-d convolution over [N, C, H, W] (or unbatched [C, H, W]) input, with PyTorch's default
 * initialisation (Kaiming-uniform weights with a = √5, uniform bias in ±1/√fanIn) drawn from the
 * global seeded generator in PyTorch's order — the same initial weights as `nn.Conv2d` after the
 * same `manualSeed`. The weight has shape [outChannels, inChannels / groups, kh, kw].
 *
 * @example
 * ```ts
 * manualSeed(0);
 * const conv = new Conv2d(1, 16, 3, { padding: 1 });
 * conv.call(randn([8, 1, 28, 28])).shape; // [8, 16, 28, 28]
 * String(conv); // 'Conv2d(1, 16, kernelSize=[3, 3], stride=[1, 1], padding=[1, 1])'
 * ```
 */
export class Conv2d extends Module {
  /** Channels of the input. */
  declare readonly inChannels: number;
  /** Channels of the output (the number of kernels). */
  declare readonly outChannels: number;
  /** [height, width] of the kernel. */
  declare readonly kernelSize: [number, number];
  /** Step of the kernel, [down, across]. */
  declare readonly stride: [number, number];
  /**
   * Zeros added on each side, [rows, columns], or 'valid' (none) or 'same' (output size = input
   * size).
   */
  declare readonly padding: [number, number] | 'valid' | 'same';
  /** Spacing between kernel elements, [down, across]. */
  declare readonly dilation: [number, number];
  /** Input and output channels split into this many groups, each convolved apart. */
  declare readonly groups: number;
  /** The kernels, [outChannels, inChannels / groups, kH, kW]. */
  declare readonly weight: Parameter;
  /** One value per output channel, or null when built with `bias: false`. */
  declare readonly bias: Parameter | null;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Pair,
    options: Conv2dLayerOptions = {},
  ) {
    super();
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    checkLayerArgs('Conv2d', [inChannels, outChannels, kernelSize, options]);
    const groups = options.groups ?? 1;
    checkChannels('Conv2d', inChannels, outChannels, groups);
    this.kernelSize = pair(kernelSize);
    this.stride = pair(options.stride ?? 1);
    const padding = options.padding ?? 0;
    // A string other than 'valid' or 'same' was refused by the table's `padding` kind.
    if (typeof padding === 'string') {
      if (padding === 'same' && (this.stride[0] !== 1 || this.stride[1] !== 1)) {
        throw new RangeError("padding='same' is not supported for strided convolutions");
      }
      this.padding = padding;
    } else {
      this.padding = pair(padding);
    }
    this.dilation = pair(options.dilation ?? 1);
    this.groups = groups;
    for (const [name, p, min] of [
      ['kernelSize', this.kernelSize, 1],
      ['stride', this.stride, 1],
      ['dilation', this.dilation, 1],
      ...(typeof this.padding === 'string' ? [] : [['padding', this.padding, 0] as const]),
    ] as const) {
      // Integers already (the table's `pair` and `padding` kinds); the bounds are checked here.
      if (p.some((v) => v < min))
        throw new RangeError(
          `Conv2d: ${name} must be ${min > 0 ? 'positive' : 'non-negative'} integers, got ${formatShape(p)}`,
        );
    }
    this.weight = emptyParameter(
      [outChannels, inChannels / groups, ...this.kernelSize],
      options.dtype,
    );
    this.bias = (options.bias ?? true) ? emptyParameter([outChannels], options.dtype) : null;
    this.resetParameters();
  }

  /** Re-draws the parameters with PyTorch's default initialisation. */
  resetParameters(): void {
    resetWeightAndBias(this.weight, this.bias, false);
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  /** `1, 16, kernelSize=[3, 3], stride=[1, 1]`, then padding, dilation, groups and bias where not the defaults. */
  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernelSize=${formatShape(this.kernelSize)}, stride=${formatShape(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding[0] !== 0 || this.padding[1] !== 0)
      s += `, padding=${formatShape(this.padding)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1)
      s += `, dilation=${formatShape(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ', bias=false';
    return s;
  }
}

/** Options of {@link Conv1d} (PyTorch's keyword arguments, camelCase). */
export interface Conv1dLayerOptions {
  /** Step of the kernel (default 1). */
  stride?: number;
  /** Zero padding on each side (default 0), 'valid' or 'same'. */
  padding?: number | 'valid' | 'same';
  /** Spacing between kernel elements (default 1). */
  dilation?: number;
  /** Channels split into this many groups, each convolved apart (default 1). */
  groups?: number;
  /** Learn a per-channel bias (default true). */
  bias?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: DType;
}

/**
 * 1-d convolution over [N, C, L] (or [C, L]), weight [outChannels, inChannels / groups, k],
 * initialised as PyTorch's `nn.Conv1d`.
 *
 * @example
 * ```ts
 * const conv = new Conv1d(3, 8, 5, { padding: 2 });
 * conv.call(randn([4, 3, 100])).shape; // [4, 8, 100]
 * ```
 */
export class Conv1d extends Module {
  /** Channels of the input. */
  declare readonly inChannels: number;
  /** Channels of the output (the number of kernels). */
  declare readonly outChannels: number;
  /** Length of the kernel. */
  declare readonly kernelSize: number;
  /** Step of the kernel. */
  declare readonly stride: number;
  /** Zeros added on each side, or 'valid' (none) or 'same' (output length = input length). */
  declare readonly padding: number | 'valid' | 'same';
  /** Spacing between kernel elements. */
  declare readonly dilation: number;
  /** Channels split into this many groups, each convolved apart. */
  declare readonly groups: number;
  /** The kernels, [outChannels, inChannels / groups, kernelSize]. */
  declare readonly weight: Parameter;
  /** One value per output channel, or null when built with `bias: false`. */
  declare readonly bias: Parameter | null;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number,
    options: Conv1dLayerOptions = {},
  ) {
    super();
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernelSize;
    this.groups = options.groups ?? 1;
    checkChannels('Conv1d', inChannels, outChannels, this.groups);
    this.stride = options.stride ?? 1;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    if (this.padding === 'same' && this.stride !== 1)
      throw new RangeError("padding='same' is not supported for strided convolutions");
    this.weight = emptyParameter(
      [outChannels, inChannels / this.groups, kernelSize],
      options.dtype,
    );
    this.bias = (options.bias ?? true) ? emptyParameter([outChannels], options.dtype) : null;
    this.resetParameters();
  }

  /** Re-draws the parameters with PyTorch's default initialisation. */
  resetParameters(): void {
    resetWeightAndBias(this.weight, this.bias, false);
  }

  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernelSize=${this.kernelSize}, stride=${this.stride}`;
    if (this.padding !== 0) s += `, padding=${this.padding}`;
    if (this.dilation !== 1) s += `, dilation=${this.dilation}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ', bias=false';
    return s;
  }
}

/** Options of {@link ConvTranspose2d} (PyTorch's keyword arguments, camelCase). */
export interface ConvTranspose2dLayerOptions {
  /** Step of the kernel over the output (default 1). */
  stride?: Pair;
  /** Removed from each side of the full output (default 0). */
  padding?: Pair;
  /** Added to one side of the output to pick among the sizes a stride allows (default 0). */
  outputPadding?: Pair;
  /** Channels split into this many groups (default 1). */
  groups?: number;
  /** Learn a per-channel bias (default true). */
  bias?: boolean;
  /** Spacing between kernel elements (default 1). */
  dilation?: Pair;
  /** dtype of the parameters (default float32). */
  dtype?: DType;
}

/**
 * 2-d transposed convolution ("deconvolution"), weight [inChannels, outChannels / groups, kh,
 * kw], initialised as PyTorch's `nn.ConvTranspose2d`.
 *
 * @example
 * ```ts
 * const up = new ConvTranspose2d(16, 8, 2, { stride: 2 });
 * up.call(randn([1, 16, 7, 7])).shape; // [1, 8, 14, 14]
 * ```
 */
export class ConvTranspose2d extends Module {
  /** Channels of the input. */
  declare readonly inChannels: number;
  /** Channels of the output. */
  declare readonly outChannels: number;
  /** [height, width] of the kernel. */
  declare readonly kernelSize: [number, number];
  /** Step of the kernel over the output, [down, across]. */
  declare readonly stride: [number, number];
  /** Removed from each side of the full output, [rows, columns]. */
  declare readonly padding: [number, number];
  /** Added to one side of the output, [rows, columns]. */
  declare readonly outputPadding: [number, number];
  /** Spacing between kernel elements, [down, across]. */
  declare readonly dilation: [number, number];
  /** Channels split into this many groups. */
  declare readonly groups: number;
  /**
   * The kernels, [inChannels, outChannels / groups, kH, kW] (PyTorch's layout for a transposed
   * convolution).
   */
  declare readonly weight: Parameter;
  /** One value per output channel, or null when built with `bias: false`. */
  declare readonly bias: Parameter | null;

  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Pair,
    options: ConvTranspose2dLayerOptions = {},
  ) {
    super();
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.groups = options.groups ?? 1;
    checkChannels('ConvTranspose2d', inChannels, outChannels, this.groups);
    this.kernelSize = pair(kernelSize);
    this.stride = pair(options.stride ?? 1);
    this.padding = pair(options.padding ?? 0);
    this.outputPadding = pair(options.outputPadding ?? 0);
    this.dilation = pair(options.dilation ?? 1);
    this.weight = emptyParameter(
      [inChannels, outChannels / this.groups, ...this.kernelSize],
      options.dtype,
    );
    this.bias = (options.bias ?? true) ? emptyParameter([outChannels], options.dtype) : null;
    this.resetParameters();
  }

  /** Re-draws the parameters with PyTorch's default initialisation. */
  resetParameters(): void {
    resetWeightAndBias(this.weight, this.bias, false);
  }

  forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      outputPadding: this.outputPadding,
      dilation: this.dilation,
      groups: this.groups,
    });
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernelSize=${formatShape(this.kernelSize)}, stride=${formatShape(this.stride)}`;
    if (this.padding[0] !== 0 || this.padding[1] !== 0)
      s += `, padding=${formatShape(this.padding)}`;
    if (this.outputPadding[0] !== 0 || this.outputPadding[1] !== 0)
      s += `, outputPadding=${formatShape(this.outputPadding)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1)
      s += `, dilation=${formatShape(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ', bias=false';
    return s;
  }
}
