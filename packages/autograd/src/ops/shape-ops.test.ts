/**
 * Gradients of the shape ops (VIEWS, COPIES, INDEXING, and the embed/region helpers behind the
 * slicing views): gradcheck in float64, second-order checks, and PyTorch's values for
 * duplicate indices (torch.autograd.grad, PyTorch 1.13).
 */
import type { NDArray, TensorData } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../index.js';
import { arange, cat, grad, runOp, stack, tensor } from '../index.js';
import { gradcheck } from '../gradcheck.js';
import { VIEWS, embed } from './shape-ops.js';

const c64 = (data: TensorData): Tensor => tensor(data, { dtype: 'float64' });
const i32 = (data: TensorData): Tensor => tensor(data, { dtype: 'int32' });
const bool = (data: TensorData): Tensor => tensor(data, { dtype: 'bool' });

/** Deterministic, distinct float64 values in `shape` (requires grad). */
function seq(shape: number[], scale = 0.37): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return arange(n, { dtype: 'float64' })
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

/** Gradients of `f(xs)` weighted by `w` (the same arbitrary weights for every output element). */
function weighted(y: Tensor): Tensor {
  return y.mul(seq([...y.shape], 0.83).detach()).sum();
}

describe('views', () => {
  const cases: [string, (x: Tensor) => Tensor, number[]][] = [
    ['view', (x) => x.view(3, 4), [2, 6]],
    ['view with -1', (x) => x.view([-1, 2]), [2, 3]],
    ['reshape (a view)', (x) => x.reshape(6), [2, 3]],
    ['reshape of a non-contiguous tensor (a copy)', (x) => x.t().reshape(6), [2, 3]],
    ['reshape to 0-d and back', (x) => x.reshape([]).reshape([1, 1]), [1]],
    [
      'viewAs / reshapeAs',
      (x) => x.viewAs(c64([[1, 2, 3, 4, 5, 6]])).mul(x.reshapeAs(c64([[1, 2, 3, 4, 5, 6]]))),
      [2, 3],
    ],
    ['transpose', (x) => x.transpose(0, 2), [2, 3, 4]],
    ['transpose with negative dims', (x) => x.transpose(-1, -3), [2, 3, 4]],
    ['permute', (x) => x.permute(2, 0, 1), [2, 3, 4]],
    ['permute with negative dims', (x) => x.permute([-1, -3, -2]), [2, 3, 4]],
    ['t of a matrix', (x) => x.t(), [2, 3]],
    ['t of a vector', (x) => x.t(), [3]],
    ['T', (x) => x.T, [2, 3, 4]],
    ['mT', (x) => x.mT, [2, 3, 4]],
    ['expand', (x) => x.expand(2, 3), [1, 3]],
    ['expand with new leading dims and -1', (x) => x.expand([4, 2, -1]), [2, 1]],
    ['expand of a 0-d tensor', (x) => x.expand([2, 2]), []],
    [
      'expandAs',
      (x) =>
        x.expandAs(
          c64([
            [1, 2],
            [3, 4],
            [5, 6],
          ]),
        ),
      [3, 1],
    ],
    ['squeeze (all)', (x) => x.squeeze(), [1, 3, 1]],
    ['squeeze(dim)', (x) => x.squeeze(2), [1, 3, 1]],
    ['squeeze(dims)', (x) => x.squeeze([0, -1]), [1, 3, 1]],
    ['squeeze of a dim that is not 1', (x) => x.squeeze(1), [1, 3, 1]],
    ['unsqueeze', (x) => x.unsqueeze(1), [2, 3]],
    ['unsqueeze(-1)', (x) => x.unsqueeze(-1), [2, 3]],
    ['flatten', (x) => x.flatten(), [2, 3, 2]],
    ['flatten(1)', (x) => x.flatten(1), [2, 3, 2]],
    ['flatten(0, 1) of a transposed tensor', (x) => x.transpose(0, 2).flatten(0, 1), [2, 3, 2]],
    ['unflatten', (x) => x.unflatten(1, [2, 3]), [2, 6]],
    ['unflatten with -1', (x) => x.unflatten(-1, [-1, 2]), [2, 6]],
    ['narrow', (x) => x.narrow(1, 1, 2), [2, 4]],
    ['narrow with a negative dim and start', (x) => x.narrow(-1, -3, 2), [2, 4]],
    ['select', (x) => x.select(0, 1), [2, 3]],
    ['select with a negative index', (x) => x.select(1, -1), [2, 3]],
    ['slice', (x) => x.slice(1, 1, 3), [2, 5]],
    ['slice with step 2', (x) => x.slice(1, null, null, 2), [2, 5]],
    ['slice with step 3 and bounds', (x) => x.slice(0, 1, 7, 3), [8]],
    ['slice with negative bounds', (x) => x.slice(-1, -4, -1), [2, 5]],
    ['slice past the end', (x) => x.slice(0, 1, 100, 2), [5]],
    ['slice of a slice', (x) => x.slice(0, 1).slice(0, null, null, 2), [7]],
    ['movedim', (x) => x.movedim(0, 2), [2, 3, 4]],
    ['movedim with lists', (x) => x.movedim([0, 1], [2, 0]), [2, 3, 4]],
    ['movedim with negative dims', (x) => x.movedim(-1, 0), [2, 3, 4]],
  ];
  for (const [name, f, shape] of cases) {
    it(name, () => {
      expect(gradcheck(f, [seq(shape)])).toBe(true);
    });
  }

  it('views feeding a computation that saves them', () => {
    expect(gradcheck((x) => x.t().mul(x.t()).narrow(0, 1, 2).exp(), [seq([2, 3])])).toBe(true);
    expect(gradcheck((x) => x.select(1, 0).mul(x.select(1, 2)), [seq([2, 3])])).toBe(true);
  });

  it('the slicing views write their gradient into a zero tensor of the input shape', () => {
    const x = seq([2, 5]);
    const [g] = grad(x.slice(1, 1, null, 2).sum(), x);
    expect(g!.toArray()).toEqual([
      [0, 1, 0, 1, 0],
      [0, 1, 0, 1, 0],
    ]);
    const [h] = grad(
      x
        .select(0, -1)
        .sum()
        .add(x.narrow(1, 3, 2).sum()),
      x,
    );
    expect(h!.toArray()).toEqual([
      [0, 0, 0, 1, 1],
      [1, 1, 1, 2, 2],
    ]);
  });

  it('second order through views (embed, and region as its gradient)', () => {
    expect(gradgradcheck((x) => x.slice(1, null, null, 2).square(), [seq([2, 5])])).toBe(true);
    expect(gradgradcheck((x) => x.narrow(0, 1, 2).mul(x.select(0, 0)), [seq([3, 2])])).toBe(true);
    expect(gradgradcheck((x) => x.permute(1, 0).expand(2, 3, 2).square(), [seq([2, 3])])).toBe(
      true,
    );
    expect(gradgradcheck((x) => x.view(6).unsqueeze(0).squeeze().exp(), [seq([2, 3])])).toBe(true);
  });

  it('alias and embed (no public method: called from the table)', () => {
    expect(gradcheck((x) => runOp(VIEWS, 'alias', [x], {}), [seq([2, 3])])).toBe(true);
    expect(runOp(VIEWS, 'alias', [seq([2])], {}).gradFn!.name).toBe('AliasBackward0');
    const region = (base: NDArray): NDArray => base.slice(1, 0, null, 2).select(0, 1);
    expect(gradcheck((g) => embed(g, [2, 3], region), [seq([2])])).toBe(true);
    const g = tensor([5, 7], { dtype: 'float64' });
    expect(embed(g, [2, 3], region).toArray()).toEqual([
      [0, 0, 0],
      [5, 0, 7],
    ]);
    expect(gradgradcheck((g) => embed(g.square(), [2, 3], region), [seq([2])])).toBe(true);
  });

  it('third order through slice (region backward is embed again)', () => {
    const v = seq([3], 0.5);
    const w = seq([5], 0.7);
    const third = (x: Tensor, vv: Tensor, ww: Tensor): Tensor => {
      const [g] = grad(x.slice(0, 1, null, 2).pow(3), x, { gradOutputs: vv, createGraph: true });
      const [gg] = grad(g!, x, { gradOutputs: ww, createGraph: true });
      return gg!;
    };
    expect(gradcheck((x, vv, ww) => third(x, vv.narrow(0, 0, 2), ww), [seq([5]), v, w])).toBe(true);
  });
});

