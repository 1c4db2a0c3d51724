// The fast backends (native, wasm) against the reference backend, on tensors large enough to
// take their SIMD and threaded paths, plus determinism. The whole tensor suite also runs on
// each backend (see vitest.config.ts); this file checks what small tensors cannot reach.
import { describe, expect, it } from 'vitest';
import type { Backend, Conv2dGeometry, StridedArray } from '../../index.js';
import { nativeBackend, nativeThreads, referenceBackend, wasmBackend } from '../../index.js';
import type { BinaryOp, UnaryOp } from '../../index.js';

const fast = [nativeBackend, wasmBackend].filter((b): b is Backend => b !== null);

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296 - 0.5;
  };
}

function view(
  data: Float32Array | Uint8Array | Int32Array,
  shape: number[],
  strides?: number[],
  offset = 0,
): StridedArray {
  const st = strides ?? shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  return { data, shape, strides: st, offset };
}

function randomF32(n: number, seed: number): Float32Array {
  const r = rng(seed);
  return Float32Array.from({ length: n }, () => r() * 4);
}

function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 1;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]!));
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= worst)) worst = d;
  }
  return worst / scale;
}

function matmulBoth(b: Backend, m: number, k: number, n: number, ta: boolean, tb: boolean) {
  const A = randomF32(m * k, 1);
  const B = randomF32(k * n, 2);
  const a = ta ? view(A, [m, k], [1, m]) : view(A, [m, k]);
  const bb = tb ? view(B, [k, n], [1, k]) : view(B, [k, n]);
  const got = new Float32Array(m * n);
  const want = new Float32Array(m * n);
  b.matmul(a, bb, view(got, [m, n]));
  referenceBackend.matmul(a, bb, view(want, [m, n]));
  return { got, want };
}

