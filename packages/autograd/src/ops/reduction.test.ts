/**
 * Gradients of the reductions (REDUCTIONS, SOFTMAX): gradcheck in float64 over every dim and
 * keepdim, second-order checks, and PyTorch's conventions for ties, zeros and picked indices
 * (values from torch.autograd.grad, PyTorch 1.13, float64).
 */
import type { TensorData } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../index.js';
import {
  arange,
  grad,
  logSoftmax,
  logsumexp,
  mean,
  randn,
  softmax,
  sum,
  tensor,
} from '../index.js';
import { gradcheck } from '../gradcheck.js';

const x64 = (data: TensorData): Tensor => tensor(data, { dtype: 'float64', requiresGrad: true });

/** Deterministic, distinct, non-zero float64 values in `shape` (requires grad). */
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

/** The gradients of `f(xs).sum()` as nested arrays. */
function grads(f: (...xs: Tensor[]) => Tensor, ...xs: Tensor[]): unknown[] {
  return grad(f(...xs).sum(), xs).map((g) => g!.toArray());
}

/** Each way to pick dims of a [2, 3, 2] tensor, with and without keepdim. */
const DIMS: (number | number[] | null)[] = [null, 0, 1, 2, -1, [0, 2], [-1, 0, 1]];

describe('sum / mean', () => {
  for (const dim of DIMS) {
    for (const keepdim of [false, true]) {
      it(`dim ${JSON.stringify(dim)} keepdim ${keepdim}`, () => {
        expect(gradcheck((x) => x.sum(dim, keepdim), [seq([2, 3, 2])])).toBe(true);
        expect(gradcheck((x) => x.mean(dim, keepdim), [seq([2, 3, 2])])).toBe(true);
      });
    }
  }
  it('0-d input, and the function forms', () => {
    expect(gradcheck((x) => x.sum(), [x64(1.5)])).toBe(true);
    expect(gradcheck((x) => x.mean(0), [x64(1.5)])).toBe(true);
    expect(gradcheck((x) => sum(x, 1, true).mul(mean(x, [0])), [seq([2, 3])])).toBe(true);
  });
  it('gradFn names follow PyTorch', () => {
    expect(seq([2]).sum().gradFn!.name).toBe('SumBackward0');
    expect(seq([2]).sum(0).gradFn!.name).toBe('SumBackward1');
    expect(seq([2]).mean().gradFn!.name).toBe('MeanBackward0');
    expect(seq([2]).mean(0).gradFn!.name).toBe('MeanBackward1');
  });
});

describe('prod', () => {
  for (const dim of DIMS) {
    it(`dim ${JSON.stringify(dim)}`, () => {
      expect(gradcheck((x) => x.prod(dim), [seq([2, 3, 2])])).toBe(true);
      expect(gradcheck((x) => x.prod(dim, true), [seq([2, 3, 2])])).toBe(true);
    });
  }
  // prod is a polynomial: smooth at zeros, so finite differences apply there too.
  it('with one zero and with two zeros in a reduced slice', () => {
    expect(gradcheck((x) => x.prod(), [x64([2, 0, 3, 0.5])])).toBe(true);
    expect(gradcheck((x) => x.prod(), [x64([2, 0, 3, 0])])).toBe(true);
    const x = [
      [2, 0, 3],
      [0, 0, 5],
      [1, 2, 3],
      [0, 0, 0],
    ];
    expect(gradcheck((t) => t.prod(1), [x64(x)])).toBe(true);
    expect(gradcheck((t) => t.prod(0, true), [x64(x)])).toBe(true);
  });
  it('with zeros, the values PyTorch gives', () => {
    expect(grads((x) => x.prod(), x64([2, 0, 3, 4]))).toEqual([[0, 24, 0, 0]]);
    expect(grads((x) => x.prod(), x64([2, 0, 3, 0]))).toEqual([[0, 0, 0, 0]]);
    expect(
      grads(
        (x) => x.prod(1),
        x64([
          [2, 0, 3],
          [0, 0, 5],
          [1, 2, 3],
        ]),
      ),
    ).toEqual([
      [
        [0, 6, 0],
        [0, 0, 0],
        [6, 3, 2],
      ],
    ]);
  });
  it('second order, without zeros, with one zero and with two zeros', () => {
    expect(gradgradcheck((x) => x.prod(1), [seq([2, 3])])).toBe(true);
    expect(gradgradcheck((x) => x.prod(), [x64([2, 0, 3, 0.5])])).toBe(true);
    expect(gradgradcheck((x) => x.prod(), [x64([2, 0, 3, 0])])).toBe(true);
    expect(
      gradgradcheck(
        (x) => x.prod(1),
        [
          x64([
            [2, 0, 3],
            [0, 0, 5],
            [0.5, 0, 0],
          ]),
        ],
      ),
    ).toBe(true);
    // PyTorch: d/dx sum(d prod(x, 1)/dx) = [[3, 5, 2], [5, 5, 0]].
    const x = x64([
      [2, 0, 3],
      [0, 0, 5],
    ]);
    const [g] = grad(x.prod(1).sum(), x, { createGraph: true });
    expect(grad(g!.sum(), x)[0]!.toArray()).toEqual([
      [3, 5, 2],
      [5, 5, 0],
    ]);
  });
  it('0-d input', () => {
    expect(gradcheck((x) => x.prod(), [x64(1.5)])).toBe(true);
    expect(grads((x) => x.prod(), x64(0))).toEqual([1]);
  });
});

