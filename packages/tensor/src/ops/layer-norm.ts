/**
 * Layer normalisation as one op (PyTorch's `native_layer_norm`): the statistics, the
 * normalisation and the affine transform in one pass over each row, and the gradients of the
 * input, the weight and the bias in one more, where the same computation written with
 * reductions and elementwise ops runs about ten kernels each way. Backends without the kernels
 * (WebGPU) get it composed of those ops.
 */
import { getBackend } from '../backend/backend.js';
import type { StridedArray } from '../backend/backend.js';
import { isFloatingDType } from '../dtype.js';
import type { NDArray } from '../ndarray.js';
import { allocate, allocateUninitialized, stridedOf } from '../ndarray.js';
import { formatShape, shapeSize, shapesEqual } from '../shape.js';

/** What {@link layerNorm} returns. */
export interface LayerNormResult {
  /** The normalised input, x's shape. */
  readonly out: NDArray;
  /** Each normalised row's mean, [rows] (rows: the product of the leading dims). */
  readonly mean: NDArray;
  /** Each row's 1/sqrt(biased variance + eps), [rows]. */
  readonly rstd: NDArray;
}

/** The gradients {@link layerNormBackward} was asked for (null where not). */
export interface LayerNormGrads {
  /** Gradient of the input, or null when not asked for. */
  readonly dx: NDArray | null;
  /** Gradient of the scale, or null. */
  readonly dWeight: NDArray | null;
  /** Gradient of the shift, or null. */
  readonly dBias: NDArray | null;
}

function checkLayerNorm(
  x: NDArray,
  normalizedShape: readonly number[],
  weight: NDArray | null,
  bias: NDArray | null,
): [number, number] {
  const k = normalizedShape.length;
  const tail = x.shape.slice(x.ndim - k);
  if (k === 0 || !shapesEqual(tail, normalizedShape))
    throw new RangeError(
      `layerNorm: normalizedShape ${formatShape(normalizedShape)} must match the last dims of the input, got shape ${formatShape(x.shape)}`,
    );
  if (!isFloatingDType(x.dtype))
    throw new TypeError(`layerNorm: expected a floating point input, got ${x.dtype}`);
  for (const [name, t] of [
    ['weight', weight],
    ['bias', bias],
  ] as const) {
    if (t && !shapesEqual(t.shape, normalizedShape))
      throw new RangeError(
        `layerNorm: ${name} must have shape ${formatShape(normalizedShape)}, got ${formatShape(t.shape)}`,
      );
    if (t && t.dtype !== x.dtype)
      throw new TypeError(`layerNorm: ${name} must be ${x.dtype} like the input, got ${t.dtype}`);
  }
  const d = shapeSize(normalizedShape);
  return [d === 0 ? 0 : x.numel() / d, d];
}

const flat = (t: NDArray | null, d: number): StridedArray | null =>
  t ? stridedOf(t.contiguous().reshape([d])) : null;

/**
 * Normalises x over its last dims `normalizedShape`: (x - mean)/sqrt(var + eps)·weight + bias
 * with the biased variance of each row, as `torch.nn.functional.layer_norm`; also returns the
 * rows' mean and rstd for {@link layerNormBackward}.
 *
 * @example
 * ```ts
 * const { out } = layerNorm(randn([4, 8]), [8], null, null, 1e-5); // rows of mean 0, variance 1
 * ```
 */
export function layerNorm(
  x: NDArray,
  normalizedShape: readonly number[],
  weight: NDArray | null,
  bias: NDArray | null,
  eps: number,
): LayerNormResult {
  const [rows, d] = checkLayerNorm(x, normalizedShape, weight, bias);
  const backend = getBackend();
  if (!backend.layerNorm || rows * d === 0) return composedLayerNorm(x, rows, d, weight, bias, eps);
  const xr = x.contiguous().reshape([rows, d]);
  const out = allocateUninitialized([rows, d], x.dtype);
  const mean = allocateUninitialized([rows], x.dtype);
  const rstd = allocateUninitialized([rows], x.dtype);
  backend.layerNorm(
    stridedOf(xr),
    flat(weight, d),
    flat(bias, d),
    eps,
    stridedOf(out),
    stridedOf(mean),
    stridedOf(rstd),
  );
  return { out: out.reshape(x.shape), mean, rstd };
}