describe('index', () => {
  it('numbers, slice strings, Slice objects, null and the ellipsis', () => {
    const x = (): Tensor => seq([3, 4, 2]);
    expect(gradcheck((t) => t.index(1), [x()])).toBe(true);
    expect(gradcheck((t) => t.index(-1, 2), [x()])).toBe(true);
    expect(gradcheck((t) => t.index(':', '1:3'), [x()])).toBe(true);
    expect(gradcheck((t) => t.index('::2', '1:', 0), [x()])).toBe(true);
    expect(gradcheck((t) => t.index({ start: 1, end: null, step: 2 }), [x()])).toBe(true);
    expect(gradcheck((t) => t.index(null, 1, null), [x()])).toBe(true);
    expect(gradcheck((t) => t.index('...', 1), [x()])).toBe(true);
    expect(gradcheck((t) => t.index(0, '...', null), [x()])).toBe(true);
  });

  it('int tensors, with duplicates, negative entries and broadcasting', () => {
    const x = (): Tensor => seq([3, 4]);
    expect(gradcheck((t) => t.index(i32([2, 0, 2])), [x()])).toBe(true);
    expect(gradcheck((t) => t.index(':', i32([-1, 1, 1])), [x()])).toBe(true);
    expect(gradcheck((t) => t.index(i32([0, 2, 2]), i32([3, 0, 3])), [x()])).toBe(true);
    expect(gradcheck((t) => t.index(i32([[0], [2]]), i32([1, 3, 1])), [x()])).toBe(true);
    expect(gradcheck((t) => t.index(i32(1), i32([0, 3])), [x()])).toBe(true);
    // Advanced indices separated by a slice move to the front (PyTorch's rule).
    expect(gradcheck((t) => t.index(i32([0, 1]), ':', i32([1, 1])), [seq([2, 3, 2])])).toBe(true);
  });

  it('logp.index(arange(n), labels): picking one entry per row', () => {
    const logits = seq([4, 3]);
    const labels = i32([2, 0, 1, 2]);
    expect(gradcheck((t) => t.logSoftmax(1).index(arange(4), labels).mean().neg(), [logits])).toBe(
      true,
    );
    const [g] = grad(logits.index(arange(4), labels).sum(), logits);
    expect(g!.toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
  });

  it('bool masks: full-shape, over leading dims, 1-d along a later dim, and 0-d', () => {
    const x = (): Tensor => seq([2, 3]);
    const mask = bool([
      [true, false, true],
      [false, true, true],
    ]);
    expect(gradcheck((t) => t.index(mask), [x()])).toBe(true);
    expect(gradcheck((t) => t.index(bool([false, true])), [x()])).toBe(true);
    expect(gradcheck((t) => t.index(':', bool([true, false, true])), [x()])).toBe(true);
    expect(gradcheck((t) => t.index(bool(true)), [x()])).toBe(true);
    const computed = x().detach().gt(0.5); // a mask computed from values, fixed during the check
    expect(gradcheck((t) => t.index(computed), [x()])).toBe(true);
  });

  it('second order', () => {
    expect(gradgradcheck((t) => t.index(i32([2, 0, 2]), '1:').square(), [seq([3, 3])])).toBe(true);
    expect(
      gradgradcheck((t) => t.index(bool([true, false, true])).mul(t.index(0)), [seq([3, 2])]),
    ).toBe(true);
  });

  it('duplicate indices accumulate (PyTorch: [[2,2],[0,0],[1,1]])', () => {
    const x = seq([3, 2]);
    const [g] = grad(x.index(i32([0, 2, 0, 0, 2])).sum(), x);
    expect(g!.toArray()).toEqual([
      [3, 3],
      [0, 0],
      [2, 2],
    ]);
  });
});

describe('indexPut', () => {
  it('without accumulate: overwritten positions get no gradient from x', () => {
    for (const specs of [
      [i32([0, 2])],
      [':', i32([1])],
      [bool([true, false, true])],
      [1],
      ['1:'],
    ]) {
      const shapeOfValues = [...seq([3, 2]).index(...specs).shape];
      expect(
        gradcheck((x, v) => x.indexPut(specs, v), [seq([3, 2]), seq(shapeOfValues, 0.9)]),
      ).toBe(true);
    }
    const x = seq([3, 2]);
    const v = seq([2, 2], 0.9);
    const [gx, gv] = grad(weighted(x.indexPut([i32([0, 2])], v)), [x, v]);
    expect(gx!.index(0).toArray()).toEqual([0, 0]);
    expect(gx!.index(2).toArray()).toEqual([0, 0]);
    expect(gv!.shape).toEqual([2, 2]);
  });

  it('with accumulate, duplicates included', () => {
    const specs = [i32([0, 2, 0])];
    expect(gradcheck((x, v) => x.indexPut(specs, v, true), [seq([3, 2]), seq([3, 2], 0.9)])).toBe(
      true,
    );
    expect(
      gradcheck(
        (x, v) => x.indexPut([i32([1, 1]), i32([0, 0])], v, true),
        [seq([3, 2]), seq([2], 0.9)],
      ),
    ).toBe(true);
  });

  it('values broadcast to the indexed shape get their gradient summed', () => {
    expect(gradcheck((x, v) => x.indexPut([i32([0, 2])], v), [seq([3, 2]), seq([2], 0.9)])).toBe(
      true,
    );
    expect(
      gradcheck(
        (x, v) => x.indexPut([bool([true, false, true])], v, true),
        [seq([3, 2]), seq([], 0.9)],
      ),
    ).toBe(true);
    expect(gradcheck((x) => x.indexPut([i32([1])], 5), [seq([3, 2])])).toBe(true);
  });

  it('second order', () => {
    expect(
      gradgradcheck(
        (x, v) => x.square().indexPut([i32([0, 2])], v.exp()),
        [seq([3, 2]), seq([2], 0.9)],
      ),
    ).toBe(true);
    expect(
      gradgradcheck(
        (x, v) => x.square().indexPut([i32([0, 0])], v.exp(), true),
        [seq([3, 2]), seq([2], 0.9)],
      ),
    ).toBe(true);
  });
});

describe('gather / scatter / scatterAdd / indexSelect / maskedFill / maskedSelect', () => {
  it('gather along each dim, with repeated indices', () => {
    const x = (): Tensor => seq([3, 4]);
    expect(
      gradcheck(
        (t) =>
          t.gather(
            0,
            i32([
              [0, 2, 2, 1],
              [1, 1, 0, 2],
            ]),
          ),
        [x()],
      ),
    ).toBe(true);
    expect(
      gradcheck(
        (t) =>
          t.gather(
            1,
            i32([
              [3, 3],
              [0, 1],
              [2, 0],
            ]),
          ),
        [x()],
      ),
    ).toBe(true);
    expect(gradcheck((t) => t.gather(-1, i32([[3], [0], [2]])), [x()])).toBe(true);
  });

  it('scatter of a tensor (no duplicate targets) and of a scalar', () => {
    const idx = i32([
      [2, 0, 1],
      [0, 1, 2],
    ]);
    expect(gradcheck((x, s) => x.scatter(0, idx, s), [seq([3, 3]), seq([2, 3], 0.9)])).toBe(true);
    expect(
      gradcheck((x, s) => x.scatter(1, i32([[1], [0], [2]]), s), [seq([3, 3]), seq([3, 1], 0.9)]),
    ).toBe(true);
    // A src larger than the index: PyTorch 1.13's backward fails the same way (gather gives the
    // index's shape).
    const big = seq([3, 2], 0.9);
    expect(() =>
      grad(
        seq([3, 3])
          .scatter(1, i32([[1], [0], [2]]), big)
          .sum(),
        big,
      ),
    ).toThrow(
      /ScatterBackward0 returned an invalid gradient at index \d - got \[3, 1\] but expected shape compatible with \[3, 2\]/,
    );
    expect(gradcheck((x) => x.scatter(0, idx, 2.5), [seq([3, 3])])).toBe(true);
    const x = seq([3, 3]);
    const [g] = grad(x.scatter(1, i32([[1], [0], [2]]), 7).sum(), x);
    expect(g!.toArray()).toEqual([
      [1, 0, 1],
      [0, 1, 1],
      [1, 1, 0],
    ]);
  });

  it('scatterAdd with duplicates', () => {
    const idx = i32([
      [0, 0, 2],
      [0, 1, 2],
    ]);
    expect(gradcheck((x, s) => x.scatterAdd(0, idx, s), [seq([3, 3]), seq([2, 3], 0.9)])).toBe(
      true,
    );
    expect(
      gradcheck((x, s) => x.scatterAdd(1, i32([[2, 2]]), s), [seq([2, 3]), seq([1, 2], 0.9)]),
    ).toBe(true);
  });

  it('indexSelect along each dim, with duplicates and a negative dim', () => {
    expect(gradcheck((x) => x.indexSelect(0, i32([2, 0, 2])), [seq([3, 2])])).toBe(true);
    expect(gradcheck((x) => x.indexSelect(1, i32([1, 1])), [seq([3, 2])])).toBe(true);
    expect(gradcheck((x) => x.indexSelect(-1, i32([0, 2, 1, 0])), [seq([2, 2, 3])])).toBe(true);
  });

  it('maskedFill with a full and a broadcast mask', () => {
    const mask = bool([
      [true, false, true],
      [false, false, true],
    ]);
    expect(gradcheck((x) => x.maskedFill(mask, -1), [seq([2, 3])])).toBe(true);
    expect(gradcheck((x) => x.maskedFill(bool([false, true, false]), 0), [seq([2, 3])])).toBe(true);
  });

  it('maskedFill with a mask larger than the input broadcasts the result (PyTorch: grad [1, 2, 1])', () => {
    const mask = bool([
      [true, false, true],
      [false, false, false],
    ]);
    expect(gradcheck((x) => x.maskedFill(mask, 0), [seq([3])])).toBe(true);
    const x = seq([3]);
    const y = x.maskedFill(mask, 0);
    expect(y.shape).toEqual([2, 3]);
    expect(grad(y.sum(), x)[0]!.toArray()).toEqual([1, 2, 1]);
  });

  it('maskedSelect with a full mask, a broadcast mask, and a mask larger than the input', () => {
    const mask = bool([
      [true, false, true],
      [false, true, true],
    ]);
    expect(gradcheck((x) => x.maskedSelect(mask), [seq([2, 3])])).toBe(true);
    expect(gradcheck((x) => x.maskedSelect(bool([true, false, true])), [seq([2, 3])])).toBe(true);
    expect(gradcheck((x) => x.maskedSelect(mask), [seq([3])])).toBe(true);
    const x = seq([3]);
    const [g] = grad(x.maskedSelect(mask).sum(), x);
    expect(g!.toArray()).toEqual([1, 1, 2]);
  });

  it('second order', () => {
    expect(
      gradgradcheck(
        (x) =>
          x
            .gather(
              1,
              i32([
                [1, 1],
                [0, 1],
              ]),
            )
            .square(),
        [seq([2, 2])],
      ),
    ).toBe(true);
    expect(
      gradgradcheck(
        (x, s) => x.square().scatter(0, i32([[1, 0]]), s.exp()),
        [seq([2, 2]), seq([1, 2], 0.9)],
      ),
    ).toBe(true);
    expect(
      gradgradcheck(
        (x, s) => x.square().scatterAdd(0, i32([[1, 1]]), s.exp()),
        [seq([2, 2]), seq([1, 2], 0.9)],
      ),
    ).toBe(true);
    expect(gradgradcheck((x) => x.indexSelect(0, i32([1, 1, 0])).square(), [seq([2, 2])])).toBe(
      true,
    );
    expect(gradgradcheck((x) => x.maskedFill(bool([true, false]), 2).square(), [seq([2, 2])])).toBe(
      true,
    );
  });
});

describe('joins and splits', () => {
  it('cat along each dim, with a negative dim, of different lengths', () => {
    expect(gradcheck((a, b) => cat([a, b]), [seq([2, 3]), seq([1, 3], 0.9)])).toBe(true);
    expect(
      gradcheck((a, b, c) => cat([a, b, c], 1), [seq([2, 1]), seq([2, 3], 0.9), seq([2, 2], 0.2)]),
    ).toBe(true);
    expect(gradcheck((a, b) => cat([a, b], -1), [seq([2, 2, 1]), seq([2, 2, 2], 0.9)])).toBe(true);
    expect(gradcheck((a) => cat([a]), [seq([3])])).toBe(true);
  });

  it('cat with an input that does not require grad, and with the same input twice', () => {
    expect(gradcheck((a) => cat([c64([[9, 9, 9]]), a, c64([[8, 8, 8]])]), [seq([2, 3])])).toBe(
      true,
    );
    expect(gradcheck((a) => cat([a, a.exp(), a], 1), [seq([2, 2])])).toBe(true);
  });

  it('cat skips a legacy empty [0] input, also first and with a negative dim', () => {
    const empty = (): Tensor => tensor([], { dtype: 'float64' });
    expect(gradcheck((a, b) => cat([a, empty(), b], 1), [seq([2, 2]), seq([2, 1], 0.9)])).toBe(
      true,
    );
    expect(gradcheck((a, b) => cat([empty(), a, b], -1), [seq([2, 2]), seq([2, 1], 0.9)])).toBe(
      true,
    );
    // PyTorch: torch.cat([torch.tensor([]), a, b], -1) gives a [[1, 2], [4, 5]] and b [[3], [6]].
    const a = seq([2, 2]);
    const b = seq([2, 1]);
    const y = cat([empty(), a, b], -1);
    const [ga, gb] = grad(
      y
        .mul(
          c64([
            [1, 2, 3],
            [4, 5, 6],
          ]),
        )
        .sum(),
      [a, b],
    );
    expect(ga!.toArray()).toEqual([
      [1, 2],
      [4, 5],
    ]);
    expect(gb!.toArray()).toEqual([[3], [6]]);
  });

  it('stack along each dim', () => {
    for (const d of [0, 1, 2, -1]) {
      expect(gradcheck((a, b) => stack([a, b], d), [seq([2, 3]), seq([2, 3], 0.9)])).toBe(true);
    }
  });

  it('split (by size and by sizes), chunk and unbind', () => {
    expect(gradcheck((x) => x.split(2, 1), [seq([2, 5])])).toBe(true);
    expect(gradcheck((x) => x.split([1, 3, 1], -1), [seq([2, 5])])).toBe(true);
    expect(gradcheck((x) => x.chunk(3, 1), [seq([2, 5])])).toBe(true);
    expect(gradcheck((x) => x.unbind(1), [seq([2, 3])])).toBe(true);
    expect(gradcheck((x) => x.unbind(-1)[1]!, [seq([2, 3])])).toBe(true);
    // Using only some of the pieces: the others contribute nothing.
    expect(
      gradcheck(
        (x) => {
          const [a, , c] = x.chunk(3);
          return a!.mul(c!);
        },
        [seq([6])],
      ),
    ).toBe(true);
  });

  it('repeat, with and without new leading dims', () => {
    expect(gradcheck((x) => x.repeat(2, 3), [seq([2, 3])])).toBe(true);
    expect(gradcheck((x) => x.repeat(2, 1, 2), [seq([2, 3])])).toBe(true);
    expect(gradcheck((x) => x.repeat([3, 2]), [seq([2])])).toBe(true);
    expect(gradcheck((x) => x.repeat([2]), [seq([])])).toBe(true);
    expect(gradcheck((x) => x.repeat(1, 1), [seq([2, 3])])).toBe(true);
  });

  it('second order of cat, stack and repeat', () => {
    expect(
      gradgradcheck((a, b) => cat([a.square(), b.mul(a)], 0), [seq([2, 2]), seq([1, 2], 0.9)]),
    ).toBe(true);
    expect(
      gradgradcheck((a, b) => stack([a.exp(), b.square()], 1), [seq([2]), seq([2], 0.9)]),
    ).toBe(true);
    expect(gradgradcheck((x) => x.repeat(2, 1, 2).square(), [seq([2, 1])])).toBe(true);
  });
});

describe('copies', () => {
  it('clone and contiguous (of a non-contiguous tensor)', () => {
    expect(gradcheck((x) => x.clone(), [seq([2, 3])])).toBe(true);
    expect(gradcheck((x) => x.t().contiguous(), [seq([2, 3])])).toBe(true);
    expect(seq([2, 3]).t().contiguous().gradFn!.name).toBe('CloneBackward0');
  });

  it('to(dtype) between float dtypes: the gradient comes back in the input dtype', () => {
    expect(
      gradcheck((x) => x.to('float32').mul(2).to('float64'), [seq([3])], { eps: 1e-2, atol: 1e-4 }),
    ).toBe(true);
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const [g] = grad(
      x
        .double()
        .mul(c64([0.5, 0.25, 0.125]))
        .sum(),
      x,
    );
    expect(g!.dtype).toBe('float32');
    expect(g!.toArray()).toEqual([0.5, 0.25, 0.125]);
    const y = seq([2]);
    expect(y.to('float64')).toBe(y);
  });

  it('to an integer dtype is not differentiable', () => {
    const x = seq([3]);
    expect(x.to('int32').requiresGrad).toBe(false);
    expect(x.to('int32').gradFn).toBe(null);
  });

  it('second order of clone, contiguous and to', () => {
    expect(gradgradcheck((x) => x.square().clone(), [seq([2])])).toBe(true);
    expect(gradgradcheck((x) => x.t().square().contiguous(), [seq([2, 2])])).toBe(true);
  });
});
