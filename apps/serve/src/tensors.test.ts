import { describe, expect, it } from 'vitest';
import {
  DATATYPES,
  InputError,
  V2_DATATYPES,
  fromBytes,
  ownsBuffer,
  requestArray,
  toJsonData,
  toTypedData,
  v2FromOrt,
} from './tensors.js';

describe('toTypedData', () => {
  it('takes flat row-major data and nested data matching the shape', () => {
    expect(Array.from(toTypedData([1, 2, 3, 4], [2, 2], 'FP32', 'd') as Float32Array)).toEqual([
      1, 2, 3, 4,
    ]);
    expect(
      Array.from(
        toTypedData(
          [
            [1, 2],
            [3, 4],
          ],
          [2, 2],
          'FP32',
          'd',
        ) as Float32Array,
      ),
    ).toEqual([1, 2, 3, 4]);
  });

  it('takes a Float64Array of numbers read from a body, with the same checks', () => {
    const f32 = toTypedData(Float64Array.of(0.1, -2, 3), [3], 'FP32', 'd');
    expect(f32).toEqual(Float32Array.of(0.1, -2, 3));
    expect(toTypedData(Float64Array.of(0.1), [1], 'FP64', 'd')).toEqual(Float64Array.of(0.1));
    expect(toTypedData(Float64Array.of(7, -1), [2], 'INT32', 'd')).toEqual(Int32Array.of(7, -1));
    expect(() => toTypedData(Float64Array.of(1, Infinity), [2], 'FP32', 'd')).toThrow(
      /^d\[1\]: expected a finite number, got Infinity$/,
    );
    expect(() => toTypedData(Float64Array.of(1.5), [1], 'INT32', 'd')).toThrow(
      /^d\[0\]: expected a 32-bit integer, got 1\.5$/,
    );
    expect(() => toTypedData(Float64Array.of(1, 2), [3], 'FP32', 'd')).toThrow(
      /^d: expected 3 elements for shape \[3\], got 2$/,
    );
  });

  it('makes the typed array of each datatype', () => {
    expect(toTypedData([1.5], [1], 'FP32', 'd')).toBeInstanceOf(Float32Array);
    expect(toTypedData([1.5], [1], 'FP64', 'd')).toBeInstanceOf(Float64Array);
    expect(toTypedData([7], [1], 'INT64', 'd')).toEqual(new BigInt64Array([7n]));
    expect(toTypedData([true, false], [2], 'BOOL', 'd')).toEqual(new Uint8Array([1, 0]));
    expect(toTypedData([-5], [1], 'INT8', 'd')).toEqual(new Int8Array([-5]));
  });

  it.each([
    [[1, 2, 3], [2, 2], 'FP32', /^d: expected 4 elements for shape \[2, 2\], got 3$/],
    [[1, 'x', 3, 4], [2, 2], 'FP32', /^d\[1\]: expected a finite number, got "x"$/],
    [[1, null], [2], 'FP32', /^d\[1\]: expected a finite number, got null$/],
    [[1, Infinity], [2], 'FP32', /^d\[1\]: expected a finite number, got Infinity$/],
    [[1, NaN], [2], 'FP64', /^d\[1\]: expected a finite number, got NaN$/],
    [[1.5], [1], 'INT32', /^d\[0\]: expected a 32-bit integer, got 1.5$/],
    [[2 ** 31], [1], 'INT32', /^d\[0\]: expected a 32-bit integer, got 2147483648$/],
    [[2 ** 60], [1], 'INT64', /^d\[0\]: expected a safe integer, got 1152921504606847000$/],
    [[256], [1], 'UINT8', /^d\[0\]: expected an integer in \[0, 255\], got 256$/],
    [[1], [1], 'BOOL', /^d\[0\]: expected a boolean, got 1$/],
    ['abc', [1], 'FP32', /^d: expected an array, got "abc"$/],
    [
      [[1, 2], [3]],
      [2, 2],
      'FP32',
      /^d\[1\]: expected an array of 2 elements \(shape \[2, 2\]\), got 1 elements$/,
    ],
    [
      [[1, 2], 3],
      [2, 2],
      'FP32',
      /^d\[1\]: expected an array of 2 elements \(shape \[2, 2\]\), got 3$/,
    ],
    [
      [[1, 2]],
      [2, 2],
      'FP32',
      /^d: expected an array of 2 elements \(shape \[2, 2\]\), got 1 elements$/,
    ],
  ] as const)('%j as %j %s fails naming the element', (data, shape, dt, message) => {
    expect(() => toTypedData(data, shape, dt, 'd')).toThrow(InputError);
    expect(() => toTypedData(data, shape, dt, 'd')).toThrow(message);
  });
});

describe('the datatype table', () => {
  it('maps every v2 datatype to onnxruntime and back', () => {
    for (const d of V2_DATATYPES) expect(v2FromOrt(DATATYPES[d].ort)).toBe(d);
    expect(v2FromOrt('string')).toBeUndefined();
  });

  it('reads little-endian bytes and writes JSON values', () => {
    const x = fromBytes(new Uint8Array(new Float32Array([1.5, -2]).buffer), 'FP32');
    expect(Array.from(x as Float32Array)).toEqual([1.5, -2]);
    expect(toJsonData(new Uint8Array([1, 0]), 'BOOL')).toEqual([true, false]);
    expect(toJsonData(new BigInt64Array([3n]), 'INT64')).toEqual([3]);
  });
});

describe('requestArray', () => {
  it('carves small tensors from a shared slab: zeroed, aligned, never overlapping', () => {
    const a = requestArray('UINT8', 3) as Uint8Array;
    const b = requestArray('FP64', 5) as Float64Array;
    const c = requestArray('INT64', 2) as BigInt64Array;
    expect(b.buffer).toBe(a.buffer);
    for (const [t, size] of [
      [a, 1],
      [b, 8],
      [c, 8],
    ] as const) {
      expect(t.byteOffset % size).toBe(0);
      expect(Array.from(t as Uint8Array, Number)).toEqual(new Array(t.length).fill(0));
    }
    a.fill(255);
    b.fill(1.5);
    c.fill(-1n);
    expect(Array.from(b)).toEqual([1.5, 1.5, 1.5, 1.5, 1.5]);
    expect(Array.from(a)).toEqual([255, 255, 255]);
    expect(Array.from(c)).toEqual([-1n, -1n]);
    expect(ownsBuffer(b)).toBe(false);
  });

  it('gives large tensors (and empty ones) buffers of their own', () => {
    const big = requestArray('FP32', 100_000);
    expect(big.length).toBe(100_000);
    expect(ownsBuffer(big)).toBe(true);
    expect(ownsBuffer(requestArray('FP32', 0))).toBe(true);
  });

  it('starts a new slab when one is used up, leaving earlier views intact', () => {
    const first = requestArray('FP32', 4000) as Float32Array;
    first.fill(7);
    const views = Array.from({ length: 40 }, () => requestArray('FP32', 4000) as Float32Array);
    expect(new Set(views.map((v) => v.buffer)).size).toBeGreaterThan(1);
    for (const v of views) v.fill(-1);
    expect(first.every((v) => v === 7)).toBe(true);
  });
});
