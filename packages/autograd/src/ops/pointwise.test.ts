/**
 * Gradients of the pointwise ops (BINARY, UNARY, SELECT): gradcheck in float64 against central
 * finite differences, second-order gradcheck for a representative set, and PyTorch's
 * conventions at kinks and ties (values from torch.autograd.grad, PyTorch 1.13, float64).
 */
import type { TensorData } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../index.js';
import { add, div, grad, maximum, minimum, mul, pow, sub, tensor, where } from '../index.js';
import { gradcheck } from '../gradcheck.js';

/** A float64 leaf that requires grad. */
const x64 = (data: TensorData): Tensor => tensor(data, { dtype: 'float64', requiresGrad: true });
/** A float64 constant. */
const c64 = (data: TensorData): Tensor => tensor(data, { dtype: 'float64' });

/**
 * gradgradcheck: gradcheck of the vector-Jacobian product `grad(f(xs), xs, v)` built with
 * createGraph, differentiated with respect to the inputs and to `v` itself.
 */
function gradgradcheck(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], v: Tensor): boolean {
  const n = inputs.length;
  return gradcheck(
    (...args: Tensor[]) => {
      const xs = args.slice(0, n);
      return grad(f(...xs), xs, { gradOutputs: args[n]!, createGraph: true }).map((g) => g!);
    },
    [...inputs, v],
  );
}

/** The gradients of `f(xs).sum()` as nested arrays. */
function grads(f: (...xs: Tensor[]) => Tensor, ...xs: Tensor[]): unknown[] {
  return grad(f(...xs).sum(), xs).map((g) => g!.toArray());
}

const A = [
  [0.3, -1.2, 0.7],
  [1.1, 0.4, -0.6],
];
const POS = [
  [0.3, 1.2, 0.7],
  [1.1, 0.4, 2.6],
];

describe('binary ops: gradcheck with broadcasting on both sides', () => {
  // Shapes of (a, b): same, trailing broadcast, both sides broadcast, 0-d either side.
  const pairs: [string, TensorData, TensorData][] = [
    [
      '[2,3] with [2,3]',
      A,
      [
        [0.5, 0.9, -1.3],
        [-0.2, 1.7, 0.8],
      ],
    ],
    ['[2,3] with [3]', A, [0.5, -0.9, 1.3]],
    ['[3] with [2,3]', [0.5, -0.9, 1.3], A],
    ['[2,1] with [1,3]', [[0.4], [-1.1]], [[0.5, -0.9, 1.3]]],
    ['[2,3] with 0-d', A, 0.8],
    ['0-d with [2,3]', -0.8, A],
  ];
  for (const [name, da, db] of pairs) {
    it(`add / sub (with alpha) ${name}`, () => {
      expect(gradcheck((a, b) => a.add(b), [x64(da), x64(db)])).toBe(true);
      expect(gradcheck((a, b) => a.add(b, 2.5), [x64(da), x64(db)])).toBe(true);
      expect(gradcheck((a, b) => a.sub(b), [x64(da), x64(db)])).toBe(true);
      expect(gradcheck((a, b) => a.sub(b, -0.5), [x64(da), x64(db)])).toBe(true);
    });
    it(`mul / div ${name}`, () => {
      expect(gradcheck((a, b) => a.mul(b), [x64(da), x64(db)])).toBe(true);
      expect(gradcheck((a, b) => a.div(b), [x64(da), x64(db)])).toBe(true);
    });
    it(`maximum / minimum / atan2 ${name}`, () => {
      expect(gradcheck((a, b) => a.maximum(b), [x64(da), x64(db)])).toBe(true);
      expect(gradcheck((a, b) => a.minimum(b), [x64(da), x64(db)])).toBe(true);
      expect(gradcheck((a, b) => a.atan2(b), [x64(da), x64(db)])).toBe(true);
    });
  }

  it('pow(tensor) with a positive base, broadcasting both ways', () => {
    expect(gradcheck((a, b) => a.pow(b), [x64(POS), x64([0.5, -1.5, 2.3])])).toBe(true);
    expect(gradcheck((a, b) => a.pow(b), [x64([[0.4], [1.7]]), x64([[0.5, -1.5, 2.3]])])).toBe(
      true,
    );
    expect(gradcheck((a, b) => a.pow(b), [x64(1.3), x64([[0.5, -1.5, 2.3]])])).toBe(true);
    expect(gradcheck((a, b) => a.pow(b), [x64(POS), x64(-0.7)])).toBe(true);
  });

  it('pow(tensor) with a negative base and integral exponents', () => {
    expect(gradcheck((a) => a.pow(c64([2, 3, -1])), [x64([-0.7, -1.3, -2.1])])).toBe(true);
  });

  it('remainder away from its jumps', () => {
    expect(
      gradcheck((a, b) => a.remainder(b), [x64([5.3, -5.3, 2.2]), x64([2.1, 2.1, -1.6])]),
    ).toBe(true);
    expect(gradcheck((a, b) => a.remainder(b), [x64(A), x64([0.9, 1.7, -0.8])])).toBe(true);
  });

  it('only one side requires grad', () => {
    expect(gradcheck((a) => a.mul(c64([0.5, -2, 3])), [x64(A)])).toBe(true);
    expect(gradcheck((b) => c64(A).div(b), [x64([0.5, -2, 3])])).toBe(true);
    expect(gradcheck((b) => c64(POS).pow(b), [x64([0.5, -2, 3])])).toBe(true);
    expect(gradcheck((b) => c64(A).sub(b, 3), [x64(0.5)])).toBe(true);
  });

  it('the same tensor on both sides', () => {
    expect(gradcheck((a) => a.mul(a), [x64(A)])).toBe(true);
    expect(gradcheck((a) => a.div(a.add(5)), [x64(A)])).toBe(true);
    expect(gradcheck((a) => a.pow(a), [x64(POS)])).toBe(true);
  });
});