describe('amax / amin / max / min', () => {
  for (const dim of DIMS) {
    it(`amax / amin dim ${JSON.stringify(dim)}, without ties`, () => {
      expect(gradcheck((x) => x.amax(dim), [seq([2, 3, 2])])).toBe(true);
      expect(gradcheck((x) => x.amin(dim, true), [seq([2, 3, 2])])).toBe(true);
    });
  }
  it('max(dim) / min(dim) along each dim, keepdim both ways', () => {
    for (const dim of [0, 1, 2, -1]) {
      for (const keepdim of [false, true]) {
        expect(gradcheck((x) => x.max(dim, keepdim).values, [seq([2, 3, 2])])).toBe(true);
        expect(gradcheck((x) => x.min(dim, keepdim).values, [seq([2, 3, 2])])).toBe(true);
      }
    }
    expect(gradcheck((x) => x.max(0).values, [x64(1.5)])).toBe(true);
  });
  it('max() / min() of everything', () => {
    expect(gradcheck((x) => x.max(), [seq([2, 3])])).toBe(true);
    expect(gradcheck((x) => x.min(), [seq([2, 3])])).toBe(true);
    expect(seq([2]).max().gradFn!.name).toBe('MaxBackward1');
    expect(seq([2]).max(0).values.gradFn!.name).toBe('MaxBackward0');
  });

  const T = [
    [1, 3, 3],
    [2, 2, 0],
  ];
  it('amax / amin / max() split ties evenly (PyTorch)', () => {
    expect(grads((x) => x.amax(1), x64(T))).toEqual([
      [
        [0, 0.5, 0.5],
        [0.5, 0.5, 0],
      ],
    ]);
    expect(grads((x) => x.amin(1), x64(T))).toEqual([
      [
        [1, 0, 0],
        [0, 0, 1],
      ],
    ]);
    expect(grads((x) => x.amax(0), x64(T))).toEqual([
      [
        [0, 1, 1],
        [1, 0, 0],
      ],
    ]);
    expect(grads((x) => x.amax(), x64(T))).toEqual([
      [
        [0, 0.5, 0.5],
        [0, 0, 0],
      ],
    ]);
    expect(grads((x) => x.max(), x64(T))).toEqual([
      [
        [0, 0.5, 0.5],
        [0, 0, 0],
      ],
    ]);
    expect(grads((x) => x.min(), x64(T))).toEqual([
      [
        [0, 0, 0],
        [0, 0, 1],
      ],
    ]);
  });
  it('max(dim) / min(dim) give the whole gradient to the picked index (PyTorch)', () => {
    const x = x64(T);
    const r = x.max(1);
    expect(r.indices.toArray()).toEqual([1, 0]);
    expect(grad(r.values.sum(), x)[0]!.toArray()).toEqual([
      [0, 1, 0],
      [1, 0, 0],
    ]);
    const m = x.min(1);
    expect(m.indices.toArray()).toEqual([0, 2]);
    expect(grad(m.values.sum(), x)[0]!.toArray()).toEqual([
      [1, 0, 0],
      [0, 0, 1],
    ]);
    expect(grads((t) => t.max(0, true).values, x64(T))).toEqual([
      [
        [0, 1, 1],
        [1, 0, 0],
      ],
    ]);
  });
  it('second order', () => {
    expect(gradgradcheck((x) => x.amax(1).square(), [seq([2, 3])])).toBe(true);
    expect(gradgradcheck((x) => x.max(0).values.mul(x.min(0).values), [seq([2, 3])])).toBe(true);
  });
});