describe.each(fast.map((b) => [b.name, b] as const))('%s backend', (_, backend) => {
  // Max pooling here and on the reference: the same values and indices (returns both outputs).
  function expectMaxPoolAsReference(
    x: StridedArray,
    g: Parameters<Backend['maxPool2d']>[1],
    outShape: [number, number, number, number],
  ): [Float32Array, Float32Array] {
    const size = outShape.reduce((a, b) => a * b, 1);
    const out = [new Float32Array(size), new Float32Array(size)] as [Float32Array, Float32Array];
    const idx = [new Int32Array(size), new Int32Array(size)];
    backend.maxPool2d(x, g, view(out[0], outShape), view(idx[0]!, outShape));
    referenceBackend.maxPool2d(x, g, view(out[1], outShape), view(idx[1]!, outShape));
    expect(out[0]).toEqual(out[1]);
    expect(idx[0]).toEqual(idx[1]);
    return out;
  }

  it.each([
    [128, 784, 512, false, false],
    [128, 784, 512, false, true],
    [784, 128, 512, true, false],
    [512, 128, 784, true, true],
    [1, 784, 512, false, false],
    [1, 784, 512, false, true],
    [1, 301, 1000, false, false],
    [67, 300, 45, false, false],
    [5, 3, 1000, true, false],
    // Dot products (few columns of a transposed B): row and column remainders, a k tail.
    [131, 200, 10, false, true],
    [6, 784, 7, false, true],
    // Few rows from B's rows: several K blocks, partial last column blocks.
    [10, 600, 784, true, false],
    [7, 300, 45, false, false],
    [12, 50, 17, false, false],
  ])(
    'matmul %ix%ix%i (A transposed %s, B transposed %s) matches the reference',
    (m, k, n, ta, tb) => {
      const { got, want } = matmulBoth(backend, m, k, n, ta, tb);
      // float32 accumulation over k terms of size ~4: a few ulps times sqrt(k).
      expect(maxRelDiff(got, want)).toBeLessThan(2e-6 * Math.sqrt(k));
    },
  );

  it('matmul is bit-identical from run to run', () => {
    const a = matmulBoth(backend, 256, 300, 384, false, true).got;
    const b = matmulBoth(backend, 256, 300, 384, false, true).got;
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
  });

  it('batched matmul with a broadcast batch operand', () => {
    const A = randomF32(3 * 40 * 50, 3);
    const B = randomF32(50 * 60, 4);
    const a = view(A, [3, 40, 50]);
    const b = view(B, [3, 50, 60], [0, 60, 1]);
    const got = new Float32Array(3 * 40 * 60);
    const want = new Float32Array(3 * 40 * 60);
    backend.matmul(a, b, view(got, [3, 40, 60]));
    referenceBackend.matmul(a, b, view(want, [3, 40, 60]));
    expect(maxRelDiff(got, want)).toBeLessThan(2e-5);
  });

  // Attention's per-head products: q [batch, heads, seq, dim] and k.t() read in place from
  // [batch, seq, heads, dim] storage, so the batch dims are two levels that do not coalesce.
  // With an extra leading dim, the two leading dims merge into one level.
  it.each([
    [[6, 4], 'two batch dims'],
    [[2, 3, 4], 'three batch dims, the leading two merged'],
  ])('batched matmul over attention heads (%j: %s) matches the reference', (lead) => {
    const [h, s, d] = [lead.at(-1)!, 9, 16];
    const outer = lead.slice(0, -1);
    const rows = outer.reduce((p, q) => p * q, 1) * s * h * d;
    const headStrides = (): number[] => {
      const st: number[] = [];
      let acc = s * h * d;
      for (let i = outer.length - 1; i >= 0; i--) {
        st.unshift(acc);
        acc *= outer[i]!;
      }
      return st;
    };
    const batch = [...outer, h];
    const q = view(randomF32(rows, 11), [...batch, s, d], [...headStrides(), d, h * d, 1]);
    const kt = view(randomF32(rows, 12), [...batch, d, s], [...headStrides(), d, 1, h * d]);
    const size = batch.reduce((p, x) => p * x, 1) * s * s;
    const got = new Float32Array(size);
    const want = new Float32Array(size);
    backend.matmul(q, kt, view(got, [...batch, s, s]));
    referenceBackend.matmul(q, kt, view(want, [...batch, s, s]));
    expect(maxRelDiff(got, want)).toBeLessThan(2e-5);
  });

  const binaries: BinaryOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'];
  it.each(binaries)('binary %s with a broadcast row is bit-identical to the reference', (op) => {
    const x = randomF32(300 * 257, 5);
    x[7] = NaN;
    const y = randomF32(257, 6);
    const a = view(x, [300, 257]);
    const b = view(y, [300, 257], [0, 1]);
    for (const alpha of [1, -0.1]) {
      if (alpha !== 1 && op !== 'add' && op !== 'sub') continue;
      const got = new Float32Array(300 * 257);
      const want = new Float32Array(300 * 257);
      backend.binary(op, a, b, view(got, [300, 257]), alpha);
      referenceBackend.binary(op, a, b, view(want, [300, 257]), alpha);
      expect(got).toEqual(want);
    }
  });

  it.each(['gt', 'le', 'eq'] as BinaryOp[])(
    'comparison %s writes bools like the reference',
    (op) => {
      const x = randomF32(5000, 7);
      x[3] = NaN;
      const got = new Uint8Array(5000);
      const want = new Uint8Array(5000);
      const zero = view(new Float32Array([0]), [5000], [0]);
      backend.binary(op, view(x, [5000]), zero, view(got, [5000]), 1);
      referenceBackend.binary(op, view(x, [5000]), zero, view(want, [5000]), 1);
      expect(got).toEqual(want);
    },
  );

  it('float times bool mask, and an in-place update through a transposed view', () => {
    const x = randomF32(4096, 8);
    const m = Uint8Array.from(x, (v) => (v > 0 ? 1 : 0));
    const got = new Float32Array(4096);
    const want = new Float32Array(4096);
    backend.binary('mul', view(x, [4096]), view(m, [4096]), view(got, [4096]), 1);
    referenceBackend.binary('mul', view(x, [4096]), view(m, [4096]), view(want, [4096]), 1);
    expect(got).toEqual(want);
    const p1 = randomF32(64 * 96, 9);
    const p2 = p1.slice();
    const g = randomF32(96 * 64, 10);
    const gt = view(g, [64, 96], [1, 64]);
    backend.binary('add', view(p1, [64, 96]), gt, view(p1, [64, 96]), -0.1);
    referenceBackend.binary('add', view(p2, [64, 96]), gt, view(p2, [64, 96]), -0.1);
    expect(p1).toEqual(p2);
  });

  const unaries: UnaryOp[] = [
    'neg',
    'abs',
    'relu',
    'square',
    'sqrt',
    'reciprocal',
    'exp',
    'log',
    'tanh',
    'sigmoid',
    'silu',
    'softplus',
  ];
  it.each(unaries)('unary %s matches the reference (within an ulp)', (op) => {
    const x = randomF32(3000, 11);
    x[0] = NaN;
    x[1] = -0;
    const got = new Float32Array(3000);
    const want = new Float32Array(3000);
    backend.unary(op, view(x, [3000]), view(got, [3000]), 0, 0);
    referenceBackend.unary(op, view(x, [3000]), view(want, [3000]), 0, 0);
    for (let i = 0; i < 3000; i++) {
      const [g, w] = [got[i]!, want[i]!];
      if (Number.isNaN(w)) expect(g).toBeNaN();
      else if (g !== w) expect(Math.abs(g - w)).toBeLessThanOrEqual(Math.abs(w) * 1.2e-7);
    }
    expect(Object.is(got[1], want[1])).toBe(true);
  });

  it.each([
    [[0], 'dim 0 (bias gradient)'],
    [[1], 'the last dim'],
    [[0, 1], 'everything'],
  ] as [number[], string][])('sum over %j (%s)', (dims) => {
    const x = randomF32(300 * 500, 12);
    const outShape = [dims.includes(0) ? 1 : 300, dims.includes(1) ? 1 : 500];
    const size = outShape[0]! * outShape[1]!;
    const got = new Float32Array(size);
    const want = new Float32Array(size);
    backend.reduce('sum', view(x, [300, 500]), dims, view(got, outShape));
    referenceBackend.reduce('sum', view(x, [300, 500]), dims, view(want, outShape));
    expect(maxRelDiff(got, want)).toBeLessThan(1e-6);
  });

  it('max and min propagate NaN', () => {
    const x = randomF32(200 * 100, 13);
    x[150] = NaN;
    for (const op of ['max', 'min'] as const) {
      const got = new Float32Array(200);
      const want = new Float32Array(200);
      backend.reduce(op, view(x, [200, 100]), [1], view(got, [200, 1]));
      referenceBackend.reduce(op, view(x, [200, 100]), [1], view(want, [200, 1]));
      expect(got).toEqual(want);
    }
  });

  it('softmax and log-softmax along either dim', () => {
    const x = randomF32(128 * 40, 14);
    for (const dim of [0, 1]) {
      for (const log of [false, true]) {
        const got = new Float32Array(128 * 40);
        const want = new Float32Array(128 * 40);
        backend.softmax(view(x, [128, 40]), dim, view(got, [128, 40]), log);
        referenceBackend.softmax(view(x, [128, 40]), dim, view(want, [128, 40]), log);
        expect(maxRelDiff(got, want)).toBeLessThan(1e-6);
      }
    }
  });

  it('copies a transposed view exactly (the gradient of a weight used as W.t())', () => {
    const x = randomF32(512 * 300, 15);
    const src = view(x, [300, 512], [1, 300]);
    const got = new Float32Array(300 * 512);
    const want = new Float32Array(300 * 512);
    backend.copy(src, view(got, [300, 512]));
    referenceBackend.copy(src, view(want, [300, 512]));
    expect(got).toEqual(want);
  });

  it("copies attention's head-splitting permute exactly", () => {
    const x = randomF32(32 * 16 * 64, 16);
    // [batch, seq, heads, headDim] read from [batch, heads, seq, headDim] storage.
    const src = view(x, [32, 16, 4, 16], [1024, 16, 256, 1]);
    const got = new Float32Array(32 * 16 * 64);
    const want = new Float32Array(32 * 16 * 64);
    backend.copy(src, view(got, [32, 16, 4, 16]));
    referenceBackend.copy(src, view(want, [32, 16, 4, 16]));
    expect(got).toEqual(want);
  });

  it('where with a broadcast condition', () => {
    const c = Uint8Array.from({ length: 64 }, (_, i) => i % 3 && 1);
    const a = randomF32(100 * 64, 16);
    const b = randomF32(100 * 64, 17);
    const got = new Float32Array(100 * 64);
    const want = new Float32Array(100 * 64);
    const cv = view(c, [100, 64], [0, 1]);
    backend.where(cv, view(a, [100, 64]), view(b, [100, 64]), view(got, [100, 64]));
    referenceBackend.where(cv, view(a, [100, 64]), view(b, [100, 64]), view(want, [100, 64]));
    expect(got).toEqual(want);
  });

  it('sum / max / min over N and H, W of [N, C, H, W] (a conv bias gradient) match the reference bits', () => {
    const [n, c, h, w] = [24, 12, 17, 19];
    const data = randomF32(n * c * h * w, 25);
    data[1000] = NaN;
    const x = view(data, [n, c, h, w]);
    for (const op of ['sum', 'max', 'min'] as const) {
      const got = new Float32Array(c);
      const want = new Float32Array(c);
      backend.reduce(op, x, [0, 2, 3], view(got, [1, c, 1, 1]));
      referenceBackend.reduce(op, x, [0, 2, 3], view(want, [1, c, 1, 1]));
      expect(got).toEqual(want);
    }
  });

  it('gather and scatter(-add) along either dim are bit-identical to the reference', () => {
    const [rows, cols] = [300, 40];
    const x = randomF32(rows * cols, 21);
    const r = rng(22);
    for (const dim of [0, 1]) {
      const size = dim === 0 ? rows : cols;
      const idx = Int32Array.from({ length: 200 * 30 }, () => Math.floor((r() + 0.5) * size));
      const iv = view(idx, [200, 30]);
      const got = new Float32Array(200 * 30);
      const want = new Float32Array(200 * 30);
      backend.gather(view(x, [rows, cols]), dim, iv, view(got, [200, 30]));
      referenceBackend.gather(view(x, [rows, cols]), dim, iv, view(want, [200, 30]));
      expect(got).toEqual(want);
      for (const accumulate of [true, false]) {
        const a = x.slice();
        const b = x.slice();
        backend.scatter(view(a, [rows, cols]), dim, iv, view(got, [200, 30]), accumulate);
        referenceBackend.scatter(view(b, [rows, cols]), dim, iv, view(got, [200, 30]), accumulate);
        expect(a).toEqual(b);
      }
    }
  });

  it('gathers whole rows (index_select along dim 0) as the reference, and rejects a bad row index', () => {
    const [rows, cols] = [300, 37];
    const x = view(randomF32(rows * cols, 25), [rows, cols]);
    const ids = Int32Array.from({ length: 200 }, (_, i) => (i * 151) % rows);
    // index_select's index: one entry per output row, broadcast along the row.
    const iv = view(ids, [200, cols], [1, 0]);
    const got = new Float32Array(200 * cols);
    const want = new Float32Array(200 * cols);
    backend.gather(x, 0, iv, view(got, [200, cols]));
    referenceBackend.gather(x, 0, iv, view(want, [200, cols]));
    expect(got).toEqual(want);
    ids[150] = rows;
    expect(() => backend.gather(x, 0, iv, view(got, [200, cols]))).toThrow(
      /index 300 is out of bounds for dimension 0 with size 300/,
    );
  });

  it('an index out of range writes nothing and throws the reference error', () => {
    const x = randomF32(64 * 64, 23);
    const before = x.slice();
    const idx = new Int32Array(64 * 64).fill(1);
    idx[4000] = 64;
    const src = view(randomF32(64 * 64, 24), [64, 64]);
    expect(() => backend.scatter(view(x, [64, 64]), 1, view(idx, [64, 64]), src, true)).toThrow(
      /index 64 is out of bounds for dimension 1 with size 64/,
    );
    expect(x).toEqual(before);
  });

  // Large enough to split planes across threads: the same bits as the reference kernels.
  const geometries = [
    { kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] },
    { kernel: [2, 3], stride: [2, 1], padding: [1, 0], dilation: [2, 1] },
  ] as const;
  it.each(geometries.map((g) => [JSON.stringify(g), g] as const))(
    'im2col / col2im %s are bit-identical to the reference',
    (_, g) => {
      const [n, c, h, w] = [16, 8, 20, 18];
      const x = view(randomF32(n * c * h * w, 18), [n, c, h, w]);
      const oh =
        Math.floor((h + 2 * g.padding[0] - g.dilation[0] * (g.kernel[0] - 1) - 1) / g.stride[0]) +
        1;
      const ow =
        Math.floor((w + 2 * g.padding[1] - g.dilation[1] * (g.kernel[1] - 1) - 1) / g.stride[1]) +
        1;
      const colShape = [n, c * g.kernel[0] * g.kernel[1], oh * ow];
      const size = colShape[0]! * colShape[1]! * colShape[2]!;
      const [got, want] = [new Float32Array(size), new Float32Array(size)];
      backend.im2col(x, g, view(got, colShape));
      referenceBackend.im2col(x, g, view(want, colShape));
      expect(got).toEqual(want);
      const [back, wantBack] = [new Float32Array(n * c * h * w), new Float32Array(n * c * h * w)];
      backend.col2im(view(got, colShape), g, view(back, [n, c, h, w]));
      referenceBackend.col2im(view(want, colShape), g, view(wantBack, [n, c, h, w]));
      expect(back).toEqual(wantBack);
    },
  );

  it("the CNN's 2x2 stride-2 max pooling is bit-identical to the reference, NaN and -Infinity windows included", () => {
    const [n, c, h, w] = [8, 16, 15, 14]; // odd height: the last row is dropped
    const data = randomF32(n * c * h * w, 23);
    data[0] = NaN; // first of its window
    data[15] = NaN; // two NaNs in one window: the later one's index wins
    data[29] = NaN;
    data.fill(-Infinity, 400, 460);
    const g = { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] } as const;
    expectMaxPoolAsReference(view(data, [n, c, h, w]), g, [n, c, 7, 7]);
  });

  it('2x2 stride-2 max pooling over rows wider than one vector matches the reference', () => {
    const [n, c, h, w] = [2, 3, 6, 41]; // 20 outputs a row: a full vector and a partial one
    const data = randomF32(n * c * h * w, 24);
    data[2 * 41 + 37] = NaN; // in the second vector of a row
    data[4 * 41 + 38] = NaN;
    data[4 * 41 + 39] = NaN; // two NaNs in one window: the later one's index wins
    const g = { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] } as const;
    expectMaxPoolAsReference(view(data, [n, c, h, w]), g, [n, c, 3, 20]);
  });

  it('max and average pooling (and its gradient) are bit-identical to the reference', () => {
    const [n, c, h, w] = [32, 16, 15, 14];
    const data = randomF32(n * c * h * w, 19);
    data[5] = NaN;
    data.fill(-Infinity, 200, 260); // a window of only -Infinity
    const x = view(data, [n, c, h, w]);
    const g = { kernel: [3, 2], stride: [2, 2], padding: [1, 1], dilation: [1, 1] } as const;
    const [oh, ow] = [8, 8];
    const size = n * c * oh * ow;
    const out = expectMaxPoolAsReference(x, g, [n, c, oh, ow]);
    for (const pad of [true, false]) {
      backend.avgPool2d(x, g, view(out[0]!, [n, c, oh, ow]), pad);
      referenceBackend.avgPool2d(x, g, view(out[1]!, [n, c, oh, ow]), pad);
      expect(out[0]).toEqual(out[1]);
      const grads = [new Float32Array(n * c * h * w), new Float32Array(n * c * h * w)];
      const gOut = view(randomF32(size, 20), [n, c, oh, ow]);
      backend.avgPool2dBackward(gOut, g, view(grads[0]!, [n, c, h, w]), pad);
      referenceBackend.avgPool2dBackward(gOut, g, view(grads[1]!, [n, c, h, w]), pad);
      expect(grads[0]).toEqual(grads[1]);
    }
  });
});