describe('binary ops: JS scalars as the other operand', () => {
  it('arithmetic with a scalar on the right', () => {
    for (const f of [
      (x: Tensor) => x.add(2),
      (x: Tensor) => x.add(2, 3),
      (x: Tensor) => x.sub(1.5),
      (x: Tensor) => x.mul(2),
      (x: Tensor) => x.mul(-0.25),
      (x: Tensor) => x.div(3),
      (x: Tensor) => x.maximum(0.5),
      (x: Tensor) => x.minimum(0.5),
      (x: Tensor) => x.atan2(0.7),
      (x: Tensor) => x.remainder(0.9),
    ]) {
      expect(gradcheck(f, [x64(A)])).toBe(true);
    }
  });

  it('pow with a scalar exponent (PowBackward0)', () => {
    for (const p of [3, 2, 1, 0, -1, -2, 0.5, -0.5, 1.7]) {
      expect(gradcheck((x) => x.pow(p), [x64(POS)])).toBe(true);
    }
    // Integral exponents on negative bases.
    for (const p of [2, 3, -1]) expect(gradcheck((x) => x.pow(p), [x64(A)])).toBe(true);
    expect(x64(A).pow(3).gradFn!.name).toBe('PowBackward0');
  });

  it('function forms with a scalar on the left', () => {
    for (const f of [
      (x: Tensor) => add(2, x),
      (x: Tensor) => sub(2, x),
      (x: Tensor) => sub(2, x, 3),
      (x: Tensor) => mul(-3, x),
      (x: Tensor) => div(2, x),
      (x: Tensor) => pow(2, x),
      (x: Tensor) => pow(0.5, x),
      (x: Tensor) => maximum(0.5, x),
      (x: Tensor) => minimum(0.5, x),
    ]) {
      expect(gradcheck(f, [x64(A)])).toBe(true);
    }
  });

  it('pow(tensor) where the exponent tensor does not require grad', () => {
    expect(gradcheck((x) => x.pow(c64(3)), [x64(A)])).toBe(true);
    expect(gradcheck((x) => x.pow(c64([0.5, 1.5, 2.5])), [x64(POS)])).toBe(true);
  });
});

