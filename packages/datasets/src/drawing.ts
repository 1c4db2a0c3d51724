/**
 * @gd/datasets/drawing — drawings to MNIST's input, the same steps for a canvas in a page and
 * for an uploaded image on a server: ink intensity in [0, 1] (white digit on black, as in
 * MNIST), then MNIST's own preparation of a digit (its bounding box scaled to fit 20x20, placed
 * in 28x28 with its centre of mass at the centre). Plain numbers in typed arrays and no
 * imports, so it runs anywhere and this entry loads it alone (no tensors); the main entry
 * exports the same functions.
 *
 * @example
 * ```ts
 * import { MNIST_SIDE, rgbaToInk, toMnistLayout } from '@gd/datasets/drawing';
 *
 * const { data, width, height } = canvas.getContext('2d')!.getImageData(0, 0, 280, 280);
 * const x = toMnistLayout(rgbaToInk(data, width, height), width, height);
 * x.length === MNIST_SIDE * MNIST_SIDE; // true: 784 values in [0, 1], ready for (x - 0.1307) / 0.3081
 * ```
 *
 * @packageDocumentation
 */

/** Side of MNIST's square images (28). */
export const MNIST_SIDE = 28;
/** Side of the box MNIST scales each digit into (20). */
export const MNIST_BOX = 20;

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
 *
 * @example
 * ```ts
 * resizeArea(Float32Array.from([0, 1, 1, 1]), 2, 2, 1, 1); // Float32Array [0.75]
 * ```
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
 * mass at the centre. Pixels above `threshold` count as ink for the bounding box. A 28x28
 * input is taken as already prepared and returned as it is (copied); an image without ink
 * gives zeros.
 *
 * @example
 * ```ts
 * const ink = rgbaToInk(ctx.getImageData(0, 0, w, h).data, w, h);
 * const x = toMnistLayout(ink, w, h); // Float32Array(784), ink in [0, 1]
 * ```
 */
export function toMnistLayout(
  ink: Float32Array,
  width: number,
  height: number,
  threshold = 0.1,
): Float32Array {
  if (width === MNIST_SIDE && height === MNIST_SIDE) return Float32Array.from(ink);
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
  const out = new Float32Array(MNIST_SIDE * MNIST_SIDE);
  if (maxX < 0) return out;
  const cw = maxX - minX + 1;
  const ch = maxY - minY + 1;
  const crop = new Float32Array(cw * ch);
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) crop[y * cw + x] = ink[(minY + y) * width + minX + x] as number;
  }
  const scale = MNIST_BOX / Math.max(cw, ch);
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
  const offX = clamp(Math.round(MNIST_SIDE / 2 - cx), MNIST_SIDE - nw);
  const offY = clamp(Math.round(MNIST_SIDE / 2 - cy), MNIST_SIDE - nh);
  for (let y = 0; y < nh; y++) {
    for (let x = 0; x < nw; x++)
      out[(offY + y) * MNIST_SIDE + offX + x] = Math.min(1, small[y * nw + x] as number);
  }
  return out;
}
