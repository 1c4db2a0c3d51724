/**
 * Indexing: NumPy-style `index(...)`, gather/scatter, indexSelect, maskedSelect, nonzero.
 * Basic indices (numbers, slices, null, '...') give views; int or bool arrays give copies.
 */
import { getBackend } from '../backend/backend.js';
import {
  NDArray,
  allocate,
  allocateUninitialized,
  bumpVersion,
  fromStorageData,
  kernelData,
  stridedOf,
} from '../ndarray.js';
import {
  broadcastShapes,
  contiguousStrides,
  formatShape,
  nestedShape,
  normalizeDim,
  shapeSize,
  shapesEqual,
} from '../shape.js';
import type { TensorLike } from './elementwise.js';
import { copyInto } from './elementwise.js';
import { expand, select, slice, unsqueeze } from './views.js';
import { check, describe, isAutogradTensor, isOptionsObject } from '../check.js';

/** A Python-style slice `start:end:step`. */
export interface Slice {
  /** First index (negative counts from the end; null or left out: the beginning). */
  start?: number | null;
  /** Index after the last (negative counts from the end; null or left out: the end). */
  end?: number | null;
  /** Distance between taken indices, positive (default 1). */
  step?: number;
}

/**
 * One index in {@link NDArray.index}: a number selects, a {@link Slice} or a string such as
 * `':'`, `'1:3'`, `'::2'`, `'-1:'` slices, `null` inserts a dim, `'...'` stands for the
 * remaining dims, and an int or bool array indexes by value.
 */
export type IndexSpec = number | string | Slice | null | NDArray | IndexList;

type BasicSpec = Exclude<IndexSpec, IndexList>;

/** A plain (nested) JS list of integers or booleans, read as PyTorch reads `x[[0, 2]]`. */
export type IndexList = readonly (number | boolean | IndexList)[];

// A plain list becomes an int32 (or, all booleans, a bool) index array, as PyTorch reads it.
function listIndex(fn: string, list: IndexList): NDArray {
  const flat = (list as unknown[]).flat(Infinity);
  const bools = flat.length > 0 && flat.every((v) => typeof v === 'boolean');
  if (!bools && !flat.every((v) => typeof v === 'number' && Number.isInteger(v)))
    throw new TypeError(
      `${fn}: a list used as an index must hold integers or booleans, got ${describe(list)}`,
    );
  const shape = nestedShape(list);
  if (shapeSize(shape) !== flat.length)
    throw new RangeError(`${fn}: a list used as an index must not be ragged`);
  const data = bools
    ? Uint8Array.from(flat as boolean[], Number)
    : Int32Array.from(flat as number[]);
  return fromStorageData(data, shape);
}

const SLICE_KEYS = ['start', 'end', 'step'];

/**
 * Checks each index of `x.index(...)` and turns plain lists into index arrays, so that a wrong
 * kind throws instead of being read as something else.
 */
export function normalizeSpecs(fn: string, specs: readonly unknown[]): BasicSpec[] {
  return specs.map((s, i) => {
    if (s === null || typeof s === 'string' || s instanceof NDArray) return s;
    if (typeof s === 'number') return check.int(fn, `index ${i}`, s);
    if (Array.isArray(s)) return listIndex(fn, s as IndexList);
    if (isOptionsObject(s)) {
      const o = check.options<Slice>(fn, `index ${i}`, s, SLICE_KEYS);
      for (const k of SLICE_KEYS) {
        const v = (o as Record<string, unknown>)[k];
        if (v !== undefined && v !== null) check.int(fn, `index ${i} ${k}`, v);
      }
      return o;
    }
    throw new TypeError(
      `${fn}: index ${i} must be an integer, a slice string or {start, end, step}, null, '...', an int or bool NDArray, or a list of integers, got ${describe(s)}${isAutogradTensor(s) ? ' (pass an autograd Tensor index to Tensor.index, or its .value here)' : ''}`,
    );
  });
}

function parseSlice(spec: string): Slice {
  const parts = spec.split(':');
  if (parts.length < 2 || parts.length > 3)
    throw new SyntaxError(
      `invalid slice ${JSON.stringify(spec)}: expected 'start:end' or 'start:end:step'`,
    );
  const num = (s: string | undefined): number | null => {
    if (s === undefined || s.trim() === '') return null;
    const v = Number(s);
    if (!Number.isInteger(v))
      throw new SyntaxError(
        `invalid slice ${JSON.stringify(spec)}: ${JSON.stringify(s)} is not an integer`,
      );
    return v;
  };
  return { start: num(parts[0]), end: num(parts[1]), step: num(parts[2]) ?? 1 };
}

