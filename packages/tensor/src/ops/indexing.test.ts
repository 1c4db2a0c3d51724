/**
 * Indexing against PyTorch: `index` (x[...]), `indexPut_` (x[...] = v and index_put_), gather,
 * scatter, indexSelect, maskedSelect, maskedFill and nonzero. Expected values in `G` (bottom of
 * the file) were computed by PyTorch 1.13 with the Python expression noted beside each case,
 * on inputs built exactly as `seq`/`iseq` below build them; int64 results (indices, nonzero)
 * are int32 in gd.
 */
import { describe, expect, it } from 'vitest';

import type { DType } from '../dtype.js';
import { arange, tensor, zeros } from '../index.js';
import type { IndexSpec, NDArray } from '../index.js';
import {
  gather,
  index,
  indexPut,
  indexSelect,
  maskedSelect,
  nonzero,
  scatter,
} from './indexing.js';

interface Golden {
  shape: number[];
  data: (number | boolean)[];
}

/** Deterministic pseudo-random values in about [-3, 3]: Python's `seq` computes the same doubles. */
function seq(shape: readonly number[], seed = 0, dtype: DType = 'float64'): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = Array.from(
    { length: n },
    (_, i) => (((i * 7919 + seed * 104729) % 2003) - 1001) / 337,
  );
  return tensor(vals, { dtype }).reshape(shape);
}

/** Small integers in [-mod/2, mod/2] with many repeats. */
function iseq(shape: readonly number[], seed = 0, mod = 11): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = Array.from(
    { length: n },
    (_, i) => ((i * 7 + seed * 13) % mod) - Math.floor(mod / 2),
  );
  return tensor(vals, { dtype: 'int32' }).reshape(shape);
}

/** An int32 index tensor (PyTorch's int64). */
const T = (v: number | number[] | number[][] | number[][][]): NDArray =>
  tensor(v, { dtype: 'int32' });
/** A bool mask. */
const B = (v: boolean | boolean[]): NDArray => tensor(v);

/** Shape, dtype and exact values. */
function expectTensor(actual: NDArray, expected: Golden, dtype: DType = 'float64'): void {
  expect(actual.shape).toEqual(expected.shape);
  expect(actual.dtype).toBe(dtype);
  const got = Array.from(actual.contiguous().data);
  expect(got).toEqual(expected.data.map((v) => (dtype === 'bool' ? Number(v) : v)));
}

function golden(name: string): Golden {
  const g = G[name];
  if (!g) throw new Error(`no golden value ${name}`);
  return g;
}

const x = (): NDArray => seq([3, 4, 5], 1);
const m = (): NDArray => seq([4, 5], 2);

describe('index against PyTorch: basic indices', () => {
  // [name, specs, Python expression]
  const cases: [string, () => IndexSpec[], string][] = [
    ['i1', () => [1], 'x[1]'],
    ['ineg', () => [-1], 'x[-1]'],
    ['i1.-2', () => [1, -2], 'x[1, -2]'],
    ['i0d', () => [0, 1, 2], 'x[0, 1, 2]'],
    ['i-1.-1.-1', () => [-1, -1, -1], 'x[-1, -1, -1]'],
    ['s:', () => [':'], 'x[:]'],
    ['s1:3', () => ['1:3'], 'x[1:3]'],
    ['s::2', () => ['::2'], 'x[::2]'],
    ['s-2:', () => ['-2:'], 'x[-2:]'],
    ['s.mixed', () => [':', '1:3', '::2'], 'x[:, 1:3, ::2]'],
    ['s:-1', () => [':-1'], 'x[:-1]'],
    ['s1:100', () => ['1:100'], 'x[1:100]'],
    ['s5:1', () => ['2:1'], 'x[2:1]'],
    ['s-100:2', () => ['-100:2'], 'x[-100:2]'],
    ['s.step3', () => [':', ':', '1::3'], 'x[:, :, 1::3]'],
    ['s.int.mixed', () => ['1:', 2, '-3:'], 'x[1:, 2, -3:]'],
    ['o.1:3', () => [{ start: 1, end: 3 }], 'x[1:3]'],
    ['o.step2', () => [':', { step: 2 }], 'x[:, ::2]'],
    ['o.-2:', () => [':', ':', { start: -2 }], 'x[:, :, -2:]'],
    ['o.:-1:2', () => [':', { start: null, end: -1, step: 2 }], 'x[:, :-1:2]'],
    ['n', () => [null], 'x[None]'],
    ['n.mid', () => [':', null], 'x[:, None]'],
    ['n.end', () => ['...', null], 'x[..., None]'],
    ['n.both', () => [null, '...', null], 'x[None, ..., None]'],
    ['n.int', () => [1, null, 2], 'x[1, None, 2]'],
    ['n.n', () => [null, null, 0], 'x[None, None, 0]'],
    ['e.1', () => ['...', 1], 'x[..., 1]'],
    ['e.front', () => [1, '...'], 'x[1, ...]'],
    ['e.mid', () => [0, '...', 2], 'x[0, ..., 2]'],
    ['e.slice', () => ['...', '1:3', 0], 'x[..., 1:3, 0]'],
    ['e.only', () => ['...'], 'x[...]'],
  ];
  for (const [name, specs, py] of cases) {
    it(`${py}`, () => {
      const base = x();
      const r = base.index(...specs());
      expectTensor(r, golden(`idx.${name}`));
      // Basic indexing gives a view of the same storage.
      expect(r.storage).toBe(base.storage);
      expectTensor(index(base, specs()), golden(`idx.${name}`));
    });
  }

  it('views alias their base: writes through a view reach it, and the other way round', () => {
    const base = x();
    const v = base.index(1, '::2');
    v.fill_(0);
    expect(base.index(1).sum(1).toArray()).toEqual([
      0,
      base.index(1, 1).sum().item(),
      0,
      base.index(1, 3).sum().item(),
    ]);
    base.indexPut_([1, 0, 0], 42);
    expect(v.index(0, 0).item()).toBe(42);
    const w = base.index('...', null, '-2:');
    expect(w.shape).toEqual([3, 4, 1, 2]);
    w.fill_(-7);
    expect(base.index(2, 3, 4).item()).toBe(-7);
    expect(base.index(2, 3, 2).item()).not.toBe(-7);
  });

  it('a 0-d result is still a view', () => {
    const base = x();
    const e = base.index(2, 3, 4);
    expect(e.shape).toEqual([]);
    base.indexPut_([2, 3, 4], 5);
    expect(e.item()).toBe(5);
  });
});