// Convolution composed on the reference backend (im2col, batched matmul, col2im), as the op
// layer composes it for a backend without the fused kernels.
function composedConv(
  x: StridedArray,
  w: Float32Array,
  bias: Float32Array,
  gOut: Float32Array,
  g: Conv2dGeometry,
  outShape: readonly [number, number, number, number],
) {
  const [n, c, h, wd] = x.shape as [number, number, number, number];
  const [, o, oh, ow] = outShape;
  const [k, l] = [c * g.kernel[0] * g.kernel[1], oh * ow];
  const cols = new Float32Array(n * k * l);
  referenceBackend.im2col(x, g, view(cols, [n, k, l]));
  const out = new Float32Array(n * o * l);
  referenceBackend.matmul(
    view(w, [n, o, k], [0, k, 1]),
    view(cols, [n, k, l]),
    view(out, [n, o, l]),
  );
  out.forEach((v, i) => (out[i] = v + bias[Math.floor(i / l) % o]!));
  const gCols = new Float32Array(n * k * l);
  referenceBackend.matmul(
    view(w, [n, k, o], [0, 1, k]),
    view(gOut, [n, o, l]),
    view(gCols, [n, k, l]),
  );
  const dx = new Float32Array(n * c * h * wd);
  referenceBackend.col2im(view(gCols, [n, k, l]), g, view(dx, [n, c, h, wd]));
  const perImage = new Float32Array(n * o * k);
  referenceBackend.matmul(
    view(gOut, [n, o, l]),
    view(cols, [n, l, k], [k * l, 1, l]),
    view(perImage, [n, o, k]),
  );
  const dw = new Float32Array(o * k);
  dw.forEach((_, e) => {
    let sum = 0;
    for (let b = 0; b < n; b++) sum += perImage[b * o * k + e]!;
    dw[e] = sum;
  });
  return { out, dx, dw };
}

