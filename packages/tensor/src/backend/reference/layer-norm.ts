/**
 * Layer normalisation over the last `d` elements of each row (PyTorch's `native_layer_norm`),
 * forward and backward, on contiguous rows: statistics accumulated in double, results rounded
 * once on store.
 */
import type { StridedArray } from '../backend.js';

/**
 * x [rows, d] -> out [rows, d] = (x - mean)·rstd·weight + bias, with mean and rstd [rows]
 * (1/sqrt(biased variance + eps)) kept for backward. weight and bias are [d] or null. All
 * contiguous.
 */
export function layerNorm(
  x: StridedArray,
  weight: StridedArray | null,
  bias: StridedArray | null,
  eps: number,
  out: StridedArray,
  mean: StridedArray,
  rstd: StridedArray,
): void {
  const [rows, d] = x.shape as [number, number];
  const xd = x.data;
  const od = out.data;
  const w = weight?.data;
  const b = bias?.data;
  for (let r = 0; r < rows; r++) {
    const at = x.offset + r * d;
    let sum = 0;
    for (let j = 0; j < d; j++) sum += xd[at + j]!;
    const mu = sum / d;
    let sq = 0;
    for (let j = 0; j < d; j++) {
      const c = xd[at + j]! - mu;
      sq += c * c;
    }
    const rs = 1 / Math.sqrt(sq / d + eps);
    mean.data[mean.offset + r] = mu;
    rstd.data[rstd.offset + r] = rs;
    const o = out.offset + r * d;
    for (let j = 0; j < d; j++) {
      let v = (xd[at + j]! - mu) * rs;
      if (w) v *= w[weight!.offset + j]!;
      if (b) v += b[bias!.offset + j]!;
      od[o + j] = v;
    }
  }
}

/**
 * The gradients of {@link layerNorm} from grad [rows, d]: dx [rows, d] (when given),
 * dWeight and dBias [d] (when given; summed over the rows). All contiguous.
 */
export function layerNormBackward(
  grad: StridedArray,
  x: StridedArray,
  mean: StridedArray,
  rstd: StridedArray,
  weight: StridedArray | null,
  dx: StridedArray | null,
  dWeight: StridedArray | null,
  dBias: StridedArray | null,
): void {
  const [rows, d] = x.shape as [number, number];
  const g = grad.data;
  const xd = x.data;
  const w = weight?.data;
  const sumW = dWeight ? new Float64Array(d) : null;
  const sumB = dBias ? new Float64Array(d) : null;
  for (let r = 0; r < rows; r++) {
    const gAt = grad.offset + r * d;
    const xAt = x.offset + r * d;
    const mu = mean.data[mean.offset + r]!;
    const rs = rstd.data[rstd.offset + r]!;
    // mean over the row of dxhat and of dxhat·xhat, where dxhat = grad·weight.
    let m1 = 0;
    let m2 = 0;
    for (let j = 0; j < d; j++) {
      const xhat = (xd[xAt + j]! - mu) * rs;
      const gj = g[gAt + j]!;
      const dxhat = w ? gj * w[weight!.offset + j]! : gj;
      m1 += dxhat;
      m2 += dxhat * xhat;
      if (sumW) sumW[j]! += gj * xhat;
      if (sumB) sumB[j]! += gj;
    }
    m1 /= d;
    m2 /= d;
    if (!dx) continue;
    const o = dx.offset + r * d;
    for (let j = 0; j < d; j++) {
      const xhat = (xd[xAt + j]! - mu) * rs;
      const gj = g[gAt + j]!;
      const dxhat = w ? gj * w[weight!.offset + j]! : gj;
      dx.data[o + j] = rs * (dxhat - m1 - xhat * m2);
    }
  }
  if (sumW) for (let j = 0; j < d; j++) dWeight!.data[dWeight!.offset + j] = sumW[j]!;
  if (sumB) for (let j = 0; j < d; j++) dBias!.data[dBias!.offset + j] = sumB[j]!;
}
