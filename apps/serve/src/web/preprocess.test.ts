import { describe, expect, it } from 'vitest';
import * as drawing from '@gd/datasets/drawing';
import {
  BOX,
  SIDE,
  argmax,
  normalize,
  resizeArea,
  rgbaToInk,
  softmax,
  toMnist,
  toProbabilities,
} from './preprocess.js';

describe('the drawing functions', () => {
  it('are those of @gd/datasets/drawing (tested there)', () => {
    expect([toMnist, rgbaToInk, resizeArea, SIDE, BOX]).toEqual([
      drawing.toMnistLayout,
      drawing.rgbaToInk,
      drawing.resizeArea,
      28,
      20,
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
