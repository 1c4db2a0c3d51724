/**
 * The fused Adam update against the update written out element by element in float64 (the
 * formulas of torch.optim.Adam/AdamW): several steps, with weight decay (L2 and decoupled),
 * amsgrad and maximize, float32 and float64; and what it refuses.
 */
import { describe, expect, it } from 'vitest';
import type { AdamStepConfig } from '../index.js';
import { adamStep_, getBackend, manualSeed, randn, tensor, zeros } from '../index.js';

function expected(
  p: number[],
  grads: number[][],
  c: Omit<AdamStepConfig, 'step'>,
  amsgrad: boolean,
): number[] {
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  const vMax = p.map(() => 0);
  grads.forEach((g, s) => {
    const step = s + 1;
    for (let i = 0; i < p.length; i++) {
      let gi = c.maximize ? -g[i]! : g[i]!;
      if (c.decoupled) p[i] = p[i]! * (1 - c.lr * c.weightDecay);
      else gi += c.weightDecay * p[i]!;
      m[i] = c.beta1 * m[i]! + (1 - c.beta1) * gi;
      v[i] = c.beta2 * v[i]! + (1 - c.beta2) * gi * gi;
      vMax[i] = Math.max(vMax[i]!, v[i]!);
      const denom = Math.sqrt(amsgrad ? vMax[i]! : v[i]!) / Math.sqrt(1 - c.beta2 ** step) + c.eps;
      p[i] = p[i]! - ((c.lr / (1 - c.beta1 ** step)) * m[i]!) / denom;
    }
  });
  return p;
}

describe(`adamStep_ on the ${getBackend().name} backend`, () => {
  const variants = [
    { name: 'Adam', decoupled: false, weightDecay: 0, maximize: false, amsgrad: false },
    {
      name: 'Adam, L2 weight decay, amsgrad',
      decoupled: false,
      weightDecay: 0.1,
      maximize: false,
      amsgrad: true,
    },
    { name: 'AdamW, maximize', decoupled: true, weightDecay: 0.05, maximize: true, amsgrad: false },
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    for (const v of variants) {
      it(`${v.name} (${dtype})`, () => {
        manualSeed(5);
        const n = 300;
        const param = randn([n], { dtype });
        const start = Array.from(param.data);
        const grads = [0, 1, 2].map(() => randn([n], { dtype }));
        const [m, s, mx] = [zeros([n], { dtype }), zeros([n], { dtype }), zeros([n], { dtype })];
        const c = { lr: 0.01, beta1: 0.9, beta2: 0.99, eps: 1e-8, ...v };
        const fused = grads.map((g, k) =>
          adamStep_(param, g, m, s, v.amsgrad ? mx : null, { ...c, step: k + 1 }),
        );
        if (getBackend().name === 'webgpu') {
          expect(fused).toEqual([false, false, false]);
          return;
        }
        expect(fused).toEqual([true, true, true]);
        const want = expected(
          start,
          grads.map((g) => Array.from(g.data)),
          c,
          v.amsgrad,
        );
        const tol = dtype === 'float64' ? 1e-12 : 1e-5;
        Array.from(param.data).forEach((x, i) =>
          expect(Math.abs(x - want[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(want[i]!))),
        );
      });
    }
  }

  it('leaves views to the elementwise path and names mismatched shapes', () => {
    const c = {
      lr: 0.1,
      beta1: 0.9,
      beta2: 0.99,
      eps: 1e-8,
      weightDecay: 0,
      decoupled: false,
      maximize: false,
      step: 1,
    };
    const base = zeros([4, 4]);
    const view = base.narrow(0, 1, 2);
    expect(adamStep_(view, zeros([2, 4]), zeros([2, 4]), zeros([2, 4]), null, c)).toBe(false);
    expect(() => adamStep_(zeros([3]), tensor([1, 2]), zeros([3]), zeros([3]), null, c)).toThrow(
      "adamStep_: every array must have the parameter's shape [3], got [2]",
    );
  });
});
