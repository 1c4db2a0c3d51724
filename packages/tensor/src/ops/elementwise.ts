/**
 * Elementwise ops with PyTorch's broadcasting and type promotion, out of place and in place.
 */
import type { DType } from '../dtype.js';
import { canCast, resultType, scalarDType } from '../dtype.js';
import { getBackend } from '../backend/backend.js';
import { NDArray, allocate, bumpVersion, scalarArray, stridedOf } from '../ndarray.js';
import { broadcastShapes, broadcastStrides, formatShape, shapesEqual } from '../shape.js';
import type { BinaryOp, UnaryOp } from './elementwise-table.js';
import { binaryResultDType, unaryResultDType } from './elementwise-table.js';

/** A tensor or a JS scalar standing for a 0-d tensor (a "wrapped number" in PyTorch). */
export type TensorLike = NDArray | number | boolean;

function asTensor(x: TensorLike, dtype: DType): NDArray {
  return x instanceof NDArray ? x : scalarArray(typeof x === 'boolean' ? Number(x) : x, dtype);
}

function operandInfo(x: TensorLike): { dtype: DType; ndim: number } | number | boolean {
  return x instanceof NDArray ? x : x;
}

/** Reads `x` broadcast to `shape`, for a kernel. */
function broadcastView(x: NDArray, shape: readonly number[]) {
  const s = stridedOf(x);
  return shapesEqual(x.shape, shape) ? s : { ...s, shape, strides: broadcastStrides(x.shape, x.strides, shape) };
}

/** Applies a unary op from the table, allocating the result. */
export function unaryOp(op: UnaryOp, x: NDArray, p0 = 0, p1 = 0): NDArray {
  const out = allocate(x.shape, unaryResultDType(op, x.dtype));
  getBackend().unary(op, stridedOf(x), stridedOf(out), p0, p1);
  return out;
}

/** Applies a unary op in place (the result dtype must fit x's dtype). */
export function unaryOpInPlace(op: UnaryOp, x: NDArray, p0 = 0, p1 = 0): NDArray {
  const dtype = unaryResultDType(op, x.dtype);
  if (!canCast(dtype, x.dtype)) {
    throw new TypeError(`result type ${dtype} of ${op}_ can't be cast to the desired output type ${x.dtype}`);
  }
  getBackend().unary(op, stridedOf(x), stridedOf(x), p0, p1);
  bumpVersion(x);
  return x;
}

// Arithmetic on bools stays bool in PyTorch: + is "or", * is "and".
const BOOL_REMAP: Partial<Record<BinaryOp, BinaryOp>> = {
  add: 'logicalOr',
  mul: 'logicalAnd',
  maximum: 'logicalOr',
  minimum: 'logicalAnd',
};

function resolveBinary(op: BinaryOp, dtype: DType): BinaryOp {
  if (dtype !== 'bool') return op;
  if (op === 'sub') {
    throw new TypeError('Subtraction, the `-` operator, with two bool tensors is not supported. Use logicalXor() instead.');
  }
  return BOOL_REMAP[op] ?? op;
}

/** The dtype both operands are converted to before a binary op runs. */
export function promotedDType(a: TensorLike, b: TensorLike): DType {
  return resultType(operandInfo(a), operandInfo(b));
}

/** Applies a binary op with broadcasting and promotion, allocating the result. */
export function binaryOp(op: BinaryOp, a: TensorLike, b: TensorLike, p = 1): NDArray {
  const promoted = promotedDType(a, b);
  const outDType = binaryResultDType(op, promoted);
  const ta = asTensor(a, promoted);
  const tb = asTensor(b, promoted);
  const shape = broadcastShapes(ta.shape, tb.shape);
  const out = allocate(shape, outDType);
  getBackend().binary(resolveBinary(op, outDType), broadcastView(ta, shape), broadcastView(tb, shape), stridedOf(out), p);
  return out;
}

/** Applies a binary op writing into `a` (b broadcasts to a's shape; the result must fit a's dtype). */
export function binaryOpInPlace(op: BinaryOp, a: NDArray, b: TensorLike, p = 1): NDArray {
  const promoted = promotedDType(a, b);
  const outDType = binaryResultDType(op, promoted);
  if (!canCast(outDType, a.dtype)) {
    throw new TypeError(`result type ${outDType} can't be cast to the desired output type ${a.dtype}`);
  }
  const tb = asTensor(b, promoted);
  const shape = broadcastShapes(a.shape, tb.shape);
  if (!shapesEqual(shape, a.shape)) {
    throw new RangeError(
      `output with shape ${formatShape(a.shape)} doesn't match the broadcast shape ${formatShape(shape)}`,
    );
  }
  let src = tb;
  // Reading b while writing a is only safe when they share no memory or are the same layout.
  if (tb.storage === a.storage && !(tb.offset === a.offset && shapesEqual(tb.strides, a.strides))) src = tb.clone();
  getBackend().binary(resolveBinary(op, a.dtype === 'bool' ? 'bool' : outDType), stridedOf(a), broadcastView(src, shape), stridedOf(a), p);
  bumpVersion(a);
  return a;
}

/**
 * `cond ? a : b`, elementwise, with broadcasting; a and b promote to a common dtype.
 *
 * @example
 * ```ts
 * where(x.gt(0), x, 0); // relu
 * ```
 */
export function where(cond: NDArray, a: TensorLike, b: TensorLike): NDArray {
  if (cond.dtype !== 'bool') {
    throw new TypeError(`where expected condition to be a boolean tensor, but got a tensor with dtype ${cond.dtype}`);
  }
  const dtype = promotedDType(a, b);
  const ta = asTensor(a, dtype);
  const tb = asTensor(b, dtype);
  const shape = broadcastShapes(cond.shape, ta.shape, tb.shape);
  const out = allocate(shape, dtype);
  const ca = ta.dtype === dtype ? ta : ta.to(dtype);
  const cb = tb.dtype === dtype ? tb : tb.to(dtype);
  getBackend().where(broadcastView(cond, shape), broadcastView(ca, shape), broadcastView(cb, shape), stridedOf(out));
  return out;
}

/** Copies `src` (broadcast to x's shape, converted to x's dtype) into x. */
export function copyInto(x: NDArray, src: TensorLike): NDArray {
  const s = asTensor(src, typeof src === 'number' || typeof src === 'boolean' ? scalarDType(src) : src.dtype);
  const shape = broadcastShapes(x.shape, s.shape);
  if (!shapesEqual(shape, x.shape)) {
    throw new RangeError(`copy_: source of shape ${formatShape(s.shape)} cannot be broadcast to ${formatShape(x.shape)}`);
  }
  const from = s.storage === x.storage ? s.clone() : s;
  getBackend().copy(broadcastView(from, x.shape), stridedOf(x));
  bumpVersion(x);
  return x;
}

/** Sets every element of x to `value`. */
export function fillInPlace(x: NDArray, value: number | boolean): NDArray {
  getBackend().fill(stridedOf(x), Number(value));
  bumpVersion(x);
  return x;
}
