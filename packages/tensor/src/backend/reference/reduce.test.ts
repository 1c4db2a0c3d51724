/**
 * The reference reduction kernels called directly on strided views: reduce, argReduce and
 * softmax, including non-contiguous inputs and outputs and empty reduced dims.
 */
import { describe, expect, it } from 'vitest';

import type { StridedArray } from '../backend.js';
import { argReduce, reduce, softmax } from './reduce.js';

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

// [[1, 2, 3], [4, 5, 6]] stored transposed (column-major) after one padding element
const colMajor = (): StridedArray =>
  view(new Float64Array([99, 1, 4, 2, 5, 3, 6]), [2, 3], [1, 2], 1);

describe('reduce kernel', () => {
  it('sums over each dim of a transposed view', () => {
    const rowsOut = new Float64Array(2);
    reduce('sum', colMajor(), [1], view(rowsOut, [2, 1], [1, 1]));
    expect(Array.from(rowsOut)).toEqual([6, 15]);
    const colsOut = new Float64Array(3);
    reduce('sum', colMajor(), [0], view(colsOut, [1, 3], [3, 1]));
    expect(Array.from(colsOut)).toEqual([5, 7, 9]);
    const all = new Float64Array(1);
    reduce('prod', colMajor(), [0, 1], view(all, [1, 1], [1, 1]));
    expect(all[0]).toBe(720);
  });

  it('writes into a strided, offset output', () => {
    const out = new Float64Array(5);
    reduce('max', colMajor(), [1], view(out, [2, 1], [2, 1], 1));
    expect(Array.from(out)).toEqual([0, 3, 0, 6, 0]);
  });

  it('an empty reduced dim leaves the identity (sum 0, prod 1, any 0, all 1)', () => {
    const x = view(new Float32Array(0), [2, 0], [0, 1]);
    for (const [op, want] of [
      ['sum', 0],
      ['prod', 1],
      ['any', 0],
      ['all', 1],
    ] as const) {
      const out = new Float32Array(2).fill(42);
      reduce(op, x, [1], view(out, [2, 1], [1, 1]));
      expect(Array.from(out)).toEqual([want, want]);
    }
    const lse = new Float32Array(2);
    reduce('logsumexp', x, [1], view(lse, [2, 1], [1, 1]));
    expect(Array.from(lse)).toEqual([-Infinity, -Infinity]);
  });

  it('max/min propagate NaN; any/all count NaN as true', () => {
    const x = view(new Float64Array([1, NaN, 3, 0]), [2, 2], [2, 1]);
    const out = new Float64Array(2);
    reduce('max', x, [1], view(out, [2, 1], [1, 1]));
    expect(Array.from(out)).toEqual([NaN, 3]);
    reduce('min', x, [1], view(out, [2, 1], [1, 1]));
    expect(Array.from(out)).toEqual([NaN, 0]);
    const b = new Uint8Array(2);
    reduce('any', view(new Float64Array([NaN, 0]), [2, 1], [1, 1]), [1], view(b, [2, 1], [1, 1]));
    expect(Array.from(b)).toEqual([1, 0]);
    reduce('all', view(new Float64Array([NaN, 0]), [1, 2], [2, 1]), [1], view(b, [1, 1], [1, 1]));
    expect(b[0]).toBe(0);
  });

  it('logsumexp is stable for large values and exact for -inf', () => {
    const out = new Float64Array(3);
    reduce(
      'logsumexp',
      view(new Float64Array([1000, 1000, -Infinity, -Infinity, Infinity, 0]), [3, 2], [2, 1]),
      [1],
      view(out, [3, 1], [1, 1]),
    );
    expect(out[0]).toBeCloseTo(1000 + Math.LN2, 12);
    expect(out[1]).toBe(-Infinity);
    expect(out[2]).toBe(Infinity);
  });

  it('int inputs sum into int outputs', () => {
    const out = new Int32Array(1);
    reduce(
      'sum',
      view(new Int32Array([2_000_000_000, -1_999_999_999, 5]), [3], [1]),
      [0],
      view(out, [1], [1]),
    );
    expect(out[0]).toBe(6);
  });
});

describe('argReduce kernel', () => {
  it('values and first indices along a dim of a transposed view', () => {
    const x = view(new Float64Array([5, 7, 5, 7, 1, 2]), [3, 2], [1, 3]); // [[5, 7], [7, 1], [5, 2]]
    const values = new Float64Array(2);
    const indices = new Int32Array(2);
    argReduce('max', x, 0, view(values, [1, 2], [2, 1]), view(indices, [1, 2], [2, 1]));
    expect(Array.from(values)).toEqual([7, 7]);
    expect(Array.from(indices)).toEqual([1, 0]);
    const idx = new Int32Array(3);
    argReduce('min', x, 1, null, view(idx, [3, 1], [1, 1]));
    expect(Array.from(idx)).toEqual([0, 1, 1]);
  });

  it('the first NaN wins', () => {
    const values = new Float32Array(1);
    const indices = new Int32Array(1);
    argReduce(
      'min',
      view(new Float32Array([3, NaN, -1, NaN]), [4], [1]),
      0,
      view(values, [], []),
      view(indices, [], []),
    );
    expect(values[0]).toBeNaN();
    expect(indices[0]).toBe(1);
  });
});

describe('softmax kernel', () => {
  it('along either dim of a transposed view into a strided output', () => {
    const out = new Float64Array(6);
    softmax(colMajor(), 1, view(out, [2, 3], [1, 2]), false); // out stored column-major too
    const e = [1, 2, 3].map((v) => Math.exp(v - 3));
    const s = e[0]! + e[1]! + e[2]!;
    expect(out[0]).toBeCloseTo(e[0]! / s, 15);
    expect(out[2]).toBeCloseTo(e[1]! / s, 15);
    expect(out[4]).toBeCloseTo(e[2]! / s, 15);
    expect(out[1]).toBeCloseTo(out[0]!, 15);
    const logOut = new Float64Array(6);
    softmax(colMajor(), 0, view(logOut, [2, 3], [3, 1]), true);
    for (const v of logOut.slice(0, 3)) expect(v).toBeCloseTo(-3 - Math.log1p(Math.exp(-3)), 14);
  });

  it('rows with +inf or only -inf give NaN; an empty dim writes nothing', () => {
    const out = new Float64Array(4);
    softmax(
      view(new Float64Array([Infinity, 0, -Infinity, -Infinity]), [2, 2], [2, 1]),
      1,
      view(out, [2, 2], [2, 1]),
      false,
    );
    expect(Array.from(out)).toEqual([NaN, NaN, NaN, NaN]);
    const untouched = new Float64Array(2).fill(7);
    softmax(view(new Float64Array(0), [2, 0], [0, 1]), 1, view(untouched, [2, 0], [0, 1]), false);
    expect(Array.from(untouched)).toEqual([7, 7]);
  });
});
