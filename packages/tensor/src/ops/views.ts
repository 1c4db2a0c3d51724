/**
 * Views: new shapes and strides over the same storage, no copying. Writes through a view
 * reach its base, as in PyTorch.
 */
import type { NDArray } from '../ndarray.js';
import { viewOf } from '../ndarray.js';
import {
  contiguousStrides,
  formatShape,
  inferShape,
  isContiguousLayout,
  normalizeDim,
  shapeSize,
} from '../shape.js';

/** Same elements, new shape; throws when the strides cannot express it without a copy. */
export function view(x: NDArray, shape: readonly number[]): NDArray {
  const target = inferShape(shape, x.numel(), x.shape);
  const strides = viewStrides(x.shape, x.strides, target);
  if (!strides) {
    throw new RangeError(
      `cannot view a non-contiguous tensor of shape ${formatShape(x.shape)} (strides ${formatShape(x.strides)}) as ${formatShape(target)}: use reshape`,
    );
  }
  return viewOf(x, target, strides, x.offset);
}

/** Same elements, new shape: a view when possible, otherwise a contiguous copy. */
export function reshape(x: NDArray, shape: readonly number[]): NDArray {
  const target = inferShape(shape, x.numel(), x.shape);
  const strides = viewStrides(x.shape, x.strides, target);
  if (strides) return viewOf(x, target, strides, x.offset);
  return view(x.contiguous(), target);
}