describe('unary ops: gradcheck away from kinks', () => {
  const X = [
    [0.3, -1.2, 0.7],
    [1.9, 0.45, -0.6],
  ];
  const ops: [string, (x: Tensor) => Tensor, TensorData][] = [
    ['neg', (x) => x.neg(), X],
    ['abs', (x) => x.abs(), X],
    ['sign', (x) => x.sign(), X],
    ['exp', (x) => x.exp(), X],
    ['log', (x) => x.log(), POS],
    ['log2', (x) => x.log2(), POS],
    ['log1p', (x) => x.log1p(), X.map((r) => r.map((v) => v / 2))],
    ['expm1', (x) => x.expm1(), X],
    ['sqrt', (x) => x.sqrt(), POS],
    ['rsqrt', (x) => x.rsqrt(), POS],
    ['reciprocal', (x) => x.reciprocal(), X],
    ['square', (x) => x.square(), X],
    ['sin', (x) => x.sin(), X],
    ['cos', (x) => x.cos(), X],
    ['tan', (x) => x.tan(), X],
    ['tanh', (x) => x.tanh(), X],
    ['sigmoid', (x) => x.sigmoid(), X],
    ['relu', (x) => x.relu(), X],
    ['gelu', (x) => x.gelu(), X],
    ['gelu tanh', (x) => x.gelu('tanh'), X],
    ['silu', (x) => x.silu(), X],
    ['softplus', (x) => x.softplus(), X],
    ['softplus above its threshold', (x) => x.softplus(), [21, 25.5, -30]],
    ['leakyRelu', (x) => x.leakyRelu(), X],
    ['leakyRelu(0.2)', (x) => x.leakyRelu(0.2), X],
    ['erf', (x) => x.erf(), X],
    ['floor', (x) => x.floor(), X],
    ['ceil', (x) => x.ceil(), X],
    ['round', (x) => x.round(), X],
    ['trunc', (x) => x.trunc(), X],
    ['clamp(min)', (x) => x.clamp(0.5), X],
    ['clamp(null, max)', (x) => x.clamp(null, 0.5), X],
    ['clamp(min, max)', (x) => x.clamp(-0.5, 0.5), X],
    ['clip(min, max)', (x) => x.clip(-1, 1), X],
  ];
  for (const [name, f, data] of ops) {
    it(name, () => {
      expect(gradcheck(f, [x64(data)])).toBe(true);
    });
  }

  it('0-d inputs', () => {
    expect(gradcheck((x) => x.exp().mul(x.sin()), [x64(0.7)])).toBe(true);
    expect(gradcheck((x) => x.sigmoid().pow(2), [x64(-0.3)])).toBe(true);
  });

  it('non-contiguous inputs', () => {
    expect(gradcheck((x) => x.t().tanh().mul(x.t().exp()), [x64(A)])).toBe(true);
  });

  it('a gradient that is not all ones flows through (chain of ops)', () => {
    expect(gradcheck((x) => x.sin().exp().mul(x).sigmoid().log(), [x64(A)])).toBe(true);
  });
});

describe('where', () => {
  const cond = tensor([
    [true, false, true],
    [false, false, true],
  ]);
  it('tensor / tensor of the same shape', () => {
    expect(gradcheck((a, b) => where(cond, a, b), [x64(A), x64(POS)])).toBe(true);
  });
  it('broadcasts the condition and both branches', () => {
    const c = tensor([[true], [false]]);
    expect(gradcheck((a, b) => where(c, a, b), [x64([0.5, -0.9, 1.3]), x64(0.25)])).toBe(true);
    expect(
      gradcheck(
        (a, b) => where(tensor([true, false, true]), a, b),
        [x64([[0.4], [-1.1]]), x64([[0.5, -0.9, 1.3]])],
      ),
    ).toBe(true);
  });
  it('scalar branches and the method form', () => {
    expect(gradcheck((a) => where(cond, a, 0), [x64(A)])).toBe(true);
    expect(gradcheck((b) => where(cond, 1.5, b), [x64(A)])).toBe(true);
    expect(gradcheck((a, b) => a.where(cond, b), [x64(A), x64([1, 2, 3])])).toBe(true);
    expect(where(cond, x64(A), 0).gradFn!.name).toBe('WhereBackward0');
  });
});

describe('second order (gradgradcheck)', () => {
  const v = (): Tensor =>
    x64([
      [0.7, -0.3, 1.1],
      [0.2, 0.9, -1.4],
    ]);
  it('mul, with broadcasting', () => {
    expect(gradgradcheck((a, b) => a.mul(b), [x64(A), x64([0.5, -0.9, 1.3])], v())).toBe(true);
  });
  it('div, with broadcasting', () => {
    expect(gradgradcheck((a, b) => a.div(b), [x64(A), x64([[0.5], [-0.9]])], v())).toBe(true);
  });
  it('pow with a tensor exponent and with a scalar exponent', () => {
    expect(gradgradcheck((a, b) => a.pow(b), [x64(POS), x64([0.5, -1.5, 2.3])], v())).toBe(true);
    expect(gradgradcheck((a) => a.pow(3), [x64(A)], v())).toBe(true);
    expect(gradgradcheck((a) => a.pow(-1.5), [x64(POS)], v())).toBe(true);
  });
  it('exp, tanh, sigmoid', () => {
    expect(gradgradcheck((a) => a.exp(), [x64(A)], v())).toBe(true);
    expect(gradgradcheck((a) => a.tanh(), [x64(A)], v())).toBe(true);
    expect(gradgradcheck((a) => a.sigmoid(), [x64(A)], v())).toBe(true);
  });
  it('log, sqrt, sin, gelu, silu, softplus, erf, atan2, maximum', () => {
    expect(gradgradcheck((a) => a.log(), [x64(POS)], v())).toBe(true);
    expect(gradgradcheck((a) => a.sqrt(), [x64(POS)], v())).toBe(true);
    expect(gradgradcheck((a) => a.sin(), [x64(A)], v())).toBe(true);
    expect(gradgradcheck((a) => a.gelu(), [x64(A)], v())).toBe(true);
    expect(gradgradcheck((a) => a.gelu('tanh'), [x64(A)], v())).toBe(true);
    expect(gradgradcheck((a) => a.silu(), [x64(A)], v())).toBe(true);
    expect(gradgradcheck((a) => a.softplus(), [x64(A)], v())).toBe(true);
    expect(gradgradcheck((a) => a.erf(), [x64(A)], v())).toBe(true);
    expect(gradgradcheck((a, b) => a.atan2(b), [x64(A), x64(POS)], v())).toBe(true);
    expect(gradgradcheck((a, b) => a.maximum(b).mul(a), [x64(A), x64([0.5, -0.9, 1.3])], v())).toBe(
      true,
    );
  });
  it('where and clamp', () => {
    const cond = tensor([
      [true, false, true],
      [false, false, true],
    ]);
    expect(gradgradcheck((a, b) => where(cond, a.mul(a), b.exp()), [x64(A), x64(POS)], v())).toBe(
      true,
    );
    expect(gradgradcheck((a) => a.clamp(-0.5, 0.5).mul(a), [x64(A)], v())).toBe(true);
  });
});

