/**
 * Shape helpers. Broadcast results and contiguous strides are real PyTorch output
 * (torch.broadcast_shapes, torch.empty(shape).stride()).
 */
import { describe, expect, it } from 'vitest';

import {
  broadcastShapes,
  broadcastStrides,
  contiguousStrides,
  formatShape,
  inferShape,
  isContiguousLayout,
  normalizeDim,
  normalizeDims,
  shapeArgs,
  shapeSize,
  shapesEqual,
  toShape,
} from './shape.js';

const BROADCAST: [number[][], number[]][] = [
  [
    [[2, 3], [3]],
    [2, 3],
  ],
  [
    [[2, 1], [3]],
    [2, 3],
  ],
  [
    [[], [2, 3]],
    [2, 3],
  ],
  [[[], []], []],
  [[[1], []], [1]],
  [
    [
      [5, 1, 4],
      [3, 1],
    ],
    [5, 3, 4],
  ],
  [
    [[2, 0], [1]],
    [2, 0],
  ],
  [
    [[2, 0], [0]],
    [2, 0],
  ],
  [
    [
      [1, 0],
      [3, 1],
    ],
    [3, 0],
  ],
  [[[0], [1]], [0]],
  [
    [
      [3, 1, 1],
      [2, 1],
      [1, 7],
    ],
    [3, 2, 7],
  ],
  [
    [[1, 1], [1]],
    [1, 1],
  ],
  [
    [[4], [1, 4], [2, 1, 4]],
    [2, 1, 4],
  ],
  [
    [[2, 0], [1], [3, 1, 1]],
    [3, 2, 0],
  ],
];
const STRIDES: [number[], number[]][] = [
  [
    [2, 3, 4],
    [12, 4, 1],
  ],
  [[], []],
  [[5], [1]],
  [
    [2, 0, 3],
    [3, 3, 1],
  ],
  [
    [0, 4],
    [4, 1],
  ],
  [
    [3, 1, 2],
    [2, 2, 1],
  ],
  [
    [1, 1],
    [1, 1],
  ],
  [
    [4, 0],
    [1, 1],
  ],
  [[0], [1]],
];

describe('formatShape / toShape / shapeSize / shapesEqual', () => {
  it('formats shapes for messages', () => {
    expect(formatShape([2, 3])).toBe('[2, 3]');
    expect(formatShape([])).toBe('[]');
    expect(formatShape([0])).toBe('[0]');
  });

  it('accepts numbers and arrays and returns a fresh array', () => {
    const src = [2, 3];
    const out = toShape(src);
    expect(out).toEqual([2, 3]);
    expect(out).not.toBe(src);
    expect(toShape(4)).toEqual([4]);
    expect(toShape(0)).toEqual([0]);
    expect(toShape([])).toEqual([]);
  });

  it('rejects negative, fractional and NaN sizes', () => {
    expect(() => toShape([2, -1])).toThrow(
      /invalid shape \[2, -1\]: sizes must be non-negative integers/,
    );
    expect(() => toShape(1.5)).toThrow(/invalid shape \[1\.5\]/);
    expect(() => toShape([NaN])).toThrow(/invalid shape \[NaN\]/);
    expect(() => toShape([3, -2], 'size')).toThrow(/invalid size \[3, -2\]/);
  });

  it('counts elements', () => {
    expect(shapeSize([])).toBe(1);
    expect(shapeSize([2, 3, 4])).toBe(24);
    expect(shapeSize([2, 0, 4])).toBe(0);
    expect(shapeSize([0])).toBe(0);
  });

  it('compares shapes', () => {
    expect(shapesEqual([2, 3], [2, 3])).toBe(true);
    expect(shapesEqual([], [])).toBe(true);
    expect(shapesEqual([2, 3], [3, 2])).toBe(false);
    expect(shapesEqual([2], [2, 1])).toBe(false);
  });
});

describe('contiguousStrides / isContiguousLayout', () => {
  it.each(STRIDES)('strides of %j are %j (as torch.empty(shape).stride())', (shape, strides) => {
    expect(contiguousStrides(shape)).toEqual(strides);
    expect(isContiguousLayout(shape, strides)).toBe(true);
  });

  it('tells contiguous layouts from others', () => {
    expect(isContiguousLayout([2, 3], [1, 2])).toBe(false); // a transpose
    expect(isContiguousLayout([2, 3], [6, 2])).toBe(false); // a step-2 slice
    expect(isContiguousLayout([2, 1, 3], [3, 99, 1])).toBe(true); // size-1 strides do not matter
    expect(isContiguousLayout([1, 1], [7, 5])).toBe(true);
    expect(isContiguousLayout([3, 4], [0, 1])).toBe(false); // expanded
    expect(isContiguousLayout([2, 0], [5, 7])).toBe(true); // empty: anything goes
    expect(isContiguousLayout([], [])).toBe(true);
  });
});

describe('broadcastShapes', () => {
  it.each(BROADCAST)('%j broadcast to %j (torch.broadcast_shapes)', (shapes, expected) => {
    expect(broadcastShapes(...shapes)).toEqual(expected);
  });

  it('returns [] for no shapes', () => {
    expect(broadcastShapes()).toEqual([]);
  });

  it('names both shapes and the dim when sizes clash', () => {
    expect(() => broadcastShapes([2, 3], [4])).toThrow(
      'shapes [2, 3] and [4] cannot be broadcast: size 3 and size 4 do not match at dim -1',
    );
    expect(() => broadcastShapes([2, 3, 4], [5, 1])).toThrow(
      'shapes [2, 3, 4] and [5, 1] cannot be broadcast: size 3 and size 5 do not match at dim -2',
    );
    // an empty dim only broadcasts against 0 or 1
    expect(() => broadcastShapes([2, 0], [3])).toThrow(
      /shapes \[2, 0\] and \[3\] cannot be broadcast: size 0 and size 3/,
    );
    // the first shape in the message is the broadcast of the earlier shapes
    expect(() => broadcastShapes([1, 3], [2, 1], [4])).toThrow(
      /shapes \[2, 3\] and \[4\] cannot be broadcast/,
    );
  });
});

