/**
 * cat, stack, split, chunk, unbind and repeat. Expected values and piece sizes were checked
 * against PyTorch (noted where they are PyTorch's particular rules).
 */
import { describe, expect, it } from 'vitest';

import type { DType, NDArray } from '../index.js';
import { arange, cat, chunk, split, stack, tensor, zeros } from '../index.js';
import { repeat, unbind } from './join.js';

function expectTensor(actual: NDArray, expected: unknown, dtype?: DType): void {
  if (dtype !== undefined) expect(actual.dtype).toBe(dtype);
  expect(actual.toArray()).toEqual(expected);
}

const shapes = (xs: NDArray[]): number[][] => xs.map((x) => Array.from(x.shape));

describe('cat', () => {
  it('joins along any dim, negative too', () => {
    const a = tensor([
      [1, 2],
      [3, 4],
    ]);
    const b = tensor([[5, 6]]);
    expectTensor(
      cat([a, b]),
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      'float32',
    );
    expectTensor(cat([a, b.t()], 1), [
      [1, 2, 5],
      [3, 4, 6],
    ]);
    expectTensor(cat([a, b.t()], -1), [
      [1, 2, 5],
      [3, 4, 6],
    ]);
    expectTensor(cat([a]), [
      [1, 2],
      [3, 4],
    ]);
  });

  it('always returns a new tensor, reading non-contiguous inputs', () => {
    const a = arange(6).view(2, 3);
    const out = cat([a.t(), a.t().slice(0, null, null, 2)]);
    expectTensor(
      out,
      [
        [0, 3],
        [1, 4],
        [2, 5],
        [0, 3],
        [2, 5],
      ],
      'int32',
    );
    const single = cat([a]);
    expect(single.storage).not.toBe(a.storage);
    single.fill_(0);
    expect(a.toArray()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });

  it('promotes dtypes', () => {
    expectTensor(
      cat([tensor([[1, 2]], { dtype: 'int32' }), tensor([[3.5, 4]], { dtype: 'float64' })]),
      [
        [1, 2],
        [3.5, 4],
      ],
      'float64',
    );
    expectTensor(cat([tensor([true]), tensor([2], { dtype: 'int32' })]), [1, 2], 'int32'); // torch: int64 [1, 2]
    expectTensor(cat([tensor([true]), tensor([false])]), [true, false], 'bool');
    expectTensor(cat([tensor([1.5]), tensor([true])]), [1.5, 1], 'float32');
    expectTensor(
      cat([tensor([0.5, -2], { dtype: 'float64' }), tensor([true])], 0),
      [0.5, -2, 1],
      'float64',
    );
  });

  it('skips legacy empty [0] tensors, which still take part in promotion', () => {
    const out = cat([
      zeros([0]),
      tensor([[1, 2, 3]]),
      zeros([0], { dtype: 'float64' }),
      tensor([[4, 5, 6]]),
    ]);
    expectTensor(
      out,
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      'float64',
    ); // torch: float64
    expectTensor(cat([zeros([0]), zeros([0], { dtype: 'int32' })]), [], 'float32');
    expect(cat([zeros([0], { dtype: 'int32' })]).shape).toEqual([0]);
    // [0] tensors are skipped even when the dim would be out of range for them
    expectTensor(cat([zeros([0]), tensor([[1], [2]])], 1), [[1], [2]]);
  });

  it('joins tensors with empty dims', () => {
    expect(cat([zeros([2, 0]), zeros([3, 0])]).shape).toEqual([5, 0]);
    expectTensor(
      cat(
        [
          zeros([2, 0]),
          tensor([
            [1, 2, 3],
            [4, 5, 6],
          ]),
        ],
        1,
      ),
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
    );
    expect(cat([zeros([0, 3]), zeros([0, 3])], 1).shape).toEqual([0, 6]);
  });

  it('names mismatches with the position in the original list', () => {
    expect(() => cat([zeros([2, 3]), zeros([4, 3])], 1)).toThrow(
      'Sizes of tensors must match except in dimension 1. Expected size 2 but got size 4 for tensor number 1 in the list.',
    );
    // torch: "... Expected size 3 but got size 4 for tensor number 2 in the list." (the skipped [0] counts)
    expect(() => cat([zeros([0]), zeros([2, 3]), zeros([2, 4])], 0)).toThrow(
      'Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 2 in the list.',
    );
    expect(() => cat([zeros([2, 3]), zeros([3])])).toThrow(
      'Tensors must have same number of dimensions: got 2 and 1 (tensor number 1 has shape [3])',
    );
    expect(() => cat([zeros([2]), tensor(1)])).toThrow(
      'zero-dimensional tensor (at position 1) cannot be concatenated',
    );
    expect(() => cat([tensor(1), zeros([2])])).toThrow(
      'zero-dimensional tensor (at position 0) cannot be concatenated',
    );
    expect(() => cat([zeros([2, 3]), zeros([2, 3])], 2)).toThrow(
      'dim 2 out of range for a 2-d tensor (expected a dim in [-2, 1])',
    );
    expect(() => cat([])).toThrow('cat expects a non-empty list of tensors');
  });
});

describe('stack', () => {
  const a = arange(6).view(2, 3);
  const b = arange(6, 12).view(2, 3);

  it('joins along a new dim at any position', () => {
    expectTensor(
      stack([a, b]),
      [
        [
          [0, 1, 2],
          [3, 4, 5],
        ],
        [
          [6, 7, 8],
          [9, 10, 11],
        ],
      ],
      'int32',
    );
    expectTensor(stack([a, b], 2), [
      [
        [0, 6],
        [1, 7],
        [2, 8],
      ],
      [
        [3, 9],
        [4, 10],
        [5, 11],
      ],
    ]);
    expectTensor(stack([a, b], -1), [
      [
        [0, 6],
        [1, 7],
        [2, 8],
      ],
      [
        [3, 9],
        [4, 10],
        [5, 11],
      ],
    ]);
    expectTensor(stack([a, b], -2), [
      [
        [0, 1, 2],
        [6, 7, 8],
      ],
      [
        [3, 4, 5],
        [9, 10, 11],
      ],
    ]);
  });

  it('stacks 0-d and empty tensors, promoting dtypes', () => {
    expectTensor(stack([tensor(1), tensor(2, { dtype: 'float64' })]), [1, 2], 'float64');
    expect(stack([zeros([2, 0]), zeros([2, 0])], 1).shape).toEqual([2, 2, 0]);
    expect(stack([zeros([0]), zeros([0])], 1).shape).toEqual([0, 2]);
    expect(stack([zeros([0]), zeros([0])]).shape).toEqual([2, 0]);
  });

  it('names mismatches', () => {
    expect(() => stack([zeros([2, 3]), zeros([3, 2])])).toThrow(
      'stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [3, 2] at entry 1',
    );
    expect(() => stack([zeros([2]), zeros([2]), zeros([3])])).toThrow(
      /but got \[2\] at entry 0 and \[3\] at entry 2/,
    );
    expect(() => stack([])).toThrow('stack expects a non-empty list of tensors');
    expect(() => stack([a, b], 3)).toThrow(
      'dim 3 out of range for a 3-d tensor (expected a dim in [-3, 2])',
    );
  });
});

describe('split', () => {
  const x = arange(10).view(2, 5);

  it('splits into equal pieces with a smaller last one', () => {
    const parts = split(arange(5), 2);
    expect(parts.map((p) => p.toArray())).toEqual([[0, 1], [2, 3], [4]]);
    expect(shapes(split(arange(5), 7))).toEqual([[5]]);
    expect(shapes(x.split(2, 1))).toEqual([
      [2, 2],
      [2, 2],
      [2, 1],
    ]);
    expect(shapes(x.split(1))).toEqual([
      [1, 5],
      [1, 5],
    ]);
  });

  it('splits by a list of sizes', () => {
    const parts = x.split([1, 3, 1], 1);
    expect(parts.map((p) => p.toArray())).toEqual([
      [[0], [5]],
      [
        [1, 2, 3],
        [6, 7, 8],
      ],
      [[4], [9]],
    ]);
    expect(shapes(x.split([0, 5, 0], -1))).toEqual([
      [2, 0],
      [2, 5],
      [2, 0],
    ]);
  });

  it('returns views of the input', () => {
    const y = arange(6);
    const [p, q] = y.split([2, 4]);
    expect(p!.storage).toBe(y.storage);
    expect(q!.offset).toBe(2);
    q!.fill_(-1);
    expect(y.toArray()).toEqual([0, 1, -1, -1, -1, -1]);
    expect(y.version).toBe(1);
  });

  it('handles empty dims like PyTorch', () => {
    expect(shapes(zeros([0]).split(2))).toEqual([[0]]);
    expect(shapes(zeros([0]).split(0))).toEqual([[0]]);
    expect(shapes(zeros([2, 0]).split(1))).toEqual([
      [1, 0],
      [1, 0],
    ]);
    expect(shapes(zeros([2, 0]).split(2, 1))).toEqual([[2, 0]]);
    expect(shapes(zeros([0, 2]).split([0, 0]))).toEqual([
      [0, 2],
      [0, 2],
    ]);
  });

  it('names bad sizes', () => {
    expect(() => arange(5).split(0)).toThrow(
      'split: split size must be a positive integer (0 only for a dim of size 0), got 0 for dim 0 of size 5',
    );
    expect(() => arange(5).split(-1)).toThrow(/split size must be a positive integer .* got -1/);
    expect(() => arange(5).split(1.5)).toThrow(
      /split: splitSize must be an integer.*got number 1\.5/,
    );
    expect(() => arange(5).split([2, 2])).toThrow(
      "split_with_sizes expects split sizes to sum exactly to 5 (input tensor's size at dimension 0), but got split sizes [2, 2]",
    );
    expect(() => arange(5).split([3, -1, 3])).toThrow(
      'split_with_sizes expects split sizes to be non-negative integers, but got split sizes [3, -1, 3]',
    );
    expect(() => tensor(1).split(1)).toThrow('split expects at least a 1-dimensional tensor');
    expect(() => arange(5).split(1, 1)).toThrow(/dim 1 out of range for a 1-d tensor/);
  });
});

describe('chunk', () => {
  it("uses PyTorch's piece sizes: ceil(n / chunks), possibly fewer pieces", () => {
    const sizes = (n: number, c: number): number[] => chunk(arange(n), c).map((p) => p.shape[0]!);
    expect(sizes(5, 3)).toEqual([2, 2, 1]);
    expect(sizes(6, 4)).toEqual([2, 2, 2]);
    expect(sizes(2, 5)).toEqual([1, 1]);
    expect(sizes(7, 3)).toEqual([3, 3, 1]);
    expect(sizes(10, 4)).toEqual([3, 3, 3, 1]);
    expect(sizes(6, 1)).toEqual([6]);
    expect(sizes(1, 3)).toEqual([1]);
  });

  it('splits the given dim into views', () => {
    const x = arange(10).view(5, 2);
    const parts = x.chunk(2);
    expect(parts.map((p) => p.toArray())).toEqual([
      [
        [0, 1],
        [2, 3],
        [4, 5],
      ],
      [
        [6, 7],
        [8, 9],
      ],
    ]);
    expect(parts.every((p) => p.storage === x.storage)).toBe(true);
    expect(shapes(x.chunk(2, -1))).toEqual([
      [5, 1],
      [5, 1],
    ]);
  });

  it('gives `chunks` empty pieces for an empty dim (torch: zeros(0).chunk(3) has three)', () => {
    expect(shapes(zeros([0]).chunk(3))).toEqual([[0], [0], [0]]);
    expect(shapes(zeros([2, 0]).chunk(3, 1))).toEqual([
      [2, 0],
      [2, 0],
      [2, 0],
    ]);
    expect(shapes(zeros([2, 0]).chunk(3))).toEqual([
      [1, 0],
      [1, 0],
    ]);
  });

  it('names bad arguments', () => {
    expect(() => arange(4).chunk(0)).toThrow(
      'chunk expects chunks to be a positive integer, got 0',
    );
    expect(() => arange(4).chunk(1.5)).toThrow('chunk: chunks must be an integer, got number 1.5');
    expect(() => tensor(2).chunk(1)).toThrow('chunk expects at least a 1-dimensional tensor');
    expect(() => arange(4).chunk(2, 1)).toThrow(/dim 1 out of range for a 1-d tensor/);
  });
});

describe('unbind', () => {
  it('returns each index of a dim as a view', () => {
    const x = arange(6).view(2, 3);
    const rows = x.unbind();
    expect(rows.map((r) => r.toArray())).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    const cols = unbind(x, -1);
    expect(cols.map((c) => c.toArray())).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    cols[1]!.fill_(9);
    expect(x.toArray()).toEqual([
      [0, 9, 2],
      [3, 9, 5],
    ]);
    expect(tensor([4]).unbind()[0]!.shape).toEqual([]);
  });

  it('handles empty dims', () => {
    expect(zeros([2, 0]).unbind(1)).toEqual([]);
    expect(shapes(zeros([0, 3]).unbind(1))).toEqual([[0], [0], [0]]);
  });

  it('names bad dims', () => {
    expect(() => tensor(1).unbind()).toThrow(
      'unbind: dimension specified as 0 but the tensor has no dimensions',
    );
    expect(() => zeros([2]).unbind(1)).toThrow(/dim 1 out of range for a 1-d tensor/);
  });
});

describe('repeat', () => {
  it('tiles along each dim, adding leading dims', () => {
    const x = arange(6).view(2, 3);
    expectTensor(
      x.repeat(2, 1, 2),
      [
        [
          [0, 1, 2, 0, 1, 2],
          [3, 4, 5, 3, 4, 5],
        ],
        [
          [0, 1, 2, 0, 1, 2],
          [3, 4, 5, 3, 4, 5],
        ],
      ],
      'int32',
    );
    expectTensor(x.t().repeat([1, 2]), [
      [0, 3, 0, 3],
      [1, 4, 1, 4],
      [2, 5, 2, 5],
    ]);
    expectTensor(tensor([1, 2]).repeat(3), [1, 2, 1, 2, 1, 2], 'float32');
    expectTensor(tensor(5).repeat(2, 2), [
      [5, 5],
      [5, 5],
    ]);
    expectTensor(tensor([true, false]).repeat(2), [true, false, true, false], 'bool');
  });

  it('always copies, even when every count is 1', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    for (const r of [x.repeat(1, 1), tensor(3).repeat([]), repeat(x, [1, 1, 1])]) {
      expect(r.storage).not.toBe(x.storage);
      r.fill_(0);
    }
    expect(x.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const s = tensor(3);
    const r0 = s.repeat([]);
    expect(r0.storage).not.toBe(s.storage);
    expect(r0.shape).toEqual([]);
  });

  it('handles zero counts and empty inputs', () => {
    expect(zeros([3]).repeat(2, 0).shape).toEqual([2, 0]);
    expect(zeros([2, 0]).repeat(3, 2).shape).toEqual([6, 0]);
    expect(zeros([0]).repeat(4).shape).toEqual([0]);
  });

  it('names bad counts', () => {
    expect(() => zeros([2, 3]).repeat(2)).toThrow(
      'Number of dimensions of repeat dims (1) can not be smaller than number of dimensions of tensor (2)',
    );
    expect(() => zeros([3]).repeat(-1)).toThrow(
      'repeat: repeat counts must be non-negative integers, got [-1]',
    );
    expect(() => zeros([3]).repeat(2.5)).toThrow(
      'repeat: sizes must be integers or one array of integers, got number 2.5 at position 0',
    );
  });
});
