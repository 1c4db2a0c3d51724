import { describe, expect, it } from 'vitest';
import { Generator, manualSeed, randn } from '@gd/autograd';
import { linearRegressionData, spamData, temperatureData } from './index.js';

// PyTorch 1.13:
//   torch.manual_seed(42); X = torch.randn(1000, 3)
//   y = X @ torch.tensor([1.0, -0.5, 0.25]) + 0.1 * torch.randn(1000)
const X_ROWS = [
  [1.9269152879714966, 1.4872840642929077, 0.9007171988487244],
  [-2.1055209636688232, 0.6784184575080872, -1.2345448732376099],
  [-0.04306747764348984, -1.6046669483184814, -0.7521352767944336],
];
const X_LAST = [-0.03429529443383217, -0.5655248165130615, 0.43977639079093933];
const Y_FIRST = [
  1.3030372858047485, -2.984626054763794, 0.4809591472148895, 1.352200984954834,
  -0.6026248931884766,
];
const Y_LAST = 0.2772989869117737;

describe('linearRegressionData', () => {
  it("reproduces the lecture's torch.manual_seed(42) data", () => {
    manualSeed(42);
    const { X, y, wTrue } = linearRegressionData();
    expect(X.shape).toEqual([1000, 3]);
    expect(y.shape).toEqual([1000]);
    expect(wTrue.toArray()).toEqual([1, -0.5, 0.25]);
    expect(X.slice(0, 0, 3).toArray()).toEqual(X_ROWS.map((r) => r.map(Math.fround)));
    expect(X.select(0, 999).toArray()).toEqual(X_LAST.map(Math.fround));
    const yv = y.value.data;
    Y_FIRST.forEach((v, i) => expect(yv[i]).toBeCloseTo(v, 6));
    expect(yv[999]).toBeCloseTo(Y_LAST, 6);
    expect(X.sum().item()).toBeCloseTo(23.906339645385742, 3);
  });

  it('takes a seed without touching the global generator, or a generator', () => {
    manualSeed(7);
    const before = randn([3]).toArray();
    manualSeed(7);
    const { X } = linearRegressionData({ seed: 42 });
    expect(randn([3]).toArray()).toEqual(before);
    expect(X.select(0, 0).toArray()).toEqual(X_ROWS[0]!.map(Math.fround));
    const g = linearRegressionData({ generator: new Generator(42) });
    expect(g.X.slice(0, 0, 3).toArray()).toEqual(X_ROWS.map((r) => r.map(Math.fround)));
  });

  it('fits the true weights by least squares', () => {
    const { X, y } = linearRegressionData({
      seed: 0,
      nSamples: 2000,
      nFeatures: 2,
      wTrue: [2, -3],
      noise: 0.01,
    });
    // normal equations for 2 features
    const xs = X.value.data;
    const ys = y.value.data;
    let a = 0,
      b = 0,
      c = 0,
      p = 0,
      q = 0;
    for (let i = 0; i < 2000; i++) {
      const x0 = xs[2 * i]!;
      const x1 = xs[2 * i + 1]!;
      a += x0 * x0;
      b += x0 * x1;
      c += x1 * x1;
      p += x0 * ys[i]!;
      q += x1 * ys[i]!;
    }
    const det = a * c - b * b;
    expect((c * p - b * q) / det).toBeCloseTo(2, 2);
    expect((a * q - b * p) / det).toBeCloseTo(-3, 2);
    expect(() => linearRegressionData({ nFeatures: 5 })).toThrow(
      /wTrue has 3 entries but nFeatures is 5; pass wTrue with 5 entries/,
    );
    expect(() => linearRegressionData({ noise: -1 })).toThrow(
      /noise must be a non-negative number/,
    );
  });
});

describe('temperatureData', () => {
  it('is an hourly 24-hour sinusoid plus noise', () => {
    const { t, y, params } = temperatureData({ hours: 240, seed: 1, noise: 0.5 });
    expect(t.shape).toEqual([240]);
    expect(y.shape).toEqual([240]);
    expect(t.value.data[5]).toBe(5);
    expect(params.offset).toBe(15);
    const yv = y.value.data;
    let mean = 0;
    let resid2 = 0;
    for (let i = 0; i < 240; i++) {
      mean += yv[i]! / 240;
      const f = params.offset + params.amplitude * Math.sin((2 * Math.PI * i) / 24 + params.phase);
      resid2 += (yv[i]! - f) ** 2 / 240;
    }
    expect(mean).toBeGreaterThan(14.8);
    expect(mean).toBeLessThan(15.2);
    expect(Math.sqrt(resid2)).toBeGreaterThan(0.4);
    expect(Math.sqrt(resid2)).toBeLessThan(0.6);
    // coldest near 3:00, warmest near 15:00 without noise
    const clean = temperatureData({ noise: 0 }).y.value.data;
    expect(clean.indexOf(Math.max(...clean))).toBe(15);
    expect(clean.indexOf(Math.min(...clean))).toBe(3);
    expect(temperatureData({ seed: 3 }).y.toArray()).toEqual(
      temperatureData({ seed: 3 }).y.toArray(),
    );
    expect(() => temperatureData({ hours: 0 })).toThrow(/hours must be a positive integer/);
  });
});

describe('spamData', () => {
  it('gives features and 0/1 labels from a logistic model', () => {
    const { X, y, wTrue } = spamData({ nSamples: 2000, nFeatures: 5, seed: 0 });
    expect(X.shape).toEqual([2000, 5]);
    expect(y.shape).toEqual([2000]);
    expect(wTrue.shape).toEqual([5]);
    const yv = y.value.data;
    expect(new Set(yv)).toEqual(new Set([0, 1]));
    // labels agree with the sign of the true score far more often than chance
    const score = X.matmul(wTrue).value.data;
    let agree = 0;
    for (let i = 0; i < 2000; i++) agree += (score[i]! > 0 ? 1 : 0) === yv[i] ? 1 : 0;
    expect(agree / 2000).toBeGreaterThan(0.7);
    expect(spamData({ seed: 5 }).y.toArray()).toEqual(spamData({ seed: 5 }).y.toArray());
    expect(spamData({ seed: 5 }).y.toArray()).not.toEqual(spamData({ seed: 6 }).y.toArray());
  });
});
