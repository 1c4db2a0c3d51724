/**
 * Fused losses: softmax + cross-entropy on logits [N, C] with int32 class-index targets [N],
 * as one op (PyTorch runs log_softmax + nll_loss; this is the plain case of both in one node).
 */
import type { NDArray } from '@gd/tensor';
import { zerosLike } from '@gd/tensor';
import { defineOps } from '../function.js';
import { isGradEnabled } from '../grad-mode.js';
import { Tensor } from '../tensor.js';

/** How the per-row losses are combined. */
export type LossReduction = 'none' | 'mean' | 'sum';

function reduceRows(rows: NDArray, reduction: LossReduction): NDArray {
  return reduction === 'none' ? rows : reduction === 'sum' ? rows.sum() : rows.mean();
}

/**
 * Softmax cross-entropy. Inputs: [logits [N, C] (float), target [N] (int32, every entry in
 * [0, C))]. Forward: one shifted log-sum-exp pass (logSoftmax), the target's entry picked per
 * row. Backward: (softmax(x) - onehot(y)) · g (/ N for `'mean'`), from the saved log-softmax
 * in one pass when no graph is being built, and with differentiable Tensor ops under
 * `createGraph` (so double backward works).
 */
export const LOSSES = defineOps<{ softmaxCrossEntropy: { reduction: LossReduction } }>({
  softmaxCrossEntropy: {
    backwardName: 'NllLossBackward0',
    saveInputs: () => [0, 1],
    forward: ([x, y], { reduction }) => {
      const logp = x!.logSoftmax(1);
      const rows = logp.gather(1, y!.unsqueeze(1)).squeeze(1).neg();
      return { out: reduceRows(rows, reduction), aux: [logp] };
    },
    backward: (g, c) => {
      if (!c.needsGrad(0)) return [null, null];
      const { reduction } = c.attrs;
      const n = c.shapes[0]![0]!;
      const idx = c.input(1).value.unsqueeze(1);
      if (!isGradEnabled()) {
        // One pass on arrays: p - onehot, scaled.
        const p = c.aux[0]!.exp();
        const diff = p.scatter(1, idx, p.gather(1, idx).sub(1));
        const gv = g.value;
        const scale =
          reduction === 'none' ? gv.unsqueeze(1) : reduction === 'mean' ? gv.div(n) : gv;
        return [Tensor.fromArray(diff.mul(scale)), null];
      }
      // Differentiable form (createGraph): softmax of the saved input, minus the one-hot.
      const x = c.input(0);
      const p = x.softmax(1);
      const onehot = Tensor.fromArray(zerosLike(p.value).scatter(1, idx, 1));
      const scale = reduction === 'none' ? g.unsqueeze(1) : reduction === 'mean' ? g.div(n) : g;
      return [p.sub(onehot).mul(scale), null];
    },
  },
});
