import { describe, expect, it } from 'vitest';
import { manualSeed, randn, tensor } from '@gd/autograd';
import { gradcheck } from '@gd/autograd/gradcheck';
import * as F from './index.js';

const leaf = (shape: number[]) => randn(shape, { dtype: 'float64', requiresGrad: true });

describe('F.pad', () => {
  it('pads in PyTorch order (last dim first) for each mode', () => {
    const x = tensor([[1, 2, 3]]);
    expect(F.pad(x, [2, 1], 'reflect').toArray()).toEqual([[3, 2, 1, 2, 3, 2]]);
    expect(F.pad(x, [2, 1], 'replicate').toArray()).toEqual([[1, 1, 1, 2, 3, 3]]);
    expect(F.pad(x, [1, 0, 0, 1], 'constant', 9).toArray()).toEqual([
      [9, 1, 2, 3],
      [9, 9, 9, 9],
    ]);
    expect(F.pad(x, [-1, 0]).toArray()).toEqual([[2, 3]]);
  });

  it('gradchecks in float64 for every mode', () => {
    manualSeed(0);
    for (const mode of ['constant', 'reflect', 'replicate'] as const)
      expect(gradcheck((x) => F.pad(x!, [2, 1, 1, 2], mode), [leaf([2, 3, 4])])).toBe(true);
  });

  it('refuses bad paddings', () => {
    const x = randn([2, 3]);
    expect(() => F.pad(x, [1])).toThrow('Padding length must be divisible by 2');
    expect(() => F.pad(x, [1, 1, 1, 1, 1, 1])).toThrow('Padding length should be less than');
    expect(() => F.pad(x, [3, 0], 'reflect')).toThrow(
      'Padding size should be less than the corresponding input dimension',
    );
  });
});

describe('F.interpolate', () => {
  it('doubles with nearest and keeps corners with alignCorners', () => {
    const x = tensor([[[1, 2]]]);
    expect(F.interpolate(x, { scaleFactor: 2 }).toArray()).toEqual([[[1, 1, 2, 2]]]);
    const y = F.interpolate(x, { size: 3, mode: 'linear', alignCorners: true });
    expect(y.toArray()).toEqual([[[1, 1.5, 2]]]);
  });

  it('gradchecks nearest, linear and bilinear in float64', () => {
    manualSeed(1);
    expect(gradcheck((x) => F.interpolate(x!, { size: [5, 3] }), [leaf([1, 2, 3, 4])])).toBe(true);
    expect(
      gradcheck((x) => F.interpolate(x!, { scaleFactor: 1.5, mode: 'linear' }), [leaf([1, 2, 4])]),
    ).toBe(true);
    expect(
      gradcheck(
        (x) => F.interpolate(x!, { size: [5, 2], mode: 'bilinear', alignCorners: true }),
        [leaf([1, 2, 3, 4])],
      ),
    ).toBe(true);
  });

  it('refuses bad options', () => {
    const x = randn([1, 2, 3]);
    expect(() => F.interpolate(x, { size: 4, mode: 'bilinear' })).toThrow(
      'Got 3D input, but bilinear mode needs 4D input',
    );
    expect(() => F.interpolate(x, {})).toThrow('either size or scaleFactor should be defined');
    expect(() => F.interpolate(x, { size: 4, alignCorners: true })).toThrow(
      'align_corners option can only be set with the interpolating modes',
    );
  });
});
