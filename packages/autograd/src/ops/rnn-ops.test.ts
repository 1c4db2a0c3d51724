/**
 * The fused LSTM cell (RNN_OPS.fusedLstmCell via `fusedLstmCell`): the same values and gradients
 * as the cell written with elementwise ops, gradcheck in float64 (with a full and a broadcast
 * cell state), and second-order checks through createGraph.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../index.js';
import { arange, grad, tensor } from '../index.js';
import { fusedLstmCell } from '../rnn.js';
import { gradcheck } from '../gradcheck.js';

function seq(shape: number[], scale: number): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return arange(n, { dtype: 'float64' })
    .add(0.5)
    .mul(scale)
    .sin()
    .mul(2)
    .reshape(shape)
    .detach()
    .requiresGrad_();
}

function unfused(gates: Tensor, c: Tensor): [Tensor, Tensor] {
  const [i, f, g, o] = gates.chunk(4, 1) as [Tensor, Tensor, Tensor, Tensor];
  const c1 = f.sigmoid().mul(c).add(i.sigmoid().mul(g.tanh()));
  return [o.sigmoid().mul(c1.tanh()), c1];
}

function expectClose(a: Tensor, b: Tensor, tol: number): void {
  const fa = Array.from(a.contiguous().value.data);
  const fb = Array.from(b.contiguous().value.data);
  expect(fa.length).toBe(fb.length);
  fa.forEach((v, i) => expect(Math.abs(v - fb[i]!)).toBeLessThanOrEqual(tol));
}

describe('fusedLstmCell', () => {
  for (const rows of [3, 1]) {
    const kind = rows === 1 ? 'a broadcast [1, H]' : 'a full';
    it(`matches the unfused cell with ${kind} cell state, values and gradients`, () => {
      const gates = seq([3, 8], 0.37);
      const c = seq([rows, 2], 0.91);
      const [h1, c1] = fusedLstmCell(gates, c);
      const [h2, c2] = unfused(gates, c);
      expectClose(h1, h2, 1e-14);
      expectClose(c1, c2, 1e-14);
      const w = seq([3, 2], 0.23).detach();
      const loss = (h: Tensor, cc: Tensor): Tensor => h.mul(w).sum().add(cc.square().sum());
      const g1 = grad(loss(h1, c1), [gates, c]);
      const g2 = grad(loss(h2, c2), [gates, c]);
      expectClose(g1[0]!, g2[0]!, 1e-14);
      expectClose(g1[1]!, g2[1]!, 1e-14);
      expect(h1.gradFn?.name).toBe('SliceBackward0');
    });

    it(`passes gradcheck and second-order gradcheck with ${kind} cell state`, () => {
      const f = (g: Tensor, c: Tensor): Tensor[] => fusedLstmCell(g, c);
      expect(gradcheck(f, [seq([3, 8], 0.37), seq([rows, 2], 0.91)])).toBe(true);
      const v = seq([3, 4], 0.53).detach();
      const first = (g: Tensor, c: Tensor): Tensor[] => {
        const [h, cc] = fusedLstmCell(g, c);
        const out = h
          .mul(v.narrow(1, 0, 2))
          .sum()
          .add(cc.mul(v.narrow(1, 2, 2)).sum());
        return grad(out, [g, c], { createGraph: true }) as Tensor[];
      };
      expect(gradcheck(first, [seq([3, 8], 0.37), seq([rows, 2], 0.91)])).toBe(true);
    });
  }

  it('refuses what is not a Tensor and names the shapes', () => {
    expect(() => fusedLstmCell([1, 2] as never, tensor([[0]]))).toThrow(
      'fusedLstmCell: input must be a Tensor',
    );
    expect(() => fusedLstmCell(tensor([[1, 2, 3]]), tensor([[0]]))).toThrow(
      'lstmCell: gates must be [N, 4*hiddenSize], got shape [1, 3]',
    );
  });
});
