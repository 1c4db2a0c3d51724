/**
 * conv2d, its gradients and 2-d pooling against PyTorch. Expected values in `G` (bottom of the
 * file) were computed by PyTorch 1.13 (`F.conv2d`, `F.max_pool2d(return_indices=True)`,
 * `F.avg_pool2d`, and `torch.autograd.grad` of each with `grad_output = seq(out.shape, 4)`) on
 * inputs built exactly as `seq`/`iseq` below build them (bit-identical float64 values on
 * both sides). Indices were int64 in PyTorch.
 */
import { describe, expect, it } from 'vitest';

import type { DType } from '../dtype.js';
import {
  avgPool2d,
  avgPool2dBackward,
  conv2d,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  maxPool2d,
  maxPool2dBackward,
  maxPool2dWithIndices,
  tensor,
  zeros,
} from '../index.js';
import type { AvgPool2dOptions, Conv2dOptions, NDArray, Pair, Pool2dOptions } from '../index.js';

interface Golden {
  shape: number[];
  data: number[];
}

/** Deterministic pseudo-random values in about [-3, 3]: Python's `seq` computes the same doubles. */
function seq(shape: readonly number[], seed = 0, dtype: DType = 'float64'): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = Array.from(
    { length: n },
    (_, i) => (((i * 7919 + seed * 104729) % 2003) - 1001) / 337,
  );
  return tensor(vals, { dtype }).reshape(shape);
}

/** Small integers in [-mod/2, mod/2] with many repeats. */
function iseq(shape: readonly number[], seed = 0, mod = 11, dtype: DType = 'int32'): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = Array.from(
    { length: n },
    (_, i) => ((i * 7 + seed * 13) % mod) - Math.floor(mod / 2),
  );
  return tensor(vals, { dtype }).reshape(shape);
}

/** Shape, dtype and values (|a - e| <= tol * max|e|, exact when tol is 0; NaN matches NaN).
 * float32 expectations are printed with 9 digits, which round back to the exact float32. */
function expectTensor(
  actual: NDArray,
  expected: Golden,
  dtype: DType = 'float64',
  tol = 1e-10,
): void {
  expect(actual.shape).toEqual(expected.shape);
  expect(actual.dtype).toBe(dtype);
  const got = Array.from(actual.contiguous().data);
  expect(got.length).toBe(expected.data.length);
  // A loop, not Math.max(...data): tens of thousands of arguments overflow a browser worker's stack.
  const scale = expected.data.reduce(
    (m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m),
    1,
  );
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const e = dtype === 'float32' ? Math.fround(expected.data[i]!) : expected.data[i]!;
    const ok = Number.isNaN(e) ? Number.isNaN(g) : g === e || Math.abs(g - e) <= tol * scale;
    if (!ok) expect.fail(`element ${i}: got ${g}, expected ${e} (tolerance ${tol * scale})`);
  }
}

function golden(name: string): Golden {
  const g = G[name];
  if (!g) throw new Error(`no golden value ${name}`);
  return g;
}

interface ConvCase {
  x: number[];
  w: number[];
  bias: boolean;
  options: Conv2dOptions;
}

// Same table as the Python generator.
const CONV: Record<string, ConvCase> = {
  basic: { x: [2, 3, 5, 6], w: [4, 3, 3, 3], bias: true, options: {} },
  'stride.pad': {
    x: [1, 2, 7, 6],
    w: [3, 2, 3, 2],
    bias: false,
    options: { stride: [2, 1], padding: [1, 0] },
  },
  dilation: { x: [1, 2, 8, 8], w: [2, 2, 3, 3], bias: true, options: { dilation: 2, padding: 2 } },
  groups2: { x: [2, 4, 5, 5], w: [6, 2, 3, 3], bias: true, options: { groups: 2 } },
  depthwise: { x: [1, 3, 5, 5], w: [3, 1, 3, 3], bias: false, options: { groups: 3, padding: 1 } },
  'depthwise.mult': {
    x: [2, 2, 6, 5],
    w: [4, 1, 2, 3],
    bias: true,
    options: { groups: 2, stride: 2, padding: 1 },
  },
  combo: {
    x: [1, 4, 9, 10],
    w: [4, 2, 3, 2],
    bias: true,
    options: { stride: [2, 3], padding: [1, 2], dilation: [2, 1], groups: 2 },
  },
  unbatched: { x: [2, 5, 5], w: [3, 2, 2, 2], bias: true, options: {} },
  same: { x: [1, 2, 5, 6], w: [3, 2, 3, 5], bias: false, options: { padding: 'same' } },
  'same.dilated': {
    x: [1, 1, 7, 6],
    w: [2, 1, 3, 3],
    bias: true,
    options: { padding: 'same', dilation: 2 },
  },
  valid: { x: [1, 2, 5, 6], w: [3, 2, 3, 3], bias: false, options: { padding: 'valid' } },
  '1x1': { x: [2, 3, 3, 3], w: [5, 3, 1, 1], bias: true, options: {} },
  'big.stride': { x: [1, 1, 9, 9], w: [1, 1, 3, 3], bias: false, options: { stride: 4 } },
};

describe('conv2d against torch.nn.functional.conv2d (float64)', () => {
  for (const [name, c] of Object.entries(CONV)) {
    it(name, () => {
      const bias = c.bias ? seq([c.w[0]!], 3) : null;
      expectTensor(conv2d(seq(c.x, 1), seq(c.w, 2), bias, c.options), golden(`conv.${name}`));
    });
  }

  it('float32, close to PyTorch', () => {
    const out = conv2d(
      seq([1, 3, 5, 6], 1, 'float32'),
      seq([4, 3, 3, 3], 2, 'float32'),
      seq([4], 3, 'float32'),
      { padding: 1 },
    );
    expectTensor(out, golden('conv.f32'), 'float32', 1e-6);
  });

  it('reads non-contiguous input and weight views', () => {
    const c = CONV.combo!;
    const xv = seq(c.x, 1).permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
    const wv = seq(c.w, 2).permute(3, 2, 1, 0).contiguous().permute(3, 2, 1, 0);
    expect(xv.isContiguous()).toBe(false);
    expect(wv.isContiguous()).toBe(false);
    expectTensor(conv2d(xv, wv, seq([c.w[0]!], 3), c.options), golden('conv.combo'));
  });

  it('leaves its inputs untouched', () => {
    const x = seq([1, 2, 5, 5], 1);
    const w = seq([3, 2, 3, 3], 2);
    const b = seq([3], 3);
    const copies = [x.clone(), w.clone(), b.clone()];
    conv2d(x, w, b, { padding: 1 });
    expect(x.equal(copies[0]!) && w.equal(copies[1]!) && b.equal(copies[2]!)).toBe(true);
  });
});

describe('conv2d gradients against torch.autograd', () => {
  for (const [name, c] of Object.entries(CONV)) {
    it(name, () => {
      const out = golden(`conv.${name}`);
      const gy = seq(out.shape, 4);
      expectTensor(conv2dBackwardInput(gy, c.x, seq(c.w, 2), c.options), golden(`conv.${name}.gx`));
      expectTensor(
        conv2dBackwardWeight(gy, seq(c.x, 1), c.w, c.options),
        golden(`conv.${name}.gw`),
      );
    });
  }
});

describe('conv2d errors', () => {
  it('names a channel mismatch like PyTorch', () => {
    expect(() => conv2d(zeros([1, 2, 5, 5]), zeros([4, 3, 3, 3]))).toThrow(
      'Given groups=1, weight of size [4, 3, 3, 3], expected input[1, 2, 5, 5] to have 3 channels, but got 2 channels instead',
    );
    expect(() => conv2d(zeros([1, 4, 5, 5]), zeros([4, 1, 3, 3]), null, { groups: 2 })).toThrow(
      /Given groups=2, weight of size \[4, 1, 3, 3\], expected input\[1, 4, 5, 5\] to have 2 channels, but got 4 channels instead/,
    );
  });

  it('rejects groups that do not divide the channels, as PyTorch does', () => {
    expect(() => conv2d(zeros([1, 3, 5, 5]), zeros([4, 1, 3, 3]), null, { groups: 2 })).toThrow(
      'Given groups=2, weight of size [4, 1, 3, 3], expected input[1, 3, 5, 5] to have 2 channels, but got 3 channels instead',
    );
    expect(() => conv2d(zeros([1, 4, 5, 5]), zeros([3, 2, 3, 3]), null, { groups: 2 })).toThrow(
      'Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size [3, 2, 3, 3] instead',
    );
    expect(() => conv2d(zeros([1, 4, 5, 5]), zeros([4, 4, 3, 3]), null, { groups: 0 })).toThrow(
      'conv2d: groups must be a positive integer, got 0',
    );
  });

  it('rejects an output that would be empty', () => {
    expect(() => conv2d(zeros([1, 3, 2, 2]), zeros([4, 3, 3, 3]))).toThrow(
      'conv2d: calculated output size (0x0) is too small for input of shape [1, 3, 2, 2] and kernel 3x3',
    );
    expect(() =>
      conv2d(zeros([1, 1, 5, 2]), zeros([1, 1, 3, 3]), null, { dilation: [1, 2] }),
    ).toThrow(/output size \(3x-2\) is too small/);
  });

  it('rejects bad ranks, dtypes, bias shapes and geometry', () => {
    expect(() => conv2d(zeros([5, 5]), zeros([1, 1, 3, 3]))).toThrow(
      'Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [5, 5]',
    );
    expect(() => conv2d(zeros([1, 1, 5, 5]), zeros([1, 3, 3]))).toThrow(
      'conv2d: expected a 4-d weight [out, in/groups, kh, kw], got shape [1, 3, 3]',
    );
    expect(() => conv2d(zeros([1, 1, 5, 5]), zeros([1, 1, 3, 3], { dtype: 'float64' }))).toThrow(
      'conv2d: input (float32) and weight (float64) must have the same dtype',
    );
    expect(() => conv2d(zeros([1, 1, 5, 5]), zeros([2, 1, 3, 3]), zeros([3]))).toThrow(
      'conv2d: expected bias of shape [2], got [3]',
    );
    expect(() =>
      conv2d(zeros([1, 1, 5, 5]), zeros([2, 1, 3, 3]), zeros([2], { dtype: 'float64' })),
    ).toThrow('conv2d: input (float32) and bias (float64) must have the same dtype');
    expect(() => conv2d(zeros([1, 1, 5, 5]), zeros([1, 1, 3, 3]), null, { stride: 0 })).toThrow(
      'stride must be positive integers, got 0',
    );
    expect(() =>
      conv2d(zeros([1, 1, 5, 5]), zeros([1, 1, 3, 3]), null, { padding: [1, -1] }),
    ).toThrow('padding must be non-negative integers, got [1,-1]');
    expect(() => conv2d(zeros([1, 1, 5, 5]), zeros([1, 1, 3, 3]), null, { dilation: 1.5 })).toThrow(
      'conv2d: dilation must be an integer or a pair of integers, got number 1.5',
    );
    expect(() => conv2d(zeros([1, 1, 5, 5]), zeros([1, 1, 3, 3]), null, { dilation: 0 })).toThrow(
      'dilation must be positive integers, got 0',
    );
  });

  it("rejects padding='same' for strided convolutions and asymmetric totals", () => {
    expect(() =>
      conv2d(zeros([1, 1, 5, 5]), zeros([1, 1, 3, 3]), null, { padding: 'same', stride: 2 }),
    ).toThrow("padding='same' is not supported for strided convolutions");
    expect(() =>
      conv2d(zeros([1, 1, 5, 5]), zeros([1, 1, 2, 3]), null, { padding: 'same' }),
    ).toThrow(
      /padding='same' needs an even total padding .* kernel 2x3 with dilation 1x1 needs 1, 2/,
    );
  });

  it('the gradient functions check shapes', () => {
    const w = zeros([4, 2, 3, 3]);
    expect(() => conv2dBackwardInput(zeros([1, 4, 3, 3]), [1, 2, 5, 5, 1], w)).toThrow(
      'conv2dBackwardInput: expected a 3-d (unbatched) or 4-d (batched) input shape, but got [1, 2, 5, 5, 1]',
    );
    expect(() => conv2dBackwardInput(zeros([1, 4, 3, 4]), [1, 2, 5, 5], w)).toThrow(
      "conv2dBackwardInput: expected gradOut of shape [1, 4, 3, 3] (the forward output's), but got [1, 4, 3, 4]",
    );
    expect(() => conv2dBackwardInput(zeros([1, 4, 3, 3]), [2, 5, 5], w)).toThrow(
      /expected gradOut of shape \[4, 3, 3\]/,
    );
    expect(() => conv2dBackwardInput(zeros([1, 4, 3, 3]), [1, 3, 5, 5], w)).toThrow(
      /expected input\[1, 3, 5, 5\] to have 2 channels/,
    );
    expect(() =>
      conv2dBackwardWeight(zeros([2, 4, 3, 3]), zeros([1, 2, 5, 5]), [4, 2, 3, 3]),
    ).toThrow(
      "conv2dBackwardWeight: expected gradOut of shape [1, 4, 3, 3] (the forward output's), but got [2, 4, 3, 3]",
    );
    expect(() => conv2dBackwardWeight(zeros([1, 4, 3, 3]), zeros([1, 2, 5, 5]), [4, 2, 3])).toThrow(
      /expected a 4-d weight/,
    );
  });

  it('the backward functions check geometry too', () => {
    expect(() =>
      conv2dBackwardInput(zeros([1, 1, 1, 1]), [1, 1, 2, 2], zeros([1, 1, 3, 3])),
    ).toThrow(/calculated output size \(0x0\) is too small/);
    expect(() =>
      conv2dBackwardWeight(zeros([1, 1, 1, 1]), zeros([1, 1, 2, 2]), [1, 1, 3, 3]),
    ).toThrow(/calculated output size \(0x0\) is too small/);
  });
});

interface PoolCase {
  x: number[];
  k: Pair;
  options: Pool2dOptions;
  seed: number;
}

const MAXP: Record<string, PoolCase> = {
  k2: { x: [2, 2, 4, 5], k: 2, options: {}, seed: 1 },
  k3s2p1: { x: [1, 2, 7, 8], k: 3, options: { stride: 2, padding: 1 }, seed: 2 },
  ceil: { x: [1, 1, 7, 7], k: 2, options: { stride: 2, ceilMode: true }, seed: 3 },
  'ceil.pad': {
    x: [1, 2, 8, 6],
    k: 3,
    options: { stride: 2, padding: 1, ceilMode: true },
    seed: 4,
  },
  'ceil.dropped': {
    x: [1, 1, 5, 5],
    k: 2,
    options: { stride: 2, padding: 1, ceilMode: true },
    seed: 5,
  },
  dilation: { x: [1, 2, 7, 7], k: 3, options: { stride: 1, dilation: 2 }, seed: 6 },
  'dilation.pad': {
    x: [1, 1, 8, 9],
    k: [2, 3],
    options: { stride: [2, 1], dilation: [3, 2], padding: [1, 1] },
    seed: 7,
  },
  rect: { x: [2, 1, 6, 7], k: [3, 2], options: { stride: [1, 2] }, seed: 8 },
  unbatched: { x: [2, 5, 6], k: 2, options: { stride: 1 }, seed: 9 },
};

function checkMaxPool(name: string, x: NDArray, k: Pair, options: Pool2dOptions): void {
  const { values, indices } = maxPool2dWithIndices(x, k, options);
  expectTensor(values, golden(`max.${name}`));
  expectTensor(indices, golden(`max.${name}.idx`), 'int32', 0);
  expectTensor(maxPool2d(x, k, options), golden(`max.${name}`));
  const gy = seq(values.shape, 4);
  expectTensor(maxPool2dBackward(gy, indices, x.shape), golden(`max.${name}.gx`));
}

describe('maxPool2d against F.max_pool2d(return_indices=True) and its gradient', () => {
  for (const [name, c] of Object.entries(MAXP)) {
    it(name, () => checkMaxPool(name, seq(c.x, c.seed), c.k, c.options));
  }

  it('ties keep the first maximum in scan order', () => {
    checkMaxPool('ties', iseq([1, 2, 6, 6], 1, 3, 'float64'), 3, { stride: 1, padding: 1 });
  });

  it('a window of -Infinity reports its first valid position', () => {
    const x = tensor(new Float64Array(9).fill(-Infinity)).reshape([1, 1, 3, 3]);
    x.indexPut_([0, 0, 2, 2], 1);
    const { values, indices } = maxPool2dWithIndices(x, 2, { stride: 1 });
    expectTensor(values, golden('max.neginf'));
    expectTensor(indices, golden('max.neginf.idx'), 'int32', 0);
  });

  it('NaN wins, and the index is the last NaN of the window (as in PyTorch)', () => {
    const x = seq([1, 1, 4, 4], 3);
    for (const [i, j] of [
      [0, 1],
      [1, 0],
      [3, 3],
    ] as const)
      x.indexPut_([0, 0, i, j], NaN);
    const { values, indices } = maxPool2dWithIndices(x, 2, { stride: 1 });
    expectTensor(values, golden('max.nan'));
    expectTensor(indices, golden('max.nan.idx'), 'int32', 0);
  });

  it('float32 keeps its dtype and the exact input values', () => {
    expectTensor(
      maxPool2d(seq([1, 2, 5, 5], 1, 'float32'), 2, { stride: 1 }),
      golden('max.f32'),
      'float32',
      0,
    );
  });

  it('reads a non-contiguous input', () => {
    const c = MAXP['k3s2p1']!;
    const x = seq(c.x, c.seed).permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
    expect(x.isContiguous()).toBe(false);
    const { values, indices } = maxPool2dWithIndices(x, c.k, c.options);
    expectTensor(values, golden('max.k3s2p1'));
    expectTensor(indices, golden('max.k3s2p1.idx'), 'int32', 0);
  });

  it('stride defaults to the kernel size (null too)', () => {
    const x = seq([1, 1, 6, 6], 1);
    expect(maxPool2d(x, 3).shape).toEqual([1, 1, 2, 2]);
    expect(maxPool2d(x, 3, { stride: null }).equal(maxPool2d(x, 3, { stride: 3 }))).toBe(true);
  });
});

