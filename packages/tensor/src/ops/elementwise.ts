/**
 * Elementwise ops with PyTorch's broadcasting and type promotion, out of place and in place.
 */
import type { DType, PromotionOperand } from '../dtype.js';
import { canCast, isFloatingDType, resultType, scalarDType } from '../dtype.js';
import { getBackend } from '../backend/backend.js';
import { NDArray, allocateUninitialized, bumpVersion, scalarArray, stridedOf } from '../ndarray.js';
import { broadcastShapes, broadcastStrides, formatShape, shapesEqual } from '../shape.js';
import type {
  BinaryOp,
  GeneratedUnaryOp,
  KernelBinaryOp,
  UnaryOp,
} from './registry/elementwise.js';
import { binaryResultDType, gradKernelOf, unaryResultDType } from './registry/elementwise.js';
import { check } from '../check.js';

/** A tensor or a JS scalar standing for a 0-d tensor (a "wrapped number" in PyTorch). */
export type TensorLike = NDArray | number | boolean;

function asTensor(x: TensorLike, dtype: DType): NDArray {
  return x instanceof NDArray ? x : scalarArray(typeof x === 'boolean' ? Number(x) : x, dtype);
}

// Checks an operand's kind once, at the op's entry: an autograd Tensor or an object read as a
// scalar would give NaNs.
function operandInfo(x: TensorLike, fn: string): { dtype: DType; ndim: number } | number | boolean {
  return x instanceof NDArray || typeof x === 'number' || typeof x === 'boolean'
    ? x
    : check.tensorLike(fn, 'other', x);
}

/** Reads `x` broadcast to `shape`, for a kernel. */
function broadcastView(x: NDArray, shape: readonly number[]) {
  const s = stridedOf(x);
  return shapesEqual(x.shape, shape)
    ? s
    : { ...s, shape, strides: broadcastStrides(x.shape, x.strides, shape) };
}

// The result dtype of a unary op, with PyTorch's checks. clamp promotes with its bounds as
// wrapped numbers (an int tensor clamped to 2.5 gives float32); a missing bound arrives as
// ±Infinity and takes no part.
function unaryDType(op: UnaryOp, x: NDArray, p0: number, p1: number): DType {
  if (op === 'neg' && x.dtype === 'bool') {
    throw new TypeError(
      'Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use logicalNot() instead.',
    );
  }
  // x * x of a bool tensor is an integer in PyTorch (square is pow(x, 2)).
  if ((op === 'square' || op === 'powScalar') && x.dtype === 'bool') return 'int32';
  if (op === 'clamp') {
    const operands: PromotionOperand[] = [x];
    if (Number.isFinite(p0)) operands.push(p0);
    if (Number.isFinite(p1)) operands.push(p1);
    return resultType(...operands);
  }
  return unaryResultDType(op, x.dtype);
}

// An expanded tensor (stride 0 on a dim of size > 1) would be written several times per
// element: PyTorch refuses in-place ops on it, and so does gd.
function assertNoInternalOverlap(x: NDArray): void {
  for (let i = 0; i < x.ndim; i++) {
    if (x.strides[i] === 0 && x.shape[i]! > 1) {
      throw new RangeError(
        'unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.',
      );
    }
  }
}

/** Applies a unary op from the table, allocating the result. */
export function unaryOp(op: UnaryOp, x: NDArray, p0 = 0, p1 = 0): NDArray {
  const out = allocateUninitialized(x.shape, unaryDType(op, x, p0, p1));
  getBackend().unary(op, stridedOf(x), stridedOf(out), p0, p1);
  return out;
}

/** Applies a unary op in place (the result dtype must fit x's dtype). */
export function unaryOpInPlace(op: UnaryOp, x: NDArray, p0 = 0, p1 = 0): NDArray {
  const dtype = unaryDType(op, x, p0, p1);
  if (!canCast(dtype, x.dtype)) {
    throw new TypeError(
      `result type ${dtype} of ${op}_ can't be cast to the desired output type ${x.dtype}`,
    );
  }
  assertNoInternalOverlap(x);
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
    throw new TypeError(
      'Subtraction, the `-` operator, with two bool tensors is not supported. Use logicalXor() instead.',
    );
  }
  return BOOL_REMAP[op] ?? op;
}

