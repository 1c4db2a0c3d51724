/**
 * Misuse of the exporter, generated from one table of options: a wrong kind names the option,
 * an unknown option is named, and a wrong module or input is named; an NDArray input works.
 */
import { describe, expect, it } from 'vitest';
import { randn } from '@gd/autograd';
import { Linear } from '@gd/nn';
import * as T from '@gd/tensor';
import { exportOnnx } from './index.js';

const model = () => new Linear(3, 2);

const WRONG: readonly [string, unknown][] = [
  ['opset', '17'],
  ['inputNames', 'input'],
  ['outputNames', ['y', 1]],
  ['dynamicBatch', 'yes'],
  ['metadata', { epochs: 3 }],
  ['docString', 42],
  ['checkConstants', 0],
];

describe('exportOnnx: wrong arguments are named', () => {
  it.each(WRONG)('option %s', (key, value) => {
    expect(() => exportOnnx(model(), randn([2, 3]), { [key]: value } as never)).toThrow(
      `exportOnnx: ${key} must be`,
    );
  });
  it('unknown options, modules and inputs', () => {
    expect(() => exportOnnx(model(), randn([2, 3]), { opSet: 17 } as never)).toThrow(
      "exportOnnx: unknown option 'opSet' (did you mean 'opset'?)",
    );
    expect(() => exportOnnx({} as never, randn([2, 3]))).toThrow(
      'exportOnnx: module must be an nn Module, got an object {}',
    );
    expect(() => exportOnnx(model(), [[1, 2, 3]] as never)).toThrow(
      'exportOnnx: input 0 must be a Tensor or an NDArray, got an array [1, 2, 3]',
    );
  });
  it('takes an NDArray example input', () => {
    const bytes = exportOnnx(model(), T.randn([2, 3]) as never, { checkConstants: false });
    expect(bytes.length).toBeGreaterThan(0);
  });
});
