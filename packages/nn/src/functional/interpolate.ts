/** Resizing (PyTorch's `F.interpolate`): nearest and (bi)linear, from differentiable ops. */
import { formatShape } from '@gd/tensor';
import type { Tensor } from '@gd/autograd';
import { tensor } from '@gd/autograd';

/** Options of {@link interpolate} (PyTorch's keyword arguments, camelCase). */
export interface InterpolateOptions {
  /** Output spatial size (one number for every spatial dim, or one per dim). */
  size?: number | readonly number[];
  /** Multiplier of the spatial size (instead of `size`). */
  scaleFactor?: number | readonly number[];
  /** 'nearest' (default), 'linear' (3-d input) or 'bilinear' (4-d input). */
  mode?: 'nearest' | 'linear' | 'bilinear';
  /** Linear modes: map corner pixel centres onto each other (default false). */
  alignCorners?: boolean;
}

function perDim(v: number | readonly number[], k: number, name: string): number[] {
  const a = typeof v === 'number' ? Array.from({ length: k }, () => v) : [...v];
  if (a.length !== k)
    throw new RangeError(
      `Input and ${name} must have the same number of spatial dimensions, but got input with spatial dimensions of ${k} and ${name} of length ${a.length}`,
    );
  return a;
}

/** Resamples one dim: nearest picks an index, linear blends two neighbours. */
function resampleDim(
  x: Tensor,
  dim: number,
  out: number,
  scale: number | null,
  linear: boolean,
  alignCorners: boolean,
): Tensor {
  const n = x.shape[dim]!;
  // PyTorch's source-coordinate rule: the given scale factor's inverse, else in/out.
  const ratio = scale !== null ? 1 / scale : n / out;
  const idx = (a: number[]): Tensor => tensor(a, { dtype: 'int32' });
  if (!linear) {
    const src = Array.from({ length: out }, (_, i) => Math.min(Math.floor(i * ratio), n - 1));
    return x.indexSelect(dim, idx(src));
  }
  const i0: number[] = [];
  const i1: number[] = [];
  const lambda: number[] = [];
  for (let i = 0; i < out; i++) {
    let src = alignCorners
      ? out > 1
        ? (i * (n - 1)) / (out - 1)
        : 0
      : Math.max((i + 0.5) * ratio - 0.5, 0);
    src = Math.min(src, n - 1);
    const lo = Math.floor(src);
    i0.push(lo);
    i1.push(Math.min(lo + 1, n - 1));
    lambda.push(src - lo);
  }
  const shape = x.shape.map((_, d) => (d === dim ? out : 1));
  const w = tensor(lambda, { dtype: x.dtype }).reshape(shape);
  const a = x.indexSelect(dim, idx(i0));
  const b = x.indexSelect(dim, idx(i1));
  return a.add(b.sub(a).mul(w));
}

/**
 * Resizes the spatial dims of [N, C, L] or [N, C, H, W] (`torch.nn.functional.interpolate`).
 *
 * @example
 * ```ts
 * F.interpolate(randn([1, 3, 4, 4]), { scaleFactor: 2 }).shape; // [1, 3, 8, 8]
 * F.interpolate(img, { size: [32, 48], mode: 'bilinear' });
 * ```
 */
export function interpolate(input: Tensor, options: InterpolateOptions = {}): Tensor {
  const { size, scaleFactor, mode = 'nearest' } = options;
  if (input.ndim !== 3 && input.ndim !== 4)
    throw new RangeError(
      `interpolate: expected a 3-d [N, C, L] or 4-d [N, C, H, W] input, got shape ${formatShape(input.shape)}`,
    );
  const k = input.ndim - 2;
  if (mode !== 'nearest' && mode !== 'linear' && mode !== 'bilinear')
    throw new RangeError(`interpolate: unknown mode '${String(mode)}'`);
  if (mode === 'linear' && k !== 1)
    throw new RangeError(`Got ${input.ndim}D input, but linear mode needs 3D input`);
  if (mode === 'bilinear' && k !== 2)
    throw new RangeError(`Got ${input.ndim}D input, but bilinear mode needs 4D input`);
  if (mode === 'nearest' && options.alignCorners !== undefined)
    throw new RangeError(
      'align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear',
    );
  if ((size === undefined) === (scaleFactor === undefined))
    throw new RangeError('either size or scaleFactor should be defined, and not both');
  const spatial = input.shape.slice(2);
  const scales = scaleFactor === undefined ? null : perDim(scaleFactor, k, 'scale_factor');
  const outSize =
    size !== undefined
      ? perDim(size, k, 'size')
      : spatial.map((n, i) => Math.floor(n * scales![i]!));
  if (outSize.some((v) => !Number.isInteger(v) || v <= 0))
    throw new RangeError(
      `interpolate: output size must be positive integers, got ${formatShape(outSize)}`,
    );
  let out = input;
  for (let i = 0; i < k; i++)
    out = resampleDim(
      out,
      2 + i,
      outSize[i]!,
      scales ? scales[i]! : null,
      mode !== 'nearest',
      options.alignCorners ?? false,
    );
  return out;
}