// How many dims of the indexed tensor a spec uses up (a 0-d bool mask uses none: it adds one).
function dimsConsumed(spec: BasicSpec): number {
  if (spec === null || spec === '...') return 0;
  if (spec instanceof NDArray) return spec.dtype === 'bool' ? spec.ndim : 1;
  return 1;
}

interface Advanced {
  dim: number; // position in the basic-indexed view
  index: NDArray; // int32
  origDim: number; // the dim of the indexed tensor it indexes, for error messages
}

// Applies the basic indices as a view and collects the advanced ones.
function applyBasic(
  x: NDArray,
  specs: readonly BasicSpec[],
): { view: NDArray; advanced: Advanced[] } {
  const ellipses = specs.filter((s) => s === '...').length;
  if (ellipses > 1) throw new SyntaxError('an index can only have a single ellipsis (...)');
  const used = specs.reduce<number>((n, s) => n + dimsConsumed(s), 0);
  if (used > x.ndim) {
    throw new RangeError(`too many indices for tensor of dimension ${x.ndim} (got ${used})`);
  }
  const expanded: BasicSpec[] = [];
  for (const s of specs) {
    if (s === '...') for (let i = 0; i < x.ndim - used; i++) expanded.push(':');
    else expanded.push(s);
  }
  let view = x;
  let dim = 0; // the next dim of `view` to index
  let orig = 0; // the dim of `x` it corresponds to
  const advanced: Advanced[] = [];
  for (const spec of expanded) {
    if (spec === null) {
      view = unsqueeze(view, dim);
      dim++;
    } else if (typeof spec === 'number') {
      const size = view.shape[dim]!;
      if (!Number.isInteger(spec))
        throw new TypeError(`invalid index ${spec}: numbers used as indices must be integers`);
      if (spec < -size || spec >= size)
        throw new RangeError(
          `index ${spec} is out of bounds for dimension ${orig} with size ${size}`,
        );
      view = select(view, dim, spec);
      orig++;
    } else if (spec instanceof NDArray) {
      if (spec.dtype === 'bool' && spec.ndim === 0) {
        // x[True] adds a dim of size 1, x[False] one of size 0 (PyTorch and NumPy).
        view = unsqueeze(view, dim);
        const idx = fromStorageData(new Int32Array(spec.item() ? [0] : []), [spec.item() ? 1 : 0]);
        advanced.push({ dim, index: idx, origDim: orig });
        dim++;
      } else if (spec.dtype === 'bool') {
        // A k-d mask indexes k dims: it becomes k int indices (its nonzero coordinates).
        const covered = view.shape.slice(dim, dim + spec.ndim);
        if (!shapesEqual(covered, spec.shape)) {
          throw new RangeError(
            `the shape of the mask ${formatShape(spec.shape)} does not match the shape of the indexed tensor ${formatShape(covered)} starting at dim ${dim}`,
          );
        }
        const nz = nonzero(spec);
        for (let k = 0; k < spec.ndim; k++)
          advanced.push({ dim: dim + k, index: select(nz, 1, k), origDim: orig + k });
        dim += spec.ndim;
        orig += spec.ndim;
      } else if (spec.dtype === 'int32') {
        advanced.push({ dim, index: spec, origDim: orig });
        dim++;
        orig++;
      } else {
        throw new TypeError(
          `tensors used as indices must be int32 or bool tensors, got ${spec.dtype}`,
        );
      }
    } else {
      const s = typeof spec === 'string' ? parseSlice(spec) : spec;
      view = slice(view, dim, s.start, s.end, s.step ?? 1);
      dim++;
      orig++;
    }
  }
  return { view, advanced };
}

// For advanced indexing: the result shape, the storage offset of each broadcast index position,
// and the view of the remaining (sliced) dims.
function advancedPlan(view: NDArray, advanced: Advanced[]) {
  const bshape = broadcastShapes(...advanced.map((a) => a.index.shape));
  const count = shapeSize(bshape);
  const offsets = new Float64Array(count);
  for (const { dim, index, origDim } of advanced) {
    const size = view.shape[dim]!;
    const stride = view.strides[dim]!;
    const idx = expand(index, bshape).contiguous().data;
    for (let i = 0; i < count; i++) {
      let v = idx[i]!;
      if (v < -size || v >= size)
        throw new RangeError(
          `index ${v} is out of bounds for dimension ${origDim} with size ${size}`,
        );
      if (v < 0) v += size;
      offsets[i] = offsets[i]! + v * stride;
    }
  }
  const dims = advanced.map((a) => a.dim);
  const restDims = view.shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const restShape = restDims.map((i) => view.shape[i]!);
  const restStrides = restDims.map((i) => view.strides[i]!);
  const sorted = [...dims].sort((a, b) => a - b);
  const adjacent = sorted.every((d, i) => i === 0 || d === sorted[i - 1]! + 1);
  // PyTorch puts the broadcast index dims where the indexed dims were when they are adjacent,
  // and first otherwise.
  const insertAt = adjacent ? restDims.filter((d) => d < sorted[0]!).length : 0;
  return { bshape, count, offsets, restShape, restStrides, insertAt };
}

