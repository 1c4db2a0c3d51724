/**
 * The LSTM cell's pointwise part (PyTorch's `_thnn_fused_lstm_cell`), forward and backward, on
 * plain strided arrays: one pass over the gates instead of about ten elementwise ops. Computed
 * in double, rounded once on store, as the other reference kernels are.
 */
import type { StridedArray } from '../backend.js';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/**
 * gates [N, 4H] (i, f, g, o pre-activations, PyTorch's order), c [N, H] (a row stride of 0
 * broadcasts one state over the batch) -> hc [N, 2H] = [h1 | c1] and act [N, 4H] (the activated
 * gates, kept for backward). hc and act are contiguous.
 */
export function lstmCell(
  gates: StridedArray,
  c: StridedArray,
  hc: StridedArray,
  act: StridedArray,
): void {
  const [n, h] = c.shape as [number, number];
  const [gs0, gs1] = gates.strides as [number, number];
  const [cs0, cs1] = c.strides as [number, number];
  const gd = gates.data;
  const cd = c.data;
  const out = hc.data;
  const a = act.data;
  for (let r = 0; r < n; r++) {
    const gRow = gates.offset + r * gs0;
    const cRow = c.offset + r * cs0;
    const oRow = hc.offset + r * 2 * h;
    const aRow = act.offset + r * 4 * h;
    for (let j = 0; j < h; j++) {
      const i = sigmoid(gd[gRow + j * gs1]!);
      const f = sigmoid(gd[gRow + (h + j) * gs1]!);
      const g = Math.tanh(gd[gRow + (2 * h + j) * gs1]!);
      const o = sigmoid(gd[gRow + (3 * h + j) * gs1]!);
      const c1 = f * cd[cRow + j * cs1]! + i * g;
      out[oRow + j] = o * Math.tanh(c1);
      out[oRow + h + j] = c1;
      a[aRow + j] = i;
      a[aRow + h + j] = f;
      a[aRow + 2 * h + j] = g;
      a[aRow + 3 * h + j] = o;
    }
  }
}

/**
 * The gradients of {@link lstmCell}: from grad [N, 2H] (of [h1 | c1]), the saved act [N, 4H], c
 * and hc, writes dGates [N, 4H] and dc [N, H] (per row, before any broadcast is summed), both
 * contiguous. grad, act and hc are contiguous.
 */
export function lstmCellBackward(
  grad: StridedArray,
  act: StridedArray,
  c: StridedArray,
  hc: StridedArray,
  dGates: StridedArray,
  dc: StridedArray,
): void {
  const n = dc.shape[0]!;
  const h = dc.shape[1]!;
  const [cs0, cs1] = c.strides as [number, number];
  const gd = grad.data;
  const a = act.data;
  const cd = c.data;
  const hd = hc.data;
  const dg = dGates.data;
  const dcd = dc.data;
  for (let r = 0; r < n; r++) {
    const gRow = grad.offset + r * 2 * h;
    const aRow = act.offset + r * 4 * h;
    const cRow = c.offset + r * cs0;
    const hRow = hc.offset + r * 2 * h;
    const dRow = dGates.offset + r * 4 * h;
    const dcRow = dc.offset + r * h;
    for (let j = 0; j < h; j++) {
      const i = a[aRow + j]!;
      const f = a[aRow + h + j]!;
      const g = a[aRow + 2 * h + j]!;
      const o = a[aRow + 3 * h + j]!;
      const tc = Math.tanh(hd[hRow + h + j]!);
      const dh = gd[gRow + j]!;
      const dct = gd[gRow + h + j]! + dh * o * (1 - tc * tc);
      dg[dRow + j] = dct * g * i * (1 - i);
      dg[dRow + h + j] = dct * cd[cRow + j * cs1]! * f * (1 - f);
      dg[dRow + 2 * h + j] = dct * i * (1 - g * g);
      dg[dRow + 3 * h + j] = dh * tc * o * (1 - o);
      dcd[dcRow + j] = dct * f;
    }
  }
}
