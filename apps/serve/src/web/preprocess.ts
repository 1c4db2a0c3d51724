/**
 * Digit images to model input, the same way on the server (PNG uploads) and in the browser
 * (the canvas): ink intensity in [0, 1] (white digit on black, as in MNIST), then MNIST's own
 * preparation (the digit's bounding box scaled to fit 20x20, placed in 28x28 so its centre of
 * mass is at the centre), then the model's normalisation. No Node or DOM imports: this file is
 * served to the page as it is compiled.
 */

/** Side of the model's square input. */
export const SIDE = 28;
/** Side of the box the digit is scaled into (MNIST's 20x20). */
export const BOX = 20;

/**
 * Ink intensity per pixel from RGBA bytes: 1 where the digit is, 0 for the background.
 * A transparent background (the border mostly transparent) means ink is opacity; otherwise
 * luminance over white, inverted when the background is light (dark ink on paper).
 *
 * @example
 * ```ts
 * const ink = rgbaToInk(ctx.getImageData(0, 0, w, h).data, w, h);
 * ```
 */
export function rgbaToInk(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  const n = width * height;
  if (rgba.length !== n * 4)
    throw new Error(`expected ${n * 4} RGBA bytes for ${width}x${height}, got ${rgba.length}`);
  // Border statistics decide the interpretation.
  let borderAlpha = 0;
  let borderGray = 0;
  let borderCount = 0;
  const gray = new Float32Array(n);
  const alpha = new Float32Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const a = (rgba[4 * i + 3] as number) / 255;
      const l =
        (0.299 * (rgba[4 * i] as number) +
          0.587 * (rgba[4 * i + 1] as number) +
          0.114 * (rgba[4 * i + 2] as number)) /
        255;
      alpha[i] = a;
      gray[i] = l * a + (1 - a); // over white
      if (x === 0 || y === 0 || x === width - 1 || y === height - 1) {
        borderAlpha += a;
        borderGray += gray[i] as number;
        borderCount++;
      }
    }
  }
  const ink = new Float32Array(n);
  if (borderAlpha / borderCount < 0.5) {
    ink.set(alpha);
    return ink;
  }
  const invert = borderGray / borderCount > 0.5;
  for (let i = 0; i < n; i++) ink[i] = invert ? 1 - (gray[i] as number) : (gray[i] as number);
  return ink;
}

/**
 * Resamples a single-channel image by area averaging (each output pixel is the mean of the
 * input area it covers), for shrinking and enlarging alike.
 */
export function resizeArea(
  src: Float32Array,
  w: number,
  h: number,
  nw: number,
  nh: number,
): Float32Array {
  const out = new Float32Array(nw * nh);
  const sx = w / nw;
  const sy = h / nh;
  for (let oy = 0; oy < nh; oy++) {
    const y0 = oy * sy;
    const y1 = y0 + sy;
    for (let ox = 0; ox < nw; ox++) {
      const x0 = ox * sx;
      const x1 = x0 + sx;
      let acc = 0;
      for (let y = Math.floor(y0); y < Math.min(h, Math.ceil(y1)); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        if (wy <= 0) continue;
        for (let x = Math.floor(x0); x < Math.min(w, Math.ceil(x1)); x++) {
          const wx = Math.min(x + 1, x1) - Math.max(x, x0);
          if (wx <= 0) continue;
          acc += (src[y * w + x] as number) * wx * wy;
        }
      }
      out[oy * nw + ox] = acc / (sx * sy);
    }
  }
  return out;
}

/**
 * MNIST's preparation of a digit of any size: crop to the ink's bounding box, scale the longer
 * side to 20 pixels (keeping the aspect ratio), and place it in a 28x28 field with its centre of
 * mass at the centre. A 28x28 input is taken as already prepared and returned as is; an image
 * without ink gives zeros.
 *
 * @example
 * ```ts
 * const x = toMnist(ink, width, height); // Float32Array(784), ink in [0, 1]
 * ```
 */
export function toMnist(
  ink: Float32Array,
  width: number,
  height: number,
  threshold = 0.1,
): Float32Array {
  if (width === SIDE && height === SIDE) return Float32Array.from(ink);
  let minX = width;
  let minY = height;
  let maxX = -1;
  let maxY = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((ink[y * width + x] as number) > threshold) {
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
    }
  }
  const out = new Float32Array(SIDE * SIDE);
  if (maxX < 0) return out;
  const cw = maxX - minX + 1;
  const ch = maxY - minY + 1;
  const crop = new Float32Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) crop[y * cw + x] = ink[(minY + y) * width + minX + x] as number;
  }
  const scale = BOX / Math.max(cw, ch);
  const nw = Math.max(1, Math.round(cw * scale));
  const nh = Math.max(1, Math.round(ch * scale));
  const small = resizeArea(crop, cw, ch, nw, nh);
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < nh; y++) {
    for (let x = 0; x < nw; x++) {
      const v = small[y * nw + x] as number;
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  const cx = mass > 0 ? mx / mass : nw / 2;
  const cy = mass > 0 ? my / mass : nh / 2;
  const clamp = (v: number, hi: number) => Math.min(Math.max(v, 0), hi);
  const offX = clamp(Math.round(SIDE / 2 - cx), SIDE - nw);
  const offY = clamp(Math.round(SIDE / 2 - cy), SIDE - nh);
  for (let y = 0; y < nh; y++) {
    for (let x = 0; x < nw; x++)
      out[(offY + y) * SIDE + offX + x] = Math.min(1, small[y * nw + x] as number);
  }
  return out;
}

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