describe('index against PyTorch: advanced indices', () => {
  const cases: [string, () => NDArray, () => IndexSpec[], string, DType?][] = [
    ['a.rep', x, () => [T([2, 0, 2])], 'x[[2, 0, 2]]'],
    ['a.neg', x, () => [T([-1, 0])], 'x[[-1, 0]]'],
    [
      'a.dim1.2d',
      x,
      () => [
        ':',
        T([
          [0, 1],
          [3, 2],
        ]),
      ],
      'x[:, [[0, 1], [3, 2]]]',
    ],
    [
      'a.pairs',
      m,
      () => [arange(4), T([1, 0, 4, 2])],
      'm[arange(4), [1, 0, 4, 2]] (logp[range(n), y])',
    ],
    [
      'a.nonadj',
      x,
      () => [T([0, 2]), ':', T([1, 3])],
      'x[[0, 2], :, [1, 3]] (broadcast dims first)',
    ],
    ['a.adj', x, () => [':', T([0, 2]), T([1, 3])], 'x[:, [0, 2], [1, 3]]'],
    ['a.bcast', x, () => [T([[0], [2]]), T([1, 3])], 'x[[[0], [2]], [1, 3]]'],
    ['a.int.tensor', x, () => [1, ':', T([0, 4])], 'x[1, :, [0, 4]]'],
    ['a.tensor.slice', x, () => [T([2, 1]), '1:3'], 'x[[2, 1], 1:3]'],
    ['a.0d', x, () => [T(1)], 'x[tensor(1)]'],
    ['a.0d.pair', x, () => [T(2), T([0, 3])], 'x[tensor(2), [0, 3]]'],
    ['a.empty', x, () => [zeros([0], { dtype: 'int32' })], 'x[tensor([], dtype=long)]'],
    ['a.nonadj.bcast', x, () => [T([[0], [1]]), ':', T([4, 0, 2])], 'x[[[0], [1]], :, [4, 0, 2]]'],
    ['a.ellipsis', x, () => ['...', T([4, 0])], 'x[..., [4, 0]]'],
    ['a.none', x, () => [null, T([1, 2]), ':', T([0, 1])], 'x[None, [1, 2], :, [0, 1]]'],
    ['a.int.nonadj3', x, () => [T([0, 2]), 1, T([1, 3])], 'x[[0, 2], 1, [1, 3]]'],
    [
      'a.on.view',
      () => x().transpose(0, 2),
      () => [T([4, 0]), '1:', T([2, 0])],
      'x.transpose(0, 2)[[4, 0], 1:, [2, 0]]',
    ],
    ['b.full', x, () => [x().gt(0.5)], 'x[x > 0.5]'],
    ['b.dim0', x, () => [B([true, false, true])], 'x[[True, False, True]]'],
    ['b.2d', x, () => [m().index(':3', ':4').gt(0)], 'x[m[:3, :4] > 0]'],
    ['b.dim1', x, () => [':', B([false, true, true, false])], 'x[:, [False, True, True, False]]'],
    [
      'b.with.int',
      x,
      () => [B([true, false, true]), ':', T([1, 3])],
      'x[[True, False, True], :, [1, 3]]',
    ],
    ['b.true', x, () => [B(true)], 'x[True]'],
    ['b.false', x, () => [B(false)], 'x[False]'],
    ['b.none.true', x, () => [B([false, false, false])], 'x[[False, False, False]]'],
    [
      'int.tensor.x',
      () => iseq([3, 4], 1),
      () => [T([2, 0]), '1:'],
      'iseq([3, 4])[[2, 0], 1:]',
      'int32',
    ],
    ['bool.x', () => x().gt(0), () => [1, T([0, 3])], '(x > 0)[1, [0, 3]]', 'bool'],
  ];
  for (const [name, input, specs, py, dtype] of cases) {
    it(py, () => {
      const base = input();
      const r = base.index(...specs());
      expectTensor(r, golden(`idx.${name}`), dtype);
      // Advanced indexing copies.
      expect(r.storage).not.toBe(base.storage);
    });
  }

  it('the result does not alias the input', () => {
    const base = x();
    const r = base.index(T([0, 1]));
    r.fill_(0);
    expect(base.index(0, 0, 0).item()).not.toBe(0);
  });
});

describe('indexPut_ against PyTorch', () => {
  // [name, (y) => void, Python statement on y = x.clone()]
  const cases: [string, (y: NDArray) => void, string][] = [
    ['put.int', (y) => y.indexPut_([1], 7), 'y[1] = 7.0'],
    ['put.slice.bcast', (y) => y.indexPut_([':', '1:3'], seq([5], 5)), 'y[:, 1:3] = seq([5], 5)'],
    ['put.ellipsis', (y) => y.indexPut_(['...', 0], seq([3, 4], 5)), 'y[..., 0] = seq([3, 4], 5)'],
    [
      'put.basic.acc',
      (y) => y.indexPut_(['1:', '::2'], seq([2, 5], 6), true),
      'y[1:, ::2] += seq([2, 5], 6)',
    ],
    [
      'put.adv',
      (y) => y.indexPut_([T([2, 0])], seq([2, 4, 5], 5)),
      'y[[2, 0]] = seq([2, 4, 5], 5)',
    ],
    [
      'put.pairs',
      (y) => y.indexPut_([T([0, 1, 2]), T([3, 2, 1])], 0.5),
      'y[[0, 1, 2], [3, 2, 1]] = 0.5',
    ],
    [
      'put.nonadj',
      (y) => y.indexPut_([T([0, 2]), ':', T([1, 3])], seq([2, 4], 5)),
      'y[[0, 2], :, [1, 3]] = seq([2, 4], 5)',
    ],
    [
      'put.nonadj.bcast',
      (y) => y.indexPut_([T([0, 2]), ':', T([1, 3])], seq([4], 5)),
      'y[[0, 2], :, [1, 3]] = seq([4], 5)',
    ],
    [
      'put.adj',
      (y) => y.indexPut_([':', T([0, 2]), T([1, 3])], seq([3, 2], 5)),
      'y[:, [0, 2], [1, 3]] = seq([3, 2], 5)',
    ],
    [
      'put.adj.rest',
      (y) => y.indexPut_([1, T([3, 0])], seq([2, 5], 5)),
      'y[1, [3, 0]] = seq([2, 5], 5)',
    ],
    [
      'put.acc.dup',
      (y) => y.indexPut_([T([0, 0, 2, 0])], seq([4, 4, 5], 5), true),
      'y.index_put_(([0, 0, 2, 0],), seq([4, 4, 5], 5), accumulate=True)',
    ],
    [
      'put.acc.pairs.dup',
      (y) => y.indexPut_([T([1, 1, 1]), T([2, 2, 0]), T([3, 3, 3])], seq([3], 5), true),
      'index_put_ with repeated (1, 2, 3), accumulate=True',
    ],
    ['put.mask', (y) => y.indexPut_([y.lt(0)], 0), 'y[y < 0] = 0.0'],
    [
      'put.mask.dim0',
      (y) => y.indexPut_([B([true, false, true])], seq([4, 5], 5)),
      'y[[True, False, True]] = seq([4, 5], 5)',
    ],
    [
      'put.mask.acc',
      (y) => y.indexPut_([B([false, true, true])], seq([5], 5), true),
      'y.index_put_((mask,), seq([5], 5), accumulate=True)',
    ],
  ];
  for (const [name, f, py] of cases) {
    it(py, () => {
      const y = x();
      const v0 = y.version;
      f(y);
      expectTensor(y, golden(name));
      expect(y.version).toBeGreaterThan(v0);
    });
  }

  it('0-d bool masks: y[True] = v writes everything, y[False] = v nothing', () => {
    const y = x();
    y.indexPut_([B(false)], 1);
    expect(y.equal(x())).toBe(true);
    y.indexPut_([B(true), ':', 0], seq([3, 5], 5));
    expectTensor(y.index(':', 0), { shape: [3, 5], data: Array.from(seq([3, 5], 5).data) });
    expect(y.index(':', '1:').equal(x().index(':', '1:'))).toBe(true);
  });

  it('int32 target with int values', () => {
    const z = iseq([3, 4], 1);
    expect(z.indexPut_([T([0, 2]), 1], T([9, -9]))).toBe(z);
    expectTensor(z, golden('put.int32'), 'int32');
    const z2 = iseq([3, 4], 1);
    expect(indexPut(z2, [T([0, 2]), 1], T([9, -9]), false)).toBe(z2);
    expectTensor(z2, golden('put.int32'), 'int32');
  });

  it('writes through a view into its base', () => {
    const base = x();
    const v = base.index(':', 1);
    v.indexPut_([T([2, 0]), T([4, 4])], 100);
    expect(base.index(2, 1, 4).item()).toBe(100);
    expect(base.index(0, 1, 4).item()).toBe(100);
  });

  it('rejects values that do not broadcast to the selection', () => {
    expect(() => x().indexPut_([T([0, 1])], seq([3, 5]))).toThrow(
      /cannot be broadcast|expanded size/,
    );
    expect(() => x().indexPut_([0], seq([3, 5]))).toThrow(/cannot be broadcast/);
  });
});

