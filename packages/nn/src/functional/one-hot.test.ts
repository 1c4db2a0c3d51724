/** F.oneHot against PyTorch's `one_hot` (the oneHot cases of @gd/tensor's fixtures/ops.json). */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { tensor } from '@gd/autograd';
import * as T from '@gd/tensor';
import { F } from '../index.js';

const require = createRequire(import.meta.url);
const cases = (
  JSON.parse(readFileSync(require.resolve('@gd/tensor/fixtures/ops.json'), 'utf8')) as {
    name: string;
    inputs: { x: { data: number[] } };
    outputs: unknown[];
    dtypes: string[];
  }[]
).filter((c) => c.name.startsWith('oneHot'));

describe('F.oneHot', () => {
  it.each(cases)('$name equals PyTorch', (c) => {
    const x = tensor(c.inputs.x.data, { dtype: 'int64' });
    const out = c.name === 'oneHot' ? F.oneHot(x, 4) : F.oneHot(x);
    expect(out.dtype).toBe('int32'); // PyTorch's int64, stored as gd's int32
    expect(c.dtypes[0]).toBe('int64');
    expect(out.toArray()).toEqual(c.outputs[0]);
  });
  it('takes an NDArray and names bad input', () => {
    expect(F.oneHot(T.tensor([1], { dtype: 'int32' }), 2).toArray()).toEqual([[0, 1]]);
    expect(() => F.oneHot(tensor([0.5]))).toThrow(
      'oneHot: input must be an int32 (or int64) tensor, got float32',
    );
    expect(() => F.oneHot(tensor([3], { dtype: 'int32' }), 2)).toThrow(
      'oneHot: class value 3 is too large for numClasses 2',
    );
    expect(() => F.oneHot([1, 2] as never)).toThrow(
      'oneHot: input must be an int Tensor or NDArray, got an array [1, 2]',
    );
  });
});
