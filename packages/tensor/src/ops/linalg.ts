/** Matrix products with PyTorch's matmul rules (1-d, 2-d, batched with broadcast batch dims). */
import { getBackend } from '../backend/backend.js';
import type { NDArray } from '../ndarray.js';
import { allocateUninitialized, stridedOf } from '../ndarray.js';
import { broadcastShapes, broadcastStrides, formatShape } from '../shape.js';
import { binaryOpInPlace } from './elementwise.js';

function checkDTypes(name: string, a: NDArray, b: NDArray): void {
  if (a.dtype !== b.dtype) {
    throw new TypeError(
      `${name}: expected both operands to have the same dtype, but got ${a.dtype} and ${b.dtype}`,
    );
  }
  // PyTorch has no bool GEMM (its addmm kernel has no Bool variant); summing into a
  // Uint8Array would also store counts, not booleans.
  if (a.dtype === 'bool')
    throw new TypeError(
      `${name}: bool tensors are not supported; convert them with .int() or .float() first`,
    );
}

function cannotMultiply(a: NDArray, b: NDArray): RangeError {
  return new RangeError(
    `shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} cannot be multiplied (${a.shape.at(-2) ?? 1}x${a.shape.at(-1)} and ${b.shape.length > 1 ? b.shape.at(-2) : b.shape[0]}x${b.shape.length > 1 ? b.shape.at(-1) : 1})`,
  );
}

// a [..., M, K] x b [..., K, N] with both at least 2-d.
function batchedMatmul(a: NDArray, b: NDArray): NDArray {
  const m = a.shape.at(-2)!;
  const k = a.shape.at(-1)!;
  const k2 = b.shape.at(-2)!;
  const n = b.shape.at(-1)!;
  if (k !== k2) throw cannotMultiply(a, b);
  const batch = broadcastShapes(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const aShape = [...batch, m, k];
  const bShape = [...batch, k, n];
  const out = allocateUninitialized([...batch, m, n], a.dtype);
  getBackend().matmul(
    { ...stridedOf(a), shape: aShape, strides: broadcastStrides(a.shape, a.strides, aShape) },
    { ...stridedOf(b), shape: bShape, strides: broadcastStrides(b.shape, b.strides, bShape) },
    stridedOf(out),
  );
  return out;
}

/**
 * Matrix product by PyTorch's rules: 1-d·1-d is a dot product, a 1-d operand is treated as a
 * row (left) or column (right) vector and that dim is removed again, and leading batch dims
 * broadcast.
 *
 * @example
 * ```ts
 * matmul(randn([10, 3, 4]), randn([4, 5])).shape; // [10, 3, 5]
 * ```
 */
export function matmul(a: NDArray, b: NDArray): NDArray {
  checkDTypes('matmul', a, b);
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(
      `matmul: both arguments need at least 1 dimension, but got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  if (a.ndim === 1 && b.ndim === 1) {
    if (a.shape[0] !== b.shape[0]) {
      throw new RangeError(
        `inconsistent tensor size: expected tensors ${formatShape(a.shape)} and ${formatShape(b.shape)} to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]}`,
      );
    }
    return batchedMatmul(a.unsqueeze(0), b.unsqueeze(1)).reshape([]);
  }
  const a2 = a.ndim === 1 ? a.unsqueeze(0) : a;
  const b2 = b.ndim === 1 ? b.unsqueeze(1) : b;
  if (a2.shape.at(-1) !== b2.shape.at(-2)) throw cannotMultiply(a, b);
  let out = batchedMatmul(a2, b2);
  if (a.ndim === 1) out = out.squeeze(-2);
  if (b.ndim === 1) out = out.squeeze(-1);
  return out;
}

/** 2-d matrix product. */
export function mm(a: NDArray, b: NDArray): NDArray {
  if (a.ndim !== 2 || b.ndim !== 2) {
    throw new RangeError(
      `mm: expected 2-d tensors, but got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  return matmul(a, b);
}

/**
 * `beta * input + alpha * (mat1 @ mat2)` for 2-d mat1 [M, K] and mat2 [K, N], with input
 * broadcast to [M, N] (`torch.addmm`; a Linear layer is `addmm(bias, x, W.t())`). The product is
 * written first and the scaled input added into it in place, so no second [M, N] array is made;
 * with beta 0 the input is not read (NaN in it does not propagate), as in PyTorch.
 *
 * @example
 * ```ts
 * addmm(zeros([3]), ones([2, 4]), ones([4, 3])); // [[4, 4, 4], [4, 4, 4]]
 * ```
 */
export function addmm(input: NDArray, mat1: NDArray, mat2: NDArray, beta = 1, alpha = 1): NDArray {
  if (mat1.ndim !== 2 || mat2.ndim !== 2) {
    throw new RangeError(
      `addmm: expected 2-d matrices, but got mat1 of shape ${formatShape(mat1.shape)} and mat2 of shape ${formatShape(mat2.shape)}`,
    );
  }
  checkDTypes('addmm', mat1, mat2);
  if (input.dtype !== mat1.dtype) {
    throw new TypeError(
      `addmm: expected input and the matrices to have the same dtype, but got ${input.dtype} and ${mat1.dtype}`,
    );
  }
  if (mat1.shape[1] !== mat2.shape[0]) throw cannotMultiply(mat1, mat2);
  const outShape = [mat1.shape[0]!, mat2.shape[1]!];
  // The input must broadcast to the product (PyTorch's expand message otherwise).
  broadcastStrides(input.shape, input.strides, outShape);
  const out = batchedMatmul(mat1, mat2);
  if (alpha !== 1) binaryOpInPlace('mul', out, alpha);
  if (beta !== 0) binaryOpInPlace('add', out, input, beta);
  return out;
}

/** Batched product of 3-d arrays with equal batch sizes. */
export function bmm(a: NDArray, b: NDArray): NDArray {
  if (a.ndim !== 3 || b.ndim !== 3) {
    throw new RangeError(
      `bmm: expected 3-d tensors, but got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  if (a.shape[0] !== b.shape[0]) {
    throw new RangeError(
      `bmm: batch sizes differ: ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  return matmul(a, b);
}

/** Matrix-vector product. */
export function mv(a: NDArray, v: NDArray): NDArray {
  if (a.ndim !== 2 || v.ndim !== 1) {
    throw new RangeError(
      `mv: expected a 2-d and a 1-d tensor, but got shapes ${formatShape(a.shape)} and ${formatShape(v.shape)}`,
    );
  }
  return matmul(a, v);
}

/** Dot product of two 1-d arrays. */
export function dot(a: NDArray, b: NDArray): NDArray {
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new RangeError(
      `dot: 1D tensors expected, but got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  return matmul(a, b);
}

/** Outer product of two 1-d arrays. */
export function outer(a: NDArray, b: NDArray): NDArray {
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new RangeError(
      `outer: 1D tensors expected, but got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  return a.unsqueeze(1).mul(b.unsqueeze(0));
}