describe.each(fast.filter((b) => b.conv2d).map((b) => [b.name, b] as const))(
  '%s fused convolution',
  (_, backend) => {
    const geometry = (
      k: [number, number],
      s: [number, number],
      p: [number, number],
      d: [number, number],
    ) => ({ kernel: k, stride: s, padding: p, dilation: d }) as const;
    // Contiguous NCHW images with stride 1 and the output as wide as the input take the
    // shifted-plane im2col (taps wider than the image included); the rest the general one.
    it.each([
      ['3x3, padding 1 (the CNN)', [9, 3, 14, 12], 8, geometry([3, 3], [1, 1], [1, 1], [1, 1])],
      [
        'stride, uneven padding, dilation',
        [5, 2, 11, 13],
        6,
        geometry([2, 3], [2, 1], [1, 0], [1, 2]),
      ],
      [
        'one input channel, more images than a weight chunk',
        [19, 1, 10, 10],
        4,
        geometry([3, 3], [1, 1], [0, 0], [1, 1]),
      ],
      ['contiguous, 3x3, padding 1', [6, 5, 9, 7], 8, geometry([3, 3], [1, 1], [1, 1], [1, 1])],
      [
        'contiguous, 5x3, padding (1, 1)',
        [3, 4, 8, 6],
        5,
        geometry([5, 3], [1, 1], [1, 1], [1, 1]),
      ],
      [
        'contiguous, 5x5 taps over a 2x3 image',
        [2, 3, 2, 3],
        4,
        geometry([5, 7], [1, 1], [2, 3], [1, 1]),
      ],
      ['contiguous, 1x1', [4, 6, 5, 5], 7, geometry([1, 1], [1, 1], [0, 0], [1, 1])],
    ] as const)('%s: output and both gradients match the composition', (name, shape, o, g) => {
      const [n, c, h, w] = shape;
      const oh =
        Math.floor((h + 2 * g.padding[0] - g.dilation[0] * (g.kernel[0] - 1) - 1) / g.stride[0]) +
        1;
      const ow =
        Math.floor((w + 2 * g.padding[1] - g.dilation[1] * (g.kernel[1] - 1) - 1) / g.stride[1]) +
        1;
      const k = c * g.kernel[0] * g.kernel[1];
      // Otherwise the image as a channels-last buffer seen through NCHW strides: any layout is
      // taken.
      const xData = randomF32(n * c * h * w, 40);
      const x = name.startsWith('contiguous')
        ? view(xData, [n, c, h, w])
        : view(xData, [n, c, h, w], [h * w * c, 1, w * c, c]);
      const weight = randomF32(o * k, 41);
      const bias = randomF32(o, 42);
      const gOut = randomF32(n * o * oh * ow, 43);
      const want = composedConv(x, weight, bias, gOut, g, [n, o, oh, ow]);
      const out = new Float32Array(n * o * oh * ow);
      const dx = new Float32Array(n * c * h * w);
      const dw = new Float32Array(o * k);
      const wView = view(weight, [o, c, g.kernel[0], g.kernel[1]]);
      expect(backend.conv2d!(x, wView, view(bias, [o]), g, view(out, [n, o, oh, ow]))).toBe(true);
      const gView = view(gOut, [n, o, oh, ow]);
      expect(backend.conv2dBackwardInput!(gView, wView, g, view(dx, [n, c, h, w]))).toBe(true);
      expect(backend.conv2dBackwardWeight!(gView, x, g, view(dw, [o, c, ...g.kernel]))).toBe(true);
      // float32 sums of k (or n*l) terms of size ~4, in another order than the reference's.
      expect(maxRelDiff(out, want.out)).toBeLessThan(2e-6 * Math.sqrt(k));
      expect(maxRelDiff(dx, want.dx)).toBeLessThan(2e-6 * Math.sqrt(o * 9));
      expect(maxRelDiff(dw, want.dw)).toBeLessThan(2e-6 * Math.sqrt(n * oh * ow));
    });

    it('declines what it does not handle, writing nothing: float64, a weight view with an offset', () => {
      const g = geometry([3, 3], [1, 1], [1, 1], [1, 1]);
      const x64 = {
        ...view(randomF32(2 * 2 * 5 * 5, 44), [2, 2, 5, 5]),
        data: new Float64Array(100),
      };
      const out = new Float32Array(2 * 3 * 25).fill(7);
      const w = view(randomF32(3 * 18 + 1, 45), [3, 2, 3, 3], undefined, 1);
      expect(
        backend.conv2d!(
          x64,
          view(new Float32Array(54), [3, 2, 3, 3]),
          null,
          g,
          view(out, [2, 3, 5, 5]),
        ),
      ).toBe(false);
      expect(
        backend.conv2d!(
          view(randomF32(100, 46), [2, 2, 5, 5]),
          w,
          null,
          g,
          view(out, [2, 3, 5, 5]),
        ),
      ).toBe(false);
      expect(out.every((v) => v === 7)).toBe(true);
    });
  },
);

