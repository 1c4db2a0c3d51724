import { describe, expect, it } from 'vitest';
import { Generator, manualSeed, tensor } from '@gd/autograd';
import {
  BatchSampler,
  RandomSampler,
  SequentialSampler,
  SubsetRandomSampler,
  WeightedRandomSampler,
  drawSeed,
  generatorFromSeed,
} from './index.js';

// Golden values: PyTorch 1.13 (/tmp golden scripts), e.g.
//   torch.manual_seed(0); list(RandomSampler(range(10)))

describe('drawSeed', () => {
  it('equals torch.empty((), dtype=torch.int64).random_() after torch.manual_seed(s)', () => {
    const golden: [number, bigint][] = [
      [0, 900450186894289455n],
      [1, 7692698082559361259n],
      [42, 6909045637428952499n],
      [12345, 7925018004216163813n],
    ];
    for (const [s, v] of golden) expect(drawSeed(manualSeed(s))).toBe(v);
  });

  it('seeds a generator from the low 32 bits, as mt19937 does', () => {
    const g = generatorFromSeed(900450186894289455n);
    expect(g.initialSeed()).toBe(Number(900450186894289455n & 0xffffffffn));
  });
});

describe('SequentialSampler and BatchSampler', () => {
  it('visit indices in order and group them', () => {
    expect([...new SequentialSampler(4)]).toEqual([0, 1, 2, 3]);
    expect(new SequentialSampler({ length: 7 }).length).toBe(7);
    const b = new BatchSampler(new SequentialSampler(10), 3, false);
    expect([...b]).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    expect(b.length).toBe(4);
    const d = new BatchSampler(new SequentialSampler(10), 3, true);
    expect([...d]).toEqual([
      [0, 1, 2],
      [3, 4, 5],
      [6, 7, 8],
    ]);
    expect(d.length).toBe(3);
    expect(new BatchSampler(new SequentialSampler(9), 3, true).length).toBe(3);
    expect(() => new BatchSampler(new SequentialSampler(9), 0, false)).toThrow(
      /batchSize should be a positive integer value, but got batchSize=0/,
    );
    expect(() => new BatchSampler(new SequentialSampler(9), 2, 'no' as never)).toThrow(
      /dropLast should be a boolean value/,
    );
  });
});

describe('RandomSampler (PyTorch 1.13 streams)', () => {
  it('without a generator: draws a seed from the global generator, then randperm', () => {
    manualSeed(0);
    expect([...new RandomSampler(10)]).toEqual([6, 9, 0, 7, 3, 5, 4, 2, 1, 8]);
  });

  it('with replacement: randint in chunks of 32', () => {
    const s = new RandomSampler(10, {
      replacement: true,
      numSamples: 40,
      generator: new Generator(5),
    });
    expect(s.length).toBe(40);
    expect([...s]).toEqual([
      1, 4, 7, 5, 6, 0, 2, 3, 8, 4, 9, 0, 1, 2, 8, 8, 3, 0, 7, 9, 9, 7, 2, 9, 4, 7, 1, 9, 3, 6, 4,
      4, 5, 4, 0, 5, 7, 4, 5, 9,
    ]);
  });

  it('numSamples beyond n: whole permutations, then a prefix of one more (always drawn)', () => {
    const g = new Generator(5);
    expect([...new RandomSampler(10, { numSamples: 25, generator: g })]).toEqual([
      1, 4, 9, 6, 3, 5, 0, 2, 8, 7, 4, 2, 8, 7, 6, 1, 0, 3, 5, 9, 7, 5, 0, 4, 3,
    ]);
    expect(Array.from(g.randperm(10))).toEqual([9, 3, 8, 6, 1, 5, 2, 4, 0, 7]);
    const h = new Generator(5);
    expect([...new RandomSampler(10, { numSamples: 20, generator: h })]).toEqual([
      1, 4, 9, 6, 3, 5, 0, 2, 8, 7, 4, 2, 8, 7, 6, 1, 0, 3, 5, 9,
    ]);
    // PyTorch draws (and discards) an empty prefix of a third permutation here too
    expect(Array.from(h.randperm(10))).toEqual([9, 3, 8, 6, 1, 5, 2, 4, 0, 7]);
  });

  it('follows the data set length and checks its options', () => {
    const ds = { length: 3 };
    const s = new RandomSampler(ds, { generator: new Generator(0) });
    expect([...s].sort()).toEqual([0, 1, 2]);
    expect(() => new RandomSampler(10, { numSamples: 0 })).toThrow(
      /numSamples should be a positive integer value, but got numSamples=0/,
    );
    expect(() => new RandomSampler(10, { replacement: 1 as never })).toThrow(
      /replacement should be a boolean value/,
    );
    expect(() => new RandomSampler('x' as never)).toThrow(/expected a data set/);
  });
});

