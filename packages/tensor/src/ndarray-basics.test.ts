/**
 * NDArray metadata and conversions: item, toArray, data, size, numel, isContiguous, the dtype
 * conversions, clone/contiguous, and printing (toString delegates to formatTensor; Node's
 * util.inspect prints the same, see inspect.test.ts). Expected strings are PyTorch's repr
 * with torch.float64 renamed to float64.
 */
import { describe, expect, it } from 'vitest';

import type { NDArray } from './index.js';
import { arange, formatTensor, fromTypedArray, tensor, zeros } from './index.js';

describe('metadata', () => {
  it('reports shape, ndim, numel, size and strides', () => {
    const x = zeros([2, 3, 4]);
    expect(x.ndim).toBe(3);
    expect(x.numel()).toBe(24);
    expect(x.size()).toEqual([2, 3, 4]);
    expect(x.size(1)).toBe(3);
    expect(x.size(-1)).toBe(4);
    expect(x.strides).toEqual([12, 4, 1]);
    expect(x.offset).toBe(0);
    const s = x.size();
    s[0] = 99; // size() returns a copy
    expect(x.shape).toEqual([2, 3, 4]);
    expect(() => x.size(3)).toThrow(
      'dim 3 out of range for a 3-d tensor (expected a dim in [-3, 2])',
    );
  });

  it('handles 0-d and empty tensors', () => {
    const s = tensor(2);
    expect(s.ndim).toBe(0);
    expect(s.numel()).toBe(1);
    expect(s.size()).toEqual([]);
    const e = zeros([2, 0]);
    expect(e.numel()).toBe(0);
    expect(e.size(1)).toBe(0);
    expect(zeros([0]).numel()).toBe(0);
  });

  it('tells contiguous layouts', () => {
    const x = arange(12).view(3, 4);
    expect(x.isContiguous()).toBe(true);
    expect(x.t().isContiguous()).toBe(false);
    expect(x.narrow(0, 1, 2).isContiguous()).toBe(true);
    expect(x.narrow(1, 1, 2).isContiguous()).toBe(false);
    expect(x.slice(1, null, null, 2).isContiguous()).toBe(false);
    expect(x.select(1, 0).isContiguous()).toBe(false);
    expect(x.select(0, 2).isContiguous()).toBe(true);
    expect(x.unsqueeze(1).isContiguous()).toBe(true);
    expect(x.narrow(0, 0, 1).expand(5, 4).isContiguous()).toBe(false);
    expect(x.t().t().isContiguous()).toBe(true);
    expect(zeros([3, 0]).t().isContiguous()).toBe(true);
    expect(tensor(1).isContiguous()).toBe(true);
  });
});

describe('item', () => {
  it('reads one-element tensors of any shape, at their offset', () => {
    expect(tensor(3.5).item()).toBe(3.5);
    expect(tensor([[7]], { dtype: 'int32' }).item()).toBe(7);
    expect(arange(6).view(2, 3).select(0, 1).select(0, 2).item()).toBe(5);
    expect(tensor([0.1], { dtype: 'float64' }).item()).toBe(0.1);
    expect(tensor([0.1]).item()).toBe(Math.fround(0.1));
    // bool elements come back as 0/1 numbers
    expect(tensor(true).item()).toBe(1);
    expect(tensor([false]).item()).toBe(0);
  });

  it('names the element count otherwise', () => {
    expect(() => tensor([1, 2]).item()).toThrow(
      'a Tensor with 2 elements cannot be converted to Scalar',
    );
    expect(() => zeros([0]).item()).toThrow(
      'a Tensor with 0 elements cannot be converted to Scalar',
    );
  });
});