describe.each(fast.filter((b) => b.maxPool2dBackward).map((b) => [b.name, b] as const))(
  '%s max pooling gradient',
  (_, backend) => {
    it("max pooling's gradient equals a scatter-add into zeros; an index out of range writes nothing", () => {
      const [n, c, h, w] = [6, 10, 9, 8];
      // Overlapping 3x3 windows with stride 2: some positions receive several gradients.
      const g = { kernel: [3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1] } as const;
      const [oh, ow] = [5, 4];
      const x = view(randomF32(n * c * h * w, 30), [n, c, h, w]);
      const idx = new Int32Array(n * c * oh * ow);
      referenceBackend.maxPool2d(
        x,
        g,
        view(new Float32Array(idx.length), [n, c, oh, ow]),
        view(idx, [n, c, oh, ow]),
      );
      const gOut = randomF32(idx.length, 31);
      const got = new Float32Array(n * c * h * w).fill(5);
      const want = new Float32Array(n * c * h * w);
      const planes = [n * c, h * w];
      referenceBackend.scatter(
        view(want, planes),
        1,
        view(idx, [n * c, oh * ow]),
        view(gOut, [n * c, oh * ow]),
        true,
      );
      const backward = (): boolean =>
        backend.maxPool2dBackward!(
          view(gOut, [n, c, oh, ow]),
          view(idx, [n, c, oh, ow]),
          view(got, [n, c, h, w]),
        );
      expect(backward()).toBe(true);
      expect(got).toEqual(want);
      idx[idx.length - 1] = h * w;
      got.fill(5);
      expect(backward()).toBe(false);
      expect(got.every((v) => v === 5)).toBe(true);
    });
  },
);

