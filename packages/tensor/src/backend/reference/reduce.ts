/** Reduction kernels of the reference backend: reduce, argReduce and softmax. */
import type { TypedArray } from '../../dtype.js';
import type { ReduceOp } from '../../ops/registry/elementwise.js';
import type { StridedArray } from '../backend.js';
import { contiguousStrides, shapeSize } from '../../shape.js';
import { coalesce, forEachRow, specialise } from './iterate.js';
import { copy } from './elementwise.js';

type Combine = (acc: number, v: number) => number;
type FoldRow = (
  xd: TypedArray,
  xo: number,
  xs: number,
  acc: Float64Array,
  ao: number,
  as: number,
  n: number,
  aux: Float64Array,
) => void;

const COMBINE: Record<Exclude<ReduceOp, 'logsumexp'>, { init: number; f: Combine }> = {
  sum: { init: 0, f: (s, v) => s + v },
  prod: { init: 1, f: (s, v) => s * v },
  // NaN propagates: once the accumulator is NaN no comparison replaces it.
  max: { init: -Infinity, f: (s, v) => (v > s || v !== v ? v : s) },
  min: { init: Infinity, f: (s, v) => (v < s || v !== v ? v : s) },
  // Non-zero (NaN included) is true.
  any: { init: 0, f: (s, v) => (s !== 0 || v !== 0 ? 1 : 0) },
  all: { init: 1, f: (s, v) => (s !== 0 && v !== 0 ? 1 : 0) },
};

// Copied per op by `specialise`: must stay self-contained.
function makeFoldRow(c: Combine): FoldRow {
  return (xd, xo, xs, acc, ao, as, n) => {
    if (as === 0) {
      let s = acc[ao]!;
      for (let i = 0; i < n; i++) s = c(s, xd[xo + i * xs]!);
      acc[ao] = s;
    } else {
      for (let i = 0; i < n; i++) acc[ao + i * as] = c(acc[ao + i * as]!, xd[xo + i * xs]!);
    }
  };
}

// Second pass of logsumexp: sums exp(x - max), with the maxima in `aux`.
const sumShiftedExp: FoldRow = (xd, xo, xs, acc, ao, as, n, aux) => {
  for (let i = 0; i < n; i++) {
    const j = ao + i * as;
    const m = aux[j]!;
    acc[j] = acc[j]! + Math.exp(xd[xo + i * xs]! - (Number.isFinite(m) ? m : 0));
  }
};

const foldRows = new Map<string, FoldRow>();
function foldRow(op: Exclude<ReduceOp, 'logsumexp'>): FoldRow {
  let row = foldRows.get(op);
  if (!row) {
    row = specialise(makeFoldRow, `fold ${op}`)(COMBINE[op].f);
    foldRows.set(op, row);
  }
  return row;
}

// Walks x once in its own memory order, folding each element into acc (contiguous, laid out
// like out, with stride 0 along the reduced dims).
function foldInto(
  x: StridedArray,
  dims: readonly number[],
  acc: Float64Array,
  row: FoldRow,
  aux: Float64Array = acc,
): void {
  if (x.shape.some((d) => d === 0)) return;
  const accStrides = contiguousStrides(x.shape.map((d, i) => (dims.includes(i) ? 1 : d)));
  for (const d of dims) accStrides[d] = 0;
  // Innermost loop over x's smallest stride keeps reads sequential.
  const order = x.shape
    .map((_, i) => i)
    .sort((a, b) => Math.abs(x.strides[b]!) - Math.abs(x.strides[a]!));
  const nest = coalesce(
    order.map((i) => x.shape[i]!),
    [order.map((i) => x.strides[i]!), order.map((i) => accStrides[i]!)],
  );
  const last = nest.shape.length - 1;
  const n = nest.shape[last]!;
  const xs = nest.strides[0]![last]!;
  const as = nest.strides[1]![last]!;
  const xd = x.data;
  forEachRow(nest, [x.offset, 0], (o) => row(xd, o[0]!, xs, acc, o[1]!, as, n, aux));
}

function writeOut(acc: Float64Array, out: StridedArray): void {
  copy({ data: acc, shape: out.shape, strides: contiguousStrides(out.shape), offset: 0 }, out);
}