/** NumPy/PyTorch indexing; see {@link NDArray.index}. */
export function index(x: NDArray, specs: readonly IndexSpec[]): NDArray {
  const { view, advanced } = applyBasic(x, normalizeSpecs('index', specs));
  if (advanced.length === 0) return view;
  const plan = advancedPlan(view, advanced);
  const outShape = [...plan.bshape, ...plan.restShape];
  const out = allocate(outShape, x.dtype);
  const restSize = shapeSize(plan.restShape);
  const backend = getBackend();
  const dst = stridedOf(out);
  for (let i = 0; i < plan.count; i++) {
    backend.copy(
      {
        data: kernelData(view.storage),
        shape: plan.restShape,
        strides: plan.restStrides,
        offset: view.offset + plan.offsets[i]!,
      },
      {
        data: dst.data,
        shape: plan.restShape,
        strides: out.strides.slice(plan.bshape.length),
        offset: i * restSize,
      },
    );
  }
  if (plan.insertAt === 0) return out;
  // Move the broadcast dims to where the indexed dims were.
  const nb = plan.bshape.length;
  const order = [
    ...plan.restShape.slice(0, plan.insertAt).map((_, i) => nb + i),
    ...plan.bshape.map((_, i) => i),
    ...plan.restShape.slice(plan.insertAt).map((_, i) => nb + plan.insertAt + i),
  ];
  return out.permute(order).contiguous();
}

/** Writes `values` at the positions `index(x, specs)` selects; with `accumulate`, adds. */
export function indexPut(
  x: NDArray,
  specs: readonly IndexSpec[],
  values: TensorLike,
  accumulate: boolean,
): NDArray {
  const { view, advanced } = applyBasic(x, normalizeSpecs('indexPut_', specs));
  if (advanced.length === 0) {
    copyInto(view, accumulate ? view.add(values) : values);
    return x;
  }
  const plan = advancedPlan(view, advanced);
  const nb = plan.bshape.length;
  // Values broadcast against the selection as `index` returns it, then are read index-dims-first.
  const resultShape = [
    ...plan.restShape.slice(0, plan.insertAt),
    ...plan.bshape,
    ...plan.restShape.slice(plan.insertAt),
  ];
  const v0 =
    values instanceof NDArray ? values : fromStorageData(new Float64Array([Number(values)]), []);
  const toIndexFirst = [
    ...plan.bshape.map((_, i) => plan.insertAt + i),
    ...plan.restShape.map((_, i) => (i < plan.insertAt ? i : nb + i)),
  ];
  const v = expand(v0, resultShape).permute(toIndexFirst).contiguous();
  const restSize = shapeSize(plan.restShape);
  const backend = getBackend();
  const target = {
    data: kernelData(view.storage),
    shape: plan.restShape,
    strides: plan.restStrides,
  };
  for (let i = 0; i < plan.count; i++) {
    const dst = { ...target, offset: view.offset + plan.offsets[i]! };
    const src = {
      data: kernelData(v.storage),
      shape: plan.restShape,
      strides: v.strides.slice(plan.bshape.length),
      offset: v.offset + i * restSize,
    };
    if (accumulate) backend.binary('add', dst, src, dst, 1);
    else backend.copy(src, dst);
  }
  bumpVersion(x);
  return x;
}

function checkIndexTensor(name: string, index: NDArray): void {
  if (index.dtype !== 'int32')
    throw new TypeError(`${name}(): expected dtype int32 for index, got ${index.dtype}`);
}

/** out[i][j] = x[index[i][j]][j] along dim 0 (and likewise for other dims). */
export function gather(x: NDArray, dim: number, index: NDArray): NDArray {
  checkIndexTensor('gather', index);
  const d = normalizeDim(dim, x.ndim);
  if (index.ndim !== x.ndim && !(x.ndim === 0 && index.ndim <= 1)) {
    throw new RangeError(
      `gather(): index tensor must have the same number of dimensions as input tensor (${index.ndim} vs ${x.ndim})`,
    );
  }
  for (let k = 0; k < x.ndim; k++) {
    if (k !== d && index.shape[k]! > x.shape[k]!) {
      throw new RangeError(
        `gather(): size of index ${formatShape(index.shape)} does not fit input ${formatShape(x.shape)} at dimension ${k}`,
      );
    }
  }
  const out = allocate(index.shape, x.dtype);
  const xs = x.ndim === 0 ? { ...stridedOf(x), shape: [1], strides: [0] } : stridedOf(x);
  getBackend().gather(xs, d, stridedOf(index), stridedOf(out));
  return out;
}

