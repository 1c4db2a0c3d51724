/**
 * Convolution and pooling functions (PyTorch's `F.conv2d`, `F.max_pool2d`, `F.avg_pool2d`,
 * `F.adaptive_avg_pool2d`). Convolution is @gd/autograd's unfold + matmul composition, so its
 * gradients of every order come from those ops.
 */
import type { AvgPool2dOptions, Conv2dOptions, Pair, Pool2dOptions } from '@gd/tensor';
import { formatShape } from '@gd/tensor';
import type { Tensor } from '@gd/autograd';
import {
  avgPool2d as avgPool2dOp,
  cat,
  conv2d as conv2dOp,
  fold,
  maxPool2d as maxPool2dOp,
} from '@gd/autograd';
import { checkFunctionArgs } from '../checks.js';

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
  // The shapes are checked by @gd/tensor's conv2d, with PyTorch's messages.
  // A padding string other than 'valid' or 'same' was refused by the table's `padding` kind.
  // padding='same' (including the odd total of an even kernel) is handled by @gd/autograd's conv2d.
  return conv2dOp(input, weight, bias, options);
}

/** Options of {@link conv1d} (PyTorch's keyword arguments, camelCase). */
export interface Conv1dOptions {
  /** Step of the kernel (default 1). */
  stride?: number;
  /** Zero padding on each side, 'valid' or 'same' (default 0). */
  padding?: number | 'valid' | 'same';
  /** Spacing between kernel elements (default 1). */
  dilation?: number;
  /** Channels split into this many groups, each convolved apart (default 1). */
  groups?: number;
}

/**
 * 1-d convolution over [N, C, L] (or unbatched [C, L]) with a weight [out, in / groups, k]
 * (`torch.nn.functional.conv1d`): conv2d over a height-1 image, so it shares conv2d's kernels
 * and gradients.
 *
 * @example
 * ```ts
 * F.conv1d(randn([2, 3, 10]), randn([8, 3, 3]), null, { padding: 1 }).shape; // [2, 8, 10]
 * ```
 */
export function conv1d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  options: Conv1dOptions = {},
): Tensor {
  if (input.ndim !== 2 && input.ndim !== 3)
    throw new RangeError(
      `Expected 2D (unbatched) or 3D (batched) input to conv1d, but got input of size: ${formatShape(input.shape)}`,
    );
  if (weight.ndim !== 3)
    throw new RangeError(
      `conv1d: expected a 3-d weight [out, in / groups, k], got shape ${formatShape(weight.shape)}`,
    );
  const p = options.padding ?? 0;
  const out = conv2d(input.unsqueeze(-2), weight.unsqueeze(2), bias, {
    stride: [1, options.stride ?? 1],
    padding: typeof p === 'string' ? p : [0, p],
    dilation: [1, options.dilation ?? 1],
    groups: options.groups ?? 1,
  });
  return out.squeeze(-2);
}

/** Options of {@link convTranspose2d} (PyTorch's keyword arguments, camelCase). */
export interface ConvTranspose2dOptions {
  /** Step of the kernel over the output (default 1). */
  stride?: Pair;
  /** Removed from each side of the full output (default 0). */
  padding?: Pair;
  /** Added to one side of the output to pick among the sizes a stride allows (default 0). */
  outputPadding?: Pair;
  /** Channels split into this many groups (default 1). */
  groups?: number;
  /** Spacing between kernel elements (default 1). */
  dilation?: Pair;
}

/** A size given as one number or a pair, as a pair. */
export function pair(v: Pair): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/**
 * 2-d transposed convolution (`torch.nn.functional.conv_transpose2d`): input [N, Cin, H, W]
 * (or [Cin, H, W]), weight [Cin, Cout / groups, kh, kw]. It is conv2d's input gradient: each
 * input pixel scatters weight·x into the output (a matmul, then fold/col2im), so its own
 * gradients come from matmul and fold.
 *
 * @example
 * ```ts
 * F.convTranspose2d(randn([1, 8, 7, 7]), randn([8, 4, 2, 2]), null, { stride: 2 }).shape; // [1, 4, 14, 14]
 * ```
 */