describe('var / std', () => {
  for (const correction of [0, 1]) {
    for (const dim of DIMS) {
      it(`correction ${correction}, dim ${JSON.stringify(dim)}`, () => {
        expect(gradcheck((x) => x.var(dim, { correction }), [seq([2, 3, 2])])).toBe(true);
        expect(gradcheck((x) => x.std(dim, { correction, keepdim: true }), [seq([2, 3, 2])])).toBe(
          true,
        );
      });
    }
  }
  it('default correction is 1; the values PyTorch gives', () => {
    const [g] = grads((x) => x.std(), x64([1, 2, 4])) as number[][];
    const want = [-0.43643578047198484, -0.10910894511799625, 0.5455447255899809];
    g!.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 14));
    const [h] = grads((x) => x.std(null, { correction: 0 }), x64([1, 2, 4])) as number[][];
    const want0 = [-0.35634832254989923, -0.08908708063747484, 0.44543540318737396];
    h!.forEach((v, i) => expect(v).toBeCloseTo(want0[i]!, 14));
  });
  it('second order', () => {
    expect(gradgradcheck((x) => x.var(1), [seq([2, 3])])).toBe(true);
    expect(gradgradcheck((x) => x.var(null, { correction: 0 }), [seq([2, 3])])).toBe(true);
    expect(gradgradcheck((x) => x.std(0), [seq([2, 3])])).toBe(true);
  });
});

describe('logsumexp', () => {
  for (const dim of [0, 1, 2, -1, [0, 2]]) {
    it(`dim ${JSON.stringify(dim)}`, () => {
      expect(gradcheck((x) => x.logsumexp(dim), [seq([2, 3, 2])])).toBe(true);
      expect(gradcheck((x) => logsumexp(x, dim, true), [seq([2, 3, 2])])).toBe(true);
    });
  }
  it('large values stay finite (PyTorch: [0.5, 0.5])', () => {
    const [g] = grads((x) => x.logsumexp(0), x64([1000, 1000])) as number[][];
    expect(g![0]).toBeCloseTo(0.5, 12);
    expect(g![1]).toBeCloseTo(0.5, 12);
  });
  it('second order', () => {
    expect(gradgradcheck((x) => x.logsumexp(1), [seq([2, 3])])).toBe(true);
  });
});

describe('norm', () => {
  for (const p of [1, 2, 3, 1.5, Infinity, -Infinity, 'fro'] as const) {
    it(`p = ${p}`, () => {
      expect(gradcheck((x) => x.norm(p), [seq([2, 3])])).toBe(true);
      expect(gradcheck((x) => x.norm(p, 1), [seq([2, 3])])).toBe(true);
      expect(gradcheck((x) => x.norm(p, [0, -1], true), [seq([2, 3, 2])])).toBe(true);
      expect(gradcheck((x) => x.norm(p, 0, true), [seq([2, 3])])).toBe(true);
    });
  }
  it('at 0 the gradient is 0 (PyTorch), for p = 1, 2 and fro', () => {
    const rows = [
      [0, 0],
      [1, 2],
    ];
    expect(grads((x) => x.norm(), x64([0, 0]))).toEqual([[0, 0]]);
    expect(grads((x) => x.norm('fro'), x64([0, 0]))).toEqual([[0, 0]]);
    expect(grads((x) => x.norm(1), x64([0, 0]))).toEqual([[0, 0]]);
    const [g] = grads((x) => x.norm(2, 1), x64(rows)) as number[][][];
    expect(g![0]).toEqual([0, 0]);
    expect(g![1]![0]).toBeCloseTo(0.4472135954999579, 14);
    expect(g![1]![1]).toBeCloseTo(0.8944271909999159, 14);
  });
  it('inf-norm ties split evenly (PyTorch)', () => {
    expect(grads((x) => x.norm(Infinity), x64([-3, 3, 1]))).toEqual([[-0.5, 0.5, 0]]);
    expect(grads((x) => x.norm(-Infinity), x64([-3, 3, 1]))).toEqual([[-0, 0, 1]]);
  });
  it('second order', () => {
    expect(gradgradcheck((x) => x.norm(), [seq([2, 3])])).toBe(true);
    expect(gradgradcheck((x) => x.norm(2, 1), [seq([2, 3])])).toBe(true);
    expect(gradgradcheck((x) => x.norm(3, 0), [seq([2, 3])])).toBe(true);
  });
});