describe('broadcastStrides', () => {
  it('gives stride 0 to broadcast and new leading dims', () => {
    expect(broadcastStrides([3], [1], [2, 3])).toEqual([0, 1]);
    expect(broadcastStrides([2, 1], [1, 1], [2, 5])).toEqual([1, 0]);
    expect(broadcastStrides([2, 3], [1, 2], [2, 3])).toEqual([1, 2]);
    expect(broadcastStrides([], [], [2, 2])).toEqual([0, 0]);
    expect(broadcastStrides([1], [1], [0])).toEqual([0]);
  });

  it('rejects shapes it cannot broadcast', () => {
    expect(() => broadcastStrides([2, 3], [3, 1], [3])).toThrow(
      'cannot broadcast shape [2, 3] to [3]',
    );
    expect(() => broadcastStrides([3], [1], [2, 4])).toThrow(
      'the expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1: target shape [2, 4], tensor shape [3]',
    );
  });
});

describe('normalizeDim / normalizeDims', () => {
  it('wraps negative dims', () => {
    expect(normalizeDim(0, 3)).toBe(0);
    expect(normalizeDim(2, 3)).toBe(2);
    expect(normalizeDim(-1, 3)).toBe(2);
    expect(normalizeDim(-3, 3)).toBe(0);
  });

  it('accepts -1 and 0 for a 0-d tensor, as PyTorch does', () => {
    expect(normalizeDim(0, 0)).toBe(0);
    expect(normalizeDim(-1, 0)).toBe(0);
    expect(() => normalizeDim(1, 0)).toThrow(
      'dim 1 out of range for a 0-d tensor (expected a dim in [-1, 0])',
    );
  });

  it('names the dim and the rank when out of range', () => {
    expect(() => normalizeDim(3, 3)).toThrow(
      'dim 3 out of range for a 3-d tensor (expected a dim in [-3, 2])',
    );
    expect(() => normalizeDim(-4, 3)).toThrow(/dim -4 out of range for a 3-d tensor/);
    expect(() => normalizeDim(0.5, 3)).toThrow(/dim 0\.5 out of range for a 3-d tensor/);
  });

  it('normalises dim lists, sorted, all dims by default', () => {
    expect(normalizeDims(undefined, 3)).toEqual([0, 1, 2]);
    expect(normalizeDims(null, 2)).toEqual([0, 1]);
    expect(normalizeDims(-1, 3)).toEqual([2]);
    expect(normalizeDims([2, -3], 3)).toEqual([0, 2]);
    expect(normalizeDims([], 3)).toEqual([]);
    expect(normalizeDims(undefined, 0)).toEqual([]);
    expect(normalizeDims([0], 0)).toEqual([]);
  });

  it('rejects repeated dims (after wrapping) and out-of-range ones', () => {
    expect(() => normalizeDims([1, -2], 3)).toThrow(
      'dim 1 appears multiple times in the list of dims',
    );
    expect(() => normalizeDims([0, 3], 3)).toThrow(/dim 3 out of range for a 3-d tensor/);
  });
});

describe('inferShape / shapeArgs', () => {
  it('infers one -1', () => {
    expect(inferShape([-1], 6, [2, 3])).toEqual([6]);
    expect(inferShape([3, -1], 6, [2, 3])).toEqual([3, 2]);
    expect(inferShape([-1, 1, 2], 6, [6])).toEqual([3, 1, 2]);
    expect(inferShape([2, 3], 6, [6])).toEqual([2, 3]);
    expect(inferShape([], 1, [1, 1])).toEqual([]);
    expect(inferShape([-1], 0, [2, 0])).toEqual([0]);
    expect(inferShape([-1, 2], 0, [0, 4])).toEqual([0, 2]);
    expect(inferShape([3, 0], 0, [0])).toEqual([3, 0]);
  });

  it('rejects bad requests with the shapes in the message', () => {
    expect(() => inferShape([-1, -1], 6, [2, 3])).toThrow(
      'only one dimension can be inferred (-1)',
    );
    expect(() => inferShape([4, -1], 6, [2, 3])).toThrow(
      'shape [4, -1] is invalid for input of size 6 (shape [2, 3])',
    );
    expect(() => inferShape([5], 6, [2, 3])).toThrow(
      'shape [5] is invalid for input of size 6 (shape [2, 3])',
    );
    expect(() => inferShape([-2, 3], 6, [6])).toThrow('invalid shape dimension -2 in [-2, 3]');
    expect(() => inferShape([1.5, 4], 6, [6])).toThrow('invalid shape dimension 1.5 in [1.5, 4]');
    // -1 next to a 0 is ambiguous for an empty input
    expect(() => inferShape([-1, 0], 0, [0])).toThrow(
      'shape [-1, 0] is invalid for input of size 0 (shape [0])',
    );
  });

  it('accepts variadic sizes or one array', () => {
    expect(shapeArgs([2, 3])).toEqual([2, 3]);
    expect(shapeArgs([[2, 3]])).toEqual([2, 3]);
    expect(shapeArgs([[]])).toEqual([]);
    expect(shapeArgs([])).toEqual([]);
    expect(shapeArgs([5])).toEqual([5]);
    const arr = [4, 5] as const;
    expect(shapeArgs([arr])).not.toBe(arr);
    expect(() => shapeArgs([2, [3]])).toThrow('expected either one shape array or a list of sizes');
  });
});