function isBoolOperand(x: TensorLike): boolean {
  return typeof x === 'boolean' || (x instanceof NDArray && x.dtype === 'bool');
}

// PyTorch's argument checks that depend on values rather than shapes.
// Ops PyTorch has no bool kernel for.
const NO_BOOL: ReadonlySet<BinaryOp> = new Set(['pow', 'remainder', 'floorDivide']);

function checkBinary(op: BinaryOp, a: TensorLike, b: TensorLike, promoted: DType, p: number): void {
  if (promoted === 'bool' && NO_BOOL.has(op)) {
    throw new TypeError(`${op} does not support bool tensors; convert them first, e.g. x.int()`);
  }
  if (op === 'add' || op === 'sub') {
    if (!isFloatingDType(promoted) && !Number.isInteger(p)) {
      throw new TypeError(
        'For integral input tensors, argument alpha must not be a floating point number.',
      );
    }
    if (op === 'sub' && promoted !== 'bool' && (isBoolOperand(a) || isBoolOperand(b))) {
      throw new TypeError(
        'Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use logicalNot() instead.',
      );
    }
  }
  if (isFloatingDType(promoted)) return;
  if (op === 'pow' && typeof b === 'number' && b < 0) {
    throw new RangeError('Integers to negative integer powers are not allowed.');
  }
  if (
    (op === 'remainder' || op === 'floorDivide') &&
    (b instanceof NDArray ? b.eq(0).any().item() !== 0 : Number(b) === 0)
  ) {
    throw new RangeError(
      `ZeroDivisionError: integer ${op === 'remainder' ? 'modulo' : 'division'} by zero`,
    );
  }
}

/** The dtype both operands are converted to before a binary op runs. */
export function promotedDType(a: TensorLike, b: TensorLike, fn = 'op'): DType {
  return resultType(operandInfo(a, fn), operandInfo(b, fn));
}

/** Applies a binary op with broadcasting and promotion, allocating the result. */
export function binaryOp(op: BinaryOp, a: TensorLike, b: TensorLike, p = 1): NDArray {
  if (typeof p !== 'number') check.number(op, 'alpha', p);
  const promoted = promotedDType(a, b, op);
  checkBinary(op, a, b, promoted, p);
  const outDType = binaryResultDType(op, promoted);
  return launchBinary(resolveBinary(op, outDType), a, b, promoted, outDType, p);
}

/** Runs binary kernel `op` on a and b broadcast together (as `promoted`) into a new array. */
function launchBinary(
  op: KernelBinaryOp,
  a: TensorLike,
  b: TensorLike,
  promoted: DType,
  outDType: DType,
  p: number,
): NDArray {
  const ta = asTensor(a, promoted);
  const tb = asTensor(b, promoted);
  const shape = broadcastShapes(ta.shape, tb.shape);
  const out = allocateUninitialized(shape, outDType);
  getBackend().binary(op, broadcastView(ta, shape), broadcastView(tb, shape), stridedOf(out), p);
  return out;
}

/**
 * The gradient of generated unary op `op` in one pass: `g · op'(v)`, where `v` is the op's
 * input or its output as the registry's `GRAD_REGISTRY` entry says (`reads`). Null where the
 * op has no gradient kernel or the operands are not floating point (use the formula then).
 *
 * @example
 * ```ts
 * const y = x.sigmoid();
 * const dx = gradKernel('sigmoid', dy, y); // dy · y · (1 - y)
 * ```
 */
