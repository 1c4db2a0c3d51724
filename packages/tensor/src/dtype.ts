/**
 * Data types and PyTorch's type-promotion rules.
 *
 * gd has four dtypes. `int32` plays the role of PyTorch's default integer type (int64):
 * JavaScript numbers hold every int32 exactly, and typed arrays of int64 would force BigInt
 * on every element access.
 */

/** The element types of a tensor. `float32` is the default, as in PyTorch. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** The typed array that stores elements of each dtype (bool is stored as 0/1 bytes). */
export interface TypedArrayFor {
  /** float32 elements live in a Float32Array. */
  float32: Float32Array;
  /** float64 elements live in a Float64Array. */
  float64: Float64Array;
  /** int32 elements live in an Int32Array. */
  int32: Int32Array;
  /** bool elements live in a Uint8Array, as 0 and 1. */
  bool: Uint8Array;
}

/** Any of the typed arrays that back a tensor. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** Every dtype, in promotion order within its category. */
export const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

/** The dtype used when none is given and the data are floating point. */
export const DEFAULT_FLOAT_DTYPE: DType = 'float32';

/** The dtype used for integer data when none is given (PyTorch's int64 plays this role). */
export const DEFAULT_INT_DTYPE: DType = 'int32';

/**
 * The typed-array constructor for a dtype.
 *
 * @example
 * ```ts
 * const buf = new (typedArrayConstructor('float64'))(4); // Float64Array(4)
 * ```
 */
export function typedArrayConstructor<D extends DType>(
  dtype: D,
): new (lengthOrBuffer: number | ArrayBufferLike | ArrayLike<number>) => TypedArrayFor[D] {
  switch (dtype) {
    case 'float32':
      return Float32Array as never;
    case 'float64':
      return Float64Array as never;
    case 'int32':
      return Int32Array as never;
    case 'bool':
      return Uint8Array as never;
    default:
      throw new TypeError(
        `unknown dtype ${JSON.stringify(dtype)}: expected one of ${DTYPES.join(', ')}`,
      );
  }
}

/**
 * A dtype as a caller may name it: one of gd's dtypes, or `'int64'`, PyTorch's default integer
 * type, which gd stores as int32. The rule: `'int64'` (and `long()`) gives an int32 tensor;
 * values must fit in int32, as the safetensors loader also requires of I64 tensors, and the ONNX
 * exporter writes int64 where ONNX needs it (shapes, indices).
 */
export type DTypeLike = DType | 'int64';

/**
 * The dtype a {@link DTypeLike} names (`'int64'` is int32), or a TypeError naming `fn`.
 *
 * @example
 * ```ts
 * toDType('to', 'int64'); // 'int32'
 * ```
 */
export function toDType(fn: string, dtype: unknown): DType {
  if (dtype === 'int64') return 'int32';
  if (!DTYPES.includes(dtype as DType)) {
    throw new TypeError(
      `${fn}: unknown dtype ${typeof dtype === 'string' ? JSON.stringify(dtype) : String(dtype)}: expected one of ${DTYPES.join(', ')} (or 'int64', stored as int32)`,
    );
  }
  return dtype as DType;
}

/** Throws unless `dtype` names one of gd's dtypes. */
export function checkDType(dtype: unknown): asserts dtype is DType {
  if (!DTYPES.includes(dtype as DType)) {
    throw new TypeError(
      `unknown dtype ${JSON.stringify(dtype)}: expected one of ${DTYPES.join(', ')}`,
    );
  }
}

/** The dtype whose typed array `data` is. */
export function dtypeOfTypedArray(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint8Array) return 'bool';
  throw new TypeError('expected a Float32Array, Float64Array, Int32Array or Uint8Array');
}

/** True for float32 and float64. */
export function isFloatingDType(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** The size in bytes of one element. */
export function dtypeByteSize(dtype: DType): number {
  return dtype === 'float64' ? 8 : dtype === 'bool' ? 1 : 4;
}

type Category = 0 | 1 | 2; // bool < integer < floating
function category(dtype: DType): Category {
  return dtype === 'bool' ? 0 : dtype === 'int32' ? 1 : 2;
}

/**
 * The smallest dtype both `a` and `b` convert to without losing their category
 * (PyTorch's `torch.promote_types`).
 *
 * @example
 * ```ts
 * promoteTypes('int32', 'float32'); // 'float32'
 * promoteTypes('float32', 'float64'); // 'float64'
 * ```
 */
export function promoteTypes(a: DType, b: DType): DType {
  return DTYPES.indexOf(a) >= DTYPES.indexOf(b) ? a : b;
}

/** An operand of an elementwise op: a tensor's dtype and rank, or a plain JS scalar. */
export type PromotionOperand =
  | {
      /** The tensor's dtype. */
      dtype: DType;
      /** Its number of dims (0: a scalar tensor, which weighs less in promotion). */
      ndim: number;
    }
  | number
  | boolean;

/** The dtype a JS scalar stands for when it takes part in promotion. */
export function scalarDType(value: number | boolean): DType {
  if (typeof value === 'boolean') return 'bool';
  return Number.isInteger(value) ? DEFAULT_INT_DTYPE : DEFAULT_FLOAT_DTYPE;
}

// PyTorch's combine_categories: a lower-priority operand only matters when it is of a higher
// category (a float scalar makes an int tensor float, but never makes a float32 tensor float64).
function combineCategories(higher: DType | undefined, lower: DType | undefined): DType | undefined {
  if (higher === undefined) return lower;
  if (lower === undefined) return higher;
  if (isFloatingDType(higher)) return higher;
  if (higher === 'bool' || isFloatingDType(lower)) return promoteTypes(higher, lower);
  return higher;
}

/**
 * The dtype of an elementwise op's result, by PyTorch's rules (`torch.result_type`): tensors with
 * dimensions take priority over 0-d tensors, which take priority over JS scalars; a lower-priority
 * operand only changes the result when it is of a higher category (bool < integer < floating).
 *
 * A JS number counts as an integer scalar when `Number.isInteger(value)` (JS cannot tell `2`
 * from `2.0`); a JS boolean counts as bool.
 *
 * @example
 * ```ts
 * resultType({ dtype: 'int32', ndim: 1 }, 2.5); // 'float32'
 * resultType({ dtype: 'float32', ndim: 1 }, { dtype: 'float64', ndim: 0 }); // 'float32'
 * ```
 */
export function resultType(...operands: PromotionOperand[]): DType {
  let dim: DType | undefined;
  let zero: DType | undefined;
  let wrapped: DType | undefined;
  for (const op of operands) {
    if (typeof op === 'number' || typeof op === 'boolean') {
      const d = scalarDType(op);
      wrapped = wrapped === undefined ? d : promoteTypes(wrapped, d);
    } else if (op.ndim === 0) {
      zero = zero === undefined ? op.dtype : promoteTypes(zero, op.dtype);
    } else {
      dim = dim === undefined ? op.dtype : promoteTypes(dim, op.dtype);
    }
  }
  return combineCategories(dim, combineCategories(zero, wrapped)) ?? DEFAULT_FLOAT_DTYPE;
}

/**
 * Whether a value of dtype `from` may be written into a tensor of dtype `to` by an in-place op
 * (PyTorch's `can_cast`: no float into an integer tensor, nothing but bool into a bool tensor).
 */
export function canCast(from: DType, to: DType): boolean {
  return category(from) <= category(to);
}