// PyTorch's computeStride: splits or merges dims only where the old strides are chunk-contiguous.
function viewStrides(
  oldShape: readonly number[],
  oldStrides: readonly number[],
  shape: readonly number[],
): number[] | null {
  const size = shapeSize(shape);
  if (size === 0 || oldShape.length === 0) {
    return isContiguousLayout(oldShape, oldStrides) || size <= 1 ? contiguousStrides(shape) : null;
  }
  const newStrides = new Array<number>(shape.length).fill(0);
  let viewD = shape.length - 1;
  let chunkBase = oldStrides[oldStrides.length - 1]!;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = oldShape.length - 1; d >= 0; d--) {
    tensorNumel *= oldShape[d]!;
    if (d === 0 || (oldShape[d - 1] !== 1 && oldStrides[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] === 1)) {
        newStrides[viewD] = viewNumel * chunkBase;
        viewNumel *= shape[viewD]!;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return null;
      if (d > 0) {
        chunkBase = oldStrides[d - 1]!;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  if (viewD !== -1) return null;
  return newStrides;
}

/** Swaps two dims. */
export function transpose(x: NDArray, dim0: number, dim1: number): NDArray {
  const a = normalizeDim(dim0, x.ndim);
  const b = normalizeDim(dim1, x.ndim);
  if (x.ndim === 0) return viewOf(x, x.shape, x.strides, x.offset);
  const shape = Array.from(x.shape);
  const strides = Array.from(x.strides);
  [shape[a], shape[b]] = [shape[b]!, shape[a]!];
  [strides[a], strides[b]] = [strides[b]!, strides[a]!];
  return viewOf(x, shape, strides, x.offset);
}

/** Reorders the dims: result dim i is input dim `dims[i]`. */
export function permute(x: NDArray, dims: readonly number[]): NDArray {
  if (dims.length !== x.ndim) {
    throw new RangeError(
      `permute: number of dims don't match: the tensor has ${x.ndim} dims but ${dims.length} were given (${formatShape(dims)})`,
    );
  }
  const norm = dims.map((d) => normalizeDim(d, x.ndim));
  if (new Set(norm).size !== norm.length)
    throw new RangeError(`permute: repeated dim in ${formatShape(dims)}`);
  return viewOf(
    x,
    norm.map((d) => x.shape[d]!),
    norm.map((d) => x.strides[d]!),
    x.offset,
  );
}

/** Transposes a ≤2-d tensor (PyTorch's `t()`). */
export function t(x: NDArray): NDArray {
  if (x.ndim > 2)
    throw new RangeError(
      `t() expects a tensor with <= 2 dimensions, but got a ${x.ndim}-d tensor: use transpose or permute`,
    );
  return x.ndim < 2 ? viewOf(x, x.shape, x.strides, x.offset) : transpose(x, 0, 1);
}

/** Removes size-1 dims (all of them, or the given ones; non-1 dims given are left alone). */
export function squeeze(x: NDArray, dim?: number | readonly number[]): NDArray {
  const chosen =
    dim === undefined
      ? null
      : new Set((typeof dim === 'number' ? [dim] : dim).map((d) => normalizeDim(d, x.ndim)));
  const shape: number[] = [];
  const strides: number[] = [];
  for (let i = 0; i < x.ndim; i++) {
    if (x.shape[i] === 1 && (chosen === null || chosen.has(i))) continue;
    shape.push(x.shape[i]!);
    strides.push(x.strides[i]!);
  }
  return viewOf(x, shape, strides, x.offset);
}

/** Inserts a size-1 dim at `dim` (which may be x.ndim, or negative counting from x.ndim + 1). */
export function unsqueeze(x: NDArray, dim: number): NDArray {
  const d = normalizeDim(dim, x.ndim + 1);
  const shape = Array.from(x.shape);
  const strides = Array.from(x.strides);
  const stride = d < x.ndim ? x.shape[d]! * x.strides[d]! : 1;
  shape.splice(d, 0, 1);
  strides.splice(d, 0, stride);
  return viewOf(x, shape, strides, x.offset);
}

/**
 * Broadcasts size-1 (or missing leading) dims to `sizes` with stride 0; -1 keeps a size.
 * Strides follow PyTorch's `inferExpandGeometry`: only dims that actually grow get stride 0.
 */
export function expand(x: NDArray, sizes: readonly number[]): NDArray {
  if (sizes.length < x.ndim) {
    throw new RangeError(
      `expand: the number of sizes provided (${sizes.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`,
    );
  }
  const lead = sizes.length - x.ndim;
  const shape = new Array<number>(sizes.length);
  const strides = new Array<number>(sizes.length);
  for (let i = sizes.length - 1; i >= 0; i--) {
    const dim = i - lead;
    const size = dim >= 0 ? x.shape[dim]! : 1;
    let stride =
      dim >= 0 ? x.strides[dim]! : i + 1 < sizes.length ? shape[i + 1]! * strides[i + 1]! : 1;
    let target = sizes[i]!;
    if (target === -1) {
      if (dim < 0)
        throw new RangeError(
          `expand: -1 is not allowed in a leading, non-existing dimension (dim ${i})`,
        );
      target = size;
    } else if (!Number.isInteger(target) || target < 0) {
      throw new RangeError(`expand: invalid size ${target} in ${formatShape(sizes)}`);
    }
    if (size !== target) {
      if (size !== 1) {
        throw new RangeError(
          `the expanded size of the tensor (${target}) must match the existing size (${size}) at non-singleton dimension ${i}: target shape ${formatShape(sizes)}, tensor shape ${formatShape(x.shape)}`,
        );
      }
      stride = 0;
    }
    shape[i] = target;
    strides[i] = stride;
  }
  return viewOf(x, shape, strides, x.offset);
}

/** Merges dims `startDim..endDim` into one. */
export function flatten(x: NDArray, startDim = 0, endDim = -1): NDArray {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeDim(startDim, x.ndim);
  const e = normalizeDim(endDim, x.ndim);
  if (s > e)
    throw new RangeError(`flatten: startDim (${startDim}) cannot come after endDim (${endDim})`);
  const shape = [
    ...x.shape.slice(0, s),
    shapeSize(x.shape.slice(s, e + 1)),
    ...x.shape.slice(e + 1),
  ];
  return reshape(x, shape);
}

/** Splits dim `dim` into `sizes` (one may be -1). */
export function unflatten(x: NDArray, dim: number, sizes: readonly number[]): NDArray {
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d]!;
  const known = shapeSize(sizes.filter((v) => v !== -1));
  const inferred = sizes.some((v) => v === -1);
  if (sizes.length === 0 || (inferred ? known === 0 || size % known !== 0 : known !== size)) {
    throw new RangeError(
      `unflatten: provided sizes ${formatShape(sizes)} don't multiply up to the size of dim ${dim} (${size}) in the input tensor`,
    );
  }
  const inner = inferShape(sizes, size, [size]);
  return view(x, [...x.shape.slice(0, d), ...inner, ...x.shape.slice(d + 1)]);
}

/** The slice `[start, start + length)` of dim `dim`. */
export function narrow(x: NDArray, dim: number, start: number, length: number): NDArray {
  if (x.ndim === 0) throw new RangeError('narrow() cannot be applied to a 0-dim tensor');
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d]!;
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(s) || s < 0 || s > size) {
    throw new RangeError(
      `narrow: start ${start} is out of range for dimension ${dim} of size ${size}`,
    );
  }
  if (!Number.isInteger(length) || length < 0 || s + length > size) {
    throw new RangeError(
      `narrow: start (${s}) + length (${length}) exceeds dimension size (${size}) of dim ${dim}`,
    );
  }
  const shape = Array.from(x.shape);
  shape[d] = length;
  return viewOf(x, shape, x.strides, x.offset + s * x.strides[d]!);
}