export function gradKernel(
  op: GeneratedUnaryOp,
  g: NDArray,
  v: NDArray,
  params: Readonly<Record<string, number>> = {},
): NDArray | null {
  const kernel = gradKernelOf(op);
  const promoted = promotedDType(g, v, op);
  if (!kernel || !isFloatingDType(promoted)) return null;
  const param = kernel.params?.[0];
  const p = param ? (params[param.name] ?? param.default) : 1;
  return launchBinary(kernel.name, g, v, promoted, promoted, p);
}

/** Applies a binary op writing into `a` (b broadcasts to a's shape; the result must fit a's dtype). */
export function binaryOpInPlace(op: BinaryOp, a: NDArray, b: TensorLike, p = 1): NDArray {
  if (typeof p !== 'number') check.number(`${op}_`, 'alpha', p);
  const promoted = promotedDType(a, b, `${op}_`);
  checkBinary(op, a, b, promoted, p);
  const outDType = binaryResultDType(op, promoted);
  if (!canCast(outDType, a.dtype)) {
    throw new TypeError(
      `result type ${outDType} can't be cast to the desired output type ${a.dtype}`,
    );
  }
  const tb = asTensor(b, promoted);
  const shape = broadcastShapes(a.shape, tb.shape);
  if (!shapesEqual(shape, a.shape)) {
    throw new RangeError(
      `output with shape ${formatShape(a.shape)} doesn't match the broadcast shape ${formatShape(shape)}`,
    );
  }
  assertNoInternalOverlap(a);
  let src = tb;
  // Reading b while writing a is only safe when they share no memory or are the same layout.
  if (tb.storage === a.storage && !(tb.offset === a.offset && shapesEqual(tb.strides, a.strides)))
    src = tb.clone();
  getBackend().binary(
    resolveBinary(op, a.dtype === 'bool' ? 'bool' : outDType),
    stridedOf(a),
    broadcastView(src, shape),
    stridedOf(a),
    p,
  );
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
  check.ndarray('where', 'condition', cond);
  if (cond.dtype !== 'bool') {
    throw new TypeError(
      `where expected condition to be a boolean tensor, but got a tensor with dtype ${cond.dtype}`,
    );
  }
  const dtype = promotedDType(a, b, 'where');
  const ta = asTensor(a, dtype);
  const tb = asTensor(b, dtype);
  const shape = broadcastShapes(cond.shape, ta.shape, tb.shape);
  const out = allocateUninitialized(shape, dtype);
  const ca = ta.dtype === dtype ? ta : ta.to(dtype);
  const cb = tb.dtype === dtype ? tb : tb.to(dtype);
  getBackend().where(
    broadcastView(cond, shape),
    broadcastView(ca, shape),
    broadcastView(cb, shape),
    stridedOf(out),
  );
  return out;
}

/** Copies `src` (broadcast to x's shape, converted to x's dtype) into x. */
export function copyInto(x: NDArray, src: TensorLike): NDArray {
  check.tensorLike('copy_', 'src', src);
  const s = asTensor(
    src,
    typeof src === 'number' || typeof src === 'boolean' ? scalarDType(src) : src.dtype,
  );
  let shape: number[] | undefined;
  try {
    shape = broadcastShapes(x.shape, s.shape);
  } catch {
    shape = undefined;
  }
  if (shape === undefined || !shapesEqual(shape, x.shape)) {
    throw new RangeError(
      `copy_: source of shape ${formatShape(s.shape)} cannot be broadcast to ${formatShape(x.shape)}`,
    );
  }
  assertNoInternalOverlap(x);
  const from = s.storage === x.storage ? s.clone() : s;
  getBackend().copy(broadcastView(from, x.shape), stridedOf(x));
  bumpVersion(x);
  return x;
}

/** Sets every element of x to `value`. */
export function fillInPlace(x: NDArray, value: number | boolean): NDArray {
  if (typeof value !== 'number' && typeof value !== 'boolean')
    check.number('fill_', 'value', value);
  getBackend().fill(stridedOf(x), Number(value));
  bumpVersion(x);
  return x;
}
