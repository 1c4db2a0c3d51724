/**
 * The reference elementwise kernels called directly, on hand-built strided views: what a faster
 * backend must reproduce (bool outputs, broadcast strides, offsets, non-contiguous outputs).
 */
import { describe, expect, it } from 'vitest';

import type { StridedArray } from '../backend.js';
import { binary, copy, fill, unary, where } from './elementwise.js';

const view = (
  data: StridedArray['data'],
  shape: number[],
  strides: number[],
  offset = 0,
): StridedArray => ({
  data,
  shape,
  strides,
  offset,
});

describe('unary kernel', () => {
  it('writes through offsets and strides of both operands', () => {
    const x = new Float64Array([9, 1, -2, 3, -4, 5, -6]);
    const out = new Float64Array(8);
    // x read as [2, 3] from offset 1 ([[1, -2, 3], [-4, 5, -6]]), written transposed from offset 1
    unary('neg', view(x, [2, 3], [3, 1], 1), view(out, [2, 3], [1, 2], 1), 0, 0);
    expect(Array.from(out)).toEqual([0, -1, 4, 2, -5, -3, 6, 0]);
  });

  it('non-bool ops into a bool buffer store non-zero (NaN too) as 1', () => {
    const out = new Uint8Array(4);
    unary('abs', view(new Float64Array([-2, 0, NaN, -0]), [4], [1]), view(out, [4], [1]), 0, 0);
    expect(Array.from(out)).toEqual([1, 0, 1, 0]);
  });

  it('passes the parameters through (clamp bounds)', () => {
    const out = new Float32Array(3);
    unary('clamp', view(new Float32Array([-5, 0.5, 5]), [3], [1]), view(out, [3], [1]), -1, 1);
    expect(Array.from(out)).toEqual([-1, 0.5, 1]);
  });
});

describe('binary kernel', () => {
  it('broadcasts with stride 0 on either operand', () => {
    const a = new Int32Array([1, 2, 3]);
    const b = new Int32Array([10, 20]);
    const out = new Int32Array(6);
    binary('add', view(a, [2, 3], [0, 1]), view(b, [2, 3], [1, 0]), view(out, [2, 3], [3, 1]), 1);
    expect(Array.from(out)).toEqual([11, 12, 13, 21, 22, 23]);
    binary('sub', view(b, [2, 3], [1, 0]), view(a, [2, 3], [0, 1]), view(out, [2, 3], [3, 1]), 2);
    expect(Array.from(out)).toEqual([8, 6, 4, 18, 16, 14]);
  });

  it('reads a 0-d operand everywhere', () => {
    const out = new Float64Array(3);
    binary(
      'mul',
      view(new Float64Array([1, 2, 3]), [3], [1]),
      view(new Float64Array([0, 4]), [3], [0], 1),
      view(out, [3], [1]),
      1,
    );
    expect(Array.from(out)).toEqual([4, 8, 12]);
  });

  it('comparisons write 0/1 into a bool buffer', () => {
    const out = new Uint8Array(3);
    binary(
      'lt',
      view(new Float32Array([1, NaN, 3]), [3], [1]),
      view(new Float32Array([2]), [3], [0]),
      view(out, [3], [1]),
      1,
    );
    expect(Array.from(out)).toEqual([1, 0, 0]);
  });
});

describe('where kernel', () => {
  it('picks per element with broadcast condition and values', () => {
    const out = new Float64Array(4);
    where(
      view(new Uint8Array([1, 0]), [2, 2], [1, 0]),
      view(new Float64Array([1, 2]), [2, 2], [0, 1]),
      view(new Float64Array([-7]), [2, 2], [0, 0]),
      view(out, [2, 2], [2, 1]),
    );
    expect(Array.from(out)).toEqual([1, 2, -7, -7]);
  });
});

describe('copy kernel', () => {
  it('converts dtypes: float to int truncates toward zero, float to bool is non-zero', () => {
    const i = new Int32Array(4);
    copy(view(new Float64Array([1.7, -2.7, -0.5, 3.999]), [4], [1]), view(i, [4], [1]));
    expect(Array.from(i)).toEqual([1, -2, 0, 3]);
    const b = new Uint8Array(4);
    copy(view(new Float32Array([0, NaN, -0, 0.1]), [4], [1]), view(b, [4], [1]));
    expect(Array.from(b)).toEqual([0, 1, 0, 1]);
  });

  it('same-dtype contiguous copies honour both offsets', () => {
    const dst = new Float32Array(5);
    copy(view(new Float32Array([9, 9, 1, 2, 3]), [3], [1], 2), view(dst, [3], [1], 1));
    expect(Array.from(dst)).toEqual([0, 1, 2, 3, 0]);
  });

  it('broadcast and transposed sources', () => {
    const dst = new Float64Array(6);
    copy(view(new Float64Array([1, 2, 3]), [2, 3], [0, 1]), view(dst, [2, 3], [3, 1]));
    expect(Array.from(dst)).toEqual([1, 2, 3, 1, 2, 3]);
    copy(view(new Float64Array([1, 2, 3, 4, 5, 6]), [3, 2], [1, 3]), view(dst, [3, 2], [2, 1]));
    expect(Array.from(dst)).toEqual([1, 4, 2, 5, 3, 6]);
  });
});

describe('fill kernel', () => {
  it('fills only the viewed elements; bool buffers get 0/1', () => {
    const d = new Float32Array(6);
    fill(view(d, [2, 2], [3, 2], 0), 7);
    expect(Array.from(d)).toEqual([7, 0, 7, 7, 0, 7]);
    const b = new Uint8Array(3);
    fill(view(b, [3], [1]), 5);
    expect(Array.from(b)).toEqual([1, 1, 1]);
    fill(view(b, [0], [1]), 0);
    expect(Array.from(b)).toEqual([1, 1, 1]);
  });
});