describe('index and indexPut_ errors', () => {
  it('out-of-bounds numbers name the indexed dim, as in PyTorch', () => {
    expect(() => x().index(5)).toThrow('index 5 is out of bounds for dimension 0 with size 3');
    expect(() => x().index(-4)).toThrow('index -4 is out of bounds for dimension 0 with size 3');
    expect(() => x().index(0, 4)).toThrow('index 4 is out of bounds for dimension 1 with size 4');
    // gd names the dim of the indexed tensor; PyTorch counts positions in the index tuple
    // (None and ... included) and would say dimension 3 here.
    expect(() => x().index(null, 0, '...', 5)).toThrow(
      'index 5 is out of bounds for dimension 2 with size 5',
    );
    expect(() => x().index(':', T([0]), 9)).toThrow(
      'index 9 is out of bounds for dimension 2 with size 5',
    );
    expect(() => x().index(B([true, false, true]), ':', T([7]))).toThrow(
      'index 7 is out of bounds for dimension 2 with size 5',
    );
    expect(() => x().indexPut_([1, 1, 5], 0)).toThrow(
      'index 5 is out of bounds for dimension 2 with size 5',
    );
  });

  it('numbers must be integers', () => {
    expect(() => x().index(1.5)).toThrow('index: index 0 must be an integer, got number 1.5');
  });

  it('out-of-bounds index tensors', () => {
    expect(() => x().index(T([0, 5]))).toThrow(
      'index 5 is out of bounds for dimension 0 with size 3',
    );
    expect(() => x().index(':', T([-5]))).toThrow(
      'index -5 is out of bounds for dimension 1 with size 4',
    );
    expect(() => x().indexPut_([T([3])], 0)).toThrow(
      'index 3 is out of bounds for dimension 0 with size 3',
    );
  });

  it('too many indices', () => {
    expect(() => zeros([2, 2]).index(0, 0, 0)).toThrow(
      /^too many indices for tensor of dimension 2/,
    );
    expect(() => zeros([2, 2]).index(':', T([0]), '::2')).toThrow(
      /too many indices for tensor of dimension 2/,
    );
    expect(() => zeros([2, 2]).index(tensor([[[true]]]))).toThrow(
      /too many indices for tensor of dimension 2/,
    );
    expect(() => zeros([2, 2]).indexPut_([0, 0, 0], 1)).toThrow(
      /too many indices for tensor of dimension 2/,
    );
  });

  it('mask shape mismatch', () => {
    expect(() => x().index(B([true, false]))).toThrow(
      'the shape of the mask [2] does not match the shape of the indexed tensor [3] starting at dim 0',
    );
    expect(() => x().index(':', tensor([[true, false, true, false, true]]))).toThrow(
      /mask \[1, 5\] does not match .* \[4, 5\] starting at dim 1/,
    );
  });

  it('index tensors must be int32 or bool', () => {
    expect(() => x().index(tensor([1]))).toThrow(
      'tensors used as indices must be int32 or bool tensors, got float32',
    );
    expect(() => x().indexPut_([tensor([1], { dtype: 'float64' })], 0)).toThrow(
      /int32 or bool tensors, got float64/,
    );
  });

  it('index tensors must broadcast together', () => {
    expect(() => x().index(T([0, 1]), T([0, 1, 2]))).toThrow(
      /shapes \[2\] and \[3\] cannot be broadcast/,
    );
  });

  it('malformed slices and ellipses', () => {
    expect(() => x().index('...', 0, '...')).toThrow(
      'an index can only have a single ellipsis (...)',
    );
    expect(() => x().index('1')).toThrow(
      `invalid slice "1": expected 'start:end' or 'start:end:step'`,
    );
    expect(() => x().index('1:2:3:4')).toThrow(/invalid slice "1:2:3:4"/);
    expect(() => x().index('a:2')).toThrow(`invalid slice "a:2": "a" is not an integer`);
    expect(() => x().index('0:2:0')).toThrow('slice step must be a positive integer, got 0');
    expect(() => x().index('::-1')).toThrow('slice step must be a positive integer, got -1');
    expect(() => x().index({ step: 0.5 })).toThrow(
      'index: index 0 step must be an integer, got number 0.5',
    );
  });
});

describe('gather, scatter, indexSelect against PyTorch', () => {
  const a = (): NDArray => seq([3, 4], 3);
  const x3 = (): NDArray => seq([2, 3, 4], 4);
  const src = (): NDArray => seq([3, 5], 7);

  it('gather', () => {
    expectTensor(
      a().gather(
        0,
        T([
          [0, 2, 1, 0],
          [2, 2, 0, 1],
        ]),
      ),
      golden('gather.0'),
    );
    expectTensor(
      gather(
        a(),
        1,
        T([
          [3, 0],
          [1, 1],
          [2, 0],
        ]),
      ),
      golden('gather.1'),
    );
    expectTensor(a().gather(-1, T([[3], [1]])), golden('gather.-1.small'));
    expectTensor(
      x3().gather(
        1,
        T([
          [
            [0, 2, 1, 2],
            [1, 1, 0, 0],
          ],
          [
            [2, 2, 2, 2],
            [0, 1, 2, 0],
          ],
        ]),
      ),
      golden('gather.3d'),
    );
    // A transposed input and a non-contiguous index.
    const idx = T([
      [0, 2],
      [2, 2],
      [1, 0],
      [0, 1],
    ]).t();
    expectTensor(a().t().contiguous().t().gather(0, idx), golden('gather.0'));
  });

  it('scatter and scatter_', () => {
    const si = T([
      [0, 2, 1, 0],
      [2, 0, 0, 1],
    ]);
    expectTensor(zeros([3, 4], { dtype: 'float64' }).scatter(0, si, src()), golden('scatter.0'));
    const base = a();
    const r = base.scatter(
      1,
      T([
        [3, 0],
        [1, 2],
      ]),
      src(),
    );
    expectTensor(r, golden('scatter.1'));
    expect(base.equal(a())).toBe(true);
    const inPlace = a();
    expect(
      inPlace.scatter_(
        1,
        T([
          [3, 0],
          [1, 2],
        ]),
        src(),
      ),
    ).toBe(inPlace);
    expectTensor(inPlace, golden('scatter.1'));
    expectTensor(
      x3().scatter(
        2,
        T([
          [
            [3, 1],
            [0, 2],
            [1, 1],
          ],
        ]),
        seq([1, 3, 2], 8),
      ),
      golden('scatter.3d'),
    );
  });

  it('scatter with a scalar value', () => {
    expectTensor(
      a().scatter(
        1,
        T([
          [3, 0],
          [1, 2],
          [0, 0],
        ]),
        9.5,
      ),
      golden('scatter.scalar'),
    );
    expectTensor(
      scatter(
        a(),
        1,
        T([
          [3, 0],
          [1, 2],
          [0, 0],
        ]),
        9.5,
        false,
      ),
      golden('scatter.scalar'),
    );
    const ints = zeros([2, 3], { dtype: 'int32' }).scatter_(1, T([[2], [0]]), 1);
    expectTensor(ints, { shape: [2, 3], data: [0, 0, 1, 1, 0, 0] }, 'int32');
  });

  it('scatter into a 0-d array', () => {
    const s0 = tensor(5, { dtype: 'float64' });
    expect(s0.scatter(0, T(0), tensor(7, { dtype: 'float64' })).item()).toBe(7);
    expect(s0.scatterAdd(0, T([0, 0]), tensor([1, 2], { dtype: 'float64' })).item()).toBe(8);
    expect(s0.item()).toBe(5);
    expect(() => s0.scatter(0, T(1), 7)).toThrow(
      'index 1 is out of bounds for dimension 0 with size 1',
    );
  });

  it('scatterAdd accumulates duplicates', () => {
    const idx = T([
      [0, 0, 0, 0],
      [0, 2, 0, 2],
      [0, 0, 1, 1],
    ]);
    expectTensor(a().scatterAdd(0, idx, src()), golden('scatter_add.dup'));
    const inPlace = a();
    inPlace.scatterAdd_(0, idx, src());
    expectTensor(inPlace, golden('scatter_add.dup'));
    expectTensor(
      a().scatterAdd(
        1,
        T([
          [1, 1, 1],
          [0, 3, 0],
        ]),
        src(),
      ),
      golden('scatter_add.1'),
    );
  });

  it('indexSelect', () => {
    expectTensor(x3().indexSelect(0, T([1, 0, 1])), golden('index_select.0'));
    expectTensor(indexSelect(x3(), 1, T([2, 0])), golden('index_select.1'));
    expectTensor(x3().indexSelect(-1, T([3, 3, 0, 1, 2])), golden('index_select.-1'));
    expectTensor(x3().indexSelect(1, T(2)), golden('index_select.0d'));
    const s0 = tensor(5, { dtype: 'float64' });
    expect(s0.indexSelect(0, T([0])).shape).toEqual([]);
    expect(s0.indexSelect(0, T(0)).item()).toBe(5);
    expect(() => s0.indexSelect(0, T([1]))).toThrow(
      'index 1 is out of bounds for dimension 0 with size 1',
    );
    // A transposed input gives the transposed selection.
    const sel = x3()
      .transpose(0, 2)
      .indexSelect(2, T([1, 0, 1]));
    expect(
      sel.equal(
        x3()
          .indexSelect(0, T([1, 0, 1]))
          .transpose(0, 2),
      ),
    ).toBe(true);
  });
});