/**
 * The gradients of {@link layerNorm} from `grad` (x's shape) and the saved mean and rstd: of
 * the input, the weight and the bias, each computed only where its flag `needs` asks for it.
 *
 * @example
 * ```ts
 * const { out, mean, rstd } = layerNorm(x, [8], w, b, 1e-5);
 * const { dx, dWeight } = layerNormBackward(onesLike(out), x, [8], mean, rstd, w, [true, true, false]);
 * ```
 */
export function layerNormBackward(
  grad: NDArray,
  x: NDArray,
  normalizedShape: readonly number[],
  mean: NDArray,
  rstd: NDArray,
  weight: NDArray | null,
  needs: readonly [boolean, boolean, boolean],
): LayerNormGrads {
  const [rows, d] = checkLayerNorm(x, normalizedShape, weight, null);
  if (!shapesEqual(grad.shape, x.shape))
    throw new RangeError(
      `layerNormBackward: grad must have the input's shape ${formatShape(x.shape)}, got ${formatShape(grad.shape)}`,
    );
  const backend = getBackend();
  if (!backend.layerNormBackward || rows * d === 0)
    return composedBackward(grad, x, rows, d, normalizedShape, mean, rstd, weight, needs);
  const dx = needs[0] ? allocateUninitialized([rows, d], x.dtype) : null;
  const dWeight = needs[1] ? allocateUninitialized([d], x.dtype) : null;
  const dBias = needs[2] ? allocateUninitialized([d], x.dtype) : null;
  backend.layerNormBackward(
    stridedOf(grad.to(x.dtype).contiguous().reshape([rows, d])),
    stridedOf(x.contiguous().reshape([rows, d])),
    stridedOf(mean.contiguous()),
    stridedOf(rstd.contiguous()),
    flat(weight, d),
    dx && stridedOf(dx),
    dWeight && stridedOf(dWeight),
    dBias && stridedOf(dBias),
  );
  return {
    dx: dx && dx.reshape(x.shape),
    dWeight: dWeight && dWeight.reshape(normalizedShape),
    dBias: dBias && dBias.reshape(normalizedShape),
  };
}

function composedLayerNorm(
  x: NDArray,
  rows: number,
  d: number,
  weight: NDArray | null,
  bias: NDArray | null,
  eps: number,
): LayerNormResult {
  const xr = x.reshape([rows, d]);
  const mean = xr.mean(1, true);
  const centered = xr.sub(mean);
  const rstd = centered.square().mean(1, true).add(eps).rsqrt();
  let out = centered.mul(rstd);
  if (weight) out = out.mul(weight.reshape([d]));
  if (bias) out = out.add(bias.reshape([d]));
  return { out: out.reshape(x.shape), mean: mean.reshape([rows]), rstd: rstd.reshape([rows]) };
}

function composedBackward(
  grad: NDArray,
  x: NDArray,
  rows: number,
  d: number,
  normalizedShape: readonly number[],
  mean: NDArray,
  rstd: NDArray,
  weight: NDArray | null,
  needs: readonly [boolean, boolean, boolean],
): LayerNormGrads {
  const g = grad.to(x.dtype).reshape([rows, d]);
  const rs = rstd.reshape([rows, 1]);
  const xhat = x
    .reshape([rows, d])
    .sub(mean.reshape([rows, 1]))
    .mul(rs);
  const dxhat = weight ? g.mul(weight.reshape([d])) : g;
  const dx = needs[0]
    ? rs
        .mul(dxhat.sub(dxhat.mean(1, true)).sub(xhat.mul(dxhat.mul(xhat).mean(1, true))))
        .reshape(x.shape)
    : null;
  const empty = (): NDArray => allocate(normalizedShape, x.dtype);
  const dWeight = needs[1] ? (rows ? g.mul(xhat).sum(0).reshape(normalizedShape) : empty()) : null;
  const dBias = needs[2] ? (rows ? g.sum(0).reshape(normalizedShape) : empty()) : null;
  return { dx, dWeight, dBias };
}