describe('cumsum', () => {
  for (const dim of [0, 1, 2, -1, -3]) {
    it(`dim ${dim}`, () => {
      expect(gradcheck((x) => x.cumsum(dim), [seq([2, 3, 2])])).toBe(true);
    });
  }
  it('0-d input, and second order', () => {
    expect(gradcheck((x) => x.cumsum(0), [x64(1.5)])).toBe(true);
    expect(gradgradcheck((x) => x.square().cumsum(1), [seq([2, 3])])).toBe(true);
  });
});

describe('softmax / logSoftmax', () => {
  for (const dim of [0, 1, 2, -1, -2]) {
    it(`dim ${dim}`, () => {
      expect(gradcheck((x) => x.softmax(dim), [seq([2, 3, 2])])).toBe(true);
      expect(gradcheck((x) => x.logSoftmax(dim), [seq([2, 3, 2])])).toBe(true);
    });
  }
  it('function forms, a 1-d input and large values', () => {
    expect(gradcheck((x) => softmax(x, 0), [seq([4])])).toBe(true);
    expect(gradcheck((x) => logSoftmax(x, 0), [seq([4])])).toBe(true);
    expect(gradcheck((x) => x.logSoftmax(0), [x64([1000, 1001, 999])])).toBe(true);
    expect(gradcheck((x) => x.softmax(0), [x64([1000, 1001, 999])])).toBe(true);
  });
  it('second order', () => {
    for (const dim of [0, 1, -1]) {
      expect(gradgradcheck((x) => x.softmax(dim), [seq([2, 3])])).toBe(true);
      expect(gradgradcheck((x) => x.logSoftmax(dim), [seq([2, 3])])).toBe(true);
    }
  });
  it('cross entropy through logSoftmax and an index (PyTorch: softmax - onehot, / n)', () => {
    const logits = x64([
      [1, 2, 3],
      [0.5, -1, 2],
    ]);
    const labels = tensor([2, 0], { dtype: 'int32' });
    const loss = logits.logSoftmax(1).index(arange(2), labels).mean().neg();
    const [g] = grad(loss, logits);
    const want = [
      [0.04501528658519022, 0.12236423552739882, -0.1673795221125891],
      [-0.41235480392998164, 0.019556286635343725, 0.39279851729463794],
    ];
    (g!.toArray() as number[][]).forEach((row, i) =>
      row.forEach((v, j) => expect(v).toBeCloseTo(want[i]![j]!, 14)),
    );
  });
});

describe('second order of sum / mean in a product', () => {
  it('sum and mean', () => {
    expect(gradgradcheck((x) => x.sum(1).square(), [seq([2, 3])])).toBe(true);
    expect(gradgradcheck((x) => x.mean([0, 1], true).mul(x), [seq([2, 3])])).toBe(true);
    expect(gradgradcheck((x) => x.square().sum(), [seq([2, 3])])).toBe(true);
  });
});

describe('std and p-norms at zero follow PyTorch (gradient 0, not NaN)', () => {
  it('std of a constant slice has zero gradient; gradFn is StdBackward0', () => {
    const x = tensor([1, 1], { dtype: 'float64', requiresGrad: true });
    expect(grad(x.std(), x)[0]!.toArray()).toEqual([0, 0]);
    expect(x.std().gradFn!.name).toBe('StdBackward0');
    const z = randn([3, 4], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((t) => t.std(1), [z])).toBe(true);
    expect(gradcheck((t) => t.std(null, { correction: 0 }), [z])).toBe(true);
  });

  it('norm(p) at a zero vector has zero gradient, for p = 1.5, 3 and 0', () => {
    const y = tensor([0, 0], { dtype: 'float64', requiresGrad: true });
    expect(grad(y.norm(1.5), y)[0]!.toArray()).toEqual([0, 0]);
    expect(grad(y.norm(3), y)[0]!.toArray()).toEqual([0, 0]);
    expect(grad(y.norm(0), y)[0]!.toArray()).toEqual([0, 0]);
    const z = randn([3, 4], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((t) => t.norm(3, 1), [z])).toBe(true);
  });
});
