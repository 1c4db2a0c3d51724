/**
 * The fused softmax cross-entropy (LOSSES.softmaxCrossEntropy via `softmaxCrossEntropy`):
 * PyTorch's values and gradients (F.cross_entropy, PyTorch 1.13, float64), equality with the
 * unfused logSoftmax + gather path, gradcheck and second-order checks, extreme logits.
 */
import type { TensorData } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../index.js';
import { arange, grad, softmaxCrossEntropy, tensor } from '../index.js';
import { gradcheck } from '../gradcheck.js';

type Red = 'none' | 'mean' | 'sum';
const REDS: Red[] = ['mean', 'sum', 'none'];

const x64 = (data: TensorData): Tensor => tensor(data, { dtype: 'float64', requiresGrad: true });
const idx = (data: number[]): Tensor => tensor(data, { dtype: 'int32' });

const X = [
  [2.0, 0.5, -1.0, 0.3],
  [0.1, 0.2, 3.0, -2.0],
  [-1.5, 1.0, 0.0, 0.25],
];
const Y = [0, 2, 3];

/** The unfused path: -logSoftmax(x)[n, y[n]], reduced. */
function unfused(x: Tensor, y: Tensor, reduction: Red): Tensor {
  const rows = x.logSoftmax(1).gather(1, y.unsqueeze(1)).squeeze(1).neg();
  return reduction === 'none' ? rows : reduction === 'sum' ? rows.sum() : rows.mean();
}

function seq(shape: number[], scale: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return arange(n, { dtype: 'float64' })
    .add(0.5)
    .mul(scale)
    .sin()
    .mul(3)
    .reshape(shape)
    .detach()
    .requiresGrad_();
}

function expectClose(a: unknown, b: unknown, tol: number): void {
  const fa = [a].flat(3) as number[];
  const fb = [b].flat(3) as number[];
  expect(fa.length).toBe(fb.length);
  fa.forEach((v, i) => expect(Math.abs(v - fb[i]!)).toBeLessThanOrEqual(tol));
}

