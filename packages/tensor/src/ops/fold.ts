/**
 * `unfold` (im2col) and its adjoint `fold` (col2im), as `torch.nn.functional.unfold/fold`:
 * the building blocks that turn convolution into matrix multiplication.
 */
import type { Conv2dGeometry } from '../backend/backend.js';
import { getBackend } from '../backend/backend.js';
import type { NDArray } from '../ndarray.js';
import { allocate, stridedOf } from '../ndarray.js';
import { formatShape } from '../shape.js';
import type { Pair } from './conv.js';
import { checkConvCall, outDim, pair } from './conv.js';

/** Options of {@link unfold} and {@link fold}. */
export interface FoldOptions {
  /** Spacing between block elements (default 1). */
  dilation?: Pair;
  /** Zero padding on each side of the image (default 0). */
  padding?: Pair;
  /** Step between blocks (default 1). */
  stride?: Pair;
}

/** The sliding-window geometry and the number of windows along each spatial dim. */
export function windowGeometry(
  size: readonly [number, number],
  kernelSize: Pair,
  options: FoldOptions,
): { geometry: Conv2dGeometry; out: [number, number] } {
  const kernel = pair(kernelSize, 'kernel_size', 1);
  const stride = pair(options.stride ?? 1, 'stride', 1);
  const padding = pair(options.padding ?? 0, 'padding', 0);
  const dilation = pair(options.dilation ?? 1, 'dilation', 1);
  const out = [0, 1].map((i) =>
    outDim(size[i]!, kernel[i]!, stride[i]!, padding[i]!, dilation[i]!, false),
  ) as [number, number];
  if (out[0] <= 0 || out[1] <= 0) {
    throw new RangeError(
      `the kernel ${kernel.join('x')} (dilation ${dilation.join('x')}, padding ${padding.join('x')}) does not fit an input of spatial size ${size.join('x')}`,
    );
  }
  return { geometry: { kernel, stride, padding, dilation }, out };
}

/**
 * Extracts sliding local blocks: [N, C, H, W] -> [N, C*kh*kw, L] (L = number of windows).
 *
 * @example
 * ```ts
 * unfold(randn([1, 3, 8, 8]), 3, { padding: 1 }).shape; // [1, 27, 64]
 * ```
 */
export function unfold(input: NDArray, kernelSize: Pair, options: FoldOptions = {}): NDArray {
  checkConvCall('unfold', [input, kernelSize, options]);
  if (input.ndim !== 4)
    throw new RangeError(
      `unfold: expected a 4-d input [N, C, H, W], got shape ${formatShape(input.shape)}`,
    );
  const [n, c, h, w] = input.shape as [number, number, number, number];
  const { geometry, out } = windowGeometry([h, w], kernelSize, options);
  const cols = allocate(
    [n, c * geometry.kernel[0] * geometry.kernel[1], out[0] * out[1]],
    input.dtype,
  );
  getBackend().im2col(stridedOf(input), geometry, stridedOf(cols));
  return cols;
}

/**
 * Sums sliding local blocks back into an image: [N, C*kh*kw, L] -> [N, C, H, W], the adjoint
 * of {@link unfold}.
 *
 * @example
 * ```ts
 * fold(unfold(x, 2, { stride: 2 }), [8, 8], 2, { stride: 2 }); // equals x
 * ```
 */
export function fold(
  cols: NDArray,
  outputSize: Pair,
  kernelSize: Pair,
  options: FoldOptions = {},
): NDArray {
  checkConvCall('fold', [cols, outputSize, kernelSize, options]);
  if (cols.ndim !== 3)
    throw new RangeError(
      `fold: expected a 3-d input [N, C*kh*kw, L], got shape ${formatShape(cols.shape)}`,
    );
  const size = pair(outputSize, 'output_size', 1);
  const { geometry, out } = windowGeometry(size, kernelSize, options);
  const [n, ck, l] = cols.shape as [number, number, number];
  const k = geometry.kernel[0] * geometry.kernel[1];
  if (ck % k !== 0)
    throw new RangeError(
      `fold: expected size of input's dimension 1 (${ck}) to be divisible by the product of kernel_size (${k})`,
    );
  if (l !== out[0] * out[1]) {
    throw new RangeError(
      `fold: expected input's dimension 2 (${l}) to match the number of sliding blocks (${out[0]}x${out[1]} = ${out[0] * out[1]})`,
    );
  }
  const image = allocate([n, ck / k, size[0], size[1]], cols.dtype);
  getBackend().col2im(stridedOf(cols.contiguous()), geometry, stridedOf(image));
  return image;
}
