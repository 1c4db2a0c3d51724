/**
 * Embedding lookup (PyTorch's `F.embedding`): a differentiable op whose gradient scatters the
 * output gradient back into the rows that were looked up, skipping the padding row.
 */
import * as T from '@gd/tensor';
import { NDArray, check, describe, formatShape, zeros } from '@gd/tensor';
import type { OpTable } from '@gd/autograd';
import { Tensor, defineOps, noGrad, noGradient, runOp } from '@gd/autograd';

interface EmbeddingAttrs {
  /** The int32 indices, any shape. */
  indices: NDArray;
  /** Row whose gradient stays zero, or null. */
  paddingIdx: number | null;
}

interface EmbeddingBackwardAttrs extends EmbeddingAttrs {
  numWeights: number;
}

// Rows `indices` of `weight` stacked into [...indices.shape, D].
function lookup(weight: NDArray, indices: NDArray): NDArray {
  const d = weight.shape[1]!;
  return weight.indexSelect(0, indices.reshape([-1])).reshape([...indices.shape, d]);
}

// The gradient rows of output positions that looked up `paddingIdx` are zeroed (as Tensor ops,
// so that the formula is differentiable in turn).
function maskPadding(g2: Tensor, attrs: EmbeddingAttrs): Tensor {
  if (attrs.paddingIdx === null) return g2;
  const keep = attrs.indices.reshape([-1, 1]).ne(attrs.paddingIdx).to(g2.dtype);
  return g2.mul(Tensor.fromArray(keep));
}

interface EmbeddingOps {
  embedding: EmbeddingAttrs;
  embeddingDenseBackward: EmbeddingBackwardAttrs;
}

const EMBEDDING: OpTable<EmbeddingOps> = defineOps<EmbeddingOps>({
  embedding: {
    forward: ([weight], { indices }) => lookup(weight!, indices),
    backward: (g, c): Tensor[] => [
      runOp(EMBEDDING, 'embeddingDenseBackward', [g], { ...c.attrs, numWeights: c.shapes[0]![0]! }),
    ],
  },
  embeddingDenseBackward: {
    // grad [..., D] -> [numWeights, D]: a scatter-add of the non-padding rows.
    forward: ([g], { indices, paddingIdx, numWeights }) => {
      const d = g!.shape[g!.ndim - 1]!;
      const flat = indices.reshape([-1]);
      let g2 = g!.reshape([-1, d]);
      if (paddingIdx !== null) g2 = g2.mul(flat.ne(paddingIdx).reshape([-1, 1]).to(g2.dtype));
      const index = flat.reshape([-1, 1]).expand([flat.shape[0]!, d]);
      return zeros([numWeights, d], { dtype: g2.dtype }).scatterAdd(
        0,
        index.contiguous(),
        g2.contiguous(),
      );
    },
    backward: (gg, c): Tensor[] => {
      const looked = runOp(EMBEDDING, 'embedding', [gg], {
        indices: c.attrs.indices,
        paddingIdx: c.attrs.paddingIdx,
      });
      const d = looked.shape[looked.ndim - 1]!;
      return [maskPadding(looked.reshape([-1, d]), c.attrs).reshape(looked.shape)];
    },
  },
});

/** Options of {@link embedding}. */
export interface EmbeddingFunctionOptions {
  /** Index whose row gets no gradient (negative counts from the end). */
  paddingIdx?: number | null;
  /** Rows looked up with a `normType`-norm above `maxNorm` are rescaled in place to `maxNorm`. */
  maxNorm?: number | null;
  /** The p of the norm compared with `maxNorm` (default 2). */
  normType?: number;
}

/**
 * Normalises a padding index against the number of rows (negative counts from the end) and
 * checks its range.
 */
export function resolvePaddingIdx(
  paddingIdx: number | null | undefined,
  numEmbeddings: number,
): number | null {
  if (paddingIdx === null || paddingIdx === undefined) return null;
  if (!Number.isInteger(paddingIdx))
    throw new TypeError(`padding_idx must be an integer, got ${paddingIdx}`);
  if (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)
    throw new RangeError('Padding_idx must be within num_embeddings');
  return paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
}

