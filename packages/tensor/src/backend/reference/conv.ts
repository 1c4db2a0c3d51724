/** im2col/col2im and 2-d pooling kernels for the reference backend (NCHW layout). */
import type { Conv2dGeometry, StridedArray } from '../backend.js';

function outSize(cols: StridedArray): number {
  return cols.shape[2]!;
}

/** Unfolds x [N, C, H, W] into cols [N, C*kh*kw, oh*ow]; cols must be contiguous. */
export function im2col(x: StridedArray, g: Conv2dGeometry, cols: StridedArray): void {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [sn, sc, sh, sw] = x.strides as [number, number, number, number];
  const [kh, kw] = g.kernel;
  const [strH, strW] = g.stride;
  const [padH, padW] = g.padding;
  const [dilH, dilW] = g.dilation;
  const l = outSize(cols);
  const ow = Math.floor((w + 2 * padW - dilW * (kw - 1) - 1) / strW) + 1;
  const oh = l / ow;
  const xd = x.data;
  const cd = cols.data;
  let o = cols.offset;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const plane = x.offset + b * sn + ch * sc;
      for (let ki = 0; ki < kh; ki++) {
        for (let kj = 0; kj < kw; kj++) {
          for (let oy = 0; oy < oh; oy++) {
            const iy = oy * strH - padH + ki * dilH;
            if (iy < 0 || iy >= h) {
              cd.fill(0, o, o + ow);
              o += ow;
              continue;
            }
            const rowBase = plane + iy * sh;
            for (let ox = 0; ox < ow; ox++) {
              const ix = ox * strW - padW + kj * dilW;
              cd[o++] = ix >= 0 && ix < w ? xd[rowBase + ix * sw]! : 0;
            }
          }
        }
      }
    }
  }
}

/** Sums cols [N, C*kh*kw, oh*ow] back into out [N, C, H, W] (contiguous, zero-filled by the caller). */
export function col2im(cols: StridedArray, g: Conv2dGeometry, out: StridedArray): void {
  const [n, c, h, w] = out.shape as [number, number, number, number];
  const [sn, sc, sh, sw] = out.strides as [number, number, number, number];
  const [kh, kw] = g.kernel;
  const [strH, strW] = g.stride;
  const [padH, padW] = g.padding;
  const [dilH, dilW] = g.dilation;
  const l = cols.shape[2]!;
  const ow = Math.floor((w + 2 * padW - dilW * (kw - 1) - 1) / strW) + 1;
  const oh = l / ow;
  const [cs0, cs1, cs2] = cols.strides as [number, number, number];
  const cd = cols.data;
  const od = out.data;
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const plane = out.offset + b * sn + ch * sc;
      for (let ki = 0; ki < kh; ki++) {
        for (let kj = 0; kj < kw; kj++) {
          const row = cols.offset + b * cs0 + ((ch * kh + ki) * kw + kj) * cs1;
          for (let oy = 0; oy < oh; oy++) {
            const iy = oy * strH - padH + ki * dilH;
            if (iy < 0 || iy >= h) continue;
            for (let ox = 0; ox < ow; ox++) {
              const ix = ox * strW - padW + kj * dilW;
              if (ix >= 0 && ix < w) {
                const at = plane + iy * sh + ix * sw;
                od[at] = od[at]! + cd[row + (oy * ow + ox) * cs2]!;
              }
            }
          }
        }
      }
    }
  }
}

// Visits every output position of a pooling op with its plane offset in x and out.
function forEachWindow(
  x: StridedArray,
  out: StridedArray,
  visit: (xPlane: number, oPlane: number, oy: number, ox: number, b: number, ch: number) => void,
): void {
  const [n, c] = x.shape as [number, number];
  const [oh, ow] = [out.shape[2]!, out.shape[3]!];
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      const xp = x.offset + b * x.strides[0]! + ch * x.strides[1]!;
      const op = out.offset + b * out.strides[0]! + ch * out.strides[1]!;
      for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) visit(xp, op, oy, ox, b, ch);
    }
  }
}

/**
 * Max pooling; indices get the flat h*W + w position of each maximum in its plane. Mirrors
 * PyTorch's CPU kernel: the first maximum wins ties, NaN beats everything (the last NaN of a
 * window is reported), and a window holding only -Infinity reports its first valid position.
 */