/** Reduces x over `dims` into out (x's shape with those dims set to 1). */
export function reduce(
  op: ReduceOp,
  x: StridedArray,
  dims: readonly number[],
  out: StridedArray,
): void {
  const size = shapeSize(out.shape);
  const acc = new Float64Array(size);
  if (op === 'logsumexp') {
    const max = new Float64Array(size).fill(-Infinity);
    foldInto(x, dims, max, foldRow('max'));
    foldInto(x, dims, acc, sumShiftedExp, max);
    for (let i = 0; i < size; i++) {
      const m = max[i]!;
      acc[i] = Math.log(acc[i]!) + (Number.isFinite(m) ? m : 0);
    }
  } else {
    acc.fill(COMBINE[op].init);
    foldInto(x, dims, acc, foldRow(op));
  }
  writeOut(acc, out);
}

// Calls visit(xOffset, xStrideAlongDim, outIndex) for every position of x with `dim` removed;
// outIndex counts those positions in row-major order.
function forEachLine(
  x: StridedArray,
  dim: number,
  visit: (xo: number, outIndex: number) => void,
): void {
  const shape = x.shape.filter((_, i) => i !== dim);
  const strides = x.strides.filter((_, i) => i !== dim);
  const outStrides = contiguousStrides(shape);
  const nest = coalesce(shape, [strides, outStrides]);
  const last = nest.shape.length - 1;
  const n = nest.shape[last]!;
  const xs = nest.strides[0]![last]!;
  const os = nest.strides[1]![last]!;
  forEachRow(nest, [x.offset, 0], (o) => {
    for (let i = 0; i < n; i++) visit(o[0]! + i * xs, o[1]! + i * os);
  });
}

// Writes a flat row-major value list into a keepdim-shaped strided output.
function scatterFlat(values: ArrayLike<number>, out: StridedArray): void {
  copy(
    {
      data: values as TypedArray,
      shape: out.shape,
      strides: contiguousStrides(out.shape),
      offset: 0,
    },
    out,
  );
}

/** Max or min along `dim`, with the first index of the extreme (NaN counts as extreme). */
export function argReduce(
  op: 'max' | 'min',
  x: StridedArray,
  dim: number,
  values: StridedArray | null,
  indices: StridedArray,
): void {
  const len = x.shape[dim]!;
  const step = x.strides[dim]!;
  const count = shapeSize(indices.shape);
  const vals = new Float64Array(count);
  const idxs = new Int32Array(count);
  const xd = x.data;
  const isMax = op === 'max';
  forEachLine(x, dim, (xo, oi) => {
    let best = xd[xo]!;
    let bi = 0;
    if (best === best) {
      for (let i = 1; i < len; i++) {
        const v = xd[xo + i * step]!;
        if (v !== v) {
          best = v;
          bi = i;
          break;
        }
        if (isMax ? v > best : v < best) {
          best = v;
          bi = i;
        }
      }
    }
    vals[oi] = best;
    idxs[oi] = bi;
  });
  scatterFlat(idxs, indices);
  if (values) scatterFlat(vals, values);
}

/**
 * Softmax or log-softmax along `dim`, shifted by the max for stability. As in PyTorch, a row
 * holding +Infinity or only -Infinity gives NaN.
 */
export function softmax(x: StridedArray, dim: number, out: StridedArray, log: boolean): void {
  const len = x.shape[dim]!;
  const xs = x.strides[dim]!;
  const os = out.strides[dim]!;
  const xd = x.data;
  const od = out.data;
  // The same line walk over x and out: offsets of out follow from x's via a parallel walk.
  const shape = x.shape.filter((_, i) => i !== dim);
  const nest = coalesce(shape, [
    x.strides.filter((_, i) => i !== dim),
    out.strides.filter((_, i) => i !== dim),
  ]);
  const last = nest.shape.length - 1;
  const n = nest.shape[last]!;
  const xstep = nest.strides[0]![last]!;
  const ostep = nest.strides[1]![last]!;
  if (len === 0) return;
  forEachRow(nest, [x.offset, out.offset], (o) => {
    for (let r = 0; r < n; r++) {
      const xo = o[0]! + r * xstep;
      const oo = o[1]! + r * ostep;
      let m = -Infinity;
      for (let i = 0; i < len; i++) {
        const v = xd[xo + i * xs]!;
        if (v > m || v !== v) m = v;
      }
      // Shifting by the max itself, infinite or not, gives PyTorch's NaN rows for +Infinity
      // and for all -Infinity.
      const shift = m;
      let sum = 0;
      for (let i = 0; i < len; i++) sum += Math.exp(xd[xo + i * xs]! - shift);
      if (log) {
        const lse = Math.log(sum) + shift;
        for (let i = 0; i < len; i++) od[oo + i * os] = xd[xo + i * xs]! - lse;
      } else {
        const inv = 1 / sum;
        for (let i = 0; i < len; i++) od[oo + i * os] = Math.exp(xd[xo + i * xs]! - shift) * inv;
      }
    }
  });
}