/** Indexes dim `dim` at `index`, removing that dim. */
export function select(x: NDArray, dim: number, index: number): NDArray {
  if (x.ndim === 0) throw new RangeError('select() cannot be applied to a 0-dim tensor');
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d]!;
  if (!Number.isInteger(index) || index < -size || index >= size) {
    throw new RangeError(`index ${index} is out of bounds for dimension ${d} with size ${size}`);
  }
  const i = index < 0 ? index + size : index;
  const shape = x.shape.filter((_, k) => k !== d);
  const strides = x.strides.filter((_, k) => k !== d);
  return viewOf(x, shape, strides, x.offset + i * x.strides[d]!);
}

/**
 * Python-style slice `start:end:step` of one dim (negative bounds count from the end, out-of-range
 * bounds are clamped). The step must be positive, as in PyTorch.
 */
export function slice(
  x: NDArray,
  dim: number,
  start?: number | null,
  end?: number | null,
  step = 1,
): NDArray {
  const d = normalizeDim(dim, x.ndim);
  const size = x.shape[d]!;
  if (!Number.isInteger(step) || step <= 0)
    throw new RangeError(`slice step must be a positive integer, got ${step}`);
  const clampBound = (v: number | null | undefined, dflt: number): number => {
    if (v === undefined || v === null) return dflt;
    const w = v < 0 ? v + size : v;
    return Math.min(Math.max(w, 0), size);
  };
  const s = clampBound(start, 0);
  const e = Math.max(clampBound(end, size), s);
  const shape = Array.from(x.shape);
  shape[d] = Math.ceil((e - s) / step);
  const strides = Array.from(x.strides);
  strides[d] = x.strides[d]! * step;
  return viewOf(x, shape, strides, x.offset + s * x.strides[d]!);
}

/** Moves dims `source` to positions `destination`, keeping the others in order. */
export function movedim(
  x: NDArray,
  source: number | readonly number[],
  destination: number | readonly number[],
): NDArray {
  const srcList = typeof source === 'number' ? [source] : source;
  const dstList = typeof destination === 'number' ? [destination] : destination;
  if (srcList.length !== dstList.length) {
    throw new RangeError(
      `movedim: source ${formatShape(srcList)} and destination ${formatShape(dstList)} must have the same number of dims`,
    );
  }
  const src = srcList.map((d) => normalizeDim(d, x.ndim));
  const dst = dstList.map((d) => normalizeDim(d, x.ndim));
  if (new Set(src).size !== src.length)
    throw new RangeError(`movedim: repeated dim in source ${formatShape(srcList)}`);
  if (new Set(dst).size !== dst.length)
    throw new RangeError(`movedim: repeated dim in destination ${formatShape(dstList)}`);
  if (x.ndim === 0) return viewOf(x, x.shape, x.strides, x.offset);
  const order = new Array<number>(x.ndim).fill(-1);
  src.forEach((s, i) => (order[dst[i]!] = s));
  const rest = x.shape.map((_, i) => i).filter((i) => !src.includes(i));
  let r = 0;
  for (let i = 0; i < x.ndim; i++) if (order[i] === -1) order[i] = rest[r++]!;
  return permute(x, order);
}
