/** Matrix products and their gradients, with PyTorch's 1-d and batch-broadcast rules. */
import { addmm } from '@gd/tensor';
import { defineOps } from '../function.js';
import type { Tensor } from '../tensor.js';
import { sumTo } from './shape-ops.js';

/** Whether a 2-d operand is a transposed view of a contiguous matrix (Linear's `W.t()`). */
export function columnMajor(t: Tensor): boolean {
  return t.ndim === 2 && t.shape[0]! > 1 && t.strides[0] === 1 && t.strides[1] === t.shape[0];
}

/** Attributes of `addmm`: the scales, and whether mat2 is a transposed view (a Linear's `W.t()`). */
export interface AddmmAttrs {
  readonly beta: number;
  readonly alpha: number;
  readonly mat2ColumnMajor: boolean;
}

const scaled = (t: Tensor, s: number): Tensor => (s === 1 ? t : t.mul(s));

/**
 * matmul: the gradient of a 1-d operand is taken on its 2-d form and squeezed back. The
 * gradient of a transposed operand is computed in its layout, as (gᵀ a)ᵀ rather than aᵀ g, so
 * that undoing the transpose gives a contiguous gradient (a weight's `.grad` is then stored
 * without a strided copy).
 */
export const LINALG = defineOps<{ matmul: { bColumnMajor: boolean }; addmm: AddmmAttrs }>({
  matmul: {
    backwardName: 'MmBackward0',
    saveInputs: (n) => [...(n[1] ? [0] : []), ...(n[0] ? [1] : [])],
    forward: ([a, b]) => a!.matmul(b!),
    backward: (g, c) => {
      const [sa, sb] = [c.shapes[0]!, c.shapes[1]!];
      const a2 = (t: Tensor): Tensor => (sa.length === 1 ? t.unsqueeze(0) : t);
      const b2 = (t: Tensor): Tensor => (sb.length === 1 ? t.unsqueeze(1) : t);
      // g on the 2-d forms: [..., M, N] (N first, so that the 0-d g of a dot product works).
      let g2 = g;
      if (sb.length === 1) g2 = g2.unsqueeze(-1);
      if (sa.length === 1) g2 = g2.unsqueeze(-2);
      let ga: Tensor | null = null;
      let gb: Tensor | null = null;
      if (c.needsGrad(0)) {
        const b = b2(c.input(1));
        const full = g2.matmul(b.transpose(-1, -2));
        const shape2 = sa.length === 1 ? [1, sa[0]!] : sa;
        ga = sumTo(full, shape2).reshape(sa);
      }
      if (c.needsGrad(1)) {
        let a = a2(c.input(0));
        // A 2-d B under batched rows (a Linear on [N, L, E]): its gradient sums aᵀg over the
        // batch, which is one product of the rows stacked, [K, batch·M] x [batch·M, N].
        const stacked = sb.length === 2 && sa.length > 2;
        if (stacked) {
          a = a.reshape([-1, sa.at(-1)!]);
          g2 = g2.reshape([-1, sb[1]!]);
        }
        const full =
          sb.length === 2 && (sa.length === 2 || stacked) && c.attrs.bColumnMajor
            ? g2.transpose(-1, -2).matmul(a).transpose(-1, -2)
            : a.transpose(-1, -2).matmul(g2);
        const shape2 = sb.length === 1 ? [sb[0]!, 1] : sb;
        gb = sumTo(full, shape2).reshape(sb);
      }
      return [ga, gb];
    },
  },
  /**
   * addmm (inputs: input, mat1, mat2): one node and one output array for a Linear layer, where
   * matmul then add would record two and allocate two. mat2's gradient is taken in its layout as
   * for matmul, so a weight's gradient comes back contiguous through `W.t()`'s node.
   */
  addmm: {
    backwardName: 'AddmmBackward0',
    saveInputs: (n) => [...(n[2] ? [1] : []), ...(n[1] ? [2] : [])],
    forward: ([input, mat1, mat2], a) => addmm(input!, mat1!, mat2!, a.beta, a.alpha),
    backward: (g, c) => {
      const { beta, alpha, mat2ColumnMajor } = c.attrs;
      const gi = c.needsGrad(0) ? scaled(sumTo(g, c.shapes[0]!), beta) : null;
      const g1 = c.needsGrad(1) ? scaled(g.matmul(c.input(2).transpose(0, 1)), alpha) : null;
      let g2: Tensor | null = null;
      if (c.needsGrad(2)) {
        const m1 = c.input(1);
        // Scaled before the transpose is undone, so that the layout survives the scaling.
        g2 = mat2ColumnMajor
          ? scaled(g.transpose(0, 1).matmul(m1), alpha).transpose(0, 1)
          : scaled(m1.transpose(0, 1).matmul(g), alpha);
      }
      return [gi, g1, g2];
    },
  },
});