describe("PyTorch's conventions at ties and kinks (torch.autograd.grad, 1.13)", () => {
  it('maximum / minimum split a tie evenly', () => {
    expect(grads((a, b) => a.maximum(b), x64([1, 2, 3]), x64([1, 5, 3]))).toEqual([
      [0.5, 0, 0.5],
      [0.5, 1, 0.5],
    ]);
    expect(grads((a, b) => a.minimum(b), x64([1, 2, 3]), x64([1, 5, 3]))).toEqual([
      [0.5, 1, 0.5],
      [0.5, 0, 0.5],
    ]);
  });
  it('clamp passes the gradient at the bounds', () => {
    expect(grads((a) => a.clamp(-1, 1), x64([-1, 1, 0.5, 2, -3]))).toEqual([[1, 1, 1, 0, 0]]);
    expect(grads((a) => a.clamp(0), x64([0, 1, -1]))).toEqual([[1, 1, 0]]);
    expect(grads((a) => a.clamp(null, 1), x64([1, 2]))).toEqual([[1, 0]]);
  });
  it('relu, abs and sign give 0 at 0; leakyRelu gives the slope', () => {
    expect(grads((a) => a.relu(), x64([0, 1, -1]))).toEqual([[0, 1, 0]]);
    expect(grads((a) => a.abs(), x64([0, 1.5, -1.5]))).toEqual([[0, 1, -1]]);
    expect(grads((a) => a.sign(), x64([0, 1]))).toEqual([[0, 0]]);
    expect(grads((a) => a.leakyRelu(0.1), x64([0, 1, -1]))).toEqual([[0.1, 1, 0.1]]);
  });
  it('pow with base 0', () => {
    expect(grads((a) => a.pow(2), x64([0, 3]))).toEqual([[0, 6]]);
    expect(grads((a) => a.pow(0), x64([0, 3]))).toEqual([[0, 0]]);
    expect(grads((a) => a.pow(0.5), x64([0, 4]))).toEqual([[Infinity, 0.25]]);
    expect(grads((a) => a.sqrt(), x64([0, 4]))).toEqual([[Infinity, 0.25]]);
    expect(grads((a, b) => a.pow(b), x64([0, 0, 0, 2]), x64([2, 0, 1, 3]))).toEqual([
      [0, 0, 1, 12],
      [0, 0, 0, 5.545177444479562],
    ]);
    expect(grads((a, b) => a.pow(b), x64([0]), x64([-1]))).toEqual([[-Infinity], [-Infinity]]);
  });
  it('pow with a scalar base; remainder; softplus above its threshold; where', () => {
    const [g] = grads((a) => pow(2, a), x64([0, 1, 3])) as number[][];
    expect(g![0]).toBeCloseTo(0.6931471805599453, 14);
    expect(g![1]).toBeCloseTo(1.3862943611198906, 14);
    expect(g![2]).toBeCloseTo(5.545177444479562, 14);
    expect(grads((a, b) => a.remainder(b), x64([5.5, -5.5]), x64([2, 2]))).toEqual([
      [1, 1],
      [-2, 3],
    ]);
    expect(grads((a) => a.softplus(), x64([25, 0]))).toEqual([[1, 0.5]]);
    expect(
      grads((a, b) => where(tensor([true, false, true]), a, b), x64([1, 2, 3]), x64([4])),
    ).toEqual([[1, 0, 1], [1]]);
  });
  it('float32 inputs get float32 gradients', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const [g] = grad(x.mul(c64([2, 3])).sum(), x);
    expect(g!.dtype).toBe('float32');
    expect(g!.toArray()).toEqual([2, 3]);
  });
});