export function convTranspose2d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  options: ConvTranspose2dOptions = {},
): Tensor {
  if (input.ndim !== 3 && input.ndim !== 4)
    throw new RangeError(
      `Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: ${formatShape(input.shape)}`,
    );
  if (weight.ndim !== 4)
    throw new RangeError(
      `convTranspose2d: expected a 4-d weight [in, out / groups, kh, kw], got shape ${formatShape(weight.shape)}`,
    );
  if (input.dtype !== weight.dtype)
    throw new TypeError(
      `convTranspose2d: input (${input.dtype}) and weight (${weight.dtype}) must have the same dtype`,
    );
  const groups = options.groups ?? 1;
  const batched = input.ndim === 4;
  const x = batched ? input : input.unsqueeze(0);
  const [n, cin, h, w] = x.shape as [number, number, number, number];
  const [wc, cog, kh, kw] = weight.shape as [number, number, number, number];
  if (!Number.isInteger(groups) || groups <= 0)
    throw new RangeError('groups must be a positive integer');
  if (wc !== cin || cin % groups !== 0)
    throw new RangeError(
      `Given transposed=1, weight of size ${formatShape(weight.shape)}, expected input${formatShape(x.shape)} to have ${wc} channels, but got ${cin} channels instead`,
    );
  const stride = pair(options.stride ?? 1);
  const padding = pair(options.padding ?? 0);
  const outPad = pair(options.outputPadding ?? 0);
  const dilation = pair(options.dilation ?? 1);
  for (let i = 0; i < 2; i++) {
    if (outPad[i]! >= stride[i]! && outPad[i]! >= dilation[i]!)
      throw new RangeError('output padding must be smaller than either stride or dilation');
  }
  const size = [h, w].map(
    (v, i) =>
      (v - 1) * stride[i]! - 2 * padding[i]! + dilation[i]! * ([kh, kw][i]! - 1) + outPad[i]! + 1,
  ) as [number, number];
  const cg = cin / groups;
  const xs = x.reshape([n, cin, h * w]);
  const parts: Tensor[] = [];
  for (let g = 0; g < groups; g++) {
    // [cog·kh·kw, cg] @ [N, cg, H·W] -> [N, cog·kh·kw, H·W]: each pixel's contribution per tap.
    const wg = (groups === 1 ? weight : weight.narrow(0, g * cg, cg)).reshape([cg, cog * kh * kw]);
    const xg = groups === 1 ? xs : xs.narrow(1, g * cg, cg);
    parts.push(wg.t().matmul(xg));
  }
  const cols = groups === 1 ? parts[0]! : cat(parts, 1);
  let out = fold(cols, size, [kh, kw], { stride, padding, dilation });
  if (bias) out = out.add(bias.reshape([1, -1, 1, 1]));
  return batched ? out : out.squeeze(0);
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
      `adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got ${formatShape(input.shape)}`,
    );
  const [h, w] = input.shape.slice(-2) as [number, number];
  for (let d = 1; d < input.ndim; d++) {
    if (input.shape[d] === 0) {
      throw new RangeError(
        `adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${formatShape(input.shape)} with dimension ${d} being empty`,
      );
    }
  }
  const [oh, ow] =
    typeof outputSize === 'number'
      ? [outputSize, outputSize]
      : [outputSize[0] ?? h, outputSize[1] ?? w];
  // Integers already (the table's `adaptive` kind, and the input's sizes); the sign is checked here.
  for (const v of [oh, ow]) {
    if (v < 0)
      throw new RangeError(
        `adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received ${JSON.stringify(outputSize)}`,
      );
  }
  return adaptiveAvg1d(adaptiveAvg1d(input, -2, oh), -1, ow);
}