// Rescales, in place, each distinct looked-up row whose norm exceeds maxNorm (PyTorch's
// embedding_renorm_).
function renorm(weight: Tensor, indices: NDArray, maxNorm: number, normType: number): void {
  const rows = [...new Set(Array.from(indices.contiguous().data as Int32Array))];
  noGrad(() => {
    for (const r of rows) {
      const row = weight.select(0, r);
      const norm = row.norm(normType).item();
      if (norm > maxNorm) row.mul_(maxNorm / (norm + 1e-7));
    }
  });
}

/**
 * Looks up rows of `weight` ([numEmbeddings, D]) at int32 `indices` of any shape, giving
 * [...indices.shape, D] (`torch.nn.functional.embedding`). The gradient accumulates into the
 * looked-up rows, except the `paddingIdx` row, whose gradient stays zero.
 *
 * @example
 * ```ts
 * const weight = randn([10, 3], { requiresGrad: true });
 * const idx = tensor([[1, 2], [4, 0]], { dtype: 'int32' });
 * F.embedding(idx, weight, { paddingIdx: 0 }).shape; // [2, 2, 3]
 * ```
 */
export function embedding(
  indices: Tensor,
  weight: Tensor,
  options: EmbeddingFunctionOptions = {},
): Tensor {
  if (indices.dtype !== 'int32') {
    throw new TypeError(
      `Expected tensor for argument #1 'indices' to have one of the following scalar types: int32; but got ${indices.dtype} instead (while checking arguments for embedding)`,
    );
  }
  if (weight.ndim !== 2)
    throw new RangeError(`'weight' must be 2-D, got shape ${formatShape(weight.shape)}`);
  const n = weight.shape[0]!;
  const paddingIdx = resolvePaddingIdx(options.paddingIdx, n);
  const idx = indices.value;
  const data = idx.contiguous().data as Int32Array;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < 0 || v >= n) throw new RangeError('index out of range in self');
  }
  if (options.maxNorm !== null && options.maxNorm !== undefined)
    renorm(weight, idx, options.maxNorm, options.normType ?? 2);
  return runOp(EMBEDDING, 'embedding', [weight], { indices: idx, paddingIdx });
}

interface OneHotAttrs {
  /** The number of classes (the new last dim). */
  numClasses: number;
  /** Whether the caller gave it (else it is the largest value + 1, which depends on the data). */
  given: boolean;
}

// A recorded op (with no gradient), so that an exporter sees it by name.
const ONE_HOT: OpTable<{ oneHot: OneHotAttrs }> = defineOps<{ oneHot: OneHotAttrs }>({
  oneHot: {
    differentiable: false,
    forward: ([x], { numClasses: n }) => {
      const data = x!.contiguous().data;
      const out = new Int32Array(data.length * n);
      for (let i = 0; i < data.length; i++) out[i * n + data[i]!] = 1;
      return T.fromTypedArray(out, [...x!.shape, n]);
    },
    backward: noGradient('oneHot'),
  },
});

/**
 * One-hot encoding of class indices (PyTorch's `F.one_hot`): an int tensor of any shape gives
 * int32 (gd's integer type) with a new last dim of `numClasses` (default: max + 1). Not
 * differentiable, as in PyTorch.
 *
 * @example
 * ```ts
 * F.oneHot(tensor([0, 2], { dtype: 'int32' }), 3); // [[1, 0, 0], [0, 0, 1]]
 * ```
 */
export function oneHot(input: Tensor | NDArray, numClasses = -1): Tensor {
  const x =
    input instanceof Tensor ? input : input instanceof NDArray ? Tensor.fromArray(input) : null;
  if (x === null)
    throw new TypeError(`oneHot: input must be an int Tensor or NDArray, got ${describe(input)}`);
  check.int('oneHot', 'numClasses', numClasses, { min: -1 });
  if (x.dtype !== 'int32')
    throw new TypeError(`oneHot: input must be an int32 (or int64) tensor, got ${x.dtype}`);
  let max = -1;
  for (const v of x.value.contiguous().data) {
    if (v < 0) throw new RangeError(`oneHot: class values must be non-negative, got ${v}`);
    if (v > max) max = v;
  }
  const n = numClasses === -1 ? max + 1 : numClasses;
  if (max >= n) throw new RangeError(`oneHot: class value ${max} is too large for numClasses ${n}`);
  return runOp(ONE_HOT, 'oneHot', [x], { numClasses: n, given: numClasses !== -1 });
}