describe('softmaxCrossEntropy', () => {
  // torch: F.cross_entropy(x, y, reduction=r), torch.autograd.grad(l(.sum()), x)
  const TORCH: Record<Red, { loss: number | number[]; grad: number[][] }> = {
    mean: {
      loss: 0.6315263356526603,
      grad: [
        [-0.10433281052855703, 0.05109692332750389, 0.011401264685157982, 0.04183462251589516],
        [0.016338449505206392, 0.018056779239601563, -0.03639597691440725, 0.0020007481695992753],
        [0.014233587407267892, 0.1734005926281861, 0.06379051311485401, -0.251424693150308],
      ],
    },
    sum: {
      loss: 1.8945790069579806,
      grad: [
        [-0.3129984315856711, 0.15329076998251168, 0.03420379405547395, 0.1255038675476855],
        [0.04901534851561918, 0.05417033771880469, -0.10918793074322175, 0.006002244508797826],
        [0.042700762221803676, 0.5202017778845583, 0.19137153934456205, -0.7542740794509242],
      ],
    },
    none: {
      loss: [0.37541870377210423, 0.11562179490671844, 1.403538508279158],
      grad: [
        [-0.3129984315856711, 0.15329076998251168, 0.03420379405547395, 0.1255038675476855],
        [0.04901534851561918, 0.05417033771880469, -0.10918793074322175, 0.006002244508797826],
        [0.042700762221803676, 0.5202017778845583, 0.19137153934456205, -0.7542740794509242],
      ],
    },
  };

  for (const r of REDS) {
    it(`matches PyTorch's F.cross_entropy (reduction ${r}), gradFn NllLossBackward0`, () => {
      const x = x64(X);
      const loss = softmaxCrossEntropy(x, idx(Y), r);
      expect(loss.gradFn!.name).toBe('NllLossBackward0');
      expectClose(loss.toArray(), TORCH[r].loss, 1e-15);
      const [g] = grad(loss.sum(), [x]);
      expectClose(g!.toArray(), TORCH[r].grad, 1e-15);
    });

    it(`equals the unfused path within 1e-12, values and gradients (reduction ${r})`, () => {
      const x = seq([7, 5], 0.83);
      const y = idx([4, 0, 2, 2, 1, 3, 0]);
      const fused = softmaxCrossEntropy(x, y, r);
      const plain = unfused(x, y, r);
      expectClose(fused.toArray(), plain.toArray(), 1e-12);
      const v = r === 'none' ? seq([7], 0.41).detach() : tensor(1.7, { dtype: 'float64' });
      const [gf] = grad(fused, [x], { gradOutputs: v });
      const [gp] = grad(plain, [x], { gradOutputs: v });
      expectClose(gf!.toArray(), gp!.toArray(), 1e-12);
      // createGraph takes the differentiable backward: same gradient.
      const [gc] = grad(softmaxCrossEntropy(x, y, r), [x], { gradOutputs: v, createGraph: true });
      expect(gc!.requiresGrad).toBe(true);
      expectClose(gc!.toArray(), gp!.toArray(), 1e-12);
    });

    it(`gradcheck and gradgradcheck in float64 (reduction ${r})`, () => {
      const y = idx([1, 0, 2, 1]);
      const f = (x: Tensor): Tensor => softmaxCrossEntropy(x, y, r);
      expect(gradcheck(f, [seq([4, 3], 0.57)])).toBe(true);
      // Second order: gradcheck of grad(f(x), x, v) in x and in v.
      const v =
        r === 'none' ? seq([4], 0.61) : tensor(0.8, { dtype: 'float64', requiresGrad: true });
      expect(
        gradcheck(
          (x: Tensor, gv: Tensor) => grad(f(x), [x], { gradOutputs: gv, createGraph: true })[0]!,
          [seq([4, 3], 0.57), v],
        ),
      ).toBe(true);
    });
  }

  it('second derivative equals the unfused one', () => {
    const x = seq([3, 4], 0.7);
    const y = idx(Y);
    const second = (f: (x: Tensor) => Tensor): unknown => {
      const [g] = grad(f(x), [x], { createGraph: true });
      return grad(g!.square().sum(), [x])[0]!.toArray();
    };
    expectClose(
      second((a) => softmaxCrossEntropy(a, y)),
      second((a) => unfused(a, y, 'mean')),
      1e-12,
    );
  });

  it('is finite at logits of ±1000 (float64 and float32), as PyTorch', () => {
    const data = [
      [1000, -1000, 0],
      [-1000, -1000, 1000],
    ];
    const y = idx([1, 2]);
    const x = x64(data);
    const loss = softmaxCrossEntropy(x, y);
    expect(loss.item()).toBe(1000); // torch: 1000.0
    loss.backward();
    expect(x.grad!.toArray()).toEqual([
      [0.5, -0.5, 0],
      [0, 0, 0],
    ]);
    const x32 = tensor(data, { requiresGrad: true });
    const l32 = softmaxCrossEntropy(x32, y);
    expect(l32.item()).toBe(1000);
    l32.backward();
    expect(x32.grad!.toArray()).toEqual([
      [0.5, -0.5, 0],
      [0, 0, 0],
    ]);
  });

  it('records no node without grad, and a float32 result for float32 logits', () => {
    const out = softmaxCrossEntropy(tensor(X), idx(Y));
    expect(out.gradFn).toBeNull();
    expect(out.dtype).toBe('float32');
    expect(out.item()).toBeCloseTo(0.6315263356526603, 6);
  });

  it('rejects other shapes and non-int32 targets', () => {
    expect(() => softmaxCrossEntropy(x64([1, 2]), idx([0]))).toThrow(/expected logits \[N, C\]/);
    expect(() => softmaxCrossEntropy(x64(X), idx([0, 1]))).toThrow(/got \[3, 4\] and \[2\]/);
    expect(() => softmaxCrossEntropy(x64(X), tensor([0, 1, 2]))).toThrow(/expected int32/);
  });
});
