import { describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { Generator, arange, manualSeed, randn, tensor } from '@gd/autograd';
import type { BatchedDataset, Dataset, IterableDataset } from './index.js';
import { BatchSampler, DataLoader, SequentialSampler, TensorDataset } from './index.js';

// Golden orders: PyTorch 1.13,
//   loader = DataLoader(TensorDataset(torch.arange(10)), batch_size=3, shuffle=True)
//   torch.manual_seed(s); [b[0].tolist() for b in loader]  (then a second epoch)

function order(loader: DataLoader<Tensor[], Tensor[]>): number[][] {
  return [...loader].map((b) => b[0]!.toArray() as number[]);
}

const ten = new TensorDataset(arange(10, { dtype: 'int32' }));

describe('DataLoader batches', () => {
  it('has batch shapes, a last partial batch and dropLast', () => {
    const X = randn([10, 3]);
    const y = arange(10, { dtype: 'int32' });
    const loader = new DataLoader(new TensorDataset(X, y), { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = [...loader];
    expect(batches.map(([xb, yb]) => [xb!.shape, yb!.shape])).toEqual([
      [[4, 3], [4]],
      [[4, 3], [4]],
      [[2, 3], [2]],
    ]);
    expect(batches[2]![1]!.toArray()).toEqual([8, 9]);
    expect(batches[0]![0]!.toArray()).toEqual(X.slice(0, 0, 4).toArray());
    const dropped = new DataLoader(new TensorDataset(X, y), { batchSize: 4, dropLast: true });
    expect(dropped.length).toBe(2);
    expect([...dropped].length).toBe(2);
    expect(new DataLoader(ten).length).toBe(10); // batchSize defaults to 1
  });

  it('uses getBatch when the data set has it (no per-sample get), once per batch', () => {
    const calls: number[][] = [];
    let gets = 0;
    const ds: BatchedDataset<number, number[]> = {
      length: 7,
      get: (i) => {
        gets++;
        return i;
      },
      getBatch: (indices) => {
        calls.push([...indices]);
        return [...indices];
      },
    };
    const out = [...new DataLoader(ds, { batchSize: 3 })];
    expect(out).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
    expect(calls).toEqual(out);
    expect(gets).toBe(0);
    // a collate given explicitly wins, and is used with get
    const summed = [
      ...new DataLoader(ds, {
        batchSize: 3,
        collate: (s: number[]) => s.reduce((a, b) => a + b, 0),
      }),
    ];
    expect(summed).toEqual([3, 12, 6]);
    expect(gets).toBe(7);
  });

  it('collates samples with defaultCollate otherwise', () => {
    const ds: Dataset<{ x: Tensor; label: number }> = {
      length: 5,
      get: (i) => ({ x: tensor([i, -i]), label: i % 2 }),
    };
    const batches = [...new DataLoader(ds, { batchSize: 2 })];
    expect(batches.length).toBe(3);
    expect(batches[0]!.x.toArray()).toEqual([
      [0, -0],
      [1, -1],
    ]);
    expect(batches[0]!.label.dtype).toBe('int32');
    expect(batches[2]!.label.toArray()).toEqual([0]);
  });

  it('accepts a sampler or a batchSampler, with PyTorch checks', () => {
    const rev = {
      length: 10,
      *[Symbol.iterator]() {
        for (let i = 9; i >= 0; i--) yield i;
      },
    };
    expect(order(new DataLoader(ten, { batchSize: 4, sampler: rev }))).toEqual([
      [9, 8, 7, 6],
      [5, 4, 3, 2],
      [1, 0],
    ]);
    const bs = new BatchSampler(new SequentialSampler(10), 5, false);
    const loader = new DataLoader(ten, { batchSampler: bs });
    expect(loader.length).toBe(2);
    expect(order(loader)).toEqual([
      [0, 1, 2, 3, 4],
      [5, 6, 7, 8, 9],
    ]);
    expect(() => new DataLoader(ten, { sampler: rev, shuffle: true })).toThrow(
      /sampler option is mutually exclusive with shuffle/,
    );
    expect(() => new DataLoader(ten, { batchSampler: bs, batchSize: 2 })).toThrow(
      /batchSampler option is mutually exclusive with batchSize, shuffle, sampler, and dropLast/,
    );
    expect(() => new DataLoader(ten, { batchSize: 0 })).toThrow(
      /batchSize should be a positive integer/,
    );
    expect(() => new DataLoader(42 as never)).toThrow(/expected a data set/);
  });

  it('batches an iterable data set in its own order', () => {
    const stream: IterableDataset<number> = {
      length: 5,
      *[Symbol.iterator]() {
        for (let i = 0; i < 5; i++) yield i * 10;
      },
    };
    const loader = new DataLoader(stream, { batchSize: 2 });
    expect(loader.length).toBe(3);
    expect([...loader].map((b) => b.toArray())).toEqual([[0, 10], [20, 30], [40]]);
    expect([...new DataLoader(stream, { batchSize: 2, dropLast: true })].length).toBe(2);
    expect(() => new DataLoader(stream, { shuffle: true })).toThrow(
      /iterable data set has its own order/,
    );
  });
});

describe('DataLoader shuffling equals PyTorch', () => {
  it('with the global generator: first and second epoch', () => {
    const loader = new DataLoader(ten, { batchSize: 3, shuffle: true });
    manualSeed(0);
    expect(order(loader)).toEqual([[6, 7, 1], [4, 2, 0], [9, 8, 3], [5]]);
    expect(order(loader)).toEqual([[2, 4, 7], [0, 8, 9], [5, 3, 6], [1]]);
    manualSeed(42);
    expect(order(loader)).toEqual([[8, 0, 9], [1, 4, 5], [6, 3, 2], [7]]);
    expect(order(loader)).toEqual([[4, 6, 9], [3, 7, 5], [2, 0, 1], [8]]);
  });

  it('with dropLast', () => {
    const loader = new DataLoader(ten, { batchSize: 3, shuffle: true, dropLast: true });
    manualSeed(3);
    expect(order(loader)).toEqual([
      [6, 2, 0],
      [1, 8, 3],
      [5, 4, 7],
    ]);
    expect(order(loader)).toEqual([
      [3, 4, 0],
      [9, 6, 7],
      [1, 2, 5],
    ]);
  });

  it('with a generator', () => {
    const g0 = new Generator(0);
    const loader0 = new DataLoader(ten, { batchSize: 4, shuffle: true, generator: g0 });
    expect(order(loader0)).toEqual([
      [3, 7, 5, 2],
      [0, 8, 1, 6],
      [9, 4],
    ]);
    expect(order(loader0)).toEqual([
      [1, 3, 2, 7],
      [5, 9, 0, 6],
      [4, 8],
    ]);
    const loader7 = new DataLoader(ten, {
      batchSize: 4,
      shuffle: true,
      generator: new Generator(7),
    });
    expect(order(loader7)).toEqual([
      [1, 3, 5, 7],
      [9, 4, 6, 2],
      [8, 0],
    ]);
    expect(order(loader7)).toEqual([
      [5, 1, 6, 0],
      [9, 7, 8, 4],
      [3, 2],
    ]);
  });

  it('at MNIST scale: two epochs of 60,000 and 54,000 indices', () => {
    // order[:8], order[-4:] and sum(order[i] * i) of each epoch, from PyTorch
    const golden: [number, number, number, number[], number[], number, number][] = [
      [
        1000,
        100,
        0,
        [226, 331, 747, 309, 589, 626, 71, 647],
        [427, 244, 431, 855],
        249573300,
        249172800,
      ],
      [
        60000,
        128,
        0,
        [11226, 15289, 1783, 11687, 36541, 43941, 49263, 7244],
        [16357, 15953, 53751, 54000],
        54046163468734,
        54033710927947,
      ],
      [
        54000,
        128,
        1,
        [42894, 8134, 36112, 11223, 22052, 6082, 48313, 52098],
        [52608, 32670, 47519, 2858],
        39397157370008,
        39356034161749,
      ],
    ];
    for (const [n, bs, seed, head, tail, sum1, sum2] of golden) {
      const loader = new DataLoader(new TensorDataset(arange(n, { dtype: 'int32' })), {
        batchSize: bs,
        shuffle: true,
      });
      manualSeed(seed);
      const e1 = order(loader).flat();
      const e2 = order(loader).flat();
      expect(e1.slice(0, 8)).toEqual(head);
      expect(e1.slice(-4)).toEqual(tail);
      expect(e1.reduce((a, v, i) => a + v * i, 0)).toBe(sum1);
      expect(e2.reduce((a, v, i) => a + v * i, 0)).toBe(sum2);
    }
  });

  it('is deterministic for a seed and differs between epochs', () => {
    const big = new TensorDataset(arange(1000, { dtype: 'int32' }));
    const loader = new DataLoader(big, { batchSize: 100, shuffle: true });
    manualSeed(123);
    const a1 = order(loader).flat();
    const a2 = order(loader).flat();
    manualSeed(123);
    const b1 = order(loader).flat();
    expect(b1).toEqual(a1);
    expect(a2).not.toEqual(a1);
    expect([...a1].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('draws the iterator seed when the iterator is created, the sampler seed at the first batch', () => {
    const loader = new DataLoader(ten, { batchSize: 3, shuffle: true });
    manualSeed(0);
    const it1 = loader[Symbol.iterator]();
    const first = it1.next().value as Tensor[];
    expect(first[0]!.toArray()).toEqual([6, 7, 1]);
  });
});
