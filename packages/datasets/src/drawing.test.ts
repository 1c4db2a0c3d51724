import { describe, expect, it } from 'vitest';
import * as fromIndex from './index.js';
import { MNIST_SIDE, resizeArea, rgbaToInk, toMnistLayout } from './drawing.js';

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

describe('toMnistLayout', () => {
  it('passes 28x28 through unchanged, as a copy', () => {
    const x = Float32Array.from({ length: 784 }, (_, i) => (i % 7) / 7);
    const out = toMnistLayout(x, MNIST_SIDE, MNIST_SIDE);
    expect(out).toEqual(x);
    expect(out).not.toBe(x);
  });

  it('fits the ink box to 20 pixels and puts its centre of mass at the centre', () => {
    // A 40x100 bar in the corner of a 300x300 image.
    const w = 300;
    const ink = new Float32Array(w * w);
    for (let y = 10; y < 110; y++) for (let x = 20; x < 60; x++) ink[y * w + x] = 1;
    const out = toMnistLayout(ink, w, w);
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

  it('takes only ink above the threshold for the bounding box', () => {
    // Faint noise in one corner, a bar in the other: with the default threshold the box is
    // the bar's; with threshold 0 it spans both, so the bar comes out smaller.
    const w = 100;
    const ink = new Float32Array(w * w);
    ink[0] = 0.05;
    for (let y = 60; y < 100; y++) for (let x = 80; x < 90; x++) ink[y * w + x] = 1;
    const rows = (out: Float32Array) =>
      new Set([...out.keys()].filter((i) => out[i]! > 0.5).map((i) => Math.floor(i / 28))).size;
    expect(rows(toMnistLayout(ink, w, w))).toBe(20);
    expect(rows(toMnistLayout(ink, w, w, 0))).toBeLessThan(12);
  });

  it('gives zeros for an empty image', () => {
    expect(toMnistLayout(new Float32Array(100 * 50), 100, 50).every((v) => v === 0)).toBe(true);
  });

  it('is exported by the package entry too', () => {
    expect(fromIndex.toMnistLayout).toBe(toMnistLayout);
    expect(fromIndex.MNIST_SIDE).toBe(28);
    expect(fromIndex.MNIST_BOX).toBe(20);
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