const AVGP: Record<string, { x: number[]; k: Pair; options: AvgPool2dOptions; seed: number }> = {
  k2: { x: [2, 2, 4, 5], k: 2, options: {}, seed: 1 },
  'pad.incl': { x: [1, 2, 7, 6], k: 3, options: { stride: 2, padding: 1 }, seed: 2 },
  'pad.excl': {
    x: [1, 2, 7, 6],
    k: 3,
    options: { stride: 2, padding: 1, countIncludePad: false },
    seed: 2,
  },
  'ceil.incl': {
    x: [1, 1, 7, 8],
    k: 3,
    options: { stride: 2, padding: 1, ceilMode: true },
    seed: 3,
  },
  'ceil.excl': {
    x: [1, 1, 7, 8],
    k: 3,
    options: { stride: 2, padding: 1, ceilMode: true, countIncludePad: false },
    seed: 3,
  },
  'ceil.nopad': { x: [1, 2, 5, 7], k: 2, options: { stride: 2, ceilMode: true }, seed: 4 },
  rect: { x: [2, 1, 6, 7], k: [3, 2], options: { stride: [1, 2], padding: [1, 1] }, seed: 5 },
  unbatched: {
    x: [2, 5, 6],
    k: 2,
    options: { stride: 1, padding: 1, countIncludePad: false },
    seed: 6,
  },
};

describe('avgPool2d against F.avg_pool2d and its gradient', () => {
  for (const [name, c] of Object.entries(AVGP)) {
    it(name, () => {
      const x = seq(c.x, c.seed);
      const y = avgPool2d(x, c.k, c.options);
      expectTensor(y, golden(`avg.${name}`));
      expectTensor(
        avgPool2dBackward(seq(y.shape, 4), c.x, c.k, c.options),
        golden(`avg.${name}.gx`),
      );
    });
  }

  it('float32, close to PyTorch', () => {
    expectTensor(
      avgPool2d(seq([1, 2, 5, 5], 1, 'float32'), 3, { stride: 1, padding: 1 }),
      golden('avg.f32'),
      'float32',
      1e-6,
    );
  });

  it('reads non-contiguous input and gradient', () => {
    const c = AVGP['ceil.excl']!;
    const x = seq(c.x, c.seed).transpose(2, 3).contiguous().transpose(2, 3);
    expect(x.isContiguous()).toBe(false);
    const y = avgPool2d(x, c.k, c.options);
    expectTensor(y, golden('avg.ceil.excl'));
    const gy = seq(y.shape, 4).transpose(2, 3).contiguous().transpose(2, 3);
    expectTensor(avgPool2dBackward(gy, c.x, c.k, c.options), golden('avg.ceil.excl.gx'));
  });
});

describe('pooling errors', () => {
  it("'pad should be at most half'", () => {
    expect(() => maxPool2d(zeros([1, 1, 5, 5]), 3, { padding: 2 })).toThrow(
      'max_pool2d: pad should be at most half of effective kernel size, but got pad=2x2 and kernel_size=3x3',
    );
    expect(() => avgPool2d(zeros([1, 1, 5, 5]), [2, 4], { padding: [2, 1] })).toThrow(
      'avg_pool2d: pad should be at most half of effective kernel size, but got pad=2x1 and kernel_size=2x4',
    );
    expect(() => avgPool2dBackward(zeros([1, 1, 3, 3]), [1, 1, 5, 5], 3, { padding: 2 })).toThrow(
      /avg_pool2d: pad should be at most half/,
    );
    // Exactly half is allowed.
    expect(maxPool2d(zeros([1, 1, 4, 4]), 2, { padding: 1 }).shape).toEqual([1, 1, 3, 3]);
  });

  it('rejects an empty output', () => {
    expect(() => maxPool2d(zeros([1, 1, 2, 2]), 3)).toThrow(
      'max_pool2d: output size 0x0 is too small for input of shape [1, 1, 2, 2]',
    );
    expect(() => avgPool2d(zeros([1, 3, 5]), 4)).toThrow(
      'avg_pool2d: output size 0x1 is too small for input of shape [1, 1, 3, 5]',
    );
  });

  it('the gradient functions check shapes', () => {
    expect(() => avgPool2dBackward(zeros([1, 1, 2, 3]), [1, 1, 5, 5], 2)).toThrow(
      "avgPool2dBackward: expected gradOut of shape [1, 1, 2, 2] (the forward output's), but got [1, 1, 2, 3]",
    );
    expect(() => avgPool2dBackward(zeros([2, 2]), [5, 5], 2)).toThrow(
      'avgPool2dBackward: expected a 3-d (unbatched) or 4-d (batched) input shape, but got [5, 5]',
    );
    const idx = zeros([1, 2, 2, 2], { dtype: 'int32' });
    expect(() => maxPool2dBackward(zeros([1, 2, 2, 3]), idx, [1, 2, 4, 4])).toThrow(
      'maxPool2dBackward: gradOut [1, 2, 2, 3] and indices [1, 2, 2, 2] must have the same shape, with the leading dims of the input [1, 2, 4, 4]',
    );
    expect(() => maxPool2dBackward(zeros([1, 2, 2, 2]), idx, [1, 3, 4, 4])).toThrow(
      /must have the same shape/,
    );
    expect(() => maxPool2dBackward(zeros([1, 2, 2, 2]), idx.float(), [1, 2, 4, 4])).toThrow(
      /expected dtype int32 for index, got float32/,
    );
  });

  it('rejects bad ranks and kernel sizes', () => {
    expect(() => maxPool2d(zeros([4, 4]), 2)).toThrow(
      'Expected 3D (unbatched) or 4D (batched) input to max_pool2d, but got input of size: [4, 4]',
    );
    expect(() => avgPool2d(zeros([1, 1, 1, 4, 4]), 2)).toThrow(
      /4D \(batched\) input to avg_pool2d/,
    );
    expect(() => maxPool2d(zeros([1, 1, 4, 4]), 0)).toThrow(
      'kernel_size must be positive integers, got 0',
    );
    expect(() => maxPool2d(zeros([1, 1, 4, 4]), 2, { stride: [1, 0] })).toThrow(
      'stride must be positive integers, got [1,0]',
    );
  });
});

