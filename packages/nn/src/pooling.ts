/** Pooling layers (PyTorch's `nn.MaxPool2d`, `nn.AvgPool2d`, `nn.AdaptiveAvgPool2d`). */
import type { Pair } from '@gd/tensor';
import { formatShape } from '@gd/tensor';
import type { Tensor } from '@gd/autograd';
import type { AdaptiveSize } from './functional/conv.js';
import { adaptiveAvgPool2d, avgPool2d, maxPool2d } from './functional/conv.js';
import { Module } from './module.js';
import { checkLayerArgs } from './checks.js';

function pairText(v: Pair): string {
  return typeof v === 'number' ? String(v) : formatShape(v);
}

/** Options of {@link MaxPool2d}. */
export interface MaxPool2dOptions {
  /** Step of the window; defaults to the kernel size. */
  stride?: Pair | null;
  /** Implicit -∞ padding on each side (at most half the kernel; default 0). */
  padding?: Pair;
  /** Spacing between window elements (default 1). */
  dilation?: Pair;
  /** Use ceil instead of floor for the output size (default false). */
  ceilMode?: boolean;
}

/**
 * 2-d max pooling over [N, C, H, W] (or [C, H, W]) input.
 *
 * @example
 * ```ts
 * const pool = new MaxPool2d(2);
 * pool.call(randn([1, 16, 28, 28])).shape; // [1, 16, 14, 14]
 * String(pool); // 'MaxPool2d(kernelSize=2, stride=2, padding=0, dilation=1, ceilMode=false)'
 * ```
 */
export class MaxPool2d extends Module {
  /** [height, width] of the window. */
  declare readonly kernelSize: Pair;
  /** Step of the window, [down, across] (default: the kernel size). */
  declare readonly stride: Pair;
  /** Implicit -∞ padding on each side, [rows, columns]. */
  declare readonly padding: Pair;
  /** Spacing between window elements, [down, across]. */
  declare readonly dilation: Pair;
  /** Whether the output size rounds up, so a partial window at the end counts. */
  declare readonly ceilMode: boolean;

  constructor(kernelSize: Pair, options: MaxPool2dOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    checkLayerArgs('MaxPool2d', [kernelSize, options]);
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.ceilMode = options.ceilMode ?? false;
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
    });
  }

  override extraRepr(): string {
    return `kernelSize=${pairText(this.kernelSize)}, stride=${pairText(this.stride)}, padding=${pairText(this.padding)}, dilation=${pairText(this.dilation)}, ceilMode=${this.ceilMode}`;
  }
}

/** Options of {@link AvgPool2d}. */
export interface AvgPool2dLayerOptions {
  /** Step of the window; defaults to the kernel size. */
  stride?: Pair | null;
  /** Implicit zero padding on each side (at most half the kernel; default 0). */
  padding?: Pair;
  /** Use ceil instead of floor for the output size (default false). */
  ceilMode?: boolean;
  /** Count the padded zeros in the divisor (default true). */
  countIncludePad?: boolean;
}

/**
 * 2-d average pooling over [N, C, H, W] (or [C, H, W]) input.
 *
 * @example
 * ```ts
 * const pool = new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false });
 * pool.call(randn([1, 4, 8, 8])).shape; // [1, 4, 4, 4]
 * String(pool); // 'AvgPool2d(kernelSize=3, stride=2, padding=1)'
 * ```
 */
export class AvgPool2d extends Module {
  /** [height, width] of the window. */
  declare readonly kernelSize: Pair;
  /** Step of the window, [down, across] (default: the kernel size). */
  declare readonly stride: Pair;
  /** Zero padding on each side, [rows, columns]. */
  declare readonly padding: Pair;
  /** Whether the output size rounds up, so a partial window at the end counts. */
  declare readonly ceilMode: boolean;
  /** Whether padded zeros count in the average's divisor. */
  declare readonly countIncludePad: boolean;

  constructor(kernelSize: Pair, options: AvgPool2dLayerOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    checkLayerArgs('AvgPool2d', [kernelSize, options]);
    this.stride = options.stride ?? kernelSize;
    this.padding = options.padding ?? 0;
    this.ceilMode = options.ceilMode ?? false;
    this.countIncludePad = options.countIncludePad ?? true;
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
    });
  }

  /** As PyTorch's: kernel size, stride and padding only. */
  override extraRepr(): string {
    return `kernelSize=${pairText(this.kernelSize)}, stride=${pairText(this.stride)}, padding=${pairText(this.padding)}`;
  }
}

/**
 * Adaptive 2-d average pooling: any [N, C, H, W] (or [C, H, W]) input to a fixed
 * `outputSize` (an int, or a pair where null keeps the input's size), each output cell
 * averaging rows floor(i·H/oh) .. ceil((i+1)·H/oh) and the matching columns, as PyTorch does.
 *
 * @example
 * ```ts
 * const gap = new AdaptiveAvgPool2d(1); // global average pooling
 * gap.call(randn([8, 64, 7, 7])).shape; // [8, 64, 1, 1]
 * String(new AdaptiveAvgPool2d([5, null])); // 'AdaptiveAvgPool2d(outputSize=[5, null])'
 * ```
 */
export class AdaptiveAvgPool2d extends Module {
  /** The output's [height, width], or one number for both; a null size keeps the input's. */
  declare readonly outputSize: AdaptiveSize;

  constructor(outputSize: AdaptiveSize) {
    super();
    this.outputSize = outputSize;
    checkLayerArgs('AdaptiveAvgPool2d', [outputSize]);
  }

  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  override extraRepr(): string {
    const o = this.outputSize;
    return `outputSize=${typeof o === 'number' ? o : `[${String(o[0])}, ${String(o[1])}]`}`;
  }
}
