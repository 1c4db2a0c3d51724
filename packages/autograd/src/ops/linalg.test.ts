/**
 * Gradients of matmul (LINALG) for every rank combination, of mm/bmm/mv/dot/outer and of addmm:
 * gradcheck in float64, second-order checks, and PyTorch's values for one case.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../index.js';
import { addmm, arange, grad, matmul, tensor } from '../index.js';
import { gradcheck } from '../gradcheck.js';

/** Deterministic, distinct float64 values in `shape` (requires grad). */
function seq(shape: number[], scale = 0.37): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return arange(n, { dtype: 'float64' })
    .add(0.5)
    .mul(scale)
    .sin()
    .add(arange(n, { dtype: 'float64' }).mul(0.01))
    .reshape(shape)
    .detach()
    .requiresGrad_();
}

/**
 * gradgradcheck: gradcheck of the vector-Jacobian product `grad(f(xs), xs, v)` built with
 * createGraph, differentiated with respect to the inputs and to `v` itself.
 */
function gradgradcheck(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): boolean {
  const n = inputs.length;
  const v = seq([...f(...inputs).shape], 0.61);
  return gradcheck(
    (...args: Tensor[]) =>
      grad(f(...args.slice(0, n)), args.slice(0, n), {
        gradOutputs: args[n]!,
        createGraph: true,
      }).map((g) => g!),
    [...inputs, v],
  );
}

/** [shape of a, shape of b, shape of a @ b]. */
const RANKS: [number[], number[], number[]][] = [
  [[3], [3], []],
  [[3], [3, 2], [2]],
  [[2, 3], [3], [2]],
  [
    [2, 3],
    [3, 4],
    [2, 4],
  ],
  [
    [2, 2, 3],
    [2, 3, 4],
    [2, 2, 4],
  ],
  [
    [2, 2, 3],
    [3, 4],
    [2, 2, 4],
  ],
  [
    [2, 3],
    [2, 3, 4],
    [2, 2, 4],
  ],
  [
    [2, 1, 2, 3],
    [3, 3, 2],
    [2, 3, 2, 2],
  ],
  [
    [1, 2, 3],
    [2, 3, 2],
    [2, 2, 2],
  ],
  [[2, 2, 3], [3], [2, 2]],
  [[3], [2, 3, 2], [2, 2]],
  [
    [2, 1, 3],
    [2, 3, 1],
    [2, 1, 1],
  ],
];

describe('matmul for every rank combination', () => {
  for (const [sa, sb, so] of RANKS) {
    it(`[${sa.join(', ')}] @ [${sb.join(', ')}] -> [${so.join(', ')}]`, () => {
      const a = seq(sa);
      const b = seq(sb, 0.53);
      expect(a.matmul(b).shape).toEqual(so);
      expect(gradcheck((x, y) => x.matmul(y), [a, b])).toBe(true);
      // One side only.
      expect(gradcheck((x) => x.matmul(b.detach()), [seq(sa)])).toBe(true);
      expect(gradcheck((y) => matmul(a.detach(), y), [seq(sb, 0.53)])).toBe(true);
    });
  }

  it('non-contiguous operands and the same tensor on both sides', () => {
    expect(
      gradcheck((x, y) => x.t().matmul(y.transpose(0, 1)), [seq([3, 2]), seq([4, 3], 0.53)]),
    ).toBe(true);
    expect(gradcheck((x) => x.matmul(x.t()), [seq([2, 3])])).toBe(true);
    expect(gradcheck((x) => x.matmul(x), [seq([3, 3])])).toBe(true);
  });

  it('the gradient PyTorch gives for [2,3] @ [3] with a weighted output', () => {
    const a = tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const b = tensor([0.5, -1, 2], { dtype: 'float64', requiresGrad: true });
    const y = a.matmul(b);
    const [ga, gb] = grad(y, [a, b], { gradOutputs: tensor([1, -2], { dtype: 'float64' }) });
    // torch.autograd.grad(a @ b, (a, b), torch.tensor([1., -2.]))
    expect(ga!.toArray()).toEqual([
      [0.5, -1, 2],
      [-1, 2, -4],
    ]);
    expect(gb!.toArray()).toEqual([-7, -8, -9]);
  });
});

describe('mm / bmm / mv / dot / outer', () => {
  it('mm', () => {
    expect(gradcheck((x, y) => x.mm(y), [seq([2, 3]), seq([3, 2], 0.53)])).toBe(true);
  });
  it('bmm', () => {
    expect(gradcheck((x, y) => x.bmm(y), [seq([2, 2, 3]), seq([2, 3, 2], 0.53)])).toBe(true);
  });
  it('mv', () => {
    expect(gradcheck((x, y) => x.mv(y), [seq([2, 3]), seq([3], 0.53)])).toBe(true);
  });
  it('dot', () => {
    expect(gradcheck((x, y) => x.dot(y), [seq([4]), seq([4], 0.53)])).toBe(true);
    expect(gradcheck((x) => x.dot(x), [seq([4])])).toBe(true);
  });
  it('outer', () => {
    expect(gradcheck((x, y) => x.outer(y), [seq([3]), seq([2], 0.53)])).toBe(true);
  });
  it('shape errors are raised before anything is recorded', () => {
    expect(() => seq([2, 3]).mm(seq([2, 3]))).toThrow(
      /mat1 and mat2 shapes cannot be multiplied|size mismatch|shape/,
    );
    expect(() => seq([3]).dot(seq([2, 2]))).toThrow(/1D tensors|1-d|dot/);
  });
});