describe('toArray', () => {
  it('returns nested arrays following strides and offset', () => {
    const x = arange(6).view(2, 3);
    expect(x.toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(x.t().toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(x.select(1, 2).toArray()).toEqual([2, 5]);
    expect(x.slice(1, 1, null, 2).toArray()).toEqual([[1], [4]]);
    expect(tensor([1]).expand(2, 2).toArray()).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  it('returns a number for 0-d and booleans for bool', () => {
    expect(tensor(4).toArray()).toBe(4);
    expect(tensor(true).toArray()).toBe(true);
    expect(tensor([[true, false]]).toArray()).toEqual([[true, false]]);
  });

  it('keeps empty dims', () => {
    expect(zeros([0]).toArray()).toEqual([]);
    expect(zeros([2, 0]).toArray()).toEqual([[], []]);
    expect(zeros([0, 2]).toArray()).toEqual([]);
  });

  it('round-trips through tensor()', () => {
    const data = [
      [
        [1.5, -2],
        [0, 3],
      ],
      [
        [4, 5],
        [6, 7.25],
      ],
    ];
    expect(tensor(data).toArray()).toEqual(data);
    expect(tensor(tensor(data).toArray() as number[][][]).toArray()).toEqual(data);
  });
});

describe('data', () => {
  it('is the storage itself for a whole contiguous tensor (writes go through)', () => {
    const x = tensor([1, 2, 3]);
    expect(x.data).toBe(x.storage.data);
    (x.data as Float32Array)[1] = 20;
    expect(x.toArray()).toEqual([1, 20, 3]);
  });

  it('is a subarray over the same memory for a contiguous view at an offset', () => {
    const x = arange(6).view(2, 3);
    const row = x.select(0, 1);
    const d = row.data;
    expect(Array.from(d)).toEqual([3, 4, 5]);
    expect(d.buffer).toBe(x.storage.data.buffer);
    d[0] = 30;
    expect(x.toArray()).toEqual([
      [0, 1, 2],
      [30, 4, 5],
    ]);
  });

  it('is a row-major copy for a non-contiguous tensor', () => {
    const x = arange(6).view(2, 3);
    const d = x.t().data;
    expect(d).toBeInstanceOf(Int32Array);
    expect(Array.from(d)).toEqual([0, 3, 1, 4, 2, 5]);
    d[0] = 100;
    expect(x.toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });

  it("has the dtype's typed array", () => {
    expect(tensor([1]).data).toBeInstanceOf(Float32Array);
    expect(tensor([1], { dtype: 'float64' }).data).toBeInstanceOf(Float64Array);
    expect(tensor([1], { dtype: 'int32' }).data).toBeInstanceOf(Int32Array);
    expect(tensor([true]).data).toBeInstanceOf(Uint8Array);
    expect(zeros([2, 0]).data.length).toBe(0);
  });
});

describe('dtype conversions', () => {
  it('converts between all dtypes like PyTorch', () => {
    const f = tensor([-1.7, -0.5, 0, 0.5, 2.9], { dtype: 'float64' });
    expect(f.float().dtype).toBe('float32');
    expect(f.int().toArray()).toEqual([-1, 0, 0, 0, 2]); // truncation toward zero
    expect(f.bool().toArray()).toEqual([true, true, false, true, true]);
    expect(tensor([NaN]).bool().toArray()).toEqual([true]);
    expect(tensor([true, false]).double().toArray()).toEqual([1, 0]);
    expect(tensor([true, false]).int().toArray()).toEqual([1, 0]);
    expect(tensor([3, 0, -2], { dtype: 'int32' }).bool().toArray()).toEqual([true, false, true]);
    expect(tensor([0.1], { dtype: 'float64' }).float().item()).toBe(Math.fround(0.1));
    expect(tensor([0.1]).double().item()).toBe(Math.fround(0.1));
    expect(tensor([1, 2], { dtype: 'int32' }).to('float64').dtype).toBe('float64');
  });

  it('returns the tensor itself when the dtype already matches, else a fresh copy', () => {
    const x = tensor([1, 2]);
    expect(x.to('float32')).toBe(x);
    expect(x.float()).toBe(x);
    const y = x.double();
    expect(y.storage).not.toBe(x.storage);
    y.fill_(0);
    expect(x.toArray()).toEqual([1, 2]);
  });

  it('converts non-contiguous and empty tensors', () => {
    const x = arange(6).view(2, 3).t();
    const d = x.double();
    expect(d.isContiguous()).toBe(true);
    expect(d.toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    expect(zeros([2, 0]).int().shape).toEqual([2, 0]);
    expect(tensor(2.5).int().toArray()).toBe(2);
  });

  it('rejects unknown dtypes', () => {
    expect(() => tensor([1]).to('int8' as never)).toThrow(/unknown dtype "int8"/);
  });
});

describe('clone and contiguous', () => {
  it('clone always copies, contiguously', () => {
    const x = arange(6).view(2, 3);
    for (const src of [x, x.t(), x.select(1, 1)]) {
      const c = src.clone();
      expect(c.storage).not.toBe(x.storage);
      expect(c.isContiguous()).toBe(true);
      expect(c.offset).toBe(0);
      expect(c.dtype).toBe(src.dtype);
      expect(c.toArray()).toEqual(src.toArray());
      expect(c.version).toBe(0);
    }
  });

  it('contiguous returns the tensor itself when already contiguous', () => {
    const x = arange(6).view(2, 3);
    expect(x.contiguous()).toBe(x);
    const row = x.select(0, 1);
    expect(row.contiguous()).toBe(row);
    const t = x.t().contiguous();
    expect(t.storage).not.toBe(x.storage);
    expect(t.strides).toEqual([2, 1]);
    expect(t.toArray()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
  });

  it('keeps a fresh version counter on copies', () => {
    const x = tensor([1, 2]);
    x.add_(1);
    const c = x.clone();
    expect(x.version).toBe(1);
    expect(c.version).toBe(0);
    c.add_(1);
    expect(x.version).toBe(1);
  });

  it('fromTypedArray tensors start at version 0 and count in-place ops', () => {
    const x = fromTypedArray(new Float64Array([1, 2, 3]));
    expect(x.version).toBe(0);
    x.mul_(2).add_(1);
    expect(x.version).toBe(2);
  });
});

describe('printing', () => {
  const viaFormatter = (x: NDArray): string => {
    const c = x.contiguous();
    return formatTensor(x.shape, (i) => c.data[i]!, x.dtype);
  };

  const cases: [string, () => NDArray, string][] = [
    [
      'float32 matrix',
      () =>
        tensor([
          [1, 2],
          [3, 4],
        ]),
      'tensor([[1., 2.],\n        [3., 4.]])',
    ],
    ['float64', () => tensor([0.5], { dtype: 'float64' }), 'tensor([0.5000], dtype=float64)'],
    ['int32', () => tensor([1, 2, 3], { dtype: 'int32' }), 'tensor([1, 2, 3])'],
    ['bool', () => tensor([true, false]), 'tensor([ True, False])'],
    ['0-d', () => tensor(3.5), 'tensor(3.5000)'],
    ['empty', () => zeros([0]), 'tensor([])'],
    ['empty 2-d', () => zeros([2, 0]), 'tensor([], size=(2, 0))'],
    [
      'transposed view',
      () => arange(6, { dtype: 'float32' }).view(2, 3).t(),
      'tensor([[0., 3.],\n        [1., 4.],\n        [2., 5.]])',
    ],
  ];

  it.each(cases)('%s prints like PyTorch', (_name, make, expected) => {
    const x = make();
    expect(x.toString()).toBe(expected);
    expect(x.toString()).toBe(viaFormatter(x));
    expect(String(x)).toBe(expected);
    expect(`${x}`).toBe(expected);
  });
});
