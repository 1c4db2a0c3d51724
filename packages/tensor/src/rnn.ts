/**
 * @gd/tensor/rnn — the LSTM cell's pointwise part as one kernel (PyTorch's
 * `_thnn_fused_lstm_cell`) and its gradients, on NDArrays: what `@gd/autograd/rnn`'s
 * `fusedLstmCell` records and `@gd/nn/rnn`'s LSTM runs. An entry point of its own, loaded only
 * by pages that run recurrent layers (the backends' kernels for it stay where they are).
 *
 * @example
 * ```ts
 * import { randn, zeros } from '@gd/tensor';
 * import { lstmCell } from '@gd/tensor/rnn';
 * const { hc } = lstmCell(randn([2, 8]), zeros([2, 2])); // hc: [2, 4] = [h1 | c1]
 * ```
 *
 * @packageDocumentation
 */
export { lstmCell, lstmCellBackward } from './ops/rnn.js';
export type { LstmCellResult } from './ops/rnn.js';
