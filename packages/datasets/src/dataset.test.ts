import { describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { Generator, arange, manualSeed, randn, tensor } from '@gd/autograd';
import type { Dataset } from './index.js';
import {
  ConcatDataset,
  DataLoader,
  Subset,
  TensorDataset,
  defaultCollate,
  randomSplit,
} from './index.js';

const range = (n: number): Dataset<number> => ({ length: n, get: (i) => i });
const indicesOf = (subsets: Subset<number>[]): number[][] => subsets.map((s) => [...s.indices]);

describe('TensorDataset', () => {
  it('returns each tensor row, and whole batches with getBatch', () => {
    const X = randn([5, 3]);
    const y = tensor([0, 1, 2, 3, 4], { dtype: 'int32' });
    const ds = new TensorDataset(X, y);
    expect(ds.length).toBe(5);
    const [x2, y2] = ds.get(2);
    expect(x2!.shape).toEqual([3]);
    expect(x2!.toArray()).toEqual(X.select(0, 2).toArray());
    expect(y2!.item()).toBe(2);
    const [xb, yb] = ds.getBatch([4, 0, 4]);
    expect(xb!.shape).toEqual([3, 3]);
    expect(yb!.toArray()).toEqual([4, 0, 4]);
    const collated = defaultCollate([ds.get(4), ds.get(0), ds.get(4)]);
    expect(xb!.toArray()).toEqual(collated[0]!.toArray());
    expect(() => new TensorDataset(X, tensor([1, 2]))).toThrow(
      /size mismatch between tensors: tensor 0 has 5 rows but tensor 1 has 2/,
    );
    expect(() => ds.get(5)).toThrow(
      /TensorDataset: index 5 is out of range for a data set of length 5/,
    );
    expect(() => new TensorDataset()).toThrow(/at least one tensor/);
  });
});

describe('Subset and ConcatDataset', () => {
  it('Subset maps indices and keeps getBatch only when the data set has it', () => {
    const ds = new TensorDataset(arange(10, { dtype: 'int32' }).mul(10));
    const sub = new Subset(ds, [3, 1, 4]);
    expect(sub.length).toBe(3);
    expect(sub.get(0)[0]!.item()).toBe(30);
    expect(sub.getBatch!([2, 0])[0]!.toArray()).toEqual([40, 30]);
    expect(new Subset(range(5), [1]).getBatch).toBeUndefined();
    expect(() => new Subset(ds, [10])).toThrow(/Subset: index 10 is out of range/);
    expect(() => sub.get(3)).toThrow(/index 3 is out of range for a data set of length 3/);
  });

  it('ConcatDataset locates indices and merges getBatch results in order', () => {
    const a = new TensorDataset(arange(3, { dtype: 'int32' }), tensor([0, 0, 0]));
    const b = new TensorDataset(arange(100, 105, 1, { dtype: 'int32' }), tensor([1, 1, 1, 1, 1]));
    const cat = new ConcatDataset([a, b]);
    expect(cat.length).toBe(8);
    expect(cat.cumulativeSizes).toEqual([3, 8]);
    expect(cat.get(2)[0]!.item()).toBe(2);
    expect(cat.get(3)[0]!.item()).toBe(100);
    expect(cat.get(7)[0]!.item()).toBe(104);
    const idx = [7, 0, 3, 2, 5];
    const [xb, yb] = cat.getBatch!(idx);
    expect(xb!.toArray()).toEqual([104, 0, 100, 2, 102]);
    expect(yb!.toArray()).toEqual([1, 0, 1, 0, 1]);
    // the loader result equals collating get()
    const viaGet = defaultCollate(idx.map((i) => cat.get(i)));
    expect(viaGet[0]!.toArray()).toEqual(xb!.toArray());
    expect(new ConcatDataset([range(2), range(3)]).getBatch).toBeUndefined();
    expect(new ConcatDataset([range(2), range(3)]).get(4)).toBe(2);
    expect(() => new ConcatDataset([])).toThrow(/datasets should not be an empty iterable/);
    expect(() => cat.get(8)).toThrow(/ConcatDataset: index 8 is out of range/);
  });

  it('a DataLoader over a ConcatDataset of batched parts yields the same as get + collate', () => {
    const a = new TensorDataset(arange(4, { dtype: 'int32' }));
    const b = new TensorDataset(arange(10, 13, 1, { dtype: 'int32' }));
    const cat = new ConcatDataset([a, b]);
    manualSeed(1);
    const fast = [...new DataLoader(cat, { batchSize: 3, shuffle: true })].map((x) =>
      x[0]!.toArray(),
    );
    manualSeed(1);
    const slow = [
      ...new DataLoader(cat, {
        batchSize: 3,
        shuffle: true,
        collate: (s: Tensor[][]) => defaultCollate(s),
      }),
    ].map((x) => x[0]!.toArray());
    expect(fast).toEqual(slow);
  });
});

describe('randomSplit (PyTorch random_split)', () => {
  it('splits by lengths with the generator', () => {
    const g = new Generator(42);
    expect(indicesOf(randomSplit(range(10), [3, 7], { generator: g }))).toEqual([
      [2, 6, 1],
      [8, 4, 5, 0, 9, 3, 7],
    ]);
    manualSeed(0); // default: the global generator
    expect(indicesOf(randomSplit(range(8), [5, 3]))).toEqual([
      [4, 0, 7, 3, 2],
      [5, 1, 6],
    ]);
  });

  it('splits by fractions, handing out the remainder round-robin', () => {
    expect(
      indicesOf(randomSplit(range(30), [0.3, 0.3, 0.4], { generator: new Generator(42) })),
    ).toEqual([
      [12, 0, 6, 25, 8, 15, 10, 18, 16],
      [23, 28, 26, 20, 7, 21, 22, 29, 13],
      [14, 2, 4, 1, 9, 11, 17, 19, 27, 5, 24, 3],
    ]);
    expect(indicesOf(randomSplit(range(11), [0.5, 0.5], { generator: new Generator(1) }))).toEqual([
      [0, 10, 2, 3, 7, 6],
      [4, 8, 1, 9, 5],
    ]);
    expect(
      indicesOf(randomSplit(range(7), [0.1, 0.2, 0.3, 0.4], { generator: new Generator(3) })),
    ).toEqual([[5], [3, 4], [6, 0], [2, 1]]);
  });

  it('keeps getBatch and rejects bad lengths', () => {
    const ds = new TensorDataset(arange(10, { dtype: 'int32' }));
    const [train, val] = randomSplit(ds, [0.8, 0.2], { generator: new Generator(0) });
    expect(train.length + val.length).toBe(10);
    expect(train.getBatch).toBeDefined();
    expect(() => randomSplit(range(10), [3, 6])).toThrow(
      /sum of input lengths \(9\) does not equal the length of the input dataset \(10\)/,
    );
    expect(() => randomSplit(range(10), [1.5, -0.5])).toThrow(
      /fraction at index 0 is not between 0 and 1/,
    );
    expect(() => randomSplit(range(10), [2.5, 7.5])).toThrow(
      /length at index 0 must be a non-negative integer/,
    );
  });
});