describe('second order', () => {
  for (const [sa, sb] of [
    [[3], [3]],
    [[3], [3, 2]],
    [[2, 3], [3]],
    [
      [2, 3],
      [3, 2],
    ],
    [[2, 2, 3], [3]],
    [
      [2, 1, 2, 3],
      [2, 3, 2],
    ],
  ] as [number[], number[]][]) {
    it(`matmul [${sa.join(', ')}] @ [${sb.join(', ')}]`, () => {
      expect(gradgradcheck((x, y) => x.matmul(y), [seq(sa), seq(sb, 0.53)])).toBe(true);
    });
  }
  it('matmul feeding a nonlinearity', () => {
    expect(gradgradcheck((x, y) => x.matmul(y).tanh(), [seq([2, 3]), seq([3, 2], 0.53)])).toBe(
      true,
    );
  });
  it('outer and dot', () => {
    expect(gradgradcheck((x, y) => x.outer(y).square(), [seq([2]), seq([3], 0.53)])).toBe(true);
    expect(gradgradcheck((x, y) => x.dot(y).mul(x.dot(x)), [seq([3]), seq([3], 0.53)])).toBe(true);
  });
});

describe('addmm', () => {
  const f64 = { dtype: 'float64', requiresGrad: true } as const;

  it('the values, graph and gradients PyTorch gives (beta 0.5, alpha 2, mat2 = W.t())', () => {
    const b = tensor([0.5, -1, 2], f64);
    const x = tensor(
      [
        [1, 2],
        [3, -4],
      ],
      f64,
    );
    const w = tensor(
      [
        [1, 0],
        [-2, 1],
        [0.5, 3],
      ],
      f64,
    );
    const y = addmm(b, x, w.t(), { beta: 0.5, alpha: 2 });
    expect(y.toArray()).toEqual([
      [2.25, -0.5, 14],
      [6.25, -20.5, -20],
    ]);
    expect(y.gradFn!.name).toBe('AddmmBackward0');
    expect(y.gradFn!.next.map((n) => n?.name ?? null)).toEqual([
      'AccumulateGrad',
      'AccumulateGrad',
      'TBackward0',
    ]);
    const g = tensor(
      [
        [1, -1, 2],
        [0, 3, -2],
      ],
      { dtype: 'float64' },
    );
    // torch.autograd.grad(torch.addmm(b, x, w.t(), beta=0.5, alpha=2), (b, x, w), g)
    const [gb, gx, gw] = grad(y, [b, x, w], { gradOutputs: g });
    expect(gb!.toArray()).toEqual([0.5, 1, 0]);
    expect(gx!.toArray()).toEqual([
      [8, 10],
      [-14, -6],
    ]);
    expect(gw!.toArray()).toEqual([
      [2, 4],
      [16, -28],
      [-8, 24],
    ]);
    expect(gw!.isContiguous()).toBe(true);
  });

  const INPUTS: [string, number[]][] = [
    ['a bias row [N]', [4]],
    ['a full [M, N] input', [3, 4]],
    ['a column [M, 1]', [3, 1]],
    ['a 0-d input', []],
  ];
  for (const [what, shape] of INPUTS) {
    it(`gradcheck and second order with ${what}`, () => {
      const f = (i: Tensor, a: Tensor, w: Tensor): Tensor => addmm(i, a, w.t());
      const args = [seq(shape, 0.29), seq([3, 2]), seq([4, 2], 0.53)];
      expect(gradcheck(f, args)).toBe(true);
      expect(gradgradcheck(f, args)).toBe(true);
    });
  }

  it('gradcheck with scales and a row-major mat2, and beta 0', () => {
    const scaled = (i: Tensor, a: Tensor, m: Tensor): Tensor =>
      addmm(i, a, m, { beta: -1.5, alpha: 0.25 });
    expect(gradcheck(scaled, [seq([4], 0.29), seq([3, 2]), seq([2, 4], 0.53)])).toBe(true);
    const [gi] = grad(addmm(seq([4]), seq([3, 2]), seq([2, 4]), { beta: 0 }).sum(), [seq([4])], {
      allowUnused: true,
    });
    expect(gi).toBe(null);
    const i = seq([4]);
    const [g0] = grad(addmm(i, seq([3, 2]), seq([2, 4]), { beta: 0 }).sum(), [i]);
    expect(g0!.toArray()).toEqual([0, 0, 0, 0]);
  });

  it('names a wrong argument before anything is recorded', () => {
    const a = seq([3, 2]);
    expect(() => addmm(seq([4]), a, [[1]] as unknown as Tensor)).toThrow(
      'addmm: mat2 must be a Tensor, got an array [[...]]',
    );
    expect(() => addmm(seq([4]), a, seq([2, 4]), { beta: '2' } as never)).toThrow(
      /addmm: beta must be a number/,
    );
    expect(() => addmm(seq([4]), a, seq([2, 4]), { gamma: 1 } as never)).toThrow(/gamma/);
  });
});
