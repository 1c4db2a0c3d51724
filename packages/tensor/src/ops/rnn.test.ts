/**
 * The fused LSTM cell against the cell written with elementwise ops (what the backends without
 * the kernel run, and what an LSTM step computed before): values and gradients, float32 and
 * float64, a full, a broadcast ([1, H]) and a strided cell state.
 */
import { describe, expect, it } from 'vitest';
import type { NDArray } from '../index.js';
import { cat, getBackend, randn, manualSeed } from '../index.js';
import { lstmCell, lstmCellBackward } from '../rnn.js';

function composed(gates: NDArray, c: NDArray) {
  const [i, f, g, o] = gates.chunk(4, 1) as [NDArray, NDArray, NDArray, NDArray];
  const [ia, fa, ga, oa] = [i.sigmoid(), f.sigmoid(), g.tanh(), o.sigmoid()];
  const c1 = fa.mul(c).add(ia.mul(ga));
  const h1 = oa.mul(c1.tanh());
  return { h1, c1, ia, fa, ga, oa };
}

// Gradients by the chain rule written out, on float64 copies.
function composedGrads(gates: NDArray, c: NDArray, dh: NDArray, dc1: NDArray) {
  const { c1, ia, fa, ga, oa } = composed(gates.to('float64'), c.to('float64'));
  const tc = c1.tanh();
  const dct = dc1.to('float64').add(dh.to('float64').mul(oa).mul(tc.mul(tc).neg().add(1)));
  const ds = (s: NDArray): NDArray => s.mul(s.neg().add(1));
  const dGates = cat(
    [
      dct.mul(ga).mul(ds(ia)),
      dct.mul(c.to('float64')).mul(ds(fa)),
      dct.mul(ia).mul(ga.mul(ga).neg().add(1)),
      dh.to('float64').mul(tc).mul(ds(oa)),
    ],
    1,
  );
  return { dGates, dc: dct.mul(fa) };
}

function expectClose(got: NDArray, want: NDArray, tol: number): void {
  expect(got.shape).toEqual(want.shape);
  const a = Array.from(got.to('float64').contiguous().data);
  const b = Array.from(want.to('float64').contiguous().data);
  for (let k = 0; k < a.length; k++)
    expect(Math.abs(a[k]! - b[k]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[k]!)));
}

describe(`lstmCell on the ${getBackend().name} backend`, () => {
  const n = 6;
  const h = 40; // 240 elements: past the fast backends' thresholds in the conformance runs
  const states = {
    full: (dtype: 'float32' | 'float64') => randn([n, h], { dtype }),
    broadcast: (dtype: 'float32' | 'float64') => randn([1, h], { dtype }),
    strided: (dtype: 'float32' | 'float64') => randn([n, 2 * h], { dtype }).narrow(1, h, h),
  };
  for (const dtype of ['float32', 'float64'] as const) {
    const tol = dtype === 'float64' ? 1e-12 : (getBackend().float32Tolerance ?? 1e-6);
    for (const [kind, make] of Object.entries(states)) {
      it(`${dtype}, ${kind} c: values and gradients`, () => {
        manualSeed(7);
        const gates = randn([n, 4 * h], { dtype }).mul(2);
        const c = make(dtype);
        const { hc, act } = lstmCell(gates, c);
        const want = composed(gates.to('float64'), c.to('float64'));
        expectClose(hc, cat([want.h1, want.c1], 1), tol);
        expectClose(act, cat([want.ia, want.fa, want.ga, want.oa], 1), tol);

        const grad = randn([n, 2 * h], { dtype });
        const { dGates, dc } = lstmCellBackward(grad, act, c, hc);
        const [dh, dc1] = grad.chunk(2, 1) as [NDArray, NDArray];
        const g = composedGrads(gates, c, dh, dc1);
        expectClose(dGates, g.dGates, tol * 10);
        expectClose(dc, c.shape[0] === 1 ? g.dc.sum(0, true) : g.dc, tol * 10);
      });
    }
  }

  it('names the shapes it refuses', () => {
    expect(() => lstmCell(randn([2, 6]), randn([2, 2]))).toThrow(
      'lstmCell: gates must be [N, 4*hiddenSize], got shape [2, 6]',
    );
    expect(() => lstmCell(randn([2, 8]), randn([3, 2]))).toThrow(
      'lstmCell: c must be [2, 2] (or [1, 2]) for gates [2, 8], got shape [3, 2]',
    );
    expect(() => lstmCell(randn([2, 8]), randn([2, 2], { dtype: 'float64' }))).toThrow(
      'lstmCell: gates and c must have the same floating dtype, got float32 and float64',
    );
  });
});
