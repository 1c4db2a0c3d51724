/**
 * The LSTM cell's pointwise part as one op (PyTorch's `_thnn_fused_lstm_cell`): the gates'
 * activations, the new cell state and the new hidden state in one kernel, and their gradients in
 * one more, where an LSTM step otherwise runs about ten elementwise ops each way. Backends
 * without the kernels (WebGPU) get the same cell composed of elementwise ops.
 */
import type { Backend } from '../backend/backend.js';
import { getBackend } from '../backend/backend.js';
import * as referenceRnn from '../backend/reference/rnn.js';
import { isFloatingDType } from '../dtype.js';
import type { NDArray } from '../ndarray.js';
import { allocateUninitialized, stridedOf } from '../ndarray.js';
import { formatShape } from '../shape.js';
import { cat } from './join.js';

/** What {@link lstmCell} returns. */
export interface LstmCellResult {
  /** The new hidden and cell states side by side, h1 then c1: [N, 2H]. */
  readonly hc: NDArray;
  /** The activated gates (sigmoid i, f, o and tanh g, PyTorch's order i f g o), [N, 4H]. */
  readonly act: NDArray;
}

function checkCell(gates: NDArray, c: NDArray): [number, number] {
  if (gates.ndim !== 2 || gates.shape[1]! % 4 !== 0)
    throw new RangeError(
      `lstmCell: gates must be [N, 4*hiddenSize], got shape ${formatShape(gates.shape)}`,
    );
  const n = gates.shape[0]!;
  const h = gates.shape[1]! / 4;
  if (c.ndim !== 2 || c.shape[1] !== h || (c.shape[0] !== n && c.shape[0] !== 1))
    throw new RangeError(
      `lstmCell: c must be [${n}, ${h}] (or [1, ${h}]) for gates ${formatShape(gates.shape)}, got shape ${formatShape(c.shape)}`,
    );
  if (!isFloatingDType(gates.dtype) || c.dtype !== gates.dtype)
    throw new TypeError(
      `lstmCell: gates and c must have the same floating dtype, got ${gates.dtype} and ${c.dtype}`,
    );
  return [n, h];
}

/**
 * The active backend's LSTM kernels. The reference backend's are here, with the entry point
 * that runs them (a page without recurrent layers does not load them), not in its kernel table.
 */
function cellKernels(): Pick<Backend, 'lstmCell' | 'lstmCellBackward'> {
  const backend = getBackend();
  return backend.name === 'reference' ? referenceRnn : backend;
}

/**
 * One LSTM cell step after the gate pre-activations `gates` [N, 4H] = x W_ihᵀ + b_ih + h W_hhᵀ +
 * b_hh have been computed: i, f, o = sigmoid, g = tanh, c1 = f·c + i·g, h1 = o·tanh(c1). `c` is
 * [N, H] or [1, H] (broadcast over the batch).
 *
 * @example
 * ```ts
 * const { hc } = lstmCell(randn([2, 8]), zeros([2, 2])); // hc: [2, 4] = [h1 | c1]
 * ```
 */
export function lstmCell(gates: NDArray, c: NDArray): LstmCellResult {
  const [n, h] = checkCell(gates, c);
  const backend = cellKernels();
  if (!backend.lstmCell) return composedCell(gates, c);
  const hc = allocateUninitialized([n, 2 * h], gates.dtype);
  const act = allocateUninitialized([n, 4 * h], gates.dtype);
  backend.lstmCell(stridedOf(gates), stridedOf(c.expand(n, h)), stridedOf(hc), stridedOf(act));
  return { hc, act };
}

/**
 * The gradients of {@link lstmCell} from `grad` [N, 2H] (of [h1 | c1]) and what the forward
 * saved: the gates' gradient [N, 4H] and c's (summed over the batch where c was broadcast).
 *
 * @example
 * ```ts
 * const { hc, act } = lstmCell(gates, c);
 * const { dGates, dc } = lstmCellBackward(onesLike(hc), act, c, hc);
 * ```
 */
export function lstmCellBackward(
  grad: NDArray,
  act: NDArray,
  c: NDArray,
  hc: NDArray,
): {
  /** Gradient of the gates' pre-activations, [N, 4H]. */
  dGates: NDArray;
  /** Gradient of the previous cell state c, summed over the batch where c was broadcast. */
  dc: NDArray;
} {
  const [n, h] = checkCell(act, c);
  if (grad.ndim !== 2 || grad.shape[0] !== n || grad.shape[1] !== 2 * h)
    throw new RangeError(
      `lstmCellBackward: grad must be [${n}, ${2 * h}], got shape ${formatShape(grad.shape)}`,
    );
  const backend = cellKernels();
  let dGates: NDArray;
  let dc: NDArray;
  if (backend.lstmCellBackward) {
    dGates = allocateUninitialized([n, 4 * h], act.dtype);
    dc = allocateUninitialized([n, h], act.dtype);
    backend.lstmCellBackward(
      stridedOf(grad.to(act.dtype).contiguous()),
      stridedOf(act.contiguous()),
      stridedOf(c.expand(n, h)),
      stridedOf(hc.contiguous()),
      stridedOf(dGates),
      stridedOf(dc),
    );
  } else {
    ({ dGates, dc } = composedBackward(grad.to(act.dtype), act, c.expand(n, h), hc));
  }
  return { dGates, dc: c.shape[0] === n ? dc : dc.sum(0, true) };
}

function composedCell(gates: NDArray, c: NDArray): LstmCellResult {
  const [i, f, g, o] = gates.chunk(4, 1) as [NDArray, NDArray, NDArray, NDArray];
  const [ia, fa, ga, oa] = [i.sigmoid(), f.sigmoid(), g.tanh(), o.sigmoid()];
  const c1 = fa.mul(c).add(ia.mul(ga));
  return { hc: cat([oa.mul(c1.tanh()), c1], 1), act: cat([ia, fa, ga, oa], 1) };
}

function composedBackward(
  grad: NDArray,
  act: NDArray,
  c: NDArray,
  hc: NDArray,
): { dGates: NDArray; dc: NDArray } {
  const [i, f, g, o] = act.chunk(4, 1) as [NDArray, NDArray, NDArray, NDArray];
  const [dh, dc1] = grad.chunk(2, 1) as [NDArray, NDArray];
  const tc = hc.chunk(2, 1)[1]!.tanh();
  const dct = dc1.add(dh.mul(o).mul(tc.mul(tc).neg().add(1)));
  const dSigmoid = (s: NDArray): NDArray => s.mul(s.neg().add(1));
  const dGates = cat(
    [
      dct.mul(g).mul(dSigmoid(i)),
      dct.mul(c).mul(dSigmoid(f)),
      dct.mul(i).mul(g.mul(g).neg().add(1)),
      dh.mul(tc).mul(dSigmoid(o)),
    ],
    1,
  );
  return { dGates, dc: dct.mul(f) };
}