// BEGIN GOLDEN: PyTorch 1.13.0a0 results for the cases above (see the file header); do not edit by hand.
const G: Record<string, Golden> = {
  'conv.basic': {
    shape: [2, 4, 3, 4],
    data: [
      -34.08786728772817, -35.88945046623639, -35.327695057630166, -34.60720795287446,
      -17.489693490301054, -2.73026970388046, 11.112037615898707, 16.753207301288203,
      48.438764099358096, 65.56152647289314, 38.433419330979405, 30.07092604495945,
      10.149142811858871, 0.7785046975847258, 2.7307275753066413, -4.11784025570358,
      -27.62653541019116, -29.395688964418106, -23.122436580404873, -25.050321830781293,
      -16.071929840009158, -6.518222402240046, 20.478334756843857, 39.873407355880566,
      42.07562803229755, 55.54187322244627, 53.96388098865007, 69.9521964620627, 26.38186476943532,
      3.163451293927038, -3.053033838459436, -17.470656605235586, -45.961477163662614,
      -48.89750724229322, -43.350210004490656, -36.444874921853675, -8.679463586013789,
      -4.422500858508926, -6.25025315006736, 0.5287798607014257, 17.391418432846997,
      11.330820910635824, -4.094946684394509, 7.604768907008069, 22.13934260229464,
      9.994030061020174, -2.627477568702725, -4.931424948709596, -32.33105865156864,
      -29.053227553293592, -17.574258820628867, -2.814835034208279, 23.95003918322782,
      32.87166392237318, 48.35419876903028, 65.47696114256532, 23.264094955489615,
      23.825850364095835, 8.902446970564153, -9.142679780573923, -9.620063573686481,
      -22.870809816058955, -27.920418424041774, -29.68957197826872, -25.631862568130384,
      -24.279292764750938, -16.36581285385977, -6.812105416090659, 25.288203647122018,
      27.24042652484393, 40.0745890163689, 40.82750574540587, 52.49166585952152, 53.11828051669029,
      26.619411987426144, 3.4009985119178667, -30.010504627142968, -41.14767234016325,
      -45.7239299456718, -48.65996002430239, -27.66176509434793, -29.239757328144126,
      -28.89533235301887, -14.265054724440649, 9.223185904604248, 27.007616515070133,
      17.666563939103096, 11.605966416891935, 21.219857531544704, 36.20002817670316,
      22.41448810855075, 10.269175567276283, -5.31999929558242, -7.14775158714086,
      -16.012609074659462, -19.55113631360671,
    ],
  },
  'conv.basic.gx': {
    shape: [2, 3, 5, 6],
    data: [
      5.45175179846613, -2.822883005045388, -27.39408641442647, -10.293627662478318,
      -1.4908117532073017, 6.098415940969807, -13.21040953076984, -10.894258116211288,
      3.042670094832217, 15.099613450853667, 13.418098248641794, 10.457483996513133,
      -4.005996354639031, 6.659722283369583, 22.02909244600199, 39.50909138937563,
      28.96873266472365, 18.425846842007942, 4.0308358795093735, 4.4136075865773226,
      3.5917988183395146, 8.89202159039879, 1.545518583416249, 1.970986800975619,
      3.7686516567020925, -1.51868027366623, -7.162227368383979, -6.659854361665595,
      -15.00361894531078, -8.94899136207944, 3.232713152356717, 12.764786165238753,
      22.057744631017265, 24.419903318687318, 17.05623893844271, 9.017812959522406,
      2.595012723542518, -6.040327906382903, -16.301975010786396, -18.959584041419753,
      -23.887275576962026, -11.538289498014421, -13.65457122982504, -14.253907316257076,
      -15.734364131056893, -26.066990111738235, -10.580246370048163, -8.241597619068582,
      3.16220975794451, 16.36074985251257, 28.917283765816375, 21.143181678098774,
      14.102730498639595, 1.1498560346573452, 7.080365240514576, 14.601290845213041,
      22.867402196021803, 10.271702665340015, 2.435506168056425, -7.059752221116678,
      1.0136745062473038, -6.974165485299685, -15.739946640368412, -29.7563155438544,
      -19.60006691966998, -9.579753277743047, 1.8041543026706233, -10.90430487192808,
      -41.2727769021476, -24.958545025491112, -11.61544963854573, 0.9636256372777794,
      -19.21139571538008, -22.62773292007502, -14.732013137387845, 12.855295018887194,
      16.590997543343693, 18.44244468120702, -0.1755760815011138, -1.0398348140777842,
      3.6249944967376675, 14.822733316309908, 13.837948736010706, 11.104843751375816,
      2.3143991758314337, 4.530532099428542, 6.953024152717731, 13.30541785170249,
      10.774014035520256, 7.122374943866724, -5.477357377453354, -11.099657476952338,
      -5.909614419427835, -5.493620618302529, -1.1233963493558985, 2.173269113930737,
      -0.3561006964928808, -0.5099366904701097, 15.244890771249196, 24.903221829900765,
      22.131180163600984, 10.635155720311, 6.408923209678697, 7.228011165018621, 10.337697787248283,
      14.413686833554934, 1.9417358610184134, -3.199006771213975, -0.11039103980839915,
      -12.226584719421677, -24.663385254779033, -25.92407259023149, -30.769576204774197,
      -15.728719985207231, -8.512102774524738, -0.611504900104781, 5.152620873653903,
      4.490961441942785, 10.068178816402362, 4.575104121723357, -4.5474469265380515,
      -9.778663191539945, -15.389023413079276, -14.949281934330672, -9.329913973003197,
      -4.245278200917504, -11.304246757477832, -7.1521541970079845, -7.022849545210401,
      -12.079070873213642, -6.105768299447916, -2.7875652686912797, 8.482349937042681,
      24.52043251239335, 30.579973408236402, 21.60538527238947, 8.676487421743609,
      4.695277760656518, 7.594035344152013, 16.866662557564126, 11.619209467372258,
      -2.7158027278570724, -15.828307020401695, -7.976798246000229, -2.0514400936875377,
      -5.442576759503034, -9.868784615520081, -8.86646884272997, -5.9306324789335125,
      -2.8736010707147197, -3.6175364756227495, -8.457668906127552, -14.215771909588003,
      -15.39251028009404, -10.164226153263655, -4.931847599256839, -11.599732321320078,
      -23.512278878919425, -7.667805475085629, 6.24781410420097, 15.234483001523303,
      10.209722723630566, 6.5698474055420055, 10.948357386258573, 30.028396833642983,
      38.40916975583126, 30.64948181281863, 14.4590689360653, 4.751622361736038, 8.534503253528692,
      16.455291496799305, 21.09212020885981, 13.539909658445527, 2.4735623277478895,
      -3.668457061345966, -9.215437311238102, -16.336315367750004, -16.95047944421453,
      -11.858799496341431, -6.107097887627785,
    ],
  },
  'conv.basic.gw': {
    shape: [4, 3, 3, 3],
    data: [
      24.88907184178781, 48.250182708309495, 57.04325123933468, 7.188246792698713,
      -9.627398321725117, -13.88560258521251, -34.48106437496148, -34.01259146421999,
      -31.90389102660057, -15.854449717792711, -23.46365645554685, -29.432635666423057,
      -33.87273815918076, -26.913902561438423, -16.67461190994021, 5.128926027349015,
      25.209581840114822, 48.57069270663649, -12.153096355519548, -8.280710405128161,
      -1.2513273868749417, 59.65311836856888, 70.08641442647202, 48.35008673141438,
      -11.27573545597831, -15.5339397194657, -23.14314645721984, -25.134367653144782,
      -32.32751014801575, -34.40596465584799, -21.76719879544594, -14.127746127904622,
      -9.574743107714255, 67.65018623039738, 57.24713610228143, 48.48431350104343,
      -7.469591173647739, 9.376299870563269, 27.86241844165221, 50.58946543510993,
      26.99404767145964, 6.679084961565218, -15.003469256575295, -25.477066805202124,
      -32.670209300073076, -4.408130739902612, -11.407267828368656, -15.249407848972869,
      -37.19651489402918, -37.63474187498349, -34.91597178807597, -12.365293345895445,
      -7.81229032570508, 9.03360071850593, -9.09014783963934, 5.77319515008497, 10.10733562856061,
      48.39648143419419, 27.12190826722081, 22.443615775431674, -15.987558224515492,
      -19.978013366323555, -22.328240981253686, 20.280534300733475, 8.212399510429783,
      -2.215507752995976, -24.491322455951888, -26.030254735006913, -24.28873196030607,
      -20.320906233215048, -8.73801829724661, 6.125324692477699, -24.000290572251224,
      -24.586832674409393, -22.01637770870572, 12.974676188044272, 18.949044193397846,
      28.080409266613252, 25.31095633491534, 20.632663843126206, 8.564529052822511,
      -8.407628842377767, -24.098539214046085, -30.635921774427878, -35.832868124224035,
      -32.652343509232274, -28.519428717343644, 30.869788410569786, 51.33443105072687,
      38.112680396939304, -26.608511125395133, -14.221548133733677, -0.1943576151942885,
      40.023597988887815, 43.25703316926274, 49.77092340339353, 10.252656975054816,
      -8.718708450369382, -24.409618822037704, 34.45063353555988, 22.992568394544286,
      14.69150032139052, -33.16899858235962, -38.06615361586349, -39.80631158150551,
      -31.052505525275386, -26.91959073338675, -14.532627741725294,
    ],
  },
  'conv.stride.pad': {
    shape: [1, 3, 4, 5],
    data: [
      18.124488196602947, 1.6459861405841387, -9.188722274564363, -6.178499414452888,
      -3.1682765543414138, 1.8059329570569436, -0.9595135996618795, -4.642076623022127,
      -1.0406184786341348, 2.560839665753859, -7.604945011402761, -4.003486867014768,
      -0.40202872262677425, 0.8360908346467772, -8.490265829583777, -8.87633068883234,
      -7.0846093564264905, -5.292888024020639, -3.5011666916147894, -1.7094453592089391,
      -10.187595206438377, -1.189127314672137, -2.190756280322974, -4.9913444690012225,
      -7.791932657679474, 15.610976586920724, 1.7307011596474402, 6.616039588267925,
      3.1415086863492676, -0.33302221556938905, -4.531157270029674, -8.005688171948329,
      -11.480219073866987, -1.6741980646127006, 13.211237221424861, 9.2477700781023,
      6.868907888596361, 4.490045699090422, 2.1111835095844813, -0.2676786799214572,
      -7.458813584693004, 1.531368595303294, 20.20418424041772, 21.434150164217346,
      22.66411608801698, 1.1265045919220915, -10.746779490882194, -19.49834021608009,
      -16.927039949281934, -14.355739682483776, 21.735094964294834, 24.306395231092992,
      26.87769549789115, 23.04681735332705, 4.612623163011033, -17.143551497327614,
      -13.851632047477747, -10.559712597627875, -7.267793147778003, -3.9758736979281317,
    ],
  },
  'conv.stride.pad.gx': {
    shape: [1, 2, 7, 6],
    data: [
      -2.9687854960420537, -4.9778372619288715, -5.625575641240127, -6.273314020551382,
      -7.644163460099147, -4.772825330856132, -6.744314029356601, 5.0230696757037565,
      3.8863246132307245, 1.1093520238797585, -2.5494633218571963, 0.5607692239959845,
      9.038364342382165, 16.89835254338772, 11.488663279592142, 4.43874648891863,
      3.7910081096073744, 1.057374811788428, 3.2310489658269423, 14.136665815495427,
      6.439010645510659, -2.8988720513520416, -2.5541212830966207, -1.2181140980373164,
      2.0858949185076905, 2.4955313509848636, 1.8477929716736081, 1.2000545923623525,
      0.5523162130510965, 0.009201454622300112, -0.991256416803882, -1.8646197465857763,
      -1.5198689783303543, -1.1751182100749327, -0.830367441819511, -3.314460812369573,
      -0.10462362088245916, -0.7431605455714148, -1.3908989248826704, -2.038637304193926,
      -2.686375683505182, -1.038971902543828, 5.4182391321575425, 13.167026213139149,
      15.260916271165549, 17.354806329191945, 8.884220165714236, -0.7439089892488269,
      6.7778883322033305, 14.43853516364501, 4.0229992339458835, -8.032764222631176,
      -20.97037043559422, -18.2842677139008, 4.596729741390696, 9.385897560073612,
      -3.1235284276519124, -17.27318194225537, -15.17929188422897, -7.742368075795331,
      -15.46497723850699, -32.683188193961385, -14.333013410349658, 2.376933846384137,
      3.284258908681066, 1.0877440146518849, -5.343033750407241, -10.991511768176174,
      -8.897621710149776, -6.803731652123378, -4.70984159409698, -1.936470339617325,
      3.10383995632611, 5.098909033274925, 6.006234095571855, 6.913559157868784, 7.8208842201657145,
      4.4984018526182314, -0.6794811964532574, -0.5220614780441846, 1.571828579982213,
      3.6657186380086113, 5.759608696035009, 3.8694273965606807,
    ],
  },
  'conv.stride.pad.gw': {
    shape: [3, 2, 3, 2],
    data: [
      1.2496103690267593, 13.668078436897392, 13.65303912159128, 14.986255051994824,
      -10.028255950127237, -23.8860868722979, -9.366834259348941, 1.4114062816437585,
      13.968556560328961, 13.661544963854574, 5.5676813214873775, -9.930377127561217,
      5.95504054803688, 19.139069640482877, 23.107458901636893, 26.26096029726422,
      -16.69859732849633, -28.150639699213706, -5.294754730604301, 6.249046834963767,
      21.655513388336608, 23.16878725708601, -3.499696219919169, -16.591966117514463,
      11.753955744965618, -6.342619905079733, 3.9019890991379675, 10.51600348686701,
      -6.860842307319778, -14.266868599705907, 31.670059611337603, 11.933256434414323,
      -1.0811048789722535, 3.892681981878859, 2.1773371254479637, -6.868916693816092,
    ],
  },
  'conv.dilation': {
    shape: [1, 2, 8, 8],
    data: [
      -1.7388900140002983, -2.852574205989311, 0.3491269624633495, -0.13810987153184318,
      -0.6253467055270372, 8.16440225765834, 2.934048904190404, 15.40878232616295,
      11.186063098204617, 10.072378906215604, -11.767542199015574, -2.254682175593691,
      -11.66616770421506, -0.5130801539152401, -9.226840070793967, 3.9710044114150875,
      11.32452517852583, 11.563639725629354, 14.363232924477629, 15.676725162676437,
      16.99021740087524, 2.095439776699628, 12.867780820470376, 0.9054319400540636,
      -15.898643115638949, -15.659528568535427, -19.556067236657896, -3.321795560408209,
      -6.011869436201781, 11.862629766925835, 8.210435946429044, -7.949484454384557,
      7.284320545219208, 7.52343509232273, 1.0930623673713793, 2.4065546055701827,
      9.716577587193687, 11.030069825392493, 7.521383476124646, 8.486849404326884,
      11.913312611716227, 12.15242715881975, 16.874419956150003, 2.7027533922109033,
      4.933362097051134, -7.5980769400100385, 4.874640086643362, -6.36459773353644,
      -6.30256496050859, -5.963546390300172, 11.81932569627275, 13.511143005573704,
      -4.285764601255625, -2.5939472919546698, -3.7626993281617325, -2.3927039949281927,
      8.967024452095202, 9.306043022303623, 5.8651392545500975, 7.556956563851051,
      9.248773873152004, 10.940591182452959, 7.197263337706593, 8.567258670940133,
      8.905942642798651, 8.917407038892655, 9.059100634856343, 10.259586682985674,
      11.460072731115003, -1.7840255703581083, 8.996495522545764, -1.1251926141816873,
      -16.611055833898334, -16.599591437804328, -19.591349752133066, -2.5882415095668714,
      -4.50947881904393, 14.133856950400196, 11.127851790541433, -4.0732506229692955,
      10.031769232801203, 10.318379135151318, 3.5503438438306225, 4.935079114899313,
      6.3198143859680025, 3.101330468701847, 2.6820259049564594, 2.372223053826309,
      6.398665128688287, 6.6852750310384, 10.81866530479268, -2.3999154698905514,
      0.7837790242055498, -10.794574223599751, 3.6957004112037617, -6.614199297343466,
      -5.87649798800729, -5.589888085657178, 13.60722556331393, 14.991960834382622,
      -1.3483432979070005, 0.03639197316168885, -2.9273833528515683, -1.9144220694027416,
      10.737507594502022, 11.024117496852131, 12.039482605288415, 3.741584411238981,
      11.845961485968882, 5.188290818797382, 12.213412110699219, 6.824194982785794,
      -2.5634460107951993, -1.0992788525037638, -7.228028775458092, -5.4887161109105485,
      -11.633077688453715, -9.893765023906173, -5.099798360468085, -4.244881966029462,
      -2.014238040310296, -0.5500708820188611, -1.197201701168453, 0.5421109633790915,
      2.2814236279266353, 4.020736292474179, 1.7395327950409005, 2.5944491894795236,
    ],
  },
  'conv.dilation.gx': {
    shape: [1, 2, 8, 8],
    data: [
      -1.9590909491146349, -2.7681497591772404, -0.8309926124206428, -1.5876427546249414,
      -4.5488997877942055, -5.305549929998502, -7.047979642331974, -7.247787688541768,
      1.3568931662689634, 1.4649508228477834, 3.98010900862031, 2.500347806179503, 6.82311194075848,
      6.066461798554183, 3.3466174748390847, 3.1468094286292922, 10.601951236693111,
      10.759177240268032, 8.84355766098143, 9.764803775678223, -1.3599221618575479,
      -0.43867604716075626, -9.916376828183747, -8.845274678829611, -7.875881622625892,
      -11.722221733043348, -12.287631307839286, -17.010178834012805, -15.930201023166532,
      -4.09174158441124, -9.037228469036446, -0.3293680493796718, 9.731291109369636,
      9.888517112944553, 12.507550475922129, 13.42879659061892, 14.350042705315712,
      15.271288820012504, 11.524650212646058, 12.595752362000194, 2.223582139492292,
      -6.543440551558964, -0.9339696572127956, -10.577199764020111, -14.41790453380764,
      -12.420810256319948, -7.278931750741839, -8.412436492352667, -3.0413581170918125,
      -2.022664635595981, -5.84932507990737, -3.8643467847740136, -1.8793684896406588,
      0.10560980549269622, 0.12281520485343728, 1.75075945020208, 5.108189734874834,
      6.126883216370665, 10.030501281159472, 12.015479576292826, 14.000457871426182,
      7.219919168082839, 13.146369167642579, 2.728341360758658, 16.08357914571758,
      19.11754968345235, -4.6253731211862394, -0.43759300513344546, 7.348105556974176,
      11.535885673026968, 15.573052505525274, 17.576046280234923, -3.1018675871056343,
      -13.912828324630842, -7.7019697276545545, -18.999348413739668, -24.49420176280499,
      -20.306421646752195, -15.458126777553733, -13.455133002844086, -9.693023624404548,
      -7.8718224163284, -22.453944298179962, -20.676962903609258, 10.18319259657125,
      11.960173991141948, 23.993510553055852, 23.44813285315535, 2.5485211633456304,
      20.930729336350588, 21.79747114089232, 38.4952319735139, 25.66889732233268, 8.838996557159085,
      23.545870792205616, 1.1131558788049556, -19.77817009923482, -17.95696889115868,
      -29.331225950743605, -27.5542445561729, -25.7772631616022, -24.000281767031495,
      -27.872280287754585, -28.41765798765508, -8.171552096082557, 5.289973496288601,
      11.004807649974904, 22.781885901962685, 40.36148949097024, 13.690223564529056,
      22.650591270505156, 25.703132016659474, -3.9278852503764217, -3.9868450017170174,
      0.2168373411758493, -1.0548917398233688, -2.3266208208225843, -3.5983499018218006,
      -3.4517341880266628, -6.181898229270311, -4.399563261101181, -4.458523012441775,
      -9.956995306817882, -11.228724387817099, -12.500453468816316, -16.735174211272444,
      -25.293046517975856, 1.0599635463902999,
    ],
  },
  'conv.dilation.gw': {
    shape: [2, 2, 3, 3],
    data: [
      84.07933502980566, 59.466773503332774, 15.203365354982438, -8.571951853058493,
      52.15917195713619, 107.95258389173102, -48.55641944544726, -55.48994003645362,
      -14.163750671398002, 99.93382877369704, 72.44082452077592, 25.847053333215925,
      -17.957303489508575, 39.63439847141386, 92.46606028053431, -49.11475842879659,
      -60.01984696528102, -21.943496904965258, 82.77139008003944, 44.81207900043145,
      3.815072775141104, -8.803828509540455, 65.1062525865333, 124.77436624430963,
      -48.60159022268401, -51.63537585080436, -6.123308297158555, 98.6504768026486,
      57.14872016131163, 13.478052989812362, -17.82128926027349, 52.401799786913685,
      108.65043277654993, -49.13533622731555, -56.802692636194735, -14.883762294288053,
    ],
  },
  'conv.groups2': {
    shape: [2, 6, 3, 3],
    data: [
      20.05092939094295, 1.8756967130114726, -13.019080911164137, -22.006419005186277,
      -19.775810300346052, -15.904974068627881, -11.964497354031469, -10.651005115832666,
      -9.337512877633861, -10.581241359878137, -17.08018033090016, -20.29866424816631,
      -17.467222569539224, -9.36284549480932, 0.3817591067985098, 4.535964920004576,
      5.920700191073267, 7.305435462141959, -19.11443263566642, -15.57730542665692,
      -8.759723163891556, 0.969815706750961, 13.307733624492599, 27.285879069112173,
      26.733131400294095, 26.548882177354738, 26.364632954415377, 6.878822566017135,
      5.125588849069729, 3.3723551321223213, -1.887346018719895, -11.559527688013455,
      -19.591481830429082, -14.16324877387315, -8.791193019221794, -11.902464581003619,
      -10.27928395953121, -11.961274643608734, -13.643265327686253, -18.68923737991881,
      -22.4876506793227, -24.645836451848655, -1.5962982856237173, 15.452051175937097,
      18.21454798404494, 0.42884061671758966, 0.4583204923878884, 0.48780036805818444,
      0.5762399950690769, 4.291822592432793, 9.647632716674446, -15.414083068442974,
      -20.375833193917355, -10.099340489041905, 14.732162826123329, 29.326206975495076,
      20.075222992189765, 39.28921624739146, 23.477322156574413, 19.147020753902915,
      -12.60949731000537, -23.50070882018861, -22.910327642226314, 43.11192314804216,
      28.253114846480997, 24.875899233065365, -3.1395187066893238, -13.077644427616692,
      -11.534177460398524, -19.86686507761801, -24.884308217911578, -18.42015867005961,
      0.2211518988456358, -10.404115559703794, -9.547790330107688, -19.060060403807377,
      -24.76464528172301, -18.9876374714931, -8.81717722265759, -9.601079519939418,
      1.096610870924285, -3.0990323063512055, 8.55174387376837, 23.765164789687333,
      43.955445588144656, 25.200283528075442, 8.085348994884168, 2.825647844041947,
      1.072414127094542, -0.6808195898528648, 38.75479224084036, 20.952715970027025,
      12.51580977203286, 15.000774859336612, 2.1193811691570748, -9.121784994144527,
      -14.167757046377096, -15.849747730454615, -17.531738414532136, -10.11536598895826,
      -20.403446363003987, -15.523831327210772, 9.503121450395794, 4.135723656983859,
      0.40855339044985955, 0.4969930174607498, 0.526472893131048, 0.5559527688013464,
    ],
  },
  'conv.groups2.gx': {
    shape: [2, 4, 5, 5],
    data: [
      -1.7222393434828167, -4.0840282119240285, -6.85689756887883, -4.4492511160616015,
      -2.0874622476203895, -5.36312726184082, -8.077195361410244, -11.882837746215957,
      -8.429351319462176, -4.075055693014819, -6.3090984335514095, -0.26557423240496925,
      3.7364685785733798, 5.5408782326162935, 2.7778090852257225, -3.3388776866926713,
      -3.526948374996698, -5.345419964955226, -7.196638167105459, -3.728112425045567,
      -4.6186723489684685, -4.4544638061442825, -5.2401623682519, -3.216537963704884,
      -1.7405189796511373, 3.001910732682334, 7.420493268409513, 13.48421664362634,
      11.167713020278422, 6.749130484551242, 10.253836874499203, -0.050313025561553815,
      -8.973822081730049, -24.417754845072157, -10.833149891255538, -0.9501448458646271,
      -24.014317287287902, -12.545368894680768, 12.665797884986219, 6.964259613098646,
      -7.624756755804841, 12.190298408896796, 29.56671274731661, 25.44046350676681,
      12.186318449576909, 10.608572761933274, 9.819739541600262, 6.856765490582818,
      -9.627310269527776, -5.558021995438896, -4.076306034217084, -6.688444910142733,
      2.445059831468095, 3.926317921263724, 3.258001743433507, 6.292896829240377, 13.60448713997658,
      21.650961089733997, 11.808195898528648, -0.4240769928413566, 12.317067157410913,
      24.93794081131295, 23.045232413774883, 7.863704003733415, -9.677852230802419,
      -2.041375727531281, -5.243112116862877, -19.942026433269643, -18.170064013947467,
      -16.608555151493803, -7.489896010354938, -15.694679005714587, -24.385879949634145,
      -16.21057682994479, -8.005793834585141, -5.739541600260635, -12.879377294860394,
      -4.383115110637585, 0.40160607207953003, 5.901214239801354, 1.1279574531782437,
      -0.8140865905308656, 6.518046297845363, 5.1206755364580125, 5.42249205328919,
      0.9301129709691907, -1.5086687388283773, 0.33561975539099453, -0.17849941445288664,
      0.6200547684667472, 2.996953393971947, 4.025306201516258, 3.5419964955225463,
      1.915857320219426, 0.887504512675114, 1.0501369211668674, 1.8013806584543317,
      2.4822002483071968, 2.1174704364747425, 1.3662266991872782, 2.2761404960860796,
      3.1282392202097404, 2.7847652088157866, 1.1940318220641202, 0.3419330979404593,
      0.28015567628490157, -0.9169579726862087, 5.225466456515423, 4.675897472021415,
      4.232783594114591, 4.42813619913885, 7.056362211518989, 12.009271896380175, 7.997129498366633,
      3.728675959108559, 3.399977106428691, 6.424085798061091, 8.047768317058352, 4.378377902420556,
      -0.28595831608977795, 0.47527934559606927, 0.62791782968944, 0.6863844887249162,
      0.8965122524632605, 0.7438737683698894, -0.06013965078498503, 0.5119002544708504,
      1.9445887522123115, 2.6901355123317097, 2.1180956070758743, 1.776259366552493,
      11.037827223978375, 15.349100546804145, 10.022972818286679, 0.7614049608607978,
      6.013375128776339, 4.7728165256363955, -7.657124743547976, -19.81541617871074,
      -16.934630048692863, 2.4008136023034456, -12.92585124461781, -45.22322993070293,
      -19.127746127904622, -2.1608537541054336, -9.276950576301633, -2.8872051352041472,
      2.1841347550828134, 8.86603738696299, 4.116519472743442, -2.8457677711347285,
      -5.011860630982046, -10.379196787855841, -8.488249434264631, -7.962384101295248,
      -7.761898053165916, -14.433859591966117, -12.133830534740994, -6.281573316662117,
      -2.8900668316177818, 2.951720980197061, 7.134226769629035, 10.816675325132739,
      6.6407206191830515, -0.8222402240047888, -2.7958950065598875, -5.040680115172274,
      0.33640341994734424, 2.862885118298127, 3.46744270003258, 2.1202352754712988,
      4.381318845811796, 7.011719747466298, 5.576891581329413, 3.3158080109889143,
      5.326673652140989, 8.46856096293883, 9.654130968838327, 5.012864426031751, 1.8709771152339107,
      4.0989882802525335, 5.199218096487597, 3.7576275215948014, 1.0294534600110945,
      -0.07077635622396916, -1.6268347876621267, -5.6955859433472185, -11.520846357720854,
      -7.837790242055491, -3.7690390863704, -0.7848444557933946, -1.826818938266604,
      -2.668985374530021, -0.5133267000678003, 0.5286477824054094, 0.4428409160950613,
      1.4425239281846283, 3.2275180727135053, 3.470084265952856, 2.47040125386329,
    ],
  },
  'conv.groups2.gw': {
    shape: [6, 2, 3, 3],
    data: [
      36.643723199112436, 53.354788718752474, 28.10777588954732, 2.1555794274846143,
      -11.539293293064128, -26.944940961001677, -27.21787635710449, -26.715080699838865,
      -24.642604936206183, 22.21158943021423, 1.8852591816428763, -11.809613538905863,
      -27.920444839700977, -27.488196602946225, -26.985400945680603, -20.697426234271678,
      -15.34449541688313, -14.841699759617502, -27.70611698614939, -26.541591455414768,
      -11.443950373781577, 21.94409565990719, 28.029303771275615, 52.96831001417641,
      20.817802393258724, 20.53610580352033, 7.062041578247587, 2.077221777069445,
      22.09554543933644, 28.180753550704857, 36.083543924838644, 20.96925217268797,
      20.68755558294957, -4.90204193045637, -15.09565110197325, -15.37734769171164,
      16.798712676874853, 4.0569257455819825, -9.513793376713716, -17.844684729107414,
      -25.665789079766483, -29.39514304079458, -17.84929866424817, -17.27525997411265,
      -9.329015840590301, -9.503271139131277, -18.153307680793173, -25.97441203145224,
      -24.463938222578342, -18.157921615933926, -17.583882925798413, 0.5228715582597347,
      11.749570745537957, 12.323609435673466, 11.556498692424874, 2.3159753101638643,
      -5.284320545219204, -8.3848409337055, -12.704681735332704, -15.384295010081974,
      -8.07907087321364, -2.681004499467285, -1.2512305294578656, -3.1934682880011263,
      -1.763694317991705, -7.723762646496842, -13.293442752863896, -11.175831432873407,
      -7.417992586004983, 0.8396217277602194, 7.877915628384507, 16.556437055886732,
      -15.474002588734603, -6.5746726659563794, 3.9648847836997767, 14.154778152488795,
      27.97479065590082, 43.43503068619077, 13.942000017610436, 2.153298875573439,
      1.1583530717009056, 2.509910274810908, 1.5149644709383745, 13.694749447472462,
      41.980056177301904, 26.910899981509033, 13.481971312594109, -0.2966214371879679,
      -10.445095052347032, -18.95334114062816, -10.564159233593674, -15.57114177284294,
      -18.937896785214274, -20.94284531870493, -21.029145277320396, -19.47521770905793,
      -5.271896380174166, 4.359710836583925, 4.220500312585301, -19.14147346547033,
      -19.280683989468958, -21.007211474962357, -19.678794389313985, -13.32764222631176,
      -5.336262536431598, 4.016923632329244, 15.288758375965271, 28.20082064647923,
    ],
  },
  'conv.depthwise': {
    shape: [1, 3, 5, 5],
    data: [
      11.502681189409081, 6.043444954168832, -1.080074668263347, -6.563366763817592,
      -3.876876612455864, -1.2299307029206912, -7.3683135362642975, -9.698896705967298,
      -10.389252348792365, -6.271878769734699, -4.158335461261435, -6.0934145761607486,
      -3.5033151652299486, 0.7270117725787845, 1.636846322499978, 2.7546249416654196,
      5.74596060544691, 7.418943549736284, 9.091926494025659, 6.0711109545738715,
      1.6857417076843155, 2.6907518777131085, 3.1206667312382783, 3.550581584763448,
      1.764354709471775, -4.431517403516804, 4.73910133927392, 17.37191487113561,
      31.644955929875223, 4.74902482191443, 26.419146069790173, 25.288679128987663,
      9.444029620759187, -4.760392360591359, -12.929725541300883, -8.434326268612033,
      -18.043568227245107, -18.403058933335682, -18.76254963942625, -12.536660532363586,
      -13.957708529616356, -19.841021757697966, -20.200512463788534, -20.560003169879103,
      -12.143595523426287, -7.434889802675026, -1.4797876181000111, -0.21788516232422506,
      1.0440172934515595, 5.598772552369044, -0.7104755699178473, 0.8185420317164013,
      1.0027912546557598, 1.1870404775951184, 1.3367380182972466, 5.913647210066127,
      10.326039676320125, 9.574302846727543, 8.822566017134957, 5.785901082161506,
      4.550202960314874, 6.5673555283572105, 5.815618698764627, 5.063881869172045,
      2.137766467962208, -1.5751921739207, -5.075002861696413, -7.308235522017452,
      -8.059972351610035, -6.1135873345719345, -3.7257438209370517, -6.097209625866213,
      -3.8445878716903383, -5.031152867419806, -3.910125122172424,
    ],
  },
  'conv.depthwise.gx': {
    shape: [1, 3, 5, 5],
    data: [
      3.6870184645457833, 5.529299368665745, 5.959214222190916, 4.025790488601643,
      0.965826942211343, 4.091301323424526, 6.2757530664177725, 7.9487360107071465,
      2.337697787248282, -1.351046500365416, -7.682703906875997, -12.132078296013876,
      -10.459095351724503, -8.786112407435127, -5.196567725347586, -3.248439274802103,
      -3.7671635745670033, -2.0941806302776285, -0.4211976859882537, 1.5223872711743522,
      3.0981693948172477, 6.298127129762523, 8.09885620195652, 9.899585274150517, 8.411098098953058,
      -5.465901786579085, -0.9083288573466355, 0.3535735984291497, 1.6154760542049331,
      7.42414743459923, 12.152048534371175, 20.52134825524571, 20.16185754915514, 19.80236684306457,
      13.838926115401211, 12.545113543308473, 18.723894724792856, 18.364404018702288,
      18.004913312611716, 8.315543854396886, 12.938178552245775, 4.721737445957967,
      -9.482684535392583, -25.327334043621057, -26.537928484005317, -4.87062490644454,
      -31.890973769250408, -17.61793271051079, -4.985119178649102, 4.16630418512094,
      2.5143481055569743, 2.083799276210938, 0.8972342804814695, -0.2893307152479991,
      -0.607243173753401, -3.6205566659916, -6.591605103505357, -7.34334193309794,
      -8.095078762690521, -5.1043770747299, -7.268691280190898, -10.350289251468272,
      -2.74215675052171, 3.225748223546919, 5.331234755963336, 4.16268523981016, 6.049952011552447,
      8.73740193186521, 9.784624325300038, 5.925481425388972, 3.6940978612121267, 5.505525275383247,
      4.20827866759415, 1.2708045329271194, -3.2806135477110834,
    ],
  },
  'conv.depthwise.gw': {
    shape: [3, 1, 3, 3],
    data: [
      -20.89481284505455, -23.889679401949486, -16.19597777562539, 18.17598112160889,
      31.781410420097036, 44.94386672419411, 29.711312065792608, 25.187022867155648,
      1.7663799100106534, -19.545738713909607, -18.071903424349955, -8.180172406202397,
      -11.579779693402248, 1.3416249152497592, 11.025808099041113, 39.332071251838094,
      49.206033336561916, 36.96057903124972, -21.04573431129974, -23.990146959117364,
      -16.17053069059338, 17.722776461886607, 31.25899673326348, 44.49066206447182,
      29.73675915082461, 25.26292386126496, 1.7918269950426626,
    ],
  },
  'conv.depthwise.mult': {
    shape: [2, 4, 4, 3],
    data: [
      4.454049960816772, 5.964638237547218, 4.563780609145102, -0.7669258336341782,
      -1.6052619993131927, 2.551946393822258, 3.8163055059039, 5.251230529457863,
      3.8949185076913597, 2.09149503825868, 0.274062464228795, 3.7775097077547573,
      8.840819237644075, 14.73899567663711, 11.692178323310056, 2.3079889758648937,
      -12.42519525574761, -8.572612244538563, 5.486012908452131, 12.006216485132386,
      11.047882784914897, 9.642437637031232, 3.953314724968962, -5.6126495786702355,
      9.627882608810502, 12.226417420246722, 7.3710343491621835, 3.9640747034842256,
      -4.493488540006516, -4.981148024548952, 0.9396666343808602, 7.547825550986624,
      8.630920409618822, 8.210127763738344, 2.0976058607542556, 0.7570111562134038,
      2.065475613943946, 3.0770104517958248, 2.55025579163328, 2.823367292130775,
      2.1023518741910205, 0.1374230643925718, -1.6062481839234297, -4.366420414021432,
      -4.057991177169825, 3.8118940908170362, 4.273005837860683, 2.3984978295133352,
      2.3877906823164774, 3.3922020974033407, 3.2001250341202265, 1.2119328337838673,
      -3.782423020366473, -1.5420141059620143, 1.7915980593295706, 3.268074914809499,
      3.275418468067871, 2.1330468701846454, 1.5864540499608168, 1.0472047829953597,
      2.558937738291259, 5.8431262052144515, 6.112900527432662, 5.696968362845496,
      -7.566492616823253, -1.415086863492679, -4.969938979827241, -2.62380579207354,
      1.9971383035863663, 5.468367248104676, 8.783638140689801, 7.124153598253045,
      -7.377620653523408, -5.215129128547402, 12.708556032015778, 15.341721772666837,
      6.060676769188775, 0.2354956017927432, -9.323107538148614, -16.818982292703115,
      0.5670121247875739, 14.95285685354278, 5.1724414232757185, 0.636133099701503,
      0.5270804532927119, -1.0052391057418837, 3.6721552536343545, 5.769769919608343,
      7.575861370620505, 4.489033098820981, -0.6175364756227493, -4.289788586674181,
      -3.145567892646761, 6.339000959768951, 8.590618918895121, 5.62820840194067,
    ],
  },
  'conv.depthwise.mult.gx': {
    shape: [2, 2, 6, 5],
    data: [
      0.2135177733360336, 1.1034349162183343, 1.0422298338455036, 2.7608590372372745,
      1.8709418943549738, 0.009615299949810249, 2.796035890075637, 1.2985057542110963,
      2.816472805078851, 1.6702797418309574, 2.699653954864444, 3.712368692160713,
      -0.47520009861846096, -0.27400082769065537, 0.35351196189100886, 2.0420537294508185,
      4.303568755558295, 2.4138277170706797, 5.047116730798017, 2.785601704690541,
      1.1822240224004792, 3.0408474143472244, 2.010936082909949, 4.698271535366165,
      2.8396481434194194, 3.157375692310402, 6.534212681277461, 3.529149679930263,
      7.277760656517183, 3.9009236675501238, -5.517068918454861, 1.4701106816120593,
      5.49926476415219, 10.222226135653216, 4.875274062464229, 5.35677869841242,
      -2.6891141068425357, 4.2758499238348495, -3.2107441291197416, 3.1949211492572798,
      4.251283360776268, 7.726263328901373, 3.6272926590883072, 6.478281925525452,
      3.003301957400347, 2.11399237467971, -4.254004173674154, 1.0330636001021407,
      -4.77563419595136, -0.047865174475428686, 2.379311255712386, 3.982319118773609,
      1.7553205540244254, 2.7343377153976878, 1.131329852336465, -1.128793949052999,
      -5.818894240505772, -2.2097227236305685, 2.0193450677561655, 3.428990305453073,
      0.2911357852935219, 1.2586709401333107, 1.1198478458029923, 2.9160950611522516,
      1.9485599063124621, 2.7576187163750676, 5.734698729406793, 3.1293927039949283,
      6.478246704646514, 3.501166691614789, 2.7772719668219326, 6.230943303190131,
      3.6059840273314023, 7.88836742420907, 4.434696087840872, 3.8729406792346506,
      7.9653426551259585, 4.244714666854511, 1.4248694626174392, -4.307760040151803,
      5.263408148350343, 11.203215666246951, 6.0921202088598125, 0.6559360388838513,
      -6.924099005890692, -3.9359860525319417, -7.652510808407223, -3.56421206491208,
      -6.908962833167502, -3.192438077292219, 3.0502689994628813, 5.324234606274599,
      2.426278297774921, 4.076253202898679, 1.80228759608696, 0.03349505586911915,
      -5.258001743433508, -1.0474337187084504, -5.779631765710713, -2.12836249328602,
      1.1782968943989995, 1.5802903961468358, 0.554306192711039, 0.33230899277091464,
      -0.06968450897692156, 3.510350535797621, 6.616391797057295, 2.429421761220051,
      6.094761774780089, 1.3484929866424817, 1.1052840123625285, 1.4342646320738934,
      0.4812933106745679, 0.18628322869797204, -0.14269739101339265, 0.26756421206491193,
      5.051501730225678, -0.8133645625126574, 4.529871707948472, -1.894293337090227,
    ],
  },
  'conv.depthwise.mult.gw': {
    shape: [4, 1, 2, 3],
    data: [
      -4.52811066400162, 13.276756861467483, 11.630224797259816, 15.916218334228528,
      3.913074870783401, 6.237996284197271, -1.812475235319497, -2.9498102475147263,
      -8.864241122137202, -8.810678970493708, -2.568509012142398, -6.372381547781525,
      -4.861846102369484, -5.493268409513158, -3.9856386866134246, 12.418115859081261,
      -1.120076781516083, 0.6854071093344141, 0.09118685556798134, -1.3529924539266887,
      -2.3306976375595436, -23.12265671089822, -15.04813813628719, -22.597751146879872,
    ],
  },
  'conv.combo': {
    shape: [1, 4, 4, 5],
    data: [
      2.1305637982195846, -7.550053271579392, 1.4806153087550302, 10.511283889089453,
      2.1305637982195846, 2.1305637982195846, -12.419234121987515, -1.6148596888235351,
      9.189514744340444, 2.1305637982195846, 2.1305637982195846, -17.956960085938945,
      -7.152585652774965, 3.6517887803890146, 2.1305637982195846, 2.1305637982195846,
      -7.845415562345357, -2.4702515651278074, 2.904912432089743, 2.1305637982195846,
      1.8545994065281899, 17.041754351979854, 8.639989785945108, 0.23822521991036294,
      1.8545994065281899, 1.8545994065281899, 21.572092736574245, 11.14850003081827,
      0.724907325062297, 1.8545994065281899, 1.8545994065281899, 26.914651005115836,
      16.49105829935986, 6.067465593603888, 1.8545994065281899, 1.8545994065281899,
      19.836513485194022, 12.699926916676205, 5.563340348158388, 1.8545994065281899,
      1.5786350148367954, 5.194243147337742, 8.88414091873663, -2.4701987338094034,
      1.5786350148367954, 1.5786350148367954, 10.755866477647949, 18.469767278042426,
      -14.345825005063002, 1.5786350148367954, 1.5786350148367954, 6.802146712571212,
      14.516047512965685, 9.266859794486173, 1.5786350148367954, 1.5786350148367954,
      5.913180533420212, 15.788938882969823, 25.664697232519437, 1.5786350148367954,
      1.3026706231454006, 0.058017592829029185, -3.843152620873654, -11.18350958448168,
      1.3026706231454006, 1.3026706231454006, -2.6579348237635267, -11.251318581655205,
      -13.442523928184634, 1.3026706231454006, 1.3026706231454006, 1.7465593603888383,
      -6.846824397502841, -12.759406175981118, 1.3026706231454006, 1.3026706231454006,
      3.6377972862312777, -3.9188775105882763, -11.475552307407831, 1.3026706231454006,
    ],
  },
  'conv.combo.gx': {
    shape: [1, 4, 9, 10],
    data: [
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -11.194586550907378, 4.139016809164473, 0,
      -11.17738995676637, 2.820611258353953, 0, -11.160193362625362, 1.5022057075434327, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0.8509100194595351, 7.4273525345825, 0, 0.5135292201216886,
      5.906682281256329, 0, 0.17614842078384063, 4.386012027930158, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 6.800764293072933, 4.180304484498411, 0, 6.463383493735087, 2.659634231172239, 0,
      6.126002694397238, 1.1389639778460665, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.5216916588153455,
      1.1712086925129217, 0, 0.5079114899312313, 0.4620539055552132, 0, -0.5058686789528835,
      -0.24710088140249553, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      3.557608150111385, 3.4413264183007684, 0, 3.7623295089328956, 3.950673159048683, 0,
      3.967050867754405, 4.4600198997966, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4.065827822733316,
      3.3935228803634807, 0, 4.829847933855189, 4.614481064374962, 0, 5.5938680449770635,
      5.835439248386445, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -4.1600436738898825,
      -5.828113305567541, 0, -3.3960235627680095, -4.607155121556058, 0, -2.6320034516461366,
      -3.386196937544576, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.5812061389991989,
      -0.931689105301623, 0, 0.23276598367512213, 0.18690839929910408, 0, 1.046738106349444,
      1.3055059038998316, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      -6.027428259472216, -3.8000598754941937, 0, -8.381855964215587, -7.490089725189092, 0,
      4.907606829328426, 4.463770923403394, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2.945751041217233,
      4.148693745652423, 0, -2.668659581399854, -2.6490063309529885, 0, 7.360820294270444,
      6.1971840907289835, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4.803441079872149, 5.010619094999516,
      0, -4.091424596500806, -5.067536035361763, 0, 2.6576002254136255, 0.49819933256434434, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1.4695647579885356, 0.18227685371888502, 0, 1.2058836478264314,
      0.2232211254831863, 0, 0.9422025376643276, 0.2641653972474885, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7.336782044395918, 9.56415042837394, 0,
      -3.0312585300566184, -2.1394922910301233, 0, 2.244591393778231, 1.8007554878531984, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 1.0098794565418379, 2.2128221609770278, 0, -13.34449541688313,
      -13.324842166436262, 0, -12.054979792020712, -13.218615995562168, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, -11.308156275039844, -11.100978259912475, 0, 6.383634618601906, 5.4075231797409495,
      0, 4.39269518970846, 2.233294296859179, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      3.5166550731273505, 2.229367168857698, 0, 3.4404987276457484, 2.4578362053025034, 0,
      3.364342382164147, 2.6863052417473074, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ],
  },
  'conv.combo.gw': {
    shape: [4, 2, 3, 2],
    data: [
      3.626975671177875, 2.3372311106023647, -0.40883515748135374, 0.5074976446037224,
      4.1983992110523145, 4.4023016844385365, -1.337847475983763, -2.6275920365592724,
      3.1185534785020548, 4.0348862805871315, 4.983314108603581, 5.187216581989804,
      8.341219875141983, 5.997569759353344, 6.957171411212567, 6.468296806346801,
      10.533164860129084, 9.683161778302178, -0.6805730437003056, -3.0242231594889453,
      5.075267018288443, 4.5863924134226774, 7.261109985999701, 6.411106904172795,
      -10.209617060993756, -11.966945205117593, 0.11115709392527869, -0.14269739101339254,
      0.05818489200397882, -0.20549621815812458, -2.2828852944025235, 2.450149248474496,
      -13.300029057225125, 1.1376167792267264, -0.9568456180823994, -13.6545095932869,
      -5.7961855788111185, -6.9671917512701524, 1.949634143120042, 1.9307997781084625,
      1.0479972527714427, 1.3706381142741426, 6.909640835087042, 14.751067632892777,
      -8.03478061795032, 9.159955621692538, 2.2899911067280687, -7.299280613547713,
    ],
  },
  'conv.unbatched': {
    shape: [3, 4, 4],
    data: [
      0.7435743908989247, -0.43729362766247837, -5.621727760216256, -8.442823305655592,
      -6.077882168549516, -3.978295133355053, -0.23848057128265676, 0.9439899972703818,
      3.3089311343764582, 4.491401702929497, 5.673872271482535, 6.856342840035573, 9.22128397714165,
      10.403754545694689, 11.586225114247727, 12.768695682800766, 31.002280551911173,
      16.652915848515, 20.50478563692557, 4.515193406651461, 6.786781604134933, -4.282128045505376,
      -13.710810168267752, -12.575016069526017, -10.303427872042546, -9.167633773300816,
      -8.031839674559079, -6.896045575817344, -4.624457378333876, -3.488663279592143,
      -2.3528691808504076, -1.217075082108675, -13.131268215798327, -8.60296383696255,
      1.0047548186564996, 3.892831670614341, -0.4898431790365321, 7.318916253555108,
      16.76790321302468, 14.576565788199245, 10.193890938548371, 8.002553513722935,
      5.811216088897496, 3.619878664072062, -0.7627961855788115, -2.9541336104042477,
      -5.1454710352296855, -7.336808460055122,
    ],
  },
  'conv.unbatched.gx': {
    shape: [2, 5, 5],
    data: [
      1.978030976763025, 4.271332846111174, 4.162421083218132, 4.053509320325088,
      2.6413281793447148, 6.80656693287781, 13.974262342716763, 14.670314962709895,
      15.366367582703027, 8.777624175611301, 6.561684966848349, 3.107546953834233,
      -8.401104174554675, -7.705051554561545, -3.4844367741196978, -3.5245621604487125,
      -20.157877589835252, -34.94698377198003, -22.61060676769189, -6.663517333075047,
      -8.163116695577138, -16.092851042097756, -15.28788665921158, -6.123052945786262,
      0.05180991291637683, 3.9138761457792177, 5.582438869761995, 5.6610518715494536,
      5.739664873336913, -1.076341255096021, 4.298391286354551, -0.8899347533217694,
      -1.4590601308455649, -2.0281855083693627, -8.124030325176763, -1.7573017284646335,
      -36.50009245480721, -20.508210867402198, -21.077336244925988, -3.992101717898369,
      -17.654359904551416, -7.29480756192271, 5.416618971726439, 9.926907870985922,
      9.222807280155678, 3.7868520458928048, 7.080735059743415, 6.43299668043216, 7.584217524148315,
      3.261814403578441,
    ],
  },
  'conv.unbatched.gw': {
    shape: [3, 2, 2, 2],
    data: [
      21.71706187427907, 35.06987822381107, 13.101224806065035, -2.311669557713812,
      30.807694001003792, 13.754572110347016, -17.861441062261715, -19.076667048226188,
      11.575975838477047, 0.13867340559483582, -24.093573070115966, -28.969965395486444,
      -17.70506916500101, -24.221689017249425, -31.857654817775977, -31.61935915610774,
      -18.265477374987892, -17.526050242583807, -2.1343588479250495, 5.165978391990772,
      -9.585890515897823, -3.925780802859936, 18.979210876207418, 22.311255712386306,
    ],
  },
  'conv.same': {
    shape: [1, 3, 5, 6],
    data: [
      29.47589571097747, 24.239000079246974, 21.436650846621877, 11.427378950241705,
      4.42048446318978, -2.4668527503103843, 11.850786746383257, 9.589641539504617,
      9.287270293830183, 5.325467337037397, 3.273727865878895, 2.2742561790629496, -6.7160404687899,
      -12.88916869920489, -16.564696351997465, -17.087312558884904, -10.171402407347076,
      0.37967226972148777, -16.958272063679352, -14.838679569248654, 3.5978920303956183,
      25.2800764293073, 8.235627680088756, -12.273393267528988, 7.728455828615203,
      14.857249777668205, 10.130185173771011, 10.706513221037433, 16.17695850099939,
      8.931882820135776, -20.026063450413407, -25.70245401473993, -35.34360608968996,
      -30.699935721895933, -25.656543599045513, -19.790990499167908, -10.246493321240832,
      -5.825850364095834, 5.2845494809322995, 20.780089637136893, 30.503323970449685,
      24.942792487386523, 12.516787151423365, 14.268224603544983, 33.089610721235545,
      38.14413264183007, 6.385413272988235, 1.291285474029007, 8.278042423548682,
      -1.8814377162782083, -20.517051308015393, -28.58434960244433, -28.77316873442577,
      -19.238498181722125, -20.613001787459606, -30.274309010381355, -29.407435127543607,
      -18.2170046403508, 0.345543238031506, 9.187965025667216, 4.952416592556067, 4.850698694185912,
      5.778319787970307, -0.41032323961644596, -0.7065836627953046, -1.1183069323494967,
      6.3867604716075705, -6.250015409134537, -17.395600912220765, -17.769338463841375,
      -19.46359481900871, -19.637999806285166, -0.1730930095360523, -4.3949317155209595,
      -6.586753427431781, 4.044906620644718, 6.557590539671919, 5.6068117179864245,
      1.5916491296040285, 10.423240496966603, 7.34381741496359, 4.853657248016627,
      13.971893738608246, 12.526930764557228, -1.1938557176694342, 20.82081377840784,
      38.780855691253784, 15.417402636282784, -5.662143718796503, -10.291593656719703,
    ],
  },
  'conv.same.gx': {
    shape: [1, 2, 5, 6],
    data: [
      18.416935959636874, 30.704708150991912, 36.037624703924486, 33.76567549243192,
      24.776048041278877, 11.211633456312901, 37.149362942352234, 39.15497186732295,
      15.653056732030748, -12.4327501342796, -33.096822196197905, -16.623391946746036,
      -43.97909640835088, -50.61495654624061, -44.236393734205635, -37.91269624633483,
      -31.79544594035344, -14.857936584807472, -3.924724176491824, -1.4417402636282772,
      5.046289040143, 10.364685785733785, 11.217092692548142, 9.218140513696518, 19.248122286891668,
      16.670675976719, 12.762540834206519, 1.9491234403754532, -1.1326770509558064,
      -5.894830455494018, -12.796379293645273, -38.25762311898493, -25.01857020841955,
      -7.658753709198811, 12.65688700261515, 17.381371677130204, 12.408932014898433,
      32.444284972131484, 47.28859107679032, 47.010205249672005, 40.53656367494651,
      25.663244371263282, 6.18059505674964, 7.214565594484411, 5.370972712624044,
      -6.547737498789283, -21.048129331067457, -25.097456172018774, -6.2911886166119295,
      -17.22149530241527, -30.197377805563136, -43.12138875925648, -27.04145497450889,
      -28.944122075566398, -0.26152383132721013, 3.7369088395600913, 6.697813663939983,
      4.79295406316865, 10.607102290237652, 9.597601458144387,
    ],
  },
  'conv.same.gw': {
    shape: [3, 2, 3, 5],
    data: [
      -25.2388503905115, -32.25872377145171, -37.75037202053378, -30.03847000501898,
      -24.58594334721623, -14.113428840616717, -2.1345173418802648, 22.975407021282216,
      46.27257438209372, 59.14034639734435, 38.69364879500568, 21.75430795375499, 7.50254911111307,
      -13.421312153844795, -20.585608748866324, 18.11398356945998, 29.411987426146215,
      56.82102510368147, 61.388900140002995, 32.394852468543355, 9.778531113243933,
      1.2441335223520467, -15.547526173515664, -23.162834928545642, -28.337865086423236,
      -22.203312523664028, -28.902041930456377, -33.850813162042456, -24.28563252295961,
      -12.580704241474345, 13.3591913286196, 9.968609391647368, 7.297827752291556,
      -11.76527045232414, -10.409618822037705, -19.38153897630516, -31.19326576794724,
      -41.519534379980456, -36.42836513485194, -29.574294041507805, -15.86783365178878,
      -11.171067808997172, -4.489323671072211, 15.996310612931344, 17.91028361612764,
      -22.591552272186952, -27.490151361727236, -30.966346450175664, -19.467372258274708,
      -11.285984731748982, 5.046817353327052, 15.122603879579815, 26.741989451346758,
      43.05330680027121, 46.236789969093685, 28.130942422668152, 23.2424253097236,
      19.401262668509894, -1.8978242302036652, -10.495557766644065, -10.071586436439517,
      -3.2719668219320437, 5.185076913594379, 16.772578784703573, 18.299474328381866,
      51.682659880777315, 68.79685477551092, 53.65197369000344, 24.029048419903315,
      10.213191980205867, 5.902992894187674, -11.186071903424349, -25.352534582500507,
      -26.773714658049293, -22.236561033380585, 23.546786535057983, 9.012494606802912,
      -3.1617694969577976, -11.839542480782606, -18.987637471493098, -29.33244987628666,
      -40.02957673308738, -47.60101788340128, -37.75137581558348, -26.985400945680603,
      -21.835597742341662, -19.129014079546362, -14.437452121617694, -2.490838168866505,
      11.360503306360009,
    ],
  },
  'conv.same.dilated': {
    shape: [1, 2, 7, 6],
    data: [
      1.2311546284637536, 2.583953367556287, 2.772569979483838, 4.573299051677835,
      3.073646857857338, 4.121820215023466, 3.7041534221486496, 1.0533860472488092,
      3.929584657785135, 3.366975142864691, 2.9957822997472903, 4.043955656913418,
      7.843073373896045, 9.186864373200432, 1.267370497230759, 2.940353441520134,
      -0.7896521057682997, 0.09720082064647961, -4.306016606644418, -2.045109140698606,
      -4.7089962930024925, -0.4786693551937593, 0.7219047451329152, 1.6087576715476932,
      4.673845855823332, 6.017636855127719, 2.242451725382807, 3.915434669672182,
      2.0394561896292123, 2.926309116043991, -1.083156495170337, -0.6442339018570209,
      -1.2614710000088052, -0.8315561464836354, 0.00923667550123719, 0.14353388688814728,
      1.5503790647095599, 1.989301658022876, 0.5949070609057052, 1.0248219144308748,
      1.7321364104641233, 1.8664336218510333, -2.2275444883727076, -4.694027419454253,
      -0.4578450105222369, -2.7458109167114273, 2.8054134490926224, 1.6745326629626032,
      -2.1056626368111013, 11.988861397036162, 17.29614595532232, -2.1172062798827147,
      -4.544250631774515, -5.675131417904534, 7.361647984925466, 6.256971532724599,
      9.479770007660541, 9.120279301569973, 9.581699231304317, 9.660312233091776, 6.888851711294456,
      -8.060756016166385, 2.913611989187188, -9.65058246528542, -2.715705870439998,
      -2.6370928686525374, -13.584138277170707, -14.68881472937157, 3.472743442312602,
      3.11325273622203, 14.31697910521357, 14.395592107001029, 15.741919009588884,
      15.642014986483987, 9.408042687705272, 10.669945143481055, 5.139272160536767,
      6.374970282383398, 15.142494870959505, 15.042590847854608, 1.494298620222068,
      2.756201075997853, -1.2914703836434243, -0.055772261796793954,
    ],
  },
  'conv.same.dilated.gx': {
    shape: [1, 1, 7, 6],
    data: [
      1.8683619649728342, 3.2383572982063766, -2.496922575702876, -17.930491595417763,
      -13.490714895790225, 3.409310639347006, 3.157049899180235, 4.5270452324137755,
      12.363021599204007, 14.054838908504962, 14.381389287569672, 14.720407857778092,
      -0.680044730516248, 1.202537664327415, -9.864161875159594, 4.006771213975646,
      -21.78131356267996, -9.901874631281425, 0.8975424631721689, 1.8630083913744053,
      -2.759230071586437, -1.445737833387635, -9.270681259850841, -9.031566712747317,
      -12.798386883744685, -15.836487069534822, -1.809560707587457, -6.139862110258961,
      13.998432670887299, 14.237547217990828, -0.9411371060764813, -1.0238445350403713,
      2.5798413299403893, 2.0926044959451966, 4.089055992392291, 2.9753718004032796,
      4.559149063564882, -4.447807060025182, 8.369026759062773, -2.682686296436528,
      -0.4413528339599717, -1.555037025948983,
    ],
  },
  'conv.same.dilated.gw': {
    shape: [2, 1, 3, 3],
    data: [
      10.485053139501096, -16.212469952187654, -21.10079335029806, -10.484445579339434,
      33.64664653206421, 66.4903450765614, -14.817767172379787, -40.09207618276115,
      -26.620389366816653, 7.293160985832403, -25.5028396833643, -25.451804629784537,
      -0.24448573114141858, 61.07006313342549, 83.11467037659925, -19.54985955674524,
      -42.84786341343148, -25.421585115656562,
    ],
  },
  'conv.valid': {
    shape: [1, 3, 3, 4],
    data: [
      -30.281009782599124, -31.33085613151476, -30.01736389331596, -28.70387165511715,
      -14.56929267669875, 0.9418679393144258, 15.535912088686173, 16.849404326884976,
      35.710660479532265, 53.58515968265988, 27.20878937033874, 19.598032913911368,
      -23.235830200142644, -18.411908179168613, -17.02717290809992, -15.642437637031236,
      16.113446451056184, 43.30090077397882, 28.44209247241765, 29.82682774348634,
      19.377717510940485, 7.799364263135187, -6.900712342276499, -8.637700428814199,
      -2.2928087770430294, 6.764654086942739, 6.580404864003383, 6.396155641064024,
      15.52604143736407, 17.42294111949564, 6.797673660946212, 6.613424438006851,
      -2.740113939543361, -10.084926344336925, -14.748936769717089, -12.252384013243049,
    ],
  },
  'conv.valid.gx': {
    shape: [1, 2, 5, 6],
    data: [
      -6.8320844596676915, 0.5440833325995635, 6.554350218809711, 14.62833167501695,
      9.147883665436872, 4.347929452579489, 2.0286874058942135, 11.709630268823359,
      18.61782704787398, 21.019389093854837, 12.763306888323399, 5.909156548001656,
      2.7628402116774824, 8.22122234060351, 11.099296462943233, 9.88466042670095, 6.294155975662372,
      3.2277382032068616, -1.8629203391770641, -5.397185851772932, -10.14585846489799,
      -9.593110796079916, -6.086687388283774, -2.7366710986272667, -0.8823270434713699,
      -1.8006850460953254, -2.526604971427062, -1.2221204730164046, 0.1392545500972976,
      0.6227843865843671, 4.060729600507181, 9.62388503905115, 15.877360899541248,
      15.357958597856808, 11.690522942000019, 6.647359754862684, 2.5151053544541213,
      -10.524579770888183, -23.864795850980464, -27.16840863263743, -28.541758754589726,
      -13.50726870889063, -11.489693490301049, -11.222736838397802, -12.288106789704937,
      -21.24039130396499, -6.905660875767154, -2.748179520819944, 1.757442611980382,
      10.488654474372408, 17.19721931160792, 18.605702260299903, 9.458637480298322,
      4.631871373350123, 6.583521911789309, 3.511636097878822, -0.5920453644920722,
      -1.3200345164613587, -11.120957303489508, -5.619438403085349,
    ],
  },
  'conv.valid.gw': {
    shape: [3, 2, 3, 3],
    data: [
      30.63083235742148, 45.74015796564204, 44.64121371148817, -7.268251019204184,
      -20.92463612429448, -22.02358037844834, -26.41935739506379, -22.791624474988772,
      -17.52366402803582, -22.53169438843347, -23.63063864258733, -24.72958289674119,
      -18.03177803802094, -11.123590064190054, -2.5751745634812333, 17.244450510262485,
      30.713548591605107, 45.822874199825655, -14.465540772569979, -14.633341845045745,
      -11.326682457360723, 1.317938874164604, 7.711047909200574, 11.017707296885593,
      24.244344847625673, 12.594951087004377, 2.5857848532610146, 12.546592820223829,
      15.853252207908849, 19.15991159559387, 4.114670376599246, -4.254268330266182,
      -10.982979510253676, -12.906400514224831, -14.714429113578529, -14.882230186054292,
      -2.894698377198003, 5.505402002306966, 1.7360723436853363, 33.00840898484622,
      12.642798651040337, 8.873468992418704, -6.203849642067818, -9.285341950708379,
      -10.726606732471009, 7.130660655636661, 3.3613309970150302, -0.40799866160660037,
      -12.469415069253053, -12.270452324137748, -10.43126205214451, -9.3708582447675,
      -2.610985392140462, 5.789114987364508,
    ],
  },
  'conv.1x1': {
    shape: [2, 5, 3, 3],
    data: [
      1.9577613609347622, 1.8300152330301405, 1.7022691051255185, 1.5745229772208966,
      1.446776849316275, 1.319030721411653, 1.191284593507031, 3.620882459121767, 3.493136331217146,
      1.1634424887073056, 1.7211034701370973, 2.278764451566889, 2.8364254329966805,
      3.394086414426472, 3.9517473958562634, 4.509408377286055, 2.703730771601405,
      3.261391753031197, 0.36912361647984926, 1.6121917072440541, 2.8552597980082592,
      4.098327888772465, 5.341395979536669, 6.584464070300875, 7.827532161065079, 1.786579084081043,
      3.0296471748452483, -0.4251952557476073, 1.5032799443510105, 3.4317551444496295,
      5.360230344548247, 7.2887055446468665, 9.217180744745486, 11.145655944844103,
      0.8694273965606806, 2.7979025966592994, 10.050436298637832, 9.383863554314997,
      8.717290809992164, 8.050718065669328, 7.384145321346494, 6.7175725770236605,
      6.050999832700826, -11.74095924063785, -12.407531984960686, 1.2599653074342472,
      3.6895631730489837, 3.5618170451443616, 3.4340709172397395, 3.306324789335118,
      2.455467601193988, 2.327721473289366, 2.199975345384744, 2.0722292174801225,
      4.209590645334554, 2.403913039649905, 2.9615740210796964, 3.519235002509488,
      4.076895983939279, -1.009236675501237, -0.4515756940714455, 0.10608528735834599,
      0.6637462687881377, 7.159215983234861, 1.1182629062508258, 2.3613309970150307,
      3.6043990877792353, 4.8474671785434404, -4.473940952196461, -3.230872861432257,
      -1.987804770668052, -0.7447366799038464, 10.108841321135168, -0.1673872271482526,
      1.761087972950366, 3.6895631730489846, 5.618038373147602, -7.938645228891685,
      -6.010170028793068, -4.0816948286944505, -2.153219628595831, 6.409372275885144,
      -11.382586797453532, -12.049159541776366, -12.715732286099199, -13.382305030422033,
      0.871901663306007, 0.2053289189831723, -0.4612438253396616, -1.1278165696624967,
    ],
  },
  'conv.1x1.gx': {
    shape: [2, 3, 3, 3],
    data: [
      -4.361216529158486, -2.670218105292817, -0.9792196814271497, 0.7117787424385179,
      4.960121159823543, 6.65111958368921, 8.342118007554879, 2.7490952636723045,
      4.4400936875379715, -5.385668624360522, -4.954115999964779, -4.522563375569038,
      -4.091010751173296, -2.7423416601361286, -2.3107890357403877, -1.8792364113446445,
      -10.371932481575078, -9.940379857179336, -5.457730542665693, -4.645396190861943,
      -3.8330618390581943, -3.020727487254444, -2.931504195687203, -2.119169843883454,
      -1.306835492079704, -11.058977361780062, -10.246643009976314, -1.1064991326858558,
      0.5844992911798113, 4.832841708564837, 6.5238401324305055, 8.214838556296172,
      2.6218158124135984, 4.312814236279266, 6.003812660144934, 7.694811084010601,
      -4.555045831168717, -4.1234932067729755, -2.7748241157358087, -2.3432714913400665,
      -1.9117188669443241, -10.404414937174757, -9.972862312779016, -9.541309688383274,
      -9.109757063987532, -3.894205284892884, -3.0818709330891356, -2.9926476415218946,
      -2.1803132897181445, -1.3679789379143952, -11.120120807614752, -10.307786455811005,
      -9.495452104007255, -8.683117752203506,
    ],
  },
  'conv.1x1.gw': {
    shape: [5, 3, 1, 1],
    data: [
      32.32132888376229, -21.228830050453908, -6.89473359807694, -14.841558876101752,
      12.608669619350351, -9.641759635111693, 40.94187674453417, -27.240611434458348,
      55.23091688753093, -11.776620380561601, 18.44885488117356, -24.236428955084573,
      -19.57404749535525, 3.5909975433436934, 12.89347445165494,
    ],
  },
  'conv.big.stride': {
    shape: [1, 1, 2, 2],
    data: [-1.560029585538307, 5.131902191619192, -1.3861353010064361, -4.341563278711621],
  },
  'conv.big.stride.gx': {
    shape: [1, 1, 9, 9],
    data: [
      -0.9090508853648442, -0.32600445544118556, 0.25704197448247323, 0, -1.0277892734813197,
      -0.3685864980760595, 0.29061627732920076, 0, 0, 0.8400884044061321, 1.423134834329791,
      2.0061812642534496, 0, 0.949819052734461, 1.6090218281397213, 2.2682246035449816, 0, 0,
      2.5892276941771084, 3.1722741241007673, 3.7553205540244257, 0, 2.9274273789502416,
      3.586630154355502, 4.245832929760762, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1.146527661597795,
      -0.4111685407109334, 0.3241905801759283, 0, -1.2652660497142707, -0.4537505833458074,
      0.35776488302265586, 0, 0, 1.0595497010627901, 1.7949088219496518, 2.5302679428365136, 0,
      1.1692803493911192, 1.9807958157595826, 2.7923112821280456, 0, 0, 3.2656270637233753,
      4.000986184610237, 4.736345305497099, 0, 3.603826748496509, 4.415342214864973,
      5.226857681233436, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ],
  },
  'conv.big.stride.gw': {
    shape: [1, 1, 3, 3],
    data: [
      7.774286997332019, 10.563410789916263, 13.352534582500507, 6.12129190183941,
      -8.56770773714658, -5.778583944562337, -2.0926133011649304, 0.6965104914193133,
      3.4856342840035572,
    ],
  },
  'conv.f32': {
    shape: [1, 4, 5, 6],
    data: [
      20.0937424, 9.62296963, 2.03596115, 1.73297226, -3.33196545, -5.03446341, -18.4468021,
      -34.0878677, -35.8894501, -35.3276901, -34.6072159, -21.0597534, -21.4172363, -17.4896927,
      -2.73026896, 11.1120377, 16.7532063, 18.9094486, 12.7379131, 48.4387589, 65.5615158,
      38.4334106, 30.0709267, 11.9117012, 28.8448334, 15.3137999, 1.97412097, -15.3691216,
      -18.8674355, -13.7877407, 20.77742, 56.5414085, 42.5620804, 44.8263016, 33.3690453,
      15.8638372, 16.1681232, 10.1491442, 0.778506398, 2.7307272, -4.11784077, -4.69479418,
      -17.0785255, -27.6265373, -29.395689, -23.1224346, -25.0503216, -12.9208593, -22.1591244,
      -16.0719261, -6.51822519, 20.4783344, 39.8734016, 11.4988947, 6.94822502, 20.1165714,
      34.0709686, 35.0622787, 23.5314198, 9.27477551, -17.0930634, -24.001709, -17.2478676,
      -20.6175804, -11.341671, 2.12335205, 18.0137787, 42.0756264, 55.5418739, 53.9638824,
      69.9522018, 40.4535141, 40.788044, 26.3818607, 3.16345167, -3.05303168, -17.4706535,
      -25.8091812, -23.2110252, -45.9614792, -48.8975105, -43.3502083, -36.4448738, -15.1399145,
      -15.9184103, -20.4779205, -16.1962967, 1.48934031, 15.6123333, 37.1168823, -15.2982607,
      -23.538744, -21.536993, -20.699276, -16.1754532, -8.77759933, -7.05440712, -8.67946434,
      -4.42249918, -6.2502532, 0.528779089, 2.72623825, 20.770256, 17.3914185, 11.3308191,
      -4.09494925, 7.60476923, 9.89202976, 23.5153084, 22.1393433, 9.99402905, -2.62747669,
      -4.93142557, -3.03055382, -0.689439535, -11.336484, -20.0080833, -24.2351971, -23.0654316,
      -11.9377031,
    ],
  },
  'max.k2': {
    shape: [2, 2, 2, 2],
    data: [
      -1.2700296735905046, 2.741839762611276, 1.913946587537092, 1.3620178041543027,
      -0.8456973293768546, 2.8902077151335313, 2.3382789317507418, 1.7863501483679525,
      -0.42136498516320475, -0.973293768545994, 2.7626112759643915, 2.2106824925816024,
      0.002967359050445104, -0.5489614243323442, 2.9109792284866467, 2.635014836795252,
    ],
  },
  'max.k2.idx': {
    shape: [2, 2, 2, 2],
    data: [0, 7, 10, 12, 0, 8, 10, 12, 0, 2, 10, 12, 0, 2, 11, 12],
  },
  'max.k2.gx': {
    shape: [2, 2, 4, 5],
    data: [
      -2.112759643916914, 0, 0, 0, 0, 0, 0, -2.3887240356083086, 0, 0, -2.664688427299703, 0,
      -2.940652818991098, 0, 0, 0, 0, 0, 0, 0, 2.7270029673590503, 0, 0, 0, 0, 0, 0, 0,
      2.451038575667656, 0, 2.1750741839762613, 0, 1.8991097922848665, 0, 0, 0, 0, 0, 0, 0,
      1.6231454005934718, 0, 1.3471810089020773, 0, 0, 0, 0, 0, 0, 0, 1.0712166172106825, 0,
      0.7952522255192879, 0, 0, 0, 0, 0, 0, 0, 0.5192878338278932, 0, 0.2433234421364985, 0, 0, 0,
      0, 0, 0, 0, 0, -0.032640949554896145, -0.3086053412462908, 0, 0, 0, 0, 0, 0, 0,
    ],
  },
  'max.k3s2p1': {
    shape: [1, 2, 4, 4],
    data: [
      0.43026706231454004, 0.1543026706231454, 2.7863501483679527, 2.7863501483679527,
      1.9584569732937684, 1.682492581602374, 2.7863501483679527, 2.7863501483679527,
      1.2789317507418398, 2.934718100890208, 2.658753709198813, 2.106824925816024,
      1.2789317507418398, 1.002967359050445, 0.45103857566765576, -0.10089020771513353,
      2.807121661721068, 2.5311572700296736, 1.9792284866468843, 1.427299703264095,
      2.1275964391691393, 1.8516320474777448, 2.9554896142433233, 2.9554896142433233,
      2.1275964391691393, 2.827893175074184, 2.827893175074184, 2.2759643916913945,
      1.4480712166172107, 2.827893175074184, 2.827893175074184, 2.2759643916913945,
    ],
  },
  'max.k3s2p1.idx': {
    shape: [1, 2, 4, 4],
    data: [
      0, 1, 13, 13, 16, 17, 13, 13, 40, 34, 35, 37, 40, 41, 43, 45, 0, 1, 3, 5, 24, 25, 21, 21, 24,
      43, 43, 45, 48, 43, 43, 45,
    ],
  },
  'max.k3s2p1.gx': {
    shape: [1, 2, 7, 8],
    data: [
      -2.112759643916914, -2.3887240356083086, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1.5311572700296734,
      0, 0, 2.7270029673590503, 2.451038575667656, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      1.3471810089020773, 1.0712166172106825, 0, 0.7952522255192879, 0, 0, 2.142433234421365,
      0.2433234421364985, 0, -0.032640949554896145, 0, -0.3086053412462908, 0, 0, 0, 0, 0, 0, 0, 0,
      0, 0, -0.5845697329376854, -0.8605341246290801, 0, -1.1364985163204748, 0,
      -1.4124629080118694, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -4.756676557863502, 0, 0,
      -4.480712166172107, -1.9643916913946589, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      8.741839762611276, 0, 3.543026706231454, 0, 0, 2.0474777448071215, 0, 0, 0, 0, 0, 0, 0,
    ],
  },
  'max.ceil': {
    shape: [1, 1, 4, 4],
    data: [
      2.1305637982195846, 1.5786350148367954, 1.0267062314540059, 0.47477744807121663,
      2.27893175074184, 1.7270029673590503, 2.830860534124629, 2.5548961424332344,
      0.34718100890207715, -0.20474777448071216, -0.7566765578635015, 2.7032640949554896,
      2.427299703264095, 1.8753709198813056, 1.3234421364985163, 0.771513353115727,
    ],
  },
  'max.ceil.idx': {
    shape: [1, 1, 4, 4],
    data: [0, 2, 4, 6, 21, 23, 19, 20, 28, 30, 32, 41, 42, 44, 46, 48],
  },
  'max.ceil.gx': {
    shape: [1, 1, 7, 7],
    data: [
      -2.112759643916914, 0, -2.3887240356083086, 0, -2.664688427299703, 0, -2.940652818991098, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2.1750741839762613, 1.8991097922848665, 2.7270029673590503,
      0, 2.451038575667656, 0, 0, 0, 0, 1.6231454005934718, 0, 1.3471810089020773, 0,
      1.0712166172106825, 0, 0, 0, 0, 0, 0, 0, 0, 0.7952522255192879, 0.5192878338278932, 0,
      0.2433234421364985, 0, -0.032640949554896145, 0, -0.3086053412462908,
    ],
  },
  'max.ceil.pad': {
    shape: [1, 2, 5, 4],
    data: [
      2.1750741839762613, 1.8991097922848665, 2.7270029673590503, 2.451038575667656,
      2.1750741839762613, 1.8991097922848665, 1.3471810089020773, 0.7952522255192879,
      2.8753709198813056, 2.8753709198813056, 2.3234421364985165, 1.771513353115727,
      1.4955489614243322, 1.2195845697329377, 2.7477744807121662, 2.7477744807121662,
      -1.8160237388724036, -2.091988130563798, 2.7477744807121662, 2.7477744807121662,
      2.4718100890207717, 2.1958456973293767, 1.6439169139465875, 1.0919881305637982,
      0.8160237388724035, 2.8961424332344214, 2.620178041543027, 2.0682492581602374,
      1.7922848664688427, 2.8961424332344214, 2.620178041543027, 2.0682492581602374,
      2.7685459940652817, 2.492581602373887, 1.9406528189910979, 1.3887240356083086,
      2.7685459940652817, 2.492581602373887, 1.9406528189910979, 1.3887240356083086,
    ],
  },
  'max.ceil.pad.idx': {
    shape: [1, 2, 5, 4],
    data: [
      6, 7, 4, 5, 6, 7, 9, 11, 25, 25, 27, 29, 30, 31, 47, 47, 42, 43, 47, 47, 0, 1, 3, 5, 6, 20,
      21, 23, 24, 20, 21, 23, 42, 43, 45, 47, 42, 43, 45, 47,
    ],
  },
  'max.ceil.pad.gx': {
    shape: [1, 2, 8, 6],
    data: [
      0, 0, 0, 0, -2.664688427299703, -2.940652818991098, 0.6142433234421363, 0.06231454005934722,
      0, 2.1750741839762613, 0, 1.8991097922848665, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      2.970326409495549, 0, 1.0712166172106825, 0, 0.7952522255192879, 0.5192878338278932,
      0.2433234421364985, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.5845697329376854, -0.8605341246290801, 0,
      0, 0, -2.8902077151335313, -1.688427299703264, -1.9643916913946589, 0, -2.2403560830860534, 0,
      -2.516320474777448, -2.792284866468843, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      4.646884272997033, 4.094955489614243, 0, 3.543026706231454, 2.0474777448071215, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.7833827893175075, 0.23145400593471804, 0,
      -0.3204747774480713, 0, -0.8724035608308606,
    ],
  },
  'max.ceil.dropped': {
    shape: [1, 1, 3, 3],
    data: [
      -0.4124629080118694, -0.6884272997032641, -1.2403560830860534, 2.771513353115727,
      2.4955489614243325, 1.943620178041543, 1.3916913946587537, 1.1157270029673592,
      0.5637982195845698,
    ],
  },
  'max.ceil.dropped.idx': { shape: [1, 1, 3, 3], data: [0, 1, 3, 10, 11, 13, 15, 16, 18] },
  'max.ceil.dropped.gx': {
    shape: [1, 1, 5, 5],
    data: [
      -2.112759643916914, -2.3887240356083086, 0, -2.664688427299703, 0, 0, 0, 0, 0, 0,
      -2.940652818991098, 2.7270029673590503, 0, 2.451038575667656, 0, 2.1750741839762613,
      1.8991097922848665, 0, 1.6231454005934718, 0, 0, 0, 0, 0, 0,
    ],
  },
  'max.dilation': {
    shape: [1, 2, 3, 3],
    data: [
      2.8160237388724036, 2.540059347181009, 2.8160237388724036, 2.964391691394659,
      2.688427299703264, 2.964391691394659, 2.8160237388724036, 2.540059347181009,
      2.8160237388724036, 2.7091988130563798, 2.4332344213649852, 2.7091988130563798,
      2.5608308605341246, 2.836795252225519, 2.5608308605341246, 2.7091988130563798,
      2.4332344213649852, 2.7091988130563798,
    ],
  },
  'max.dilation.idx': {
    shape: [1, 2, 3, 3],
    data: [16, 17, 16, 37, 38, 37, 16, 17, 16, 32, 33, 32, 11, 10, 11, 32, 33, 32],
  },
  'max.dilation.gx': {
    shape: [1, 2, 7, 7],
    data: [
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.9792284866468841, -0.48961424332344206, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -0.4896142433234423, 2.7270029673590503,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.2433234421364985,
      0.48664688427299707, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0.9732937685459941, 0.48664688427299707, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ],
  },
  'max.dilation.pad': {
    shape: [1, 1, 4, 7],
    data: [
      -2.255192878338279, 2.8605341246290803, 2.5845697329376853, 2.8605341246290803,
      2.5845697329376853, 2.8605341246290803, 2.5845697329376853, 0.228486646884273,
      0.5044510385756676, 0.228486646884273, -0.04747774480712166, -0.32344213649851633,
      2.7329376854599405, -0.8753709198813057, 1.2047477744807122, 1.4807121661721068,
      1.2047477744807122, 0.9287833827893175, 0.6528189910979229, 0.3768545994065282,
      0.10089020771513353, 2.1810089020771515, 2.456973293768546, 2.1810089020771515,
      1.9050445103857567, 1.629080118694362, 1.3531157270029674, 1.0771513353115727,
    ],
  },
  'max.dilation.pad.idx': {
    shape: [1, 1, 4, 7],
    data: [
      19, 22, 23, 22, 23, 22, 23, 10, 9, 10, 11, 12, 44, 14, 28, 27, 28, 29, 30, 31, 32, 46, 45, 46,
      47, 48, 49, 50,
    ],
  },
  'max.dilation.pad.gx': {
    shape: [1, 1, 8, 9],
    data: [
      0, 0, 0, 0, 0, 0, 0, 0, 0, 1.6231454005934718, 3.2462908011869436, 1.0712166172106825,
      0.7952522255192879, 0, 0.2433234421364985, 0, 0, 0, 0, -2.112759643916914, 0, 0,
      -2.8783382789317504, 2.2373887240356085, 0, 0, 0, -0.3086053412462908, -0.6172106824925816,
      -0.8605341246290801, -1.1364985163204748, -1.4124629080118694, -1.688427299703264, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0.5192878338278932, -2.2403560830860534, -4.480712166172107,
      -2.792284866468843, 2.8753709198813056, 2.599406528189911, 2.3234421364985165, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ],
  },
  'max.rect': {
    shape: [2, 1, 4, 3],
    data: [
      2.7566765578635013, 2.2047477744807122, 1.6528189910979227, 2.7566765578635013,
      2.2047477744807122, 1.6528189910979227, 2.9050445103857565, 2.3531157270029674,
      1.801186943620178, 2.9050445103857565, 2.3531157270029674, 1.801186943620178,
      2.777448071216617, 2.5014836795252227, 1.9495548961424332, 2.777448071216617,
      2.5014836795252227, 1.9495548961424332, 2.9258160237388724, 2.649851632047478,
      2.0979228486646884, 2.9258160237388724, 2.649851632047478, 2.0979228486646884,
    ],
  },
  'max.rect.idx': {
    shape: [2, 1, 4, 3],
    data: [7, 9, 11, 7, 9, 11, 28, 30, 32, 28, 30, 32, 8, 9, 11, 8, 9, 11, 29, 30, 32, 29, 30, 32],
  },
  'max.rect.gx': {
    shape: [2, 1, 6, 7],
    data: [
      0, 0, 0, 0, 0, 0, 0, -5.053412462908012, 0, 0.33827893175074175, 0, -0.2136498516320473, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3.5222551928783385, 0, 2.970326409495549, 0,
      2.4183976261127595, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.21068249258160243,
      -0.34124629080118696, 0, -0.8931750741839762, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, -3.1008902077151337, -3.6528189910979227, 0, -4.204747774480712, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ],
  },
  'max.unbatched': {
    shape: [2, 4, 5],
    data: [
      0.44510385756676557, 0.16913946587537093, -0.10682492581602374, -0.3827893175074184,
      -0.658753709198813, 2.801186943620178, 2.801186943620178, 2.5252225519287834,
      2.249258160237389, 1.9732937685459941, 2.801186943620178, 2.801186943620178,
      2.5252225519287834, 2.249258160237389, 1.9732937685459941, 1.4213649851632046,
      1.1454005934718101, 0.8694362017804155, 0.5934718100890207, 0.31750741839762614,
      2.397626112759644, 2.121661721068249, 1.8456973293768546, 2.949554896142433,
      2.949554896142433, 2.397626112759644, 2.121661721068249, 1.8456973293768546,
      1.5697329376854599, 1.2937685459940653, 0.7418397626112759, 0.4658753709198813,
      0.18991097922848665, -0.08605341246290801, -0.3620178041543027, -0.913946587537092,
      2.821958456973294, 2.821958456973294, 2.5459940652818993, 2.2700296735905043,
    ],
  },
  'max.unbatched.idx': {
    shape: [2, 4, 5],
    data: [
      0, 1, 2, 3, 4, 13, 13, 14, 15, 16, 13, 13, 14, 15, 16, 18, 19, 20, 21, 22, 6, 7, 8, 4, 4, 6,
      7, 8, 9, 10, 12, 13, 14, 15, 16, 18, 26, 26, 27, 28,
    ],
  },
  'max.unbatched.gx': {
    shape: [2, 5, 6],
    data: [
      -2.112759643916914, -2.3887240356083086, -2.664688427299703, -2.940652818991098,
      2.7270029673590503, 0, 0, 0, 0, 0, 0, 0, 0, 6.492581602373887, 2.4183976261127595,
      1.8664688427299703, 1.3145400593471812, 0, -0.3086053412462908, -0.5845697329376854,
      -0.8605341246290801, -1.1364985163204748, -1.4124629080118694, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
      0, -5.308605341246291, 0, 1.1869436201780414, 0.6350148367952522, 0.08308605341246311,
      2.0474777448071215, 1.771513353115727, 0, 1.4955489614243322, 1.2195845697329377,
      0.9436201780415431, 0.6676557863501483, 0.3916913946587537, 0, 0.11572700296735905, 0, 0, 0,
      0, 0, 0, 0, -0.5964391691394659, -0.712166172106825, -0.9881305637982196, 0,
    ],
  },
  'max.ties': {
    shape: [1, 2, 6, 6],
    data: [
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
      1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ],
  },
  'max.ties.idx': {
    shape: [1, 2, 6, 6],
    data: [
      1, 1, 1, 4, 4, 4, 1, 1, 1, 4, 4, 4, 7, 7, 7, 10, 10, 10, 13, 13, 13, 16, 16, 16, 19, 19, 19,
      22, 22, 22, 25, 25, 25, 28, 28, 28, 1, 1, 1, 4, 4, 4, 1, 1, 1, 4, 4, 4, 7, 7, 7, 10, 10, 10,
      13, 13, 13, 16, 16, 16, 19, 19, 19, 22, 22, 22, 25, 25, 25, 28, 28, 28,
    ],
  },
  'max.ties.gx': {
    shape: [1, 2, 6, 6],
    data: [
      0, -1.468842729970326, 0, 0, 5.451038575667656, 0, 0, 0.7299703264094956, 0, 0,
      -1.7537091988130564, 0, 0, -4.2373887240356085, 0, 0, -6.72106824925816, 0, 0,
      2.6824925816023737, 0, 0, 6.142433234421365, 0, 0, 3.658753709198813, 0, 0,
      1.1750741839762608, 0, 0, 0, 0, 0, 0, 0, 0, -7.584569732937686, 0, 0, -6.6083086053412465, 0,
      0, 6.58753709198813, 0, 0, 4.103857566765578, 0, 0, 1.6201780415430265, 0, 0,
      -0.8635014836795253, 0, 0, -3.3471810089020773, 0, 0, -5.8308605341246285, 0, 0,
      -2.3709198813056376, 0, 0, 7.032640949554896, 0, 0, 0, 0, 0, 0, 0,
    ],
  },
  'max.neginf': { shape: [1, 1, 2, 2], data: [-Infinity, -Infinity, -Infinity, 1] },
  'max.neginf.idx': { shape: [1, 1, 2, 2], data: [0, 1, 3, 8] },
  'max.nan': {
    shape: [1, 1, 3, 3],
    data: [
      NaN,
      NaN,
      1.5786350148367954,
      NaN,
      0.7507418397626113,
      0.47477744807121663,
      -0.0771513353115727,
      -0.35311572700296734,
      NaN,
    ],
  },
  'max.nan.idx': { shape: [1, 1, 3, 3], data: [4, 1, 2, 4, 5, 6, 8, 9, 15] },
  'max.f32': {
    shape: [1, 2, 4, 4],
    data: [
      -1.27002966, 2.74183965, 2.74183965, 2.46587539, 1.91394663, 2.74183965, 2.74183965,
      2.46587539, 1.91394663, 1.63798225, 1.36201775, 1.08605337, 0.534124613, 0.258160233,
      -0.0178041551, -0.293768555, 2.33827901, 2.06231451, 2.89020777, 2.89020777, 2.33827901,
      2.06231451, 1.78635013, 1.51038575, 0.958456993, 0.682492554, 0.406528205, 0.130563796,
      -0.421364993, -0.697329402, -0.973293781, -1.24925816,
    ],
  },
  'avg.k2': {
    shape: [2, 2, 2, 2],
    data: [
      -2.0979228486646884, 0.32195845697329384, 1.086053412462908, 0.5341246290801188,
      -1.6735905044510386, -0.739614243323442, 1.5103857566765577, 0.9584569732937686,
      -1.249258160237389, -1.8011869436201782, 1.9347181008902077, 1.3827893175074184,
      -0.8249258160237388, -1.3768545994065282, 0.8731454005934718, 1.8071216617210681,
    ],
  },
  'avg.k2.gx': {
    shape: [2, 2, 4, 5],
    data: [
      -0.5281899109792285, -0.5281899109792285, -0.5971810089020771, -0.5971810089020771, 0,
      -0.5281899109792285, -0.5281899109792285, -0.5971810089020771, -0.5971810089020771, 0,
      -0.6661721068249258, -0.6661721068249258, -0.7351632047477745, -0.7351632047477745, 0,
      -0.6661721068249258, -0.6661721068249258, -0.7351632047477745, -0.7351632047477745, 0,
      0.6817507418397626, 0.6817507418397626, 0.612759643916914, 0.612759643916914, 0,
      0.6817507418397626, 0.6817507418397626, 0.612759643916914, 0.612759643916914, 0,
      0.5437685459940653, 0.5437685459940653, 0.47477744807121663, 0.47477744807121663, 0,
      0.5437685459940653, 0.5437685459940653, 0.47477744807121663, 0.47477744807121663, 0,
      0.40578635014836795, 0.40578635014836795, 0.3367952522255193, 0.3367952522255193, 0,
      0.40578635014836795, 0.40578635014836795, 0.3367952522255193, 0.3367952522255193, 0,
      0.2678041543026706, 0.2678041543026706, 0.19881305637982197, 0.19881305637982197, 0,
      0.2678041543026706, 0.2678041543026706, 0.19881305637982197, 0.19881305637982197, 0,
      0.1298219584569733, 0.1298219584569733, 0.06083086053412463, 0.06083086053412463, 0,
      0.1298219584569733, 0.1298219584569733, 0.06083086053412463, 0.06083086053412463, 0,
      -0.008160237388724036, -0.008160237388724036, -0.0771513353115727, -0.0771513353115727, 0,
      -0.008160237388724036, -0.008160237388724036, -0.0771513353115727, -0.0771513353115727, 0,
    ],
  },
  'avg.pad.incl': {
    shape: [1, 2, 4, 3],
    data: [
      -0.23804813715792944, -0.6330365974282888, -1.000989119683482, -0.03165182987141445,
      0.5291790306627102, -0.022749752720079165, -0.25816023738872407, -0.8011869436201781,
      -0.03231124299373553, 0.044840092317837144, -0.20870425321463898, 0.7441477085393999,
      -0.10616551269370261, -0.4352126607319486, -0.8031651829871415, -0.49423013517969,
      0.1655126937026046, 0.27398615232443135, -0.06033630069238378, -0.5044510385756676,
      -0.3959775799538411, 0.176722716782064, -0.01088031651829856, 0.2815694032311243,
    ],
  },
  'avg.pad.incl.gx': {
    shape: [1, 2, 7, 6],
    data: [
      -0.2347510715463238, -0.5001648532805802, -0.2654137817342565, -0.5614902736564458,
      -0.2960764919221892, -0.2960764919221892, -0.5614902736564458, -0.5239037256841412,
      0.03758654797230465, 0.013847675568743834, -0.023738872403560762, -0.023738872403560762,
      -0.32673920211012203, -0.023738872403560873, 0.30300032970656116, 0.5753379492251895,
      0.27233761951862845, 0.27233761951862845, -0.08506429277942634, 0.42894823606989774,
      0.5140125288493241, 0.9666996373227826, 0.4526871084734586, 0.4526871084734586,
      0.2416749093306957, 0.4526871084734586, 0.21101219914276295, 0.39136168809759314,
      0.1803494889548302, 0.1803494889548302, 0.3913616880975932, 0.7213979558193209,
      0.33003626772172767, 0.5987471150675898, 0.26871084734586215, 0.26871084734586215,
      0.14968677876689748, 0.2687108473458622, 0.11902406857896472, 0.2073854269699967,
      0.08836135839103199, 0.08836135839103199, 0.05769864820309925, 0.08473458621826575,
      0.027035938015166502, 0.023409165842400263, -0.0036267721727662383, -0.0036267721727662383,
      0.02340916584240027, -0.014507088691064943, -0.03791625453346521, -0.1371579294427959,
      -0.09924167490933068, -0.09924167490933068, -0.03428948236069898, -0.0992416749093307,
      -0.06495219254863172, -0.16056709528519617, -0.09561490273656445, -0.09561490273656445,
      -0.1605670952851962, -0.3824596109462578, -0.22189251566106163, -0.5051104516979887,
      -0.28321793603692713, -0.28321793603692713, -0.1262776129244972, -0.28321793603692713,
      -0.15694032311242992, -0.3445433564127926, -0.18760303330036268, -0.18760303330036268,
      -0.34454335641279266, -0.7504121332014507, -0.40586877678865807, -0.8730629739531817,
      -0.4671941971645236, -0.4671941971645236, -0.21826574348829542, -0.4671941971645236,
      -0.24892845367622815, -0.528519617540389, -0.2795911638641609, -0.2795911638641609,
    ],
  },
  'avg.pad.excl': {
    shape: [1, 2, 4, 3],
    data: [
      -0.5356083086053413, -0.9495548961424332, -1.5014836795252229, -0.04747774480712167,
      0.5291790306627102, -0.022749752720079165, -0.3872403560830861, -0.8011869436201781,
      -0.03231124299373553, 0.10089020771513357, -0.3130563798219585, 1.1162215628091,
      -0.2388724035608309, -0.6528189910979229, -1.2047477744807122, -0.741345202769535,
      0.1655126937026046, 0.27398615232443135, -0.09050445103857567, -0.5044510385756676,
      -0.3959775799538411, 0.397626112759644, -0.01632047477744784, 0.4223541048466864,
    ],
  },
  'avg.pad.excl.gx': {
    shape: [1, 2, 7, 6],
    data: [
      -0.5281899109792285, -0.9263105835806134, -0.3981206726013848, -0.8422354104846687,
      -0.44411473788328387, -0.44411473788328387, -1.0182987141444115, -1.1134190570392353,
      -0.09512034289482363, -0.266897461259479, -0.17177711836465542, -0.17177711836465542,
      -0.490108803165183, -0.18710847345862186, 0.30300032970656116, 0.5753379492251895,
      0.27233761951862845, 0.27233761951862845, -0.1275964391691395, 0.3864160896801846,
      0.5140125288493241, 0.9666996373227826, 0.4526871084734586, 0.4526871084734586,
      0.36251236399604353, 0.5735245631388065, 0.21101219914276295, 0.39136168809759314,
      0.1803494889548302, 0.1803494889548302, 0.6993076162215628, 1.0888559182327728,
      0.38954830201121005, 0.7024398285525881, 0.3128915265413782, 0.3128915265413782,
      0.3367952522255193, 0.5153313550939664, 0.1785361028684471, 0.31107814045499504,
      0.13254203758654798, 0.13254203758654798, 0.1298219584569733, 0.17037586547972305,
      0.040553907022749754, 0.0351137487636004, -0.005440158259149358, -0.005440158259149358,
      0.07838773491592485, 0.05398944939004288, -0.02439828552588196, -0.12545334652159576,
      -0.1010550609957138, -0.1010550609957138, -0.051434223541048464, -0.11638641608968017,
      -0.06495219254863172, -0.16056709528519617, -0.09561490273656445, -0.09561490273656445,
      -0.24085064292779426, -0.46274315858885584, -0.22189251566106163, -0.5051104516979887,
      -0.28321793603692713, -0.28321793603692713, -0.1894164193867458, -0.3463567424991757,
      -0.15694032311242992, -0.3445433564127926, -0.18760303330036268, -0.18760303330036268,
      -0.6805143422354105, -1.2108473458621827, -0.5303330036267722, -1.137322782723376,
      -0.606989779096604, -0.606989779096604, -0.4910979228486647, -0.8644906033630069,
      -0.3733926805143422, -0.7927794263105835, -0.4193867457962413, -0.4193867457962413,
    ],
  },
  'avg.ceil.incl': {
    shape: [1, 1, 4, 5],
    data: [
      0.39498846027035933, 0.3165182987141444, -0.05143422354104854, -0.41938674579624136,
      -0.3016815034619189, -0.29442795911638636, -0.1951862842070557, 0.5736894164193866,
      0.021760633036597348, -0.12710187932739866, 0.06396307286514998, 0.6726013847675569,
      0.12067260138476756, -0.4312561819980217, -0.3536102868447082, 0.11177052423343224,
      0.8822947576656776, 0.5143422354104846, 0.1463897131552917, -0.01879327398615231,
    ],
  },
  'avg.ceil.incl.gx': {
    shape: [1, 1, 7, 8],
    data: [
      -0.2347510715463238, -0.5001648532805802, -0.2654137817342565, -0.5614902736564458,
      -0.2960764919221892, -0.6228156940323113, -0.32673920211012203, 0.12776129244971968,
      0.03758654797230465, 0.013847675568743889, -0.023738872403560818, -0.10880316518298713,
      -0.08506429277942626, -0.23145400593471818, -0.14638971315529184, 0.532640949554896,
      0.27233761951862845, 0.5140125288493241, 0.2416749093306957, 0.4526871084734586,
      0.21101219914276295, 0.39136168809759314, 0.1803494889548302, 0.40487965710517637,
      0.3913616880975932, 0.7213979558193209, 0.33003626772172767, 0.5987471150675898,
      0.2687108473458622, 0.47609627431585894, 0.20738542696999668, 0.42647543686119355,
      0.11902406857896472, 0.2073854269699967, 0.08836135839103199, 0.14606000659413124,
      0.05769864820309925, 0.08473458621826575, 0.027035938015166502, 0.021595779756017144,
      0.08473458621826574, 0.10814375206066601, 0.02340916584240027, -0.014507088691064929,
      -0.0379162545334652, -0.13715792944279592, -0.09924167490933071, -0.34009231783712496,
      -0.03428948236069898, -0.0992416749093307, -0.06495219254863172, -0.16056709528519617,
      -0.09561490273656445, -0.22189251566106166, -0.1262776129244972, -0.36168809759314213,
    ],
  },
  'avg.ceil.excl': {
    shape: [1, 1, 4, 5],
    data: [
      0.8887240356083085, 0.4747774480712166, -0.07715133531157281, -0.6290801186943621,
      -0.9050445103857567, -0.44164193867457957, -0.1951862842070557, 0.5736894164193866,
      0.021760633036597348, -0.25420375865479733, 0.09594460929772497, 0.6726013847675569,
      0.12067260138476756, -0.4312561819980217, -0.7072205736894164, 0.25148367952522255,
      1.3234421364985163, 0.771513353115727, 0.21958456973293758, -0.05637982195845692,
    ],
  },
  'avg.ceil.excl.gx': {
    shape: [1, 1, 7, 8],
    data: [
      -0.5281899109792285, -0.9263105835806134, -0.3981206726013848, -0.8422354104846687,
      -0.44411473788328387, -0.9342235410484669, -0.490108803165183, 0.8733926805143422,
      -0.1196834817012859, -0.2761292449719751, -0.1564457632706891, -0.38954830201121005,
      -0.23310253874052092, -0.5428618529508739, -0.30975931421035285, 1.5028025057698648,
      0.4085064292779426, 0.6501813386086384, 0.2416749093306957, 0.4526871084734586,
      0.21101219914276295, 0.39136168809759314, 0.1803494889548302, 0.6294098252555226,
      0.5870425321463897, 0.9170787998681175, 0.33003626772172767, 0.5987471150675898,
      0.2687108473458622, 0.47609627431585894, 0.20738542696999668, 0.6455654467523904,
      0.1785361028684471, 0.2668974612594791, 0.08836135839103199, 0.14606000659413124,
      0.05769864820309925, 0.08473458621826575, 0.027035938015166502, 0.016155621496867785,
      0.1013847675568744, 0.09231783712495883, -0.009066930431915587, -0.09479063633366303,
      -0.08572370590174744, -0.24810418727332673, -0.1623804813715793, -0.8794922518958127,
      -0.0771513353115727, -0.17457962413452027, -0.09742828882294757, -0.24085064292779426,
      -0.1434223541048467, -0.3328387734915925, -0.1894164193867458, -0.8956478733926805,
    ],
  },
  'avg.ceil.nopad': {
    shape: [1, 2, 3, 4],
    data: [
      -0.24480712166172103, -0.7967359050445104, 1.623145400593472, 1.20919881305638,
      -1.1364985163204748, -1.688427299703264, 0.7314540059347181, 0.3175074183976262,
      1.9094955489614243, 1.357566765578635, 0.8056379821958457, 0.3916913946587537,
      -0.9881305637982196, -1.540059347181009, -0.6060830860534124, 0.4658753709198814,
      1.0919881305637984, 0.5400593471810089, -0.011869436201780437, -0.4258160237388724,
      -1.8056379821958457, -2.357566765578635, 0.06231454005934722, 2.620178041543027,
    ],
  },
  'avg.ceil.nopad.gx': {
    shape: [1, 2, 5, 7],
    data: [
      -0.5281899109792285, -0.5281899109792285, -0.5971810089020771, -0.5971810089020771,
      -0.6661721068249258, -0.6661721068249258, -1.470326409495549, -0.5281899109792285,
      -0.5281899109792285, -0.5971810089020771, -0.5971810089020771, -0.6661721068249258,
      -0.6661721068249258, -1.470326409495549, 0.6817507418397626, 0.6817507418397626,
      0.612759643916914, 0.612759643916914, 0.5437685459940653, 0.5437685459940653,
      0.9495548961424333, 0.6817507418397626, 0.6817507418397626, 0.612759643916914,
      0.612759643916914, 0.5437685459940653, 0.5437685459940653, 0.9495548961424333,
      0.8115727002967359, 0.8115727002967359, 0.6735905044510386, 0.6735905044510386,
      0.5356083086053413, 0.5356083086053413, 0.7952522255192879, 0.1298219584569733,
      0.1298219584569733, 0.06083086053412463, 0.06083086053412463, -0.008160237388724036,
      -0.008160237388724036, -0.1543026706231454, 0.1298219584569733, 0.1298219584569733,
      0.06083086053412463, 0.06083086053412463, -0.008160237388724036, -0.008160237388724036,
      -0.1543026706231454, -0.14614243323442136, -0.14614243323442136, -0.21513353115727002,
      -0.21513353115727002, -0.2841246290801187, -0.2841246290801187, -0.7062314540059347,
      -0.14614243323442136, -0.14614243323442136, -0.21513353115727002, -0.21513353115727002,
      -0.2841246290801187, -0.2841246290801187, -0.7062314540059347, -0.844213649851632,
      -0.844213649851632, -0.9821958456973294, -0.9821958456973294, -1.1201780415430267,
      -1.1201780415430267, -2.516320474777448,
    ],
  },
  'avg.rect': {
    shape: [2, 1, 6, 4],
    data: [
      -0.4594460929772502, -1.1948565776458953, 0.4183976261127596, 0.050445103857566766,
      -0.18150346191889213, -0.7769535113748764, 0.652324431256182, 0.10039564787339268,
      -0.15677546983184962, -0.7274975272007912, 0.701780415430267, 0.14985163204747778,
      -0.13204747774480707, -0.6780415430267063, 0.7512363996043522, 0.1993076162215628,
      -0.10731948565776454, -0.6285855588526214, 0.8006923837784372, 0.2487636003956479,
      -0.06330365974282885, -0.4025717111770524, 1.2106824925816022, 0.8427299703264096,
      -0.3605341246290801, -0.997032640949555, -0.3743818001978239, 0.24826904055390706,
      -0.03313550939663693, -0.4802176063303661, -0.041543026706231445, 0.3971315529179031,
      -0.008407517309594421, -0.43076162215628094, 0.007912957467853624, 0.44658753709198823,
      0.016320474777448062, -0.3813056379821959, 0.057368941641938655, 0.49604352126607315,
      0.041048466864490596, -0.3318496538081109, 0.10682492581602376, 0.5454995054401582,
      0.035608308605341255, -0.20474777448071216, 0.4179030662710188, 1.0405539070227499,
    ],
  },
  'avg.rect.gx': {
    shape: [2, 1, 6, 7],
    data: [
      0.10237388724035601, 0.010385756676557834, 0.010385756676557834, -0.08160237388724034,
      -0.08160237388724034, -0.17359050445103857, -0.17359050445103857, 0.3728981206726013,
      0.23491592482690404, 0.23491592482690404, 0.09693372898120675, 0.09693372898120675,
      -0.041048466864490596, -0.041048466864490596, 0.8115727002967358, 0.6735905044510385,
      0.6735905044510385, 0.5356083086053413, 0.5356083086053413, 0.39762611275964393,
      0.39762611275964393, 0.2596439169139466, 0.12166172106824927, 0.12166172106824927,
      -0.01632047477744808, -0.01632047477744808, -0.15430267062314537, -0.15430267062314537,
      -0.2922848664688427, -0.43026706231454004, -0.43026706231454004, -0.5682492581602374,
      -0.5682492581602374, -0.7062314540059347, -0.7062314540059347, -0.3788328387734916,
      -0.4708209693372898, -0.4708209693372898, -0.562809099901088, -0.562809099901088,
      -0.6547972304648861, -0.6547972304648861, -0.1241345202769536, 0.7744807121661721,
      0.7744807121661721, 0.6824925816023739, 0.6824925816023739, 0.5905044510385757,
      0.5905044510385757, 0.033135509396636925, 0.8857566765578635, 0.8857566765578635,
      0.7477744807121662, 0.7477744807121662, 0.609792284866469, 0.609792284866469,
      0.47181008902077154, 0.33382789317507416, 0.33382789317507416, 0.19584569732937684,
      0.19584569732937684, 0.057863501483679525, 0.057863501483679525, -0.08011869436201777,
      -0.21810089020771511, -0.21810089020771511, -0.3560830860534125, -0.3560830860534125,
      -0.4940652818991098, -0.4940652818991098, -0.6320474777448071, -0.7700296735905044,
      -0.7700296735905044, -0.9080118694362018, -0.9080118694362018, -0.05539070227497522,
      -0.05539070227497522, -0.6053412462908011, -0.6973293768545994, -0.6973293768545994,
      -0.7893175074183976, -0.7893175074183976, 0.10929772502472801, 0.10929772502472801,
    ],
  },
  'avg.unbatched': {
    shape: [2, 6, 7],
    data: [
      1.2878338278931751, 1.1498516320474779, 0.8738872403560831, 0.5979228486646884,
      0.3219584569732938, 0.04599406528189911, -0.09198813056379822, 0.4599406528189911,
      0.32195845697329384, 0.04599406528189909, -0.2299703264094956, -0.5059347181008902,
      -0.7818991097922849, -0.9198813056379822, -1.1958456973293767, -1.3338278931750742,
      -1.6097922848664687, -1.8857566765578637, -0.6758160237388724, 0.5341246290801188,
      0.39614243323442144, 0.12017804154302669, -0.01780415430267046, -0.29376854599406527,
      -0.5697329376854601, 0.6402077151335313, 1.8501483679525224, 1.712166172106825,
      1.4362017804154301, 1.2982195845697329, 1.022255192878338, 0.7462908011869437,
      0.47032640949554905, 0.1943620178041543, 0.05637982195845698, 0.6083086053412463,
      0.47032640949554894, 0.1943620178041543, -0.08160237388724036, -0.35756676557863504,
      -0.6335311572700297, -0.771513353115727, -1.0474777448071217, -1.185459940652819,
      -1.4614243323442135, -1.7373887240356083, -2.0133531157270026, -2.2893175074183976,
      -2.427299703264095, -1.8753709198813056, -0.5274480712166172, 0.6824925816023739,
      0.40652818991097917, 0.13056379821958475, -0.14540059347181006, -0.2833827893175075,
      -0.559347181008902, 0.7885756676557865, 1.9985163204747773, 1.7225519287833828,
      1.446587537091988, 1.1706231454005933, 1.032640949554896, 0.7566765578635015,
      0.6186943620178043, 0.3427299703264094, 0.06676557863501484, -0.2091988130563798,
      -0.48516320474777447, -0.6231454005934718, -0.8991097922848664, -1.0370919881305638,
      -1.3130563798219586, -1.589020771513353, -1.8649851632047478, -0.6550445103857565,
      0.6928783382789316, -1.7270029673590503, -1.8649851632047478, -2.1409495548961424,
      -2.4169139465875373, -2.6928783382789314, 0.0029673590504450953, 2.836795252225519,
    ],
  },
  'avg.unbatched.gx': {
    shape: [2, 5, 6],
    data: [
      -1.9517804154302674, -1.7841246290801187, -2.1980712166172105, 0.35979228486646875,
      2.9176557863501484, 3.6520771513353116, 1.2618694362017804, 0.5192878338278932,
      0.24332344213649854, -0.032640949554896104, -0.3086053412462908, -0.9458456973293768,
      -1.6357566765578637, -1.4124629080118694, -1.688427299703264, -0.478486646884273,
      0.7314540059347181, 0.6142433234421366, -0.07566765578635037, -0.3724035608308606,
      -0.6483679525222552, 0.5615727002967359, 1.7715133531157272, 2.17433234421365,
      1.5022255192878338, 0.5185459940652818, 0.10459940652818983, -0.3093471810089021,
      -0.723293768545994, -1.809347181008902, -1.284124629080119, -1.339020771513353,
      -1.7529673590504453, -2.166913946587537, 0.39094955489614247, 4.31973293768546,
      1.706973293768546, 0.8160237388724035, 0.5400593471810089, 0.26409495548961426,
      -0.011869436201780437, -0.5007418397626113, -1.190652818991098, -1.115727002967359,
      -1.3916913946587537, -1.6676557863501484, -0.4577151335311572, 1.0593471810089023,
      0.36943620178041525, -0.07566765578635021, -0.35163204747774474, -0.6275964391691394,
      0.5823442136498517, 2.6194362017804154, 2.169881305637982, 0.9636498516320474,
      0.5497032640949555, 0.13575667655786355, -0.27818991097922846, -1.1416913946587537,
    ],
  },
  'avg.f32': {
    shape: [1, 2, 5, 5],
    data: [
      -0.932410121, -0.830201149, -0.353775144, 0.12265078, 0.0204417706, -0.537751377,
      -0.284207076, 0.100230776, 0.484668583, 0.231124237, -0.136828169, 0.317177713, 0.701615572,
      1.08605337, 0.632047474, 0.264094979, 0.258160233, -0.0178041589, -0.293768555, -0.28783384,
      -0.130563796, -0.28783381, -0.471810073, -0.655786335, -0.498516351, -0.0362677313,
      -0.146389708, 0.330036283, 0.806462228, 0.916584253, 0.14605999, 0.0811078176, 0.465545654,
      0.849983454, 0.914935648, 0.546983242, 0.682492614, 0.406528205, 0.130563766, -0.00494558271,
      -0.372898132, -0.697329402, -0.973293722, -1.24925816, -0.92482692, -0.555225849, -0.92482692,
      -1.10880315, -1.29277945, -0.923178375,
    ],
  },
};
// END GOLDEN
