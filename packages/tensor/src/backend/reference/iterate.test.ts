/** The loop-nest helpers behind every reference kernel: coalesce, forEachRow, forEachElement. */
import { describe, expect, it } from 'vitest';

import { coalesce, forEachElement, forEachRow, specialise } from './iterate.js';
import type { LoopNest } from './iterate.js';

/** Every row's offsets (copied: forEachRow reuses its array). */
function rows(nest: LoopNest, base: number[]): number[][] {
  const out: number[][] = [];
  forEachRow(nest, base, (o) => out.push([...o]));
  return out;
}

describe('coalesce', () => {
  it('merges a contiguous tensor of any rank into one row', () => {
    expect(coalesce([2, 3, 4], [[12, 4, 1]])).toEqual({ shape: [24], strides: [[1]] });
    expect(coalesce([5], [[1]])).toEqual({ shape: [5], strides: [[1]] });
  });

  it('drops size-1 dims, whatever their stride', () => {
    expect(coalesce([2, 1, 3], [[3, 99, 1]])).toEqual({ shape: [6], strides: [[1]] });
    expect(coalesce([1, 4, 1], [[7, 2, 5]])).toEqual({ shape: [4], strides: [[2]] });
  });

  it('0-d and all-size-1 shapes become a single element with stride 0', () => {
    expect(coalesce([], [[], []])).toEqual({ shape: [1], strides: [[0], [0]] });
    expect(
      coalesce(
        [1, 1],
        [
          [5, 1],
          [1, 1],
        ],
      ),
    ).toEqual({ shape: [1], strides: [[0], [0]] });
  });

  it('keeps dims that are not contiguous (transposed, stepped)', () => {
    expect(coalesce([3, 2], [[1, 3]])).toEqual({ shape: [3, 2], strides: [[1, 3]] });
    // every other row of a [4, 3] matrix: rows are contiguous inside, gaps between them
    expect(coalesce([2, 3], [[6, 1]])).toEqual({ shape: [2, 3], strides: [[6, 1]] });
    // a stepped inner dim merges with an outer dim that continues the same step
    expect(coalesce([2, 3], [[6, 2]])).toEqual({ shape: [6], strides: [[2]] });
  });

  it('merges only where every operand is mergeable', () => {
    // b broadcasts along rows (stride 0 on dim 0): the dims stay apart
    expect(
      coalesce(
        [2, 3],
        [
          [3, 1],
          [0, 1],
        ],
      ),
    ).toEqual({
      shape: [2, 3],
      strides: [
        [3, 1],
        [0, 1],
      ],
    });
    // a scalar broadcast everywhere (all strides 0) never blocks a merge
    expect(
      coalesce(
        [2, 3],
        [
          [3, 1],
          [0, 0],
        ],
      ),
    ).toEqual({ shape: [6], strides: [[1], [0]] });
    // partial merge: the last two dims merge, the first stays
    expect(
      coalesce(
        [2, 3, 4],
        [
          [12, 4, 1],
          [0, 4, 1],
        ],
      ),
    ).toEqual({
      shape: [2, 12],
      strides: [
        [12, 1],
        [0, 1],
      ],
    });
  });

  it('keeps zero-size dims', () => {
    const nest = coalesce([2, 0, 3], [[0, 3, 1]]);
    expect(nest.shape).toContain(0);
    expect(rows(nest, [0])).toEqual([]);
  });
});

describe('forEachRow', () => {
  it('visits each row once, in row-major order, with every operand offset', () => {
    const nest: LoopNest = {
      shape: [2, 3, 4],
      strides: [
        [12, 4, 1],
        [1, 2, 6],
      ],
    };
    const seen = rows(nest, [5, 100]);
    expect(seen).toHaveLength(6);
    const want: number[][] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) want.push([5 + 12 * i + 4 * j, 100 + i + 2 * j]);
    expect(seen).toEqual(want);
    expect(new Set(seen.map((o) => o[0])).size).toBe(6);
  });

  it('calls once with the base offsets for a 1-d nest', () => {
    expect(rows({ shape: [7], strides: [[1], [0]] }, [3, 9])).toEqual([[3, 9]]);
  });

  it('does not call at all when a dim is empty', () => {
    expect(rows({ shape: [0], strides: [[1]] }, [0])).toEqual([]);
    expect(rows({ shape: [3, 0], strides: [[1, 1]] }, [0])).toEqual([]);
    expect(rows({ shape: [0, 3], strides: [[3, 1]] }, [0])).toEqual([]);
  });

  it('leaves the base array untouched', () => {
    const base = [1, 2];
    rows(
      {
        shape: [3, 2],
        strides: [
          [2, 1],
          [1, 3],
        ],
      },
      base,
    );
    expect(base).toEqual([1, 2]);
  });

  it('visits every element of a coalesced transposed view exactly once', () => {
    // a [4, 3] matrix (contiguous storage of 12) read transposed as [3, 4]
    const nest = coalesce([3, 4], [[1, 3]]);
    const last = nest.shape.length - 1;
    const n = nest.shape[last]!;
    const s = nest.strides[0]![last]!;
    const visited: number[] = [];
    forEachRow(nest, [0], (o) => {
      for (let i = 0; i < n; i++) visited.push(o[0]! + i * s);
    });
    expect(visited).toEqual([0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]);
  });
});

describe('forEachElement', () => {
  it('visits every element offset of each operand in row-major order', () => {
    const got: number[][] = [];
    forEachElement(
      [2, 3],
      [
        [1, 2],
        [3, 1],
      ],
      [10, 0],
      (o) => got.push([...o]),
    );
    expect(got).toEqual([
      [10, 0],
      [12, 1],
      [14, 2],
      [11, 3],
      [13, 4],
      [15, 5],
    ]);
  });

  it('visits a 0-d tensor once and an empty one never', () => {
    const got: number[][] = [];
    forEachElement([], [[]], [4], (o) => got.push([...o]));
    expect(got).toEqual([[4]]);
    forEachElement([2, 0], [[0, 1]], [0], () => got.push([]));
    expect(got).toHaveLength(1);
  });
});

describe('specialise', () => {
  it('returns a fresh copy of the factory that behaves the same', () => {
    function makeAdder(k: number): (x: number) => number {
      return (x) => x + k;
    }
    const copy = specialise(makeAdder, 'adder');
    expect(copy).not.toBe(makeAdder);
    expect(copy(3)(4)).toBe(7);
    const other = specialise(makeAdder, 'adder-2');
    expect(other).not.toBe(copy);
    expect(other(-1)(1)).toBe(0);
  });
});
