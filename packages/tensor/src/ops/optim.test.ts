/**
 * The fused Adam update against the update written out element by element in float64 (the
 * formulas of torch.optim.Adam/AdamW): several steps, with weight decay (L2 and decoupled),
 * amsgrad and maximize, float32 and float64; and what it refuses. The fused SGD update against
 * the same update written with elementwise ops: the same bits.
 */
import { describe, expect, it } from 'vitest';
import type { AdamStepConfig, NDArray, SgdStepConfig } from '../index.js';
import { adamStep_, getBackend, manualSeed, randn, sgdStep_, tensor, zeros } from '../index.js';

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

// torch.optim.SGD's update written with elementwise ops, as @gd/optim writes it without the
// fused kernel.
function sgdWithOps(
  p: NDArray,
  g: NDArray,
  state: { buf?: NDArray },
  c: Omit<SgdStepConfig, 'firstStep'>,
): void {
  let d = c.maximize ? g.neg() : g;
  if (c.weightDecay !== 0) d = d.add(p, c.weightDecay);
  if (c.momentum !== 0) {
    if (state.buf === undefined) state.buf = d.clone();
    else state.buf.mul_(c.momentum).add_(d, 1 - c.dampening);
    d = c.nesterov ? d.add(state.buf, c.momentum) : state.buf;
  }
  p.add_(d, -c.lr);
}

describe(`sgdStep_ on the ${getBackend().name} backend`, () => {
  const variants = [
    { name: 'plain', momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false },
    {
      name: 'plain, maximize',
      momentum: 0,
      dampening: 0,
      weightDecay: 0,
      nesterov: false,
      maximize: true,
    },
    {
      name: 'momentum',
      momentum: 0.9,
      dampening: 0,
      weightDecay: 0,
      nesterov: false,
      maximize: false,
    },
    {
      name: 'momentum, dampening, weight decay, maximize',
      momentum: 0.8,
      dampening: 0.3,
      weightDecay: 0.01,
      nesterov: false,
      maximize: true,
    },
    {
      name: 'nesterov',
      momentum: 0.9,
      dampening: 0,
      weightDecay: 0.1,
      nesterov: true,
      maximize: false,
    },
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    for (const v of variants) {
      it(`${v.name} (${dtype}): the same bits as the elementwise ops over three steps`, () => {
        manualSeed(6);
        // Not a multiple of 4: the plain loop's tail runs too.
        const n = 302;
        const param = randn([n], { dtype });
        const reference = param.clone();
        const grads = [0, 1, 2].map(() => randn([n], { dtype }));
        const c = { lr: 0.05, ...v };
        const buf = v.momentum !== 0 ? zeros([n], { dtype }) : null;
        const state: { buf?: NDArray } = {};
        const fused = grads.map((g, k) => {
          sgdWithOps(reference, g, state, c);
          return sgdStep_(param, g, buf, { ...c, firstStep: k === 0 });
        });
        if (getBackend().name === 'webgpu') {
          expect(fused).toEqual([false, false, false]);
          return;
        }
        expect(fused).toEqual([true, true, true]);
        expect(Array.from(param.data)).toEqual(Array.from(reference.data));
        if (buf) expect(Array.from(buf.data)).toEqual(Array.from(state.buf!.data));
      });
    }
  }

  it('names mismatched shapes', () => {
    const c = {
      lr: 0.1,
      momentum: 0.9,
      dampening: 0,
      weightDecay: 0,
      nesterov: false,
      maximize: false,
      firstStep: true,
    };
    expect(() => sgdStep_(zeros([3]), zeros([3]), zeros([2]), c)).toThrow(
      "sgdStep_: every array must have the parameter's shape [3], got [2]",
    );
  });
});
