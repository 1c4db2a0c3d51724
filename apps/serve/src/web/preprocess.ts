/**
 * Digit images to model input, the same way on the server (PNG uploads) and in the browser
 * (the canvas): ink intensity in [0, 1] and MNIST's own preparation of a digit, from
 * @gd/datasets/drawing (shared with the studio), then the model's normalisation, and the
 * model's output as probabilities. No Node or DOM imports: the build bundles this file (with
 * the drawing functions) into dist/web/preprocess.js, which the page loads as it is and the
 * server imports (scripts/bundle-web.mjs).
 */

export {
  MNIST_BOX as BOX,
  MNIST_SIDE as SIDE,
  resizeArea,
  rgbaToInk,
  toMnistLayout as toMnist,
} from '@gd/datasets/drawing';

/**
 * Applies the model's normalisation `(x - mean) / std` (one channel: the first mean and std).
 * Without metadata the pixels stay in [0, 1].
 */
export function normalize(
  x: Float32Array,
  mean?: readonly number[],
  std?: readonly number[],
): Float32Array {
  const m = mean?.[0] ?? 0;
  const s = std?.[0] ?? 1;
  if (m === 0 && s === 1) return x;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = ((x[i] as number) - m) / s;
  return out;
}

/**
 * Probabilities from a model's output row: softmax of logits. A row that already is a
 * probability distribution (from a Softmax layer) is returned as is; log-probabilities
 * (LogSoftmax) come out right from softmax.
 *
 * @example
 * ```ts
 * softmax([1, 2, 3]); // [0.090, 0.245, 0.665]
 * ```
 */
export function toProbabilities(row: ArrayLike<number>): number[] {
  const v = Array.from(row);
  const sum = v.reduce((a, b) => a + b, 0);
  if (v.every((p) => p >= 0 && p <= 1) && Math.abs(sum - 1) < 1e-4) return v;
  return softmax(v);
}

/** Numerically stable softmax. */
export function softmax(v: readonly number[]): number[] {
  const max = Math.max(...v);
  const e = v.map((x) => Math.exp(x - max));
  const z = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / z);
}

/** Index of the largest value (the first on ties). */
export function argmax(v: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if ((v[i] as number) > (v[best] as number)) best = i;
  return best;
}
