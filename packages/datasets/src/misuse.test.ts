/**
 * Misuse of the data pipeline, generated from one table of DataLoader options: a wrong kind
 * names the option, an unknown one is named; TensorDataset names a wrong argument and takes
 * NDArrays as constant Tensors.
 */
import { describe, expect, it } from 'vitest';
import { tensor } from '@gd/autograd';
import * as T from '@gd/tensor';
import {
  DataLoader,
  FashionMNIST,
  MNIST,
  RandomAffine,
  RandomCrop,
  RandomSampler,
  SubsetRandomSampler,
  TensorDataset,
  WeightedRandomSampler,
} from './index.js';
import { MNIST_KINDS, MNIST_OPTIONS } from './mnist.js';

const data = () => new TensorDataset(tensor([[1], [2], [3], [4]]), tensor([0, 1, 0, 1]));

const WRONG: readonly [string, unknown][] = [
  ['batchSize', '2'],
  ['shuffle', 'yes'],
  ['dropLast', 1],
  ['sampler', 3],
  ['batchSampler', 3],
  ['collate', 'stack'],
  ['generator', 42],
];

describe('DataLoader options: wrong kinds and unknown keys are named', () => {
  it.each(WRONG)('%s', (key, value) => {
    expect(() => new DataLoader(data(), { [key]: value } as never)).toThrow(TypeError);
    expect(() => new DataLoader(data(), { [key]: value } as never)).toThrow(
      `DataLoader: ${key} must be`,
    );
  });
  it('an unknown or misspelt option', () => {
    expect(() => new DataLoader(data(), { batch_size: 2 } as never)).toThrow(
      "DataLoader: unknown option 'batch_size'",
    );
    expect(() => new DataLoader(data(), { batchsize: 2 } as never)).toThrow(
      "did you mean 'batchSize'?",
    );
  });
});

describe('TensorDataset', () => {
  it('names a wrong argument', () => {
    expect(() => new TensorDataset(tensor([1, 2]), [1, 2] as never)).toThrow(
      'TensorDataset: tensors[1] must be a Tensor or an NDArray, got an array [1, 2]',
    );
  });
  it('takes NDArrays as constant Tensors', () => {
    const ds = new TensorDataset(T.tensor([[1], [2]]), T.tensor([0, 1], { dtype: 'int32' }));
    const [x, y] = ds.get(1);
    expect(x!.toArray()).toEqual([2]);
    expect(y!.toArray()).toEqual(1);
  });
});

describe('samplers and transforms: unknown options are named', () => {
  it.each([
    ['RandomSampler', () => new RandomSampler([1, 2, 3], { replace: true } as never), 'replace'],
    ['SubsetRandomSampler', () => new SubsetRandomSampler([0, 1], { seed: 1 } as never), 'seed'],
    [
      'WeightedRandomSampler',
      () => new WeightedRandomSampler([1, 2], 2, { replace: false } as never),
      'replace',
    ],
    ['RandomCrop', () => new RandomCrop(2, { pad: 1 } as never), 'pad'],
    ['RandomAffine', () => new RandomAffine({ degrees: 5, rotate: 1 } as never), 'rotate'],
  ] as const)('%s', (name, make, key) => {
    expect(make).toThrow(`${name}: unknown option '${key}'`);
  });
  it('SubsetRandomSampler names bad indices', () => {
    expect(() => new SubsetRandomSampler(3 as never)).toThrow(
      'SubsetRandomSampler: indices must be an array of indices, got number 3',
    );
  });
});

describe('MNIST options: wrong kinds and unknown keys are named (from MNIST_OPTIONS)', () => {
  const wrong = (kind: string): unknown =>
    (MNIST_KINDS[kind] ?? (T.BASE_KINDS as Record<string, T.ArgKind>)[kind])!.wrong;
  it.each(Object.entries(MNIST_OPTIONS))('%s', (key, kind) => {
    for (const Dataset of [MNIST, FashionMNIST]) {
      const make = () => new Dataset({ [key]: wrong(kind) } as never);
      expect(make).toThrow(TypeError);
      expect(make).toThrow(`${Dataset.name}: ${key} must be`);
    }
  });
  it('an unknown option, such as a misspelt train', () => {
    expect(() => new MNIST({ trian: false } as never)).toThrow(
      "MNIST: unknown option 'trian' (accepted: root, images, labels, train, transform, targetTransform)",
    );
    expect(() => new MNIST({ train: 'false' } as never)).toThrow(
      'MNIST: train must be a boolean, got the string "false"',
    );
  });
});