describe('gather, scatter, indexSelect errors', () => {
  it('gather', () => {
    expect(() => seq([3, 4]).gather(0, tensor([[0]]))).toThrow(
      'gather(): expected dtype int32 for index, got float32',
    );
    expect(() => seq([3, 4]).gather(0, T([0, 1]))).toThrow(
      'gather(): index tensor must have the same number of dimensions as input tensor (1 vs 2)',
    );
    expect(() => seq([3, 4]).gather(0, T([[0, 0, 0, 0, 0]]))).toThrow(
      'gather(): size of index [1, 5] does not fit input [3, 4] at dimension 1',
    );
    expect(() => seq([3, 4]).gather(0, T([[3]]))).toThrow(
      'index 3 is out of bounds for dimension 0 with size 3',
    );
    expect(() => seq([3, 4]).gather(1, T([[-1]]))).toThrow(
      'index -1 is out of bounds for dimension 1 with size 4',
    );
    expect(() => seq([3, 4]).gather(2, T([[0]]))).toThrow(/dim 2 out of range/);
  });

  it('scatter', () => {
    expect(() => seq([3, 4]).scatter(0, tensor([[0]]), 1)).toThrow(
      'scatter(): expected dtype int32 for index, got float32',
    );
    expect(() => seq([3, 4]).scatterAdd(0, tensor([[0]]), seq([1, 1]))).toThrow(
      'scatter_add(): expected dtype int32 for index, got float32',
    );
    expect(() => seq([3, 4]).scatter(0, T([0]), 1)).toThrow(
      'scatter(): index tensor must have the same number of dimensions as self tensor (1 vs 2)',
    );
    expect(() => seq([3, 4]).scatter(0, T([[0, 0, 0, 0, 0]]), seq([3, 5]))).toThrow(
      'scatter(): expected index [1, 5] to be no larger than self [3, 4] apart from dimension 0 and to be no larger than src [3, 5]',
    );
    expect(() => seq([3, 4]).scatter(0, T([[0, 0]]), seq([3, 1]))).toThrow(
      /no larger than src \[3, 1\]/,
    );
    expect(() => seq([3, 4]).scatter(0, T([[0, 0]]), seq([5]))).toThrow(
      'scatter(): index tensor must have the same number of dimensions as src tensor (2 vs 1)',
    );
    expect(() => seq([3, 4]).scatter(0, T([[3]]), 1)).toThrow(
      'index 3 is out of bounds for dimension 0 with size 3',
    );
    expect(() => seq([3, 4]).scatterAdd_(1, T([[4]]), seq([1, 1]))).toThrow(
      'index 4 is out of bounds for dimension 1 with size 4',
    );
  });

  it('indexSelect', () => {
    expect(() => seq([3, 4]).indexSelect(0, tensor([0]))).toThrow(
      'index_select(): expected dtype int32 for index, got float32',
    );
    expect(() => seq([3, 4]).indexSelect(0, T([[0]]))).toThrow(
      'index_select(): index must be a vector, got shape [1, 1]',
    );
    expect(() => seq([3, 4]).indexSelect(1, T([4]))).toThrow(
      'index 4 is out of bounds for dimension 1 with size 4',
    );
  });
});

describe('maskedSelect, maskedFill, nonzero against PyTorch', () => {
  const a = (): NDArray => seq([3, 4], 3);

  it('maskedSelect', () => {
    expectTensor(a().maskedSelect(a().gt(0)), golden('masked_select'));
    expectTensor(
      maskedSelect(a(), B([true, false, false, true])),
      golden('masked_select.bcast.mask'),
    );
    expectTensor(seq([4], 9).maskedSelect(a().gt(0)), golden('masked_select.bcast.x'));
    expect(() => a().maskedSelect(a())).toThrow('masked_select: expected a bool mask, got float64');
  });

  it('maskedFill and maskedFill_', () => {
    expectTensor(a().maskedFill(a().lt(0), -1.5), golden('masked_fill'));
    expectTensor(a().maskedFill(B([true, false, true, false]), 2), golden('masked_fill.bcast'));
    expectTensor(
      a().maskedFill(a().gt(1), tensor(0.25, { dtype: 'float64' })),
      golden('masked_fill.tensor'),
    );
    expectTensor(
      iseq([3, 4], 1).maskedFill(iseq([3, 4], 1).gt(0), 2.7),
      golden('masked_fill.int'),
      'int32',
    );
    const y = a();
    expect(y.maskedFill_(y.lt(0), -1.5)).toBe(y);
    expectTensor(y, golden('masked_fill'));
    expect(() => a().maskedFill(a(), 0)).toThrow(/boolean/);
  });

  it('nonzero', () => {
    expectTensor(nonzero(a().gt(0)), golden('nonzero.2d'), 'int32');
    expectTensor(iseq([2, 3, 4], 2, 3).nonzero(), golden('nonzero.3d'), 'int32');
    expectTensor(T([0, 3, 0, -1, 2]).nonzero(), golden('nonzero.1d'), 'int32');
    expectTensor(zeros([2, 3]).nonzero(), golden('nonzero.none'), 'int32');
    expectTensor(tensor(5).nonzero(), golden('nonzero.0d'), 'int32');
    expectTensor(tensor(0).nonzero(), golden('nonzero.0d.zero'), 'int32');
    expectTensor(iseq([3, 4], 2, 3).t().nonzero(), golden('nonzero.view'), 'int32');
  });

  it('nonzero of a contiguous array whose size-1 dims carry odd strides', () => {
    // permute/t of size-1 dims leave strides that are not the row-major ones.
    const v = tensor([
      [[1], [0], [2]],
      [[0], [0], [3]],
    ])
      .permute(2, 1, 0)
      .permute(2, 1, 0)
      .view([2, 3, 1])
      .permute(2, 0, 1);
    expect(v.shape).toEqual([1, 2, 3]);
    expect(v.isContiguous()).toBe(true);
    expectTensor(v.nonzero(), { shape: [3, 3], data: [0, 0, 0, 0, 0, 2, 0, 1, 2] }, 'int32');
    const t = tensor([[0], [5], [6]]).t(); // [1, 3] with strides [1, 1]
    expectTensor(t.nonzero(), { shape: [2, 2], data: [0, 1, 0, 2] }, 'int32');
  });
});

