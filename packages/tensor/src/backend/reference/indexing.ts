/** Gather and scatter along a dim, for the reference backend. */
import type { StridedArray } from '../backend.js';
import { forEachElement } from './iterate.js';

function checkIndex(i: number, size: number, dim: number): void {
  if (i < 0 || i >= size) {
    throw new RangeError(`index ${i} is out of bounds for dimension ${dim} with size ${size}`);
  }
}

/** Strides of `t` with `dim` zeroed: the base offset of the line an index element points into. */
export function lineStrides(t: StridedArray, dim: number): number[] {
  return t.strides.map((s, i) => (i === dim ? 0 : s));
}

/** out[p] = x[p with p[dim] = index[p]]. */
export function gather(x: StridedArray, dim: number, index: StridedArray, out: StridedArray): void {
  const size = x.shape[dim]!;
  const step = x.strides[dim]!;
  const xd = x.data;
  const id = index.data;
  const od = out.data;
  forEachElement(
    index.shape,
    [index.strides, out.strides, lineStrides(x, dim)],
    [index.offset, out.offset, x.offset],
    (o) => {
      const i = id[o[0]!]!;
      checkIndex(i, size, dim);
      od[o[1]!] = xd[o[2]! + i * step]!;
    },
  );
}

/**
 * out[p with p[dim] = index[p]] = src[p] (or += with `accumulate`). Every index is checked
 * before anything is written, so a bad one leaves `out` as it was.
 */
export function scatter(
  out: StridedArray,
  dim: number,
  index: StridedArray,
  src: StridedArray,
  accumulate: boolean,
): void {
  const size = out.shape[dim]!;
  const step = out.strides[dim]!;
  const od = out.data;
  const id = index.data;
  const sd = src.data;
  forEachElement(index.shape, [index.strides], [index.offset], (o) =>
    checkIndex(id[o[0]!]!, size, dim),
  );
  forEachElement(
    index.shape,
    [index.strides, src.strides, lineStrides(out, dim)],
    [index.offset, src.offset, out.offset],
    (o) => {
      const at = o[2]! + id[o[0]!]! * step;
      od[at] = accumulate ? od[at]! + sd[o[1]!]! : sd[o[1]!]!;
    },
  );
}
