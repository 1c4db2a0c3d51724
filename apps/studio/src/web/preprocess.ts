/**
 * A drawing to MNIST's layout: the digit's bounding box scaled to fit 20x20 and placed in 28x28
 * with its centre of mass at the centre. Copied from gd-serve's digit page
 * (apps/serve/src/web/preprocess.ts), which is served to its page as compiled and so cannot
 * import a package; one app may not import another.
 */

/** Side of the model's square input. */
export const SIDE = 28;
/** Side of the box the digit is scaled into (MNIST's 20x20). */
export const BOX = 20;

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