describe.each(fast.filter((b) => b.maxPool2dBackward).map((b) => [b.name, b] as const))(
  '%s max pooling gradient over 2x2 blocks',
  (_, backend) => {
    it('equals the scatter-add (-0 gradients included), also when an index leaves its block', () => {
      // Planes [8, 40] of 2x2 blocks (each input in one window): 20 windows a row.
      const [n, c, h, w, oh, ow] = [3, 4, 8, 40, 4, 20];
      const g = { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1] } as const;
      const x = view(randomF32(n * c * h * w, 32), [n, c, h, w]);
      const idx = new Int32Array(n * c * oh * ow);
      const pooled = view(new Float32Array(idx.length), [n, c, oh, ow]);
      referenceBackend.maxPool2d(x, g, pooled, view(idx, [n, c, oh, ow]));
      const gOut = randomF32(idx.length, 33);
      gOut[3] = -0;
      gOut[oh * ow + 25] = -0;
      const expectScatterAdd = (): void => {
        const got = new Float32Array(n * c * h * w).fill(5);
        const want = new Float32Array(n * c * h * w);
        referenceBackend.scatter(
          view(want, [n * c, h * w]),
          1,
          view(idx, [n * c, oh * ow]),
          view(gOut, [n * c, oh * ow]),
          true,
        );
        const done = backend.maxPool2dBackward!(
          view(gOut, [n, c, oh, ow]),
          view(idx, [n, c, oh, ow]),
          view(got, [n, c, h, w]),
        );
        expect(done).toBe(true);
        expect(got).toEqual(want);
        expect(Object.is(got[idx[3]!], want[idx[3]!])).toBe(true);
      };
      expectScatterAdd();
      // Indices that leave their block (into a neighbour's, or twice to one element): the
      // gradient is still the scatter-add.
      idx[oh * ow + 21] = idx[oh * ow + 22]!;
      idx[2 * oh * ow + 30] = 0;
      expectScatterAdd();
    });
  },
);