export function maxPool2d(
  x: StridedArray,
  g: Conv2dGeometry,
  out: StridedArray,
  indices: StridedArray,
): void {
  const [h, w] = [x.shape[2]!, x.shape[3]!];
  const [xsh, xsw] = [x.strides[2]!, x.strides[3]!];
  const [osh, osw] = [out.strides[2]!, out.strides[3]!];
  const [ish, isw] = [indices.strides[2]!, indices.strides[3]!];
  const [kh, kw] = g.kernel;
  const [strH, strW] = g.stride;
  const [padH, padW] = g.padding;
  const [dilH, dilW] = g.dilation;
  const xd = x.data;
  const od = out.data;
  const id = indices.data;
  forEachWindow(x, out, (xp, op, oy, ox, b, ch) => {
    let y0 = oy * strH - padH;
    const y1 = Math.min(y0 + (kh - 1) * dilH + 1, h);
    while (y0 < 0) y0 += dilH;
    let x0 = ox * strW - padW;
    const x1 = Math.min(x0 + (kw - 1) * dilW + 1, w);
    while (x0 < 0) x0 += dilW;
    let best = -Infinity;
    let bi = y0 * w + x0;
    for (let iy = y0; iy < y1; iy += dilH) {
      for (let ix = x0; ix < x1; ix += dilW) {
        const v = xd[xp + iy * xsh + ix * xsw]!;
        if (v > best || v !== v) {
          best = v;
          bi = iy * w + ix;
        }
      }
    }
    od[op + oy * osh + ox * osw] = best;
    id[indices.offset + b * indices.strides[0]! + ch * indices.strides[1]! + oy * ish + ox * isw] =
      bi;
  });
}

// PyTorch's window bounds and divisor for average pooling.
function avgWindow(
  o: number,
  stride: number,
  pad: number,
  k: number,
  size: number,
): [number, number, number] {
  let start = o * stride - pad;
  let end = Math.min(start + k, size + pad);
  const padded = end - start;
  start = Math.max(start, 0);
  end = Math.min(end, size);
  return [start, end, padded];
}

/** Average pooling (dilation 1). */
export function avgPool2d(
  x: StridedArray,
  g: Conv2dGeometry,
  out: StridedArray,
  countIncludePad: boolean,
): void {
  const [h, w] = [x.shape[2]!, x.shape[3]!];
  const [xsh, xsw] = [x.strides[2]!, x.strides[3]!];
  const [osh, osw] = [out.strides[2]!, out.strides[3]!];
  const xd = x.data;
  const od = out.data;
  forEachWindow(x, out, (xp, op, oy, ox) => {
    const [y0, y1, ph] = avgWindow(oy, g.stride[0], g.padding[0], g.kernel[0], h);
    const [x0, x1, pw] = avgWindow(ox, g.stride[1], g.padding[1], g.kernel[1], w);
    let sum = 0;
    for (let iy = y0; iy < y1; iy++)
      for (let ix = x0; ix < x1; ix++) sum += xd[xp + iy * xsh + ix * xsw]!;
    const div = countIncludePad ? ph * pw : (y1 - y0) * (x1 - x0);
    od[op + oy * osh + ox * osw] = sum / div;
  });
}

/** Gradient of average pooling: each output's gradient is spread evenly over its window. */
export function avgPool2dBackward(
  gradOut: StridedArray,
  g: Conv2dGeometry,
  out: StridedArray,
  countIncludePad: boolean,
): void {
  const [h, w] = [out.shape[2]!, out.shape[3]!];
  const [xsh, xsw] = [out.strides[2]!, out.strides[3]!];
  const [gsh, gsw] = [gradOut.strides[2]!, gradOut.strides[3]!];
  const gd = gradOut.data;
  const od = out.data;
  forEachWindow(out, gradOut, (xp, gp, oy, ox) => {
    const [y0, y1, ph] = avgWindow(oy, g.stride[0], g.padding[0], g.kernel[0], h);
    const [x0, x1, pw] = avgWindow(ox, g.stride[1], g.padding[1], g.kernel[1], w);
    const div = countIncludePad ? ph * pw : (y1 - y0) * (x1 - x0);
    const v = gd[gp + oy * gsh + ox * gsw]! / div;
    for (let iy = y0; iy < y1; iy++) {
      for (let ix = x0; ix < x1; ix++) {
        const at = xp + iy * xsh + ix * xsw;
        od[at] = od[at]! + v;
      }
    }
  });
}