describe('SubsetRandomSampler', () => {
  it('permutes the given indices with randperm', () => {
    const s = new SubsetRandomSampler([10, 20, 30, 40, 50], { generator: new Generator(0) });
    expect([...s]).toEqual([50, 10, 20, 40, 30]);
    expect(s.length).toBe(5);
  });
});

describe('WeightedRandomSampler (torch.multinomial)', () => {
  const w = [0.1, 0.9, 0.4, 0.7, 3.0, 0.6];

  it('with replacement equals PyTorch', () => {
    const s = new WeightedRandomSampler(w, 20, { generator: new Generator(0) });
    expect([...s]).toEqual([5, 4, 4, 5, 4, 4, 2, 3, 4, 3, 4, 2, 3, 4, 4, 4, 4, 2, 4, 4]);
    expect(s.length).toBe(20);
  });

  it('without replacement, and for a single sample, equals PyTorch', () => {
    const g = new Generator(0);
    expect([...new WeightedRandomSampler(w, 5, { replacement: false, generator: g })]).toEqual([
      4, 1, 2, 5, 3,
    ]);
    // torch.multinomial(w, 1, replacement) for seeds 0..5, and without replacement
    const one = (seed: number, replacement: boolean): number[] => [
      ...new WeightedRandomSampler(w, 1, { replacement, generator: new Generator(seed) }),
    ];
    expect([0, 1, 2, 3, 4, 5].map((s) => one(s, true)[0])).toEqual([5, 1, 5, 1, 4, 4]);
    expect([0, 1, 2, 3, 4, 5].map((s) => one(s, false)[0])).toEqual([4, 5, 1, 3, 2, 4]);
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const s = new WeightedRandomSampler(ten, 10, {
      replacement: false,
      generator: new Generator(2),
    });
    expect([...s]).toEqual([6, 7, 1, 9, 5, 8, 3, 2, 4, 0]);
  });

  it('draws in proportion to the weights', () => {
    const n = 100000;
    const s = new WeightedRandomSampler(tensor([1, 2, 3, 4, 0]), n, {
      generator: new Generator(7),
    });
    const counts = [0, 0, 0, 0, 0];
    for (const i of s) counts[i]! += 1;
    const expected = [0.1, 0.2, 0.3, 0.4];
    expected.forEach((p, i) => {
      // 5 standard deviations of a binomial proportion
      expect(Math.abs(counts[i]! / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    });
    expect(counts[4]).toBe(0);
    // without replacement every index appears once, the heaviest tend to come first
    let firstIsHeavy = 0;
    const g = new Generator(11);
    for (let k = 0; k < 2000; k++) {
      const order = [
        ...new WeightedRandomSampler([1, 1, 1, 7], 4, { replacement: false, generator: g }),
      ];
      expect([...order].sort()).toEqual([0, 1, 2, 3]);
      if (order[0] === 3) firstIsHeavy++;
    }
    expect(Math.abs(firstIsHeavy / 2000 - 0.7)).toBeLessThan(0.05);
  });

  it('rejects invalid weights and counts', () => {
    expect(() => new WeightedRandomSampler([1, -1], 2)).toThrow(/probability entry < 0/);
    expect(() => new WeightedRandomSampler([0, 0], 2)).toThrow(/sum of probabilities <= 0/);
    expect(() => new WeightedRandomSampler([1, Infinity], 2)).toThrow(/infinity or NaN/);
    expect(() => new WeightedRandomSampler([1, 2], 0)).toThrow(
      /numSamples should be a positive integer value/,
    );
    expect(() => new WeightedRandomSampler([1, 0, 2], 3, { replacement: false })).toThrow(
      /cannot sample 3 indices without replacement from 2 with non-zero weight/,
    );
    expect(() => new WeightedRandomSampler(tensor([[1, 2]]), 1)).toThrow(
      /weights should be a 1d sequence but given weights have shape \[1, 2\]/,
    );
  });
});