/** Writes (or adds) `src` into x at `index` along `dim`, in place. */
export function scatter(
  x: NDArray,
  dim: number,
  index: NDArray,
  src: NDArray | number,
  accumulate: boolean,
): NDArray {
  checkIndexTensor(accumulate ? 'scatter_add' : 'scatter', index);
  const d = normalizeDim(dim, x.ndim);
  if (index.ndim !== x.ndim && !(x.ndim === 0 && index.ndim <= 1)) {
    throw new RangeError(
      `scatter(): index tensor must have the same number of dimensions as self tensor (${index.ndim} vs ${x.ndim})`,
    );
  }
  let s: NDArray;
  if (typeof src === 'number') {
    s = expand(fromStorageData(new Float64Array([src]), []), index.shape);
  } else {
    s = src;
    if (s.ndim !== index.ndim) {
      throw new RangeError(
        `scatter(): index tensor must have the same number of dimensions as src tensor (${index.ndim} vs ${s.ndim})`,
      );
    }
    for (let k = 0; k < index.ndim; k++) {
      if (
        index.shape[k]! > s.shape[k]! ||
        (k !== d && x.ndim > 0 && index.shape[k]! > x.shape[k]!)
      ) {
        throw new RangeError(
          `scatter(): expected index ${formatShape(index.shape)} to be no larger than self ${formatShape(x.shape)} apart from dimension ${d} and to be no larger than src ${formatShape(s.shape)}`,
        );
      }
    }
    // Only the index's extent of src is read.
    s = new NDArray(src.storage, index.shape, src.strides, src.offset);
  }
  // A 0-d self is scattered into as a 1-element line (PyTorch allows x.scatter(0, tensor(0), v)).
  const xs = x.ndim === 0 ? { ...stridedOf(x), shape: [1], strides: [0] } : stridedOf(x);
  getBackend().scatter(xs, d, stridedOf(index), stridedOf(s), accumulate);
  bumpVersion(x);
  return x;
}

/** The entries of dim `dim` listed in the 1-d int32 `index`. */
export function indexSelect(x: NDArray, dim: number, index: NDArray): NDArray {
  checkIndexTensor('index_select', index);
  if (index.ndim > 1)
    throw new RangeError(
      `index_select(): index must be a vector, got shape ${formatShape(index.shape)}`,
    );
  const d = normalizeDim(dim, x.ndim);
  if (x.ndim === 0) {
    // A 0-d input stays 0-d for a one-element index, as in PyTorch.
    const g = gather(x, 0, index.reshape(-1));
    return index.numel() === 1 ? g.reshape([]) : g;
  }
  const shape = Array.from(x.shape);
  shape[d] = index.numel();
  const idxShape = shape.map((_, k) => (k === d ? index.numel() : 1));
  const idx = expand(index.reshape(idxShape), shape);
  // The gather writes every element.
  const out = allocateUninitialized(shape, x.dtype);
  getBackend().gather(stridedOf(x), d, stridedOf(idx), stridedOf(out));
  return out;
}

/** Elements where the (broadcast) mask is true, as a 1-d array. */
export function maskedSelect(x: NDArray, mask: NDArray): NDArray {
  if (mask.dtype !== 'bool')
    throw new TypeError(`masked_select: expected a bool mask, got ${mask.dtype}`);
  const shape = broadcastShapes(x.shape, mask.shape);
  const xs = expand(x, shape);
  const ms = expand(mask, shape);
  return index(xs.contiguous(), [ms.contiguous()]);
}

/** Indices of the non-zero elements, as an int32 array of shape [count, ndim]. */
export function nonzero(x: NDArray): NDArray {
  const c = x.contiguous();
  const data = c.data;
  const n = c.numel();
  const ndim = x.ndim;
  const hits: number[] = [];
  for (let i = 0; i < n; i++) if (data[i] !== 0) hits.push(i);
  const out = new Int32Array(hits.length * ndim);
  // Row-major strides of the shape: a contiguous array may carry any stride on its size-1 dims.
  const strides = contiguousStrides(x.shape);
  hits.forEach((flat, r) => {
    let rem = flat;
    for (let k = 0; k < ndim; k++) {
      out[r * ndim + k] = Math.floor(rem / strides[k]!);
      rem %= strides[k]!;
    }
  });
  return fromStorageData(out, [hits.length, ndim]);
}