describe.runIf(nativeBackend !== null)('native threads', () => {
  it('give the same one-row product bits for any thread count (B split by columns)', () => {
    const before = nativeThreads();
    try {
      const run = (threads: number, tb: boolean, n: number): Float32Array => {
        nativeThreads(threads);
        return matmulBoth(nativeBackend!, 1, 784, n, false, tb).got;
      };
      // 1000 columns: chunks of the split end mid-vector, and a tail of 8 columns.
      for (const n of [512, 1000])
        for (const tb of [false, true]) {
          const one = run(1, tb, n);
          expect(run(2, tb, n)).toEqual(one);
          expect(run(3, tb, n)).toEqual(one);
        }
    } finally {
      nativeThreads(before);
    }
  });

  it('give the same convolution weight gradient bits for any thread count', () => {
    const before = nativeThreads();
    const g = { kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1] } as const;
    const x = view(randomF32(37 * 4 * 9 * 9, 47), [37, 4, 9, 9]);
    const gOut = view(randomF32(37 * 6 * 81, 48), [37, 6, 9, 9]);
    const run = (threads: number): Float32Array => {
      nativeThreads(threads);
      const dw = new Float32Array(6 * 36);
      nativeBackend!.conv2dBackwardWeight!(gOut, x, g, view(dw, [6, 4, 3, 3]));
      return dw;
    };
    try {
      const one = run(1);
      expect(run(2)).toEqual(one);
      expect(run(3)).toEqual(one);
    } finally {
      nativeThreads(before);
    }
  });

  it('give the same bits for any thread count', () => {
    const before = nativeThreads();
    try {
      nativeThreads(1);
      const one = matmulBoth(nativeBackend!, 300, 700, 400, true, false).got;
      nativeThreads(2);
      const two = matmulBoth(nativeBackend!, 300, 700, 400, true, false).got;
      nativeThreads(3);
      const three = matmulBoth(nativeBackend!, 300, 700, 400, true, false).got;
      expect(two).toEqual(one);
      expect(three).toEqual(one);
    } finally {
      nativeThreads(before);
    }
  });

  it('a batch of small products (split by product) gives the same bits as one product at a time', () => {
    const before = nativeThreads();
    try {
      const w = view(randomF32(32 * 72, 26), [64, 32, 72], [0, 72, 1]); // broadcast weights
      const cols = view(randomF32(64 * 72 * 49, 27), [64, 72, 49]);
      const run = (threads: number): Float32Array => {
        nativeThreads(threads);
        const out = new Float32Array(64 * 32 * 49);
        nativeBackend!.matmul(w, cols, view(out, [64, 32, 49]));
        return out;
      };
      const one = run(1);
      expect(run(2)).toEqual(one);
      const single = new Float32Array(32 * 49);
      nativeBackend!.matmul(
        view(w.data as Float32Array, [32, 72]),
        view(cols.data as Float32Array, [72, 49], [49, 1], 5 * 72 * 49),
        view(single, [32, 49]),
      );
      expect(single).toEqual(one.subarray(5 * 32 * 49, 6 * 32 * 49));
    } finally {
      nativeThreads(before);
    }
  });

  it('give the same few-column (dot product) and few-row bits for any thread count', () => {
    const before = nativeThreads();
    try {
      const run = (threads: number): Float32Array[] => {
        nativeThreads(threads);
        return [
          matmulBoth(nativeBackend!, 128, 784, 10, false, true).got,
          matmulBoth(nativeBackend!, 10, 128, 784, true, false).got,
        ];
      };
      const one = run(1);
      expect(run(2)).toEqual(one);
      expect(run(3)).toEqual(one);
    } finally {
      nativeThreads(before);
    }
  });
});

