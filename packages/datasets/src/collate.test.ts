import { describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { tensor } from '@gd/autograd';
import { defaultCollate } from './index.js';
import type { Collated } from './index.js';

// PyTorch's default_collate, with gd's dtypes: int64 -> int32, and float numbers -> float32
// (PyTorch makes float64 of Python floats).

describe('defaultCollate', () => {
  it('stacks tensors along a new first dim', () => {
    const b = defaultCollate([tensor([1, 2]), tensor([3, 4]), tensor([5, 6])]);
    expect(b.shape).toEqual([3, 2]);
    expect(b.toArray()).toEqual([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(() => defaultCollate([tensor([1, 2]), tensor([1])])).toThrow(
      /stack expects each tensor to be equal size/,
    );
  });

  it('turns numbers into int32 (integers) or float32 tensors, booleans into bool', () => {
    const ints = defaultCollate([0, 1, 2, 3]);
    expect(ints.dtype).toBe('int32');
    expect(ints.toArray()).toEqual([0, 1, 2, 3]);
    const floats = defaultCollate([0.5, 1, 2]);
    expect(floats.dtype).toBe('float32');
    expect(floats.toArray()).toEqual([0.5, 1, 2]);
    expect(defaultCollate([2 ** 40, 1]).dtype).toBe('float64');
    const bools = defaultCollate([true, false]);
    expect(bools.dtype).toBe('bool');
    expect(bools.toArray()).toEqual([true, false]);
  });

  it('keeps strings as a list', () => {
    expect(defaultCollate(['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
  });

  it('collates tuples position by position, and plain objects key by key', () => {
    const samples: [Tensor, number][] = [
      [tensor([1, 2]), 0],
      [tensor([3, 4]), 1],
    ];
    const [x, y]: Collated<[Tensor, number]> = defaultCollate(samples);
    expect(x.shape).toEqual([2, 2]);
    expect(y.toArray()).toEqual([0, 1]);
    expect(y.dtype).toBe('int32');
    const dicts = defaultCollate([
      { A: 0, B: 1, name: 'x' },
      { A: 100, B: 100, name: 'y' },
    ]);
    // PyTorch: {'A': tensor([0, 100]), 'B': tensor([1, 100])}
    expect(dicts.A.toArray()).toEqual([0, 100]);
    expect(dicts.B.toArray()).toEqual([1, 100]);
    expect(dicts.name).toEqual(['x', 'y']);
    // PyTorch: default_collate([[0, 1], [2, 3]]) -> [tensor([0, 2]), tensor([1, 3])]
    const nested = defaultCollate([
      [0, 1],
      [2, 3],
    ]);
    expect(nested.map((t) => t.toArray())).toEqual([
      [0, 2],
      [1, 3],
    ]);
    const deep = defaultCollate([{ p: [1, { q: 2.5 }] as const }, { p: [3, { q: 4 }] as const }]);
    expect(deep.p[0].toArray()).toEqual([1, 3]);
    expect(deep.p[1].q.toArray()).toEqual([2.5, 4]);
  });

  it('stacks typed-array rows', () => {
    const b = defaultCollate([new Float64Array([1, 2]), new Float64Array([3, 4])]);
    expect(b.dtype).toBe('float64');
    expect(b.shape).toEqual([2, 2]);
    expect(defaultCollate([new Int32Array([7]), new Int32Array([8])]).dtype).toBe('int32');
    expect(() => defaultCollate([new Float32Array(2), new Float32Array(3)])).toThrow(
      /typed arrays must have equal lengths/,
    );
  });

  it('rejects what PyTorch rejects, with clear messages', () => {
    expect(() => defaultCollate([])).toThrow(/non-empty array of samples/);
    expect(() =>
      defaultCollate([
        [1, 2],
        [3, 4, 5],
      ]),
    ).toThrow(/each element in list of batch should be of equal size/);
    expect(() => defaultCollate([1, 'a'] as never)).toThrow(
      /sample 0 is a number but sample 1 is string/,
    );
    const img = { data: new Uint8Array(4), height: 2, width: 2, channels: 1 };
    expect(() => defaultCollate([img, img])).toThrow(/raw Images .*add a ToTensor transform/);
    expect(() => defaultCollate([null, null])).toThrow(/batch must contain tensors, .*found null/);
    expect(() => defaultCollate([{ a: 1 }, { b: 2 }] as never)).toThrow(/sample 1 has no key "a"/);
  });
});
