/** Attention (PyTorch's `F.scaled_dot_product_attention`), composed of differentiable ops. */
import type { Tensor } from '@gd/autograd';
import { arange, zeros } from '@gd/autograd';
import { checkDropoutProbability } from '../checks.js';
import { dropout } from './activation.js';

/** Options of {@link scaledDotProductAttention} (PyTorch's keyword arguments, camelCase). */
export interface ScaledDotProductAttentionOptions {
  /**
   * Broadcastable to [..., L, S]: a bool mask (true = the key takes part) or a float mask added
   * to the scores.
   */
  attnMask?: Tensor | null;
  /** Dropout on the attention weights (applied whenever > 0, as in PyTorch; default 0). */
  dropoutP?: number;
  /** Let query i attend to keys 0..i only (no attnMask with it; default false). */
  isCausal?: boolean;
  /** Factor on the scores (default 1/√E). */
  scale?: number | null;
}

/**
 * A float mask of shape [sz, sz] with -Infinity above the diagonal and 0 elsewhere (PyTorch's
 * `nn.Transformer.generate_square_subsequent_mask`), for causal self-attention.
 *
 * @example
 * ```ts
 * generateSquareSubsequentMask(3);
 * // [[0, -inf, -inf], [0, 0, -inf], [0, 0, 0]]
 * ```
 */
export function generateSquareSubsequentMask(
  sz: number,
  dtype: Tensor['dtype'] = 'float32',
): Tensor {
  return zeros([sz, sz], { dtype }).maskedFill(causalAllowed(sz, sz).logicalNot(), -Infinity);
}

/** A bool [L, S] mask, true where key j <= query i (the lower triangle). */
function causalAllowed(l: number, s: number): Tensor {
  return arange(l, { dtype: 'int32' })
    .unsqueeze(1)
    .ge(arange(s, { dtype: 'int32' }).unsqueeze(0));
}

/**
 * softmax(Q Kᵀ · scale + mask) V over the last two dims. Query [..., L, E], key [..., S, E],
 * value [..., S, Ev] -> [..., L, Ev]. A bool `attnMask` keeps the keys where it is true (as in
 * PyTorch; note `MultiheadAttention`'s bool masks mean the opposite); a float one is added.
 *
 * @example
 * ```ts
 * const q = randn([2, 4, 5, 8]); // [N, heads, L, E]
 * F.scaledDotProductAttention(q, q, q, { isCausal: true }).shape; // [2, 4, 5, 8]
 * ```
 */
export function scaledDotProductAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  options: ScaledDotProductAttentionOptions = {},
): Tensor {
  const { attnMask = null, dropoutP = 0, isCausal = false } = options;
  if (query.ndim < 2 || key.ndim < 2 || value.ndim < 2)
    throw new RangeError('scaledDotProductAttention: query, key and value must be at least 2-d');
  const e = query.shape[query.ndim - 1]!;
  if (key.shape[key.ndim - 1] !== e)
    throw new RangeError(
      `scaledDotProductAttention: query and key must have the same last dim, got ${e} and ${key.shape[key.ndim - 1]}`,
    );
  checkDropoutProbability(dropoutP);
  if (isCausal && attnMask)
    throw new RangeError(
      'scaledDotProductAttention: Explicit attnMask should not be set when isCausal=true',
    );
  const scale = options.scale ?? 1 / Math.sqrt(e);
  let scores = query.matmul(key.transpose(-2, -1)).mul(scale);
  const l = query.shape[query.ndim - 2]!;
  const s = key.shape[key.ndim - 2]!;
  if (isCausal) scores = scores.maskedFill(causalAllowed(l, s).logicalNot(), -Infinity);
  if (attnMask) {
    scores =
      attnMask.dtype === 'bool'
        ? scores.maskedFill(attnMask.logicalNot(), -Infinity)
        : scores.add(attnMask);
  }
  let weights = scores.softmax(-1);
  if (dropoutP > 0) weights = dropout(weights, dropoutP, true);
  return weights.matmul(value);
}
