/**
 * The LSTM cell's pointwise part as one recorded op (PyTorch's `_thnn_fused_lstm_cell`): its
 * forward is one kernel over the gates, and so is its backward when no graph is being built.
 */
import type { NDArray } from '@gd/tensor';
import { lstmCell, lstmCellBackward } from '@gd/tensor/rnn';
import type { OpTable } from '../function.js';
import { defineOps, runOp } from '../function.js';
import { isGradEnabled } from '../grad-mode.js';
import { Tensor } from '../tensor.js';
import { COPIES } from './shape-ops.js';

interface RnnOps {
  fusedLstmCell: Record<string, never>;
}

/**
 * fusedLstmCell: inputs [gates [N, 4H], c [N, H] or [1, H]] -> [h1 | c1] [N, 2H]. Backward reads
 * the activated gates the forward kept, c and the output; under `createGraph` it is written with
 * Tensor ops from the saved gates, so it can be differentiated again.
 */
export const RNN_OPS: OpTable<RnnOps> = defineOps<RnnOps>({
  fusedLstmCell: {
    backwardName: 'ThnnFusedLstmCellBackward0',
    saveInputs: () => [0, 1],
    saveOutput: true,
    forward: ([gates, c]) => {
      const { hc, act } = lstmCell(gates!, c!);
      return { out: hc, aux: [act] };
    },
    backward: (g, ctx) => {
      if (!isGradEnabled()) {
        const act = ctx.aux[0] as NDArray;
        const c = ctx.input(1).value;
        const { dGates, dc } = lstmCellBackward(g.value, act, c, ctx.output().value);
        return [
          ctx.needsGrad(0) ? Tensor.fromArray(dGates) : null,
          ctx.needsGrad(1) ? Tensor.fromArray(dc) : null,
        ];
      }
      return cellGradients(g, ctx.input(0), ctx.input(1));
    },
  },
});

// The chain rule through the cell with differentiable ops (createGraph).
function cellGradients(g: Tensor, gates: Tensor, c: Tensor): [Tensor, Tensor] {
  const [pi, pf, pg, po] = gates.chunk(4, 1) as [Tensor, Tensor, Tensor, Tensor];
  const [i, f, gg, o] = [pi.sigmoid(), pf.sigmoid(), pg.tanh(), po.sigmoid()];
  const tc = f.mul(c).add(i.mul(gg)).tanh();
  const [dh, dc1] = g.chunk(2, 1) as [Tensor, Tensor];
  const oneMinusSquare = (t: Tensor): Tensor => t.mul(t).neg().add(1);
  const dSigmoid = (s: Tensor): Tensor => s.mul(s.neg().add(1));
  const dct = dc1.add(dh.mul(o).mul(oneMinusSquare(tc)));
  const dGates = runOp(
    COPIES,
    'cat',
    [
      dct.mul(gg).mul(dSigmoid(i)),
      dct.mul(c).mul(dSigmoid(f)),
      dct.mul(i).mul(oneMinusSquare(gg)),
      dh.mul(tc).mul(dSigmoid(o)),
    ],
    { dim: 1 },
  );
  const dc = dct.mul(f);
  return [dGates, c.shape[0] === dc.shape[0] ? dc : dc.sum(0, true)];
}