// BEGIN GOLDEN: PyTorch 1.13.0a0 results for the cases above (see the file header); do not edit by hand.
const G: Record<string, Golden> = {
  'idx.i1': {
    shape: [4, 5],
    data: [
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
    ],
  },
  'idx.ineg': {
    shape: [4, 5],
    data: [
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'idx.i1.-2': {
    shape: [5],
    data: [
      2.3382789317507418, 2.0623145400593472, 1.7863501483679525, 1.510385756676558,
      1.2344213649851632,
    ],
  },
  'idx.i0d': { shape: [], data: [2.741839762611276] },
  'idx.i-1.-1.-1': { shape: [], data: [0.2789317507418398] },
  'idx.s:': {
    shape: [3, 4, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'idx.s1:3': {
    shape: [2, 4, 5],
    data: [
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'idx.s::2': {
    shape: [2, 4, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'idx.s-2:': {
    shape: [2, 4, 5],
    data: [
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'idx.s.mixed': {
    shape: [3, 2, 3],
    data: [
      -2.649851632047478, 2.741839762611276, 2.1899109792284865, 1.913946587537092,
      1.3620178041543027, 0.8100890207715133, -2.2255192878338277, -2.777448071216617,
      2.6142433234421363, 2.3382789317507418, 1.7863501483679525, 1.2344213649851632,
      -1.801186943620178, -2.3531157270029674, -2.9050445103857565, 2.7626112759643915,
      2.2106824925816024, 1.6587537091988132,
    ],
  },
  'idx.s:-1': {
    shape: [2, 4, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
    ],
  },
  'idx.s1:100': {
    shape: [2, 4, 5],
    data: [
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'idx.s5:1': { shape: [0, 4, 5], data: [] },
  'idx.s-100:2': {
    shape: [2, 4, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
    ],
  },
  'idx.s.step3': {
    shape: [3, 4, 2],
    data: [
      -1.545994065281899, -2.373887240356083, -2.9258160237388724, 2.1899109792284865,
      1.6379821958456973, 0.8100890207715133, 0.258160237388724, -0.56973293768546,
      -1.1216617210682494, -1.9495548961424332, -2.5014836795252227, 2.6142433234421363,
      2.0623145400593472, 1.2344213649851632, 0.6824925816023739, -0.14540059347181009,
      -0.6973293768545994, -1.5252225519287834, -2.077151335311573, -2.9050445103857565,
      2.486646884272997, 1.6587537091988132, 1.1068249258160237, 0.2789317507418398,
    ],
  },
  'idx.s.int.mixed': {
    shape: [2, 3],
    data: [
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 2.2106824925816024,
      1.9347181008902077, 1.6587537091988132,
    ],
  },
  'idx.o.1:3': {
    shape: [2, 4, 5],
    data: [
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'idx.o.step2': {
    shape: [3, 2, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, 1.913946587537092, 1.6379821958456973, 1.3620178041543027,
      1.086053412462908, 0.8100890207715133, -0.8456973293768546, -1.1216617210682494,
      -1.3976261127596439, -1.6735905044510386, -1.9495548961424332, 2.3382789317507418,
      2.0623145400593472, 1.7863501483679525, 1.510385756676558, 1.2344213649851632,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, 2.7626112759643915, 2.486646884272997, 2.2106824925816024,
      1.9347181008902077, 1.6587537091988132,
    ],
  },
  'idx.o.-2:': {
    shape: [3, 4, 2],
    data: [
      -2.0979228486646884, -2.373887240356083, 2.4658753709198815, 2.1899109792284865,
      1.086053412462908, 0.8100890207715133, -0.29376854599406527, -0.56973293768546,
      -1.6735905044510386, -1.9495548961424332, 2.8902077151335313, 2.6142433234421363,
      1.510385756676558, 1.2344213649851632, 0.13056379821958458, -0.14540059347181009,
      -1.2492581602373887, -1.5252225519287834, -2.629080118694362, -2.9050445103857565,
      1.9347181008902077, 1.6587537091988132, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'idx.o.:-1:2': {
    shape: [3, 2, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, 1.913946587537092, 1.6379821958456973, 1.3620178041543027,
      1.086053412462908, 0.8100890207715133, -0.8456973293768546, -1.1216617210682494,
      -1.3976261127596439, -1.6735905044510386, -1.9495548961424332, 2.3382789317507418,
      2.0623145400593472, 1.7863501483679525, 1.510385756676558, 1.2344213649851632,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, 2.7626112759643915, 2.486646884272997, 2.2106824925816024,
      1.9347181008902077, 1.6587537091988132,
    ],
  },
  'idx.n': {
    shape: [1, 3, 4, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'idx.n.mid': {
    shape: [3, 1, 4, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'idx.n.end': {
    shape: [3, 4, 5, 1],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'idx.n.both': {
    shape: [1, 3, 4, 5, 1],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'idx.n.int': {
    shape: [1, 5],
    data: [
      2.3382789317507418, 2.0623145400593472, 1.7863501483679525, 1.510385756676558,
      1.2344213649851632,
    ],
  },
  'idx.n.n': {
    shape: [1, 1, 4, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
    ],
  },
  'idx.e.1': {
    shape: [3, 4],
    data: [
      -1.545994065281899, -2.9258160237388724, 1.6379821958456973, 0.258160237388724,
      -1.1216617210682494, -2.5014836795252227, 2.0623145400593472, 0.6824925816023739,
      -0.6973293768545994, -2.077151335311573, 2.486646884272997, 1.1068249258160237,
    ],
  },
  'idx.e.front': {
    shape: [4, 5],
    data: [
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
    ],
  },
  'idx.e.mid': {
    shape: [4],
    data: [-1.8219584569732938, 2.741839762611276, 1.3620178041543027, -0.017804154302670624],
  },
  'idx.e.slice': {
    shape: [3, 2],
    data: [
      -2.649851632047478, 1.913946587537092, -2.2255192878338277, 2.3382789317507418,
      -1.801186943620178, 2.7626112759643915,
    ],
  },
  'idx.e.only': {
    shape: [3, 4, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'idx.a.rep': {
    shape: [3, 4, 5],
    data: [
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'idx.a.neg': {
    shape: [2, 4, 5],
    data: [
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
    ],
  },
  'idx.a.dim1.2d': {
    shape: [3, 2, 2, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 0.5341246290801187, 0.258160237388724,
      -0.017804154302670624, -0.29376854599406527, -0.56973293768546, 1.913946587537092,
      1.6379821958456973, 1.3620178041543027, 1.086053412462908, 0.8100890207715133,
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 0.9584569732937686, 0.6824925816023739,
      0.4065281899109792, 0.13056379821958458, -0.14540059347181009, 2.3382789317507418,
      2.0623145400593472, 1.7863501483679525, 1.510385756676558, 1.2344213649851632,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 1.3827893175074184, 1.1068249258160237,
      0.8308605341246291, 0.5548961424332344, 0.2789317507418398, 2.7626112759643915,
      2.486646884272997, 2.2106824925816024, 1.9347181008902077, 1.6587537091988132,
    ],
  },
  'idx.a.pairs': {
    shape: [4],
    data: [0.1543026706231454, -0.9495548961424333, 2.5103857566765577, 1.682492581602374],
  },
  'idx.a.nonadj': {
    shape: [2, 4],
    data: [
      -1.545994065281899, -2.9258160237388724, 1.6379821958456973, 0.258160237388724,
      -1.2492581602373887, -2.629080118694362, 1.9347181008902077, 0.5548961424332344,
    ],
  },
  'idx.a.adj': {
    shape: [3, 2],
    data: [
      -1.545994065281899, 1.086053412462908, -1.1216617210682494, 1.510385756676558,
      -0.6973293768545994, 1.9347181008902077,
    ],
  },
  'idx.a.bcast': {
    shape: [2, 2, 5],
    data: [
      -2.649851632047478, -2.9258160237388724, 2.741839762611276, 2.4658753709198815,
      2.1899109792284865, 0.5341246290801187, 0.258160237388724, -0.017804154302670624,
      -0.29376854599406527, -0.56973293768546, -1.801186943620178, -2.077151335311573,
      -2.3531157270029674, -2.629080118694362, -2.9050445103857565, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'idx.a.int.tensor': {
    shape: [4, 2],
    data: [
      -0.8456973293768546, -1.9495548961424332, -2.2255192878338277, 2.6142433234421363,
      2.3382789317507418, 1.2344213649851632, 0.9584569732937686, -0.14540059347181009,
    ],
  },
  'idx.a.tensor.slice': {
    shape: [2, 2, 5],
    data: [
      -1.801186943620178, -2.077151335311573, -2.3531157270029674, -2.629080118694362,
      -2.9050445103857565, 2.7626112759643915, 2.486646884272997, 2.2106824925816024,
      1.9347181008902077, 1.6587537091988132, -2.2255192878338277, -2.5014836795252227,
      -2.777448071216617, 2.8902077151335313, 2.6142433234421363, 2.3382789317507418,
      2.0623145400593472, 1.7863501483679525, 1.510385756676558, 1.2344213649851632,
    ],
  },
  'idx.a.0d': {
    shape: [4, 5],
    data: [
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
    ],
  },
  'idx.a.0d.pair': {
    shape: [2, 5],
    data: [
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, 1.3827893175074184, 1.1068249258160237, 0.8308605341246291,
      0.5548961424332344, 0.2789317507418398,
    ],
  },
  'idx.a.empty': { shape: [0, 4, 5], data: [] },
  'idx.a.nonadj.bcast': {
    shape: [2, 3, 4],
    data: [
      -2.373887240356083, 2.1899109792284865, 0.8100890207715133, -0.56973293768546,
      -1.2700296735905046, -2.649851632047478, 1.913946587537092, 0.5341246290801187,
      -1.8219584569732938, 2.741839762611276, 1.3620178041543027, -0.017804154302670624,
      -1.9495548961424332, 2.6142433234421363, 1.2344213649851632, -0.14540059347181009,
      -0.8456973293768546, -2.2255192878338277, 2.3382789317507418, 0.9584569732937686,
      -1.3976261127596439, -2.777448071216617, 1.7863501483679525, 0.4065281899109792,
    ],
  },
  'idx.a.ellipsis': {
    shape: [3, 4, 2],
    data: [
      -2.373887240356083, -1.2700296735905046, 2.1899109792284865, -2.649851632047478,
      0.8100890207715133, 1.913946587537092, -0.56973293768546, 0.5341246290801187,
      -1.9495548961424332, -0.8456973293768546, 2.6142433234421363, -2.2255192878338277,
      1.2344213649851632, 2.3382789317507418, -0.14540059347181009, 0.9584569732937686,
      -1.5252225519287834, -0.42136498516320475, -2.9050445103857565, -1.801186943620178,
      1.6587537091988132, 2.7626112759643915, 0.2789317507418398, 1.3827893175074184,
    ],
  },
  'idx.a.none': {
    shape: [2, 1, 4],
    data: [
      -0.8456973293768546, -2.2255192878338277, 2.3382789317507418, 0.9584569732937686,
      -0.6973293768545994, -2.077151335311573, 2.486646884272997, 1.1068249258160237,
    ],
  },
  'idx.a.int.nonadj3': { shape: [2], data: [-2.9258160237388724, -2.629080118694362] },
  'idx.a.on.view': {
    shape: [2, 3],
    data: [
      -2.9050445103857565, 1.6587537091988132, 0.2789317507418398, -2.649851632047478,
      1.913946587537092, 0.5341246290801187,
    ],
  },
  'idx.b.full': {
    shape: [27],
    data: [
      2.741839762611276, 2.4658753709198815, 2.1899109792284865, 1.913946587537092,
      1.6379821958456973, 1.3620178041543027, 1.086053412462908, 0.8100890207715133,
      0.5341246290801187, 2.8902077151335313, 2.6142433234421363, 2.3382789317507418,
      2.0623145400593472, 1.7863501483679525, 1.510385756676558, 1.2344213649851632,
      0.9584569732937686, 0.6824925816023739, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344,
    ],
  },
  'idx.b.dim0': {
    shape: [2, 4, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'idx.b.2d': {
    shape: [3, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.3827893175074184, 1.1068249258160237,
      0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'idx.b.dim1': {
    shape: [3, 2, 5],
    data: [
      -2.649851632047478, -2.9258160237388724, 2.741839762611276, 2.4658753709198815,
      2.1899109792284865, 1.913946587537092, 1.6379821958456973, 1.3620178041543027,
      1.086053412462908, 0.8100890207715133, -2.2255192878338277, -2.5014836795252227,
      -2.777448071216617, 2.8902077151335313, 2.6142433234421363, 2.3382789317507418,
      2.0623145400593472, 1.7863501483679525, 1.510385756676558, 1.2344213649851632,
      -1.801186943620178, -2.077151335311573, -2.3531157270029674, -2.629080118694362,
      -2.9050445103857565, 2.7626112759643915, 2.486646884272997, 2.2106824925816024,
      1.9347181008902077, 1.6587537091988132,
    ],
  },
  'idx.b.with.int': {
    shape: [2, 4],
    data: [
      -1.545994065281899, -2.9258160237388724, 1.6379821958456973, 0.258160237388724,
      -1.2492581602373887, -2.629080118694362, 1.9347181008902077, 0.5548961424332344,
    ],
  },
  'idx.b.true': {
    shape: [1, 3, 4, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'idx.b.false': { shape: [0, 3, 4, 5], data: [] },
  'idx.b.none.true': { shape: [0, 4, 5], data: [] },
  'idx.int.tensor.x': { shape: [2, 3], data: [5, 1, -3, 4, 0, -4] },
  'idx.bool.x': {
    shape: [2, 5],
    data: [false, false, false, false, false, true, true, true, true, false],
  },
  'put.int': {
    shape: [3, 4, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546, 7, 7, 7, 7,
      7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, -0.42136498516320475, -0.6973293768545994,
      -0.973293768545994, -1.2492581602373887, -1.5252225519287834, -1.801186943620178,
      -2.077151335311573, -2.3531157270029674, -2.629080118694362, -2.9050445103857565,
      2.7626112759643915, 2.486646884272997, 2.2106824925816024, 1.9347181008902077,
      1.6587537091988132, 1.3827893175074184, 1.1068249258160237, 0.8308605341246291,
      0.5548961424332344, 0.2789317507418398,
    ],
  },
  'put.slice.bcast': {
    shape: [3, 4, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -0.4124629080118694, -0.6884272997032641, -0.9643916913946587,
      -1.2403560830860534, -1.5163204747774481, -0.4124629080118694, -0.6884272997032641,
      -0.9643916913946587, -1.2403560830860534, -1.5163204747774481, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -0.4124629080118694, -0.6884272997032641, -0.9643916913946587,
      -1.2403560830860534, -1.5163204747774481, -0.4124629080118694, -0.6884272997032641,
      -0.9643916913946587, -1.2403560830860534, -1.5163204747774481, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -0.4124629080118694, -0.6884272997032641, -0.9643916913946587,
      -1.2403560830860534, -1.5163204747774481, -0.4124629080118694, -0.6884272997032641,
      -0.9643916913946587, -1.2403560830860534, -1.5163204747774481, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'put.ellipsis': {
    shape: [3, 4, 5],
    data: [
      -0.4124629080118694, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -0.6884272997032641, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, -0.9643916913946587, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, -1.2403560830860534,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -1.5163204747774481, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -1.7922848664688427, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, -2.0682492581602374, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, -2.344213649851632,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -2.620178041543027, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -2.8961424332344214, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.771513353115727, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 2.4955489614243325,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'put.basic.acc': {
    shape: [3, 4, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      0.44213649851632053, -0.10979228486646897, -0.6617210682492581, -1.2136498516320475,
      -1.7655786350148368, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.2462908011869436, 1.6943620178041543,
      1.142433234421365, 0.5905044510385757, 0.03857566765578624, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      0.8664688427299704, 0.314540059347181, -0.2373887240356083, -0.7893175074183976,
      -1.341246290801187, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.6706231454005933, 2.1186943620178043,
      1.5667655786350148, 1.0148367952522255, 0.4629080118694362, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'put.adv': {
    shape: [3, 4, 5],
    data: [
      0.011869436201780416, -0.26409495548961426, -0.5400593471810089, -0.8160237388724035,
      -1.0919881305637982, -1.367952522255193, -1.6439169139465875, -1.9198813056379822,
      -2.1958456973293767, -2.4718100890207717, -2.7477744807121662, 2.919881305637982,
      2.6439169139465877, 2.3679525222551927, 2.091988130563798, 1.8160237388724036,
      1.540059347181009, 1.2640949554896141, 0.9881305637982196, 0.712166172106825,
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -0.4124629080118694, -0.6884272997032641, -0.9643916913946587, -1.2403560830860534,
      -1.5163204747774481, -1.7922848664688427, -2.0682492581602374, -2.344213649851632,
      -2.620178041543027, -2.8961424332344214, 2.771513353115727, 2.4955489614243325,
      2.2195845697329375, 1.943620178041543, 1.6676557863501484, 1.3916913946587537,
      1.1157270029673592, 0.8397626112759644, 0.5637982195845698, 0.2878338278931751,
    ],
  },
  'put.pairs': {
    shape: [3, 4, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5, 0.5, 0.5, 0.5, 0.5,
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 0.5, 0.5, 0.5, 0.5, 0.5, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, 0.5, 0.5, 0.5, 0.5, 0.5, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'put.nonadj': {
    shape: [3, 4, 5],
    data: [
      -1.2700296735905046, -0.4124629080118694, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -0.6884272997032641, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, -0.9643916913946587,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      -1.2403560830860534, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.5163204747774481,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -1.7922848664688427, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, -2.0682492581602374, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, -2.344213649851632, 0.2789317507418398,
    ],
  },
  'put.nonadj.bcast': {
    shape: [3, 4, 5],
    data: [
      -1.2700296735905046, -0.4124629080118694, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -0.6884272997032641, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, -0.9643916913946587,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      -1.2403560830860534, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -0.4124629080118694,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -0.6884272997032641, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, -0.9643916913946587, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, -1.2403560830860534, 0.2789317507418398,
    ],
  },
  'put.adj': {
    shape: [3, 4, 5],
    data: [
      -1.2700296735905046, -0.4124629080118694, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, -0.6884272997032641, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -0.8456973293768546, -0.9643916913946587, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, -1.2403560830860534, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -0.42136498516320475, -1.5163204747774481, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, -1.7922848664688427, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'put.adj.rest': {
    shape: [3, 4, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -1.7922848664688427, -2.0682492581602374, -2.344213649851632, -2.620178041543027,
      -2.8961424332344214, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, -0.4124629080118694,
      -0.6884272997032641, -0.9643916913946587, -1.2403560830860534, -1.5163204747774481,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'put.acc.dup': {
    shape: [3, 4, 5],
    data: [
      -0.8100890207715135, -1.913946587537092, -3.017804154302671, -4.121661721068249,
      -5.225519287833828, -6.329376854599406, -7.433234421364985, -2.593471810089021,
      -3.6973293768545994, -4.801186943620179, 0.03857566765578668, 4.878338278931751,
      3.7744807121661723, 2.6706231454005938, 7.510385756676558, 6.406528189910979,
      5.302670623145401, 4.198813056379822, 3.0949554896142435, 1.9910979228486647,
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      0.014836795252225532, -0.5370919881305638, -1.089020771513353, -1.6409495548961424,
      -2.192878338278932, -2.744807121661721, -3.2967359050445104, -3.8486646884272995,
      -4.4005934718100885, -4.9525222551928785, 0.439169139465875, -0.11275964391691407,
      -0.6646884272997031, 4.72700296735905, 4.175074183976261, 3.623145400593472,
      3.0712166172106823, 2.5192878338278932, 1.9673590504451037, 1.4154302670623147,
    ],
  },
  'put.acc.pairs.dup': {
    shape: [3, 4, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -2.6379821958456975,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 0.4094955489614245, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -0.42136498516320475, -0.6973293768545994, -0.973293768545994, -1.2492581602373887,
      -1.5252225519287834, -1.801186943620178, -2.077151335311573, -2.3531157270029674,
      -2.629080118694362, -2.9050445103857565, 2.7626112759643915, 2.486646884272997,
      2.2106824925816024, 1.9347181008902077, 1.6587537091988132, 1.3827893175074184,
      1.1068249258160237, 0.8308605341246291, 0.5548961424332344, 0.2789317507418398,
    ],
  },
  'put.mask': {
    shape: [3, 4, 5],
    data: [
      0, 0, 0, 0, 0, 0, 0, 2.741839762611276, 2.4658753709198815, 2.1899109792284865,
      1.913946587537092, 1.6379821958456973, 1.3620178041543027, 1.086053412462908,
      0.8100890207715133, 0.5341246290801187, 0.258160237388724, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      2.7626112759643915, 2.486646884272997, 2.2106824925816024, 1.9347181008902077,
      1.6587537091988132, 1.3827893175074184, 1.1068249258160237, 0.8308605341246291,
      0.5548961424332344, 0.2789317507418398,
    ],
  },
  'put.mask.dim0': {
    shape: [3, 4, 5],
    data: [
      -0.4124629080118694, -0.6884272997032641, -0.9643916913946587, -1.2403560830860534,
      -1.5163204747774481, -1.7922848664688427, -2.0682492581602374, -2.344213649851632,
      -2.620178041543027, -2.8961424332344214, 2.771513353115727, 2.4955489614243325,
      2.2195845697329375, 1.943620178041543, 1.6676557863501484, 1.3916913946587537,
      1.1157270029673592, 0.8397626112759644, 0.5637982195845698, 0.2878338278931751,
      -0.8456973293768546, -1.1216617210682494, -1.3976261127596439, -1.6735905044510386,
      -1.9495548961424332, -2.2255192878338277, -2.5014836795252227, -2.777448071216617,
      2.8902077151335313, 2.6142433234421363, 2.3382789317507418, 2.0623145400593472,
      1.7863501483679525, 1.510385756676558, 1.2344213649851632, 0.9584569732937686,
      0.6824925816023739, 0.4065281899109792, 0.13056379821958458, -0.14540059347181009,
      -0.4124629080118694, -0.6884272997032641, -0.9643916913946587, -1.2403560830860534,
      -1.5163204747774481, -1.7922848664688427, -2.0682492581602374, -2.344213649851632,
      -2.620178041543027, -2.8961424332344214, 2.771513353115727, 2.4955489614243325,
      2.2195845697329375, 1.943620178041543, 1.6676557863501484, 1.3916913946587537,
      1.1157270029673592, 0.8397626112759644, 0.5637982195845698, 0.2878338278931751,
    ],
  },
  'put.mask.acc': {
    shape: [3, 4, 5],
    data: [
      -1.2700296735905046, -1.545994065281899, -1.8219584569732938, -2.0979228486646884,
      -2.373887240356083, -2.649851632047478, -2.9258160237388724, 2.741839762611276,
      2.4658753709198815, 2.1899109792284865, 1.913946587537092, 1.6379821958456973,
      1.3620178041543027, 1.086053412462908, 0.8100890207715133, 0.5341246290801187,
      0.258160237388724, -0.017804154302670624, -0.29376854599406527, -0.56973293768546,
      -1.258160237388724, -1.8100890207715135, -2.3620178041543025, -2.913946587537092,
      -3.465875370919881, -2.637982195845697, -3.189910979228487, -3.741839762611276,
      1.6498516320474779, 1.0979228486646881, 1.9258160237388724, 1.3738872403560831,
      0.8219584569732937, 0.27002967359050456, -0.28189910979228494, 0.5459940652818991,
      -0.005934718100890191, -0.5578635014836795, -1.1097922848664687, -1.6617210682492582,
      -0.8338278931750742, -1.3857566765578635, -1.9376854599406528, -2.489614243323442,
      -3.041543026706232, -2.2136498516320473, -2.765578635014837, -3.3175074183976263,
      -3.8694362017804154, -4.421364985163205, 2.350148367952522, 1.7982195845697329,
      1.2462908011869436, 0.6943620178041543, 0.14243323442136502, 0.970326409495549,
      0.41839762611275955, -0.13353115727002962, -0.685459940652819, -1.2373887240356083,
    ],
  },
  'put.int32': { shape: [3, 4], data: [-3, 9, 0, -4, 3, -1, -5, 2, -2, -9, 1, -3] },
  'gather.0': {
    shape: [2, 4],
    data: [
      2.1305637982195846, -0.35311572700296734, 0.47477744807121663, 1.3026706231454006,
      -0.0771513353115727, -0.35311572700296734, 1.5786350148367954, 0.19881305637982197,
    ],
  },
  'gather.1': {
    shape: [3, 2],
    data: [
      1.3026706231454006, 2.1305637982195846, 0.7507418397626113, 0.7507418397626113,
      -0.629080118694362, -0.0771513353115727,
    ],
  },
  'gather.-1.small': { shape: [2, 1], data: [1.3026706231454006, 0.7507418397626113] },
  'gather.3d': {
    shape: [2, 2, 4],
    data: [
      -2.112759643916914, 1.3471810089020773, 2.1750741839762613, 0.7952522255192879,
      2.7270029673590503, 2.451038575667656, -2.664688427299703, -2.940652818991098,
      -1.688427299703264, -1.9643916913946589, -2.2403560830860534, -2.516320474777448,
      0.5192878338278932, -0.8605341246290801, -2.2403560830860534, -0.3086053412462908,
    ],
  },
  'scatter.0': {
    shape: [3, 4],
    data: [
      -2.9554896142433233, 1.3323442136498516, 1.056379821958457, 2.1602373887240356, 0, 0,
      2.43620178041543, 0.7804154302670623, 1.6083086053412463, 2.712166172106825, 0, 0,
    ],
  },
  'scatter.1': {
    shape: [3, 4],
    data: [
      2.712166172106825, 1.8545994065281899, 1.5786350148367954, -2.9554896142433233,
      1.0267062314540059, 1.6083086053412463, 1.3323442136498516, 0.19881305637982197,
      -0.0771513353115727, -0.35311572700296734, -0.629080118694362, -0.9050445103857567,
    ],
  },
  'scatter.scalar': {
    shape: [3, 4],
    data: [
      9.5, 1.8545994065281899, 1.5786350148367954, 9.5, 1.0267062314540059, 9.5, 9.5,
      0.19881305637982197, 9.5, -0.35311572700296734, -0.629080118694362, -0.9050445103857567,
    ],
  },
  'scatter_add.dup': {
    shape: [3, 4],
    data: [
      1.0118694362017806, 4.519287833827893, 5.071216617210682, 3.462908011869436,
      1.0267062314540059, 0.7507418397626113, 0.1513353115727003, -0.4005934718100891,
      -0.0771513353115727, 0.9792284866468842, -0.629080118694362, -0.12462908011869445,
    ],
  },
  'scatter_add.1': {
    shape: [3, 4],
    data: [
      2.1305637982195846, 4.0474777448071215, 1.5786350148367954, 1.3026706231454006,
      3.691394658753709, 0.7507418397626113, 0.47477744807121663, 1.5311572700296736,
      -0.0771513353115727, -0.35311572700296734, -0.629080118694362, -0.9050445103857567,
    ],
  },
  'scatter.3d': {
    shape: [2, 3, 4],
    data: [
      -2.112759643916914, -1.5311572700296736, -2.664688427299703, -1.2551928783382789,
      -1.8071216617210681, 2.451038575667656, -2.083086053412463, 1.8991097922848665,
      1.6231454005934718, -2.635014836795252, 1.0712166172106825, 0.7952522255192879,
      0.5192878338278932, 0.2433234421364985, -0.032640949554896145, -0.3086053412462908,
      -0.5845697329376854, -0.8605341246290801, -1.1364985163204748, -1.4124629080118694,
      -1.688427299703264, -1.9643916913946589, -2.2403560830860534, -2.516320474777448,
    ],
  },
  'index_select.0': {
    shape: [3, 3, 4],
    data: [
      0.5192878338278932, 0.2433234421364985, -0.032640949554896145, -0.3086053412462908,
      -0.5845697329376854, -0.8605341246290801, -1.1364985163204748, -1.4124629080118694,
      -1.688427299703264, -1.9643916913946589, -2.2403560830860534, -2.516320474777448,
      -2.112759643916914, -2.3887240356083086, -2.664688427299703, -2.940652818991098,
      2.7270029673590503, 2.451038575667656, 2.1750741839762613, 1.8991097922848665,
      1.6231454005934718, 1.3471810089020773, 1.0712166172106825, 0.7952522255192879,
      0.5192878338278932, 0.2433234421364985, -0.032640949554896145, -0.3086053412462908,
      -0.5845697329376854, -0.8605341246290801, -1.1364985163204748, -1.4124629080118694,
      -1.688427299703264, -1.9643916913946589, -2.2403560830860534, -2.516320474777448,
    ],
  },
  'index_select.1': {
    shape: [2, 2, 4],
    data: [
      1.6231454005934718, 1.3471810089020773, 1.0712166172106825, 0.7952522255192879,
      -2.112759643916914, -2.3887240356083086, -2.664688427299703, -2.940652818991098,
      -1.688427299703264, -1.9643916913946589, -2.2403560830860534, -2.516320474777448,
      0.5192878338278932, 0.2433234421364985, -0.032640949554896145, -0.3086053412462908,
    ],
  },
  'index_select.-1': {
    shape: [2, 3, 5],
    data: [
      -2.940652818991098, -2.940652818991098, -2.112759643916914, -2.3887240356083086,
      -2.664688427299703, 1.8991097922848665, 1.8991097922848665, 2.7270029673590503,
      2.451038575667656, 2.1750741839762613, 0.7952522255192879, 0.7952522255192879,
      1.6231454005934718, 1.3471810089020773, 1.0712166172106825, -0.3086053412462908,
      -0.3086053412462908, 0.5192878338278932, 0.2433234421364985, -0.032640949554896145,
      -1.4124629080118694, -1.4124629080118694, -0.5845697329376854, -0.8605341246290801,
      -1.1364985163204748, -2.516320474777448, -2.516320474777448, -1.688427299703264,
      -1.9643916913946589, -2.2403560830860534,
    ],
  },
  'index_select.0d': {
    shape: [2, 1, 4],
    data: [
      1.6231454005934718, 1.3471810089020773, 1.0712166172106825, 0.7952522255192879,
      -1.688427299703264, -1.9643916913946589, -2.2403560830860534, -2.516320474777448,
    ],
  },
  masked_select: {
    shape: [8],
    data: [
      2.1305637982195846, 1.8545994065281899, 1.5786350148367954, 1.3026706231454006,
      1.0267062314540059, 0.7507418397626113, 0.47477744807121663, 0.19881305637982197,
    ],
  },
  'masked_select.bcast.mask': {
    shape: [6],
    data: [
      2.1305637982195846, 1.3026706231454006, 1.0267062314540059, 0.19881305637982197,
      -0.0771513353115727, -0.9050445103857567,
    ],
  },
  'masked_select.bcast.x': {
    shape: [8],
    data: [
      0.44510385756676557, 0.16913946587537093, -0.10682492581602374, -0.3827893175074184,
      0.44510385756676557, 0.16913946587537093, -0.10682492581602374, -0.3827893175074184,
    ],
  },
  masked_fill: {
    shape: [3, 4],
    data: [
      2.1305637982195846, 1.8545994065281899, 1.5786350148367954, 1.3026706231454006,
      1.0267062314540059, 0.7507418397626113, 0.47477744807121663, 0.19881305637982197, -1.5, -1.5,
      -1.5, -1.5,
    ],
  },
  'masked_fill.bcast': {
    shape: [3, 4],
    data: [
      2, 1.8545994065281899, 2, 1.3026706231454006, 2, 0.7507418397626113, 2, 0.19881305637982197,
      2, -0.35311572700296734, 2, -0.9050445103857567,
    ],
  },
  'masked_fill.tensor': {
    shape: [3, 4],
    data: [
      0.25, 0.25, 0.25, 0.25, 0.25, 0.7507418397626113, 0.47477744807121663, 0.19881305637982197,
      -0.0771513353115727, -0.35311572700296734, -0.629080118694362, -0.9050445103857567,
    ],
  },
  'masked_fill.int': { shape: [3, 4], data: [-3, 2, 0, -4, 2, -1, -5, 2, -2, 2, 2, -3] },
  'nonzero.2d': { shape: [8, 2], data: [0, 0, 0, 1, 0, 2, 0, 3, 1, 0, 1, 1, 1, 2, 1, 3] },
  'nonzero.3d': {
    shape: [16, 3],
    data: [
      0, 0, 0, 0, 0, 1, 0, 0, 3, 0, 1, 0, 0, 1, 2, 0, 1, 3, 0, 2, 1, 0, 2, 2, 1, 0, 0, 1, 0, 1, 1,
      0, 3, 1, 1, 0, 1, 1, 2, 1, 1, 3, 1, 2, 1, 1, 2, 2,
    ],
  },
  'nonzero.1d': { shape: [3, 1], data: [1, 3, 4] },
  'nonzero.none': { shape: [0, 2], data: [] },
  'nonzero.0d': { shape: [1, 0], data: [] },
  'nonzero.0d.zero': { shape: [0, 0], data: [] },
  'nonzero.view': { shape: [8, 2], data: [0, 0, 0, 1, 1, 0, 1, 2, 2, 1, 2, 2, 3, 0, 3, 1] },
};
// END GOLDEN