describe.runIf(nativeBackend !== null)('native matmul paths', () => {
  // Each row of C depends on its row of A alone, so a row's bits must not depend on which path
  // the shape took: dot products for a batch against one row alone, few rows against the
  // packed kernel of a taller product.
  it('a row of x @ W.t() gives the same bits in a batch as alone', () => {
    const { got } = matmulBoth(nativeBackend!, 131, 200, 10, false, true);
    const A = randomF32(131 * 200, 1);
    const B = randomF32(200 * 10, 2);
    for (const i of [0, 5, 130]) {
      const row = new Float32Array(10);
      nativeBackend!.matmul(
        view(A, [1, 200], [200, 1], i * 200),
        view(B, [200, 10], [1, 200]),
        view(row, [1, 10]),
      );
      expect(row).toEqual(got.subarray(i * 10, (i + 1) * 10));
    }
  });

  it("few rows give the packed kernel's bits (several K blocks, masked columns)", () => {
    for (const [k, n] of [
      [600, 45],
      [128, 784],
    ] as const) {
      const tall = matmulBoth(nativeBackend!, 40, k, n, true, false).got;
      const A = randomF32(40 * k, 1);
      const B = randomF32(k * n, 2);
      for (const m of [2, 10, 12]) {
        const out = new Float32Array(m * n);
        // The first m rows of the transposed A: the same elements the tall product read.
        nativeBackend!.matmul(view(A, [m, k], [1, 40]), view(B, [k, n]), view(out, [m, n]));
        expect(out).toEqual(tall.subarray(0, m * n));
      }
    }
  });
});
