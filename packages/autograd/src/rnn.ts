/**
 * @gd/autograd/rnn — the LSTM cell's pointwise part as one differentiable op, what `@gd/nn/rnn`'s
 * LSTM and LSTMCell run at each step. An entry point of its own, loaded only by pages that run
 * recurrent layers.
 *
 * @example
 * ```ts
 * import { randn, zeros } from '@gd/autograd';
 * import { fusedLstmCell } from '@gd/autograd/rnn';
 * const gates = randn([2, 8], { requiresGrad: true });
 * const [h1, c1] = fusedLstmCell(gates, zeros([2, 2])); // h1, c1: [2, 2]
 * h1.add(c1).sum().backward(); // through ThnnFusedLstmCellBackward0 into gates.grad
 * ```
 *
 * @packageDocumentation
 */
import { inputTensor } from './checks.js';
import { runOp } from './function.js';
import { RNN_OPS } from './ops/rnn-ops.js';
import type { Tensor } from './tensor.js';

/**
 * The pointwise part of an LSTM step as one op (PyTorch's `_thnn_fused_lstm_cell`): from the
 * gate pre-activations `gates` [N, 4H] (x W_ihᵀ + b_ih + h W_hhᵀ + b_hh, gates in PyTorch's
 * order i, f, g, o) and the cell state `c` [N, H] (or [1, H], broadcast), returns the new
 * hidden and cell states [h1, c1] with c1 = σ(f)·c + σ(i)·tanh(g) and h1 = σ(o)·tanh(c1). One
 * kernel forward and one backward, where the same step written with elementwise ops runs about
 * ten each way; both states are views of one [N, 2H] result.
 *
 * @example
 * ```ts
 * const gates = x.matmul(wIh.t()).add(h.matmul(wHh.t())).add(bias);
 * const [h1, c1] = fusedLstmCell(gates, c);
 * ```
 */
export function fusedLstmCell(gates: Tensor, c: Tensor): [Tensor, Tensor] {
  const hc = runOp(
    RNN_OPS,
    'fusedLstmCell',
    [inputTensor('fusedLstmCell', gates), inputTensor('fusedLstmCell', c)],
    {},
  );
  const h = hc.shape[1]! / 2;
  return [hc.narrow(1, 0, h), hc.narrow(1, h, h)];
}
