/**
 * Convolution and pooling functions (PyTorch's `F.conv2d`, `F.max_pool2d`, `F.avg_pool2d`,
 * `F.adaptive_avg_pool2d`). Convolution is @gd/autograd's unfold + matmul composition, so its
 * gradients of every order come from those ops.
 */
import type { AvgPool2dOptions, Conv2dOptions, Pair, Pool2dOptions } from '@gd/tensor';
import type { Tensor } from '@gd/autograd';
import {
  avgPool2d as avgPool2dOp,
  cat,
  conv2d as conv2dOp,
  maxPool2d as maxPool2dOp,
} from '@gd/autograd';
import { checkFunctionArgs } from '../checks.js';

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * 2-d convolution over [N, C, H, W] (or unbatched [C, H, W]) input with a weight of shape
 * [outChannels, inChannels / groups, kh, kw] (`torch.nn.functional.conv2d`). `padding` is an
 * int, an (h, w) pair, `'valid'` (none) or `'same'` (output size = input size, stride 1; an
 * odd total padding puts the extra zero at the bottom/right, as PyTorch does).
 *
 * @example
 * ```ts
 * const x = randn([1, 3, 8, 8]);
 * const w = randn([16, 3, 3, 3]);
 * F.conv2d(x, w, null, { padding: 1 }).shape; // [1, 16, 8, 8]
 * ```
 */
export function conv2d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  options: Conv2dOptions = {},
): Tensor {
  [input, weight, bias, options] = checkFunctionArgs('conv2d', [input, weight, bias, options]) as [
    never,
    never,
    never,
    never,
  ];
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new RangeError(
      `Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: ${shapeText(input.shape)}`,
    );
  }
  if (weight.ndim !== 4)
    throw new RangeError(
      `conv2d: expected a 4-d weight [out, in / groups, kh, kw], got shape ${shapeText(weight.shape)}`,
    );
  const groups = options.groups ?? 1;
  const shape4 = input.ndim === 4 ? input.shape : [1, ...input.shape];
  const channels = shape4[1]!;
  if (channels !== weight.shape[1]! * groups) {
    throw new RangeError(
      `Given groups=${groups}, weight of size ${shapeText(weight.shape)}, expected input${shapeText(shape4)} to have ${weight.shape[1]! * groups} channels, but got ${channels} channels instead`,
    );
  }
  const padding = options.padding;
  if (typeof padding === 'string' && padding !== 'valid' && padding !== 'same') {
    throw new RangeError(
      `Invalid padding string '${String(padding)}', should be one of {'valid', 'same'}`,
    );
  }
  // padding='same' (including the odd total of an even kernel) is handled by @gd/autograd's conv2d.
  return conv2dOp(input, weight, bias, options);
}

/**
 * 2-d max pooling (`torch.nn.functional.max_pool2d`); `stride` defaults to the kernel size.
 *
 * @example
 * ```ts
 * F.maxPool2d(randn([1, 1, 4, 4]), 2).shape; // [1, 1, 2, 2]
 * ```
 */
export function maxPool2d(input: Tensor, kernelSize: Pair, options: Pool2dOptions = {}): Tensor {
  [input, kernelSize, options] = checkFunctionArgs('maxPool2d', [input, kernelSize, options]) as [
    never,
    never,
    never,
  ];
  return maxPool2dOp(input, kernelSize, options);
}

/**
 * 2-d average pooling (`torch.nn.functional.avg_pool2d`); `stride` defaults to the kernel
 * size, `countIncludePad` (default true) counts padded zeros in the divisor.
 *
 * @example
 * ```ts
 * F.avgPool2d(randn([1, 1, 4, 4]), 2).shape; // [1, 1, 2, 2]
 * ```
 */
export function avgPool2d(input: Tensor, kernelSize: Pair, options: AvgPool2dOptions = {}): Tensor {
  [input, kernelSize, options] = checkFunctionArgs('avgPool2d', [input, kernelSize, options]) as [
    never,
    never,
    never,
  ];
  return avgPool2dOp(input, kernelSize, options);
}

/** Output size of {@link adaptiveAvgPool2d}: an int, or an (h, w) pair where null keeps the input's size. */
export type AdaptiveSize = number | readonly [number | null, number | null];

// Adaptive average pooling along one dim: cell i averages [floor(i*in/out), ceil((i+1)*in/out)).
function adaptiveAvg1d(x: Tensor, dim: number, outSize: number): Tensor {
  const inSize = x.shape[x.ndim + dim]!;
  if (outSize === inSize) return x;
  if (outSize > 0 && inSize % outSize === 0) {
    // Equal, non-overlapping cells: one reshape and one mean.
    return x.unflatten(dim, [outSize, inSize / outSize]).mean(dim, false);
  }
  if (outSize === 0) return x.narrow(dim, 0, 0);
  const parts: Tensor[] = [];
  for (let i = 0; i < outSize; i++) {
    const start = Math.floor((i * inSize) / outSize);
    const end = Math.ceil(((i + 1) * inSize) / outSize);
    parts.push(x.narrow(dim, start, end - start).mean(dim, true));
  }
  return cat(parts, x.ndim + dim);
}

/**
 * Adaptive 2-d average pooling (`torch.nn.functional.adaptive_avg_pool2d`): output cell (i, j)
 * averages input rows floor(i·H/oh) .. ceil((i+1)·H/oh) and the matching columns, so any
 * input size maps to `outputSize` (null in a pair keeps that input dim). Built from
 * differentiable Tensor ops (a reshape + mean when the size divides evenly).
 *
 * @example
 * ```ts
 * F.adaptiveAvgPool2d(randn([2, 8, 7, 9]), [3, 3]).shape; // [2, 8, 3, 3]
 * F.adaptiveAvgPool2d(randn([2, 8, 7, 9]), 1).shape; // [2, 8, 1, 1] (global average pooling)
 * ```
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  [input, outputSize] = checkFunctionArgs('adaptiveAvgPool2d', [input, outputSize]) as [
    never,
    never,
  ];
  if (input.ndim !== 3 && input.ndim !== 4)
    throw new RangeError(
      `adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got ${shapeText(input.shape)}`,
    );
  const [h, w] = input.shape.slice(-2) as [number, number];
  for (let d = 1; d < input.ndim; d++) {
    if (input.shape[d] === 0) {
      throw new RangeError(
        `adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${shapeText(input.shape)} with dimension ${d} being empty`,
      );
    }
  }
  const [oh, ow] =
    typeof outputSize === 'number'
      ? [outputSize, outputSize]
      : [outputSize[0] ?? h, outputSize[1] ?? w];
  for (const v of [oh, ow]) {
    if (!Number.isInteger(v) || v < 0)
      throw new RangeError(
        `adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received ${JSON.stringify(outputSize)}`,
      );
  }
  return adaptiveAvg1d(adaptiveAvg1d(input, -2, oh), -1, ow);
}
