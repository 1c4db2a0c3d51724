/**
 * Shape arithmetic shared by every op: sizes, strides, broadcasting and dim normalisation,
 * with error messages that name the offending shapes and dims.
 */

/** A tensor shape: one non-negative integer per dimension. */
export type Shape = readonly number[];

/** A shape given either as an array or, for 1-d, as a single number. */
export type ShapeLike = Shape | number;

/** `[2, 3]`-style rendering used in error messages. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/** Validates a shape argument and returns it as a fresh array. */
export function toShape(shape: ShapeLike, what = 'shape'): number[] {
  if (typeof shape !== 'number' && !Array.isArray(shape) && !ArrayBuffer.isView(shape))
    throw new TypeError(
      `${what} must be a size or an array of sizes, got ${shape === null ? 'null' : typeof shape === 'object' ? `an object {${Object.keys(shape).join(', ')}}` : `${typeof shape} ${String(shape)}`}`,
    );
  const dims = typeof shape === 'number' ? [shape] : Array.from(shape);
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(
        `invalid ${what} ${formatShape(dims)}: sizes must be non-negative integers`,
      );
    }
  }
  return dims;
}

/**
 * The shape of nested arrays, read along their first elements (whether they are ragged is the
 * caller's check, as it walks them).
 */
export function nestedShape(data: unknown): number[] {
  const shape: number[] = [];
  for (let cur = data; Array.isArray(cur); cur = cur[0]) {
    shape.push(cur.length);
    if (cur.length === 0) break;
  }
  return shape;
}

/** The number of elements of a shape (1 for 0-d). */
export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Row-major strides of a contiguous tensor of this shape. As in PyTorch, a size-0 dim counts
 * as size 1 for the strides of the dims before it (`[2, 0, 3]` gets `[3, 3, 1]`).
 */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= Math.max(shape[i]!, 1);
  }
  return strides;
}

/** True when a (shape, strides) pair walks memory in row-major order without gaps. */
export function isContiguousLayout(shape: Shape, strides: readonly number[]): boolean {
  let expected = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    if (d === 0) return true;
    if (d !== 1 && strides[i] !== expected) return false;
    expected *= d;
  }
  return true;
}

/**
 * Whether two shapes are equal, dim by dim.
 *
 * @example
 * ```ts
 * shapesEqual([2, 3], [2, 3]); // true
 * shapesEqual([2, 3], [3, 2]); // false
 * ```
 */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The shape two shapes broadcast to, by NumPy's rules (align on the right; sizes must match or
 * be 1).
 *
 * @example
 * ```ts
 * broadcastShapes([2, 1], [3]); // [2, 3]
 * ```
 */
export function broadcastShapes(...shapes: Shape[]): number[] {
  let out: number[] = [];
  for (const shape of shapes) {
    const n = Math.max(out.length, shape.length);
    const next = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const a = out[out.length - n + i] ?? 1;
      const b = shape[shape.length - n + i] ?? 1;
      if (a !== b && a !== 1 && b !== 1) {
        throw new RangeError(
          `shapes ${formatShape(out)} and ${formatShape(shape)} cannot be broadcast: size ${a} and size ${b} do not match at dim ${i - n}`,
        );
      }
      next[i] = a === 1 ? b : a;
    }
    out = next;
  }
  return out;
}

/**
 * Strides that read a tensor of `shape`/`strides` as if it had the (broadcast) shape `target`:
 * missing leading dims and size-1 dims get stride 0.
 */
export function broadcastStrides(
  shape: Shape,
  strides: readonly number[],
  target: Shape,
): number[] {
  const out = new Array<number>(target.length).fill(0);
  const lead = target.length - shape.length;
  if (lead < 0) {
    throw new RangeError(`cannot broadcast shape ${formatShape(shape)} to ${formatShape(target)}`);
  }
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    const t = target[lead + i]!;
    if (d === t) out[lead + i] = d === 1 ? 0 : strides[i]!;
    else if (d === 1) out[lead + i] = 0;
    else {
      throw new RangeError(
        `the expanded size of the tensor (${t}) must match the existing size (${d}) at non-singleton dimension ${lead + i}: target shape ${formatShape(target)}, tensor shape ${formatShape(shape)}`,
      );
    }
  }
  return out;
}

/**
 * A dim argument made non-negative, with PyTorch's wrap-around for negative dims.
 * 0-d tensors accept dims -1 and 0, as in PyTorch.
 */
export function normalizeDim(dim: number, ndim: number): number {
  const rank = Math.max(ndim, 1);
  if (!Number.isInteger(dim) || dim < -rank || dim >= rank) {
    throw new RangeError(
      `dim ${dim} out of range for a ${ndim}-d tensor (expected a dim in [${-rank}, ${rank - 1}])`,
    );
  }
  return dim < 0 ? dim + rank : dim;
}

/** Normalises a dim list (or every dim when omitted), rejecting repeats. Sorted ascending. */
export function normalizeDims(
  dims: number | readonly number[] | undefined | null,
  ndim: number,
): number[] {
  if (dims === undefined || dims === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = list.map((d) => normalizeDim(d, ndim));
  const seen = new Set<number>();
  for (const d of out) {
    if (seen.has(d)) throw new RangeError(`dim ${d} appears multiple times in the list of dims`);
    seen.add(d);
  }
  return ndim === 0 ? [] : out.sort((a, b) => a - b);
}

/** Resolves a single -1 in a requested shape against `size` elements. */
export function inferShape(requested: readonly number[], size: number, from: Shape): number[] {
  let infer = -1;
  let known = 1;
  for (let i = 0; i < requested.length; i++) {
    const d = requested[i]!;
    if (d === -1) {
      if (infer >= 0) throw new RangeError('only one dimension can be inferred (-1)');
      infer = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`invalid shape dimension ${d} in ${formatShape(requested)}`);
    } else known *= d;
  }
  const out = Array.from(requested);
  if (infer >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new RangeError(
        `shape ${formatShape(requested)} is invalid for input of size ${size} (shape ${formatShape(from)})`,
      );
    }
    out[infer] = size / known;
  } else if (known !== size) {
    throw new RangeError(
      `shape ${formatShape(requested)} is invalid for input of size ${size} (shape ${formatShape(from)})`,
    );
  }
  return out;
}

/** Flattens variadic-or-array shape arguments: `f(2, 3)` and `f([2, 3])` mean the same. */
export function shapeArgs(args: readonly (number | readonly number[])[]): number[] {
  if (args.length === 1 && typeof args[0] !== 'number') return Array.from(args[0]!);
  return args.map((a) => {
    if (typeof a !== 'number')
      throw new TypeError('expected either one shape array or a list of sizes');
    return a;
  });
}
