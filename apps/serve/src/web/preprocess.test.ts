import { describe, expect, it } from 'vitest';
import {
  argmax,
  normalize,
  resizeArea,
  rgbaToInk,
  softmax,
  toMnist,
  toProbabilities,
} from './preprocess.js';

/** RGBA bytes of a w x h image from a function of (x, y) -> [r, g, b, a]. */
function rgba(w: number, h: number, f: (x: number, y: number) => number[]): Uint8Array {
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out.set(f(x, y), (y * w + x) * 4);
  return out;
}
const inBar = (x: number, y: number) => x >= 4 && x < 6 && y >= 2 && y < 8;

describe('rgbaToInk', () => {
  it('keeps white ink on black', () => {
    const ink = rgbaToInk(
      rgba(10, 10, (x, y) => (inBar(x, y) ? [255, 255, 255, 255] : [0, 0, 0, 255])),
      10,
      10,
    );
    expect(ink[2 * 10 + 4]).toBeCloseTo(1, 6);
    expect(ink[0]).toBe(0);
  });

  it('inverts dark ink on a light background', () => {
    const ink = rgbaToInk(
      rgba(10, 10, (x, y) => (inBar(x, y) ? [0, 0, 0, 255] : [250, 250, 250, 255])),
      10,
      10,
    );
    expect(ink[2 * 10 + 4]).toBeCloseTo(1, 6);
    expect(ink[0]).toBeCloseTo(1 - 250 / 255, 6);
  });

  it('takes opacity as ink when the background is transparent, whatever the colour', () => {
    const ink = rgbaToInk(
      rgba(10, 10, (x, y) => (inBar(x, y) ? [10, 10, 10, 204] : [255, 255, 255, 0])),
      10,
      10,
    );
    expect(ink[2 * 10 + 4]).toBeCloseTo(0.8, 6);
    expect(ink[0]).toBe(0);
  });

  it('checks the byte count', () => {
    expect(() => rgbaToInk(new Uint8Array(3), 1, 1)).toThrow(
      /expected 4 RGBA bytes for 1x1, got 3/,
    );
  });
});

describe('toMnist', () => {
  it('passes 28x28 through unchanged', () => {
    const x = Float32Array.from({ length: 784 }, (_, i) => (i % 7) / 7);
    expect(toMnist(x, 28, 28)).toEqual(x);
  });

  it('fits the ink box to 20 pixels and puts its centre of mass at the centre', () => {
    // A 40x100 bar in the corner of a 300x300 image.
    const w = 300;
    const ink = new Float32Array(w * w);
    for (let y = 10; y < 110; y++) for (let x = 20; x < 60; x++) ink[y * w + x] = 1;
    const out = toMnist(ink, w, w);
    let mass = 0;
    let cx = 0;
    let cy = 0;
    let minY = 28;
    let maxY = -1;
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) {
        const v = out[y * 28 + x]!;
        mass += v;
        cx += v * (x + 0.5);
        cy += v * (y + 0.5);
        if (v > 0) {
          minY = Math.min(minY, y);
          maxY = Math.max(maxY, y);
        }
      }
    }
    expect(maxY - minY + 1).toBe(20);
    expect(mass).toBeCloseTo(20 * 8, 3);
    expect(cx / mass).toBeCloseTo(14, 0);
    expect(cy / mass).toBeCloseTo(14, 0);
  });

  it('gives zeros for an empty image', () => {
    expect(toMnist(new Float32Array(100 * 50), 100, 50).every((v) => v === 0)).toBe(true);
  });
});

describe('resizeArea', () => {
  it('averages the area each output pixel covers', () => {
    expect(Array.from(resizeArea(Float32Array.from([0, 1, 1, 1]), 2, 2, 1, 1))).toEqual([0.75]);
    expect(Array.from(resizeArea(Float32Array.from([0, 1]), 2, 1, 4, 1))).toEqual([0, 0, 1, 1]);
    expect(Array.from(resizeArea(Float32Array.from([0, 1, 0]), 3, 1, 2, 1))).toEqual([
      expect.closeTo(1 / 3, 6),
      expect.closeTo(1 / 3, 6),
    ]);
  });
});

describe('normalize and probabilities', () => {
  it('applies (x - mean) / std, or nothing without metadata', () => {
    expect(Array.from(normalize(Float32Array.from([0.5]), [0.25], [0.5]))).toEqual([0.5]);
    const x = Float32Array.from([0.5]);
    expect(normalize(x)).toBe(x);
  });

  it('softmax is stable and matches exp/sum (logits of ±1000 included)', () => {
    const p = softmax([1, 2, 3]);
    expect(p[0]).toBeCloseTo(0.09003057317038046, 12);
    expect(p[2]).toBeCloseTo(0.6652409557748219, 12);
    expect(softmax([1000, -1000])).toEqual([1, 0]);
  });

  it('takes probabilities as they are and log-probabilities through softmax', () => {
    expect(toProbabilities([0.2, 0.8])).toEqual([0.2, 0.8]);
    const lp = toProbabilities([Math.log(0.25), Math.log(0.75)]);
    expect(lp[0]).toBeCloseTo(0.25, 12);
    expect(argmax([0.1, 0.7, 0.7])).toBe(1);
  });
});
