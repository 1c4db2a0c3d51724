/**
 * The fused layer norm against the same normalisation written with reductions and elementwise
 * ops in float64: values, mean and rstd, and the gradients of the input, weight and bias, with
 * and without the affine parameters, over one and two normalised dims, on a strided input.
 */
import { describe, expect, it } from 'vitest';
import type { NDArray } from '../index.js';
import { getBackend, layerNorm, layerNormBackward, manualSeed, randn } from '../index.js';

function expectClose(got: NDArray, want: NDArray, tol: number): void {
  expect(got.shape).toEqual(want.shape);
  const a = Array.from(got.to('float64').contiguous().data);
  const b = Array.from(want.to('float64').contiguous().data);
  for (let k = 0; k < a.length; k++)
    expect(Math.abs(a[k]! - b[k]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[k]!)));
}

// The textbook formulas on float64 copies; `dims` are the normalised (trailing) dims.
function reference(x: NDArray, dims: number[], w: NDArray | null, b: NDArray | null, g: NDArray) {
  const x64 = x.to('float64');
  const mean = x64.mean(dims, true);
  const centered = x64.sub(mean);
  const rstd = centered.square().mean(dims, true).add(1e-5).rsqrt();
  const xhat = centered.mul(rstd);
  let out = xhat;
  if (w) out = out.mul(w.to('float64'));
  if (b) out = out.add(b.to('float64'));
  const g64 = g.to('float64');
  const dxhat = w ? g64.mul(w.to('float64')) : g64;
  const dx = rstd.mul(
    dxhat.sub(dxhat.mean(dims, true)).sub(xhat.mul(dxhat.mul(xhat).mean(dims, true))),
  );
  const lead = Array.from({ length: x.ndim - dims.length }, (_, i) => i);
  return { out, mean, rstd, dx, dw: g64.mul(xhat).sum(lead), db: g64.sum(lead) };
}

describe(`layerNorm on the ${getBackend().name} backend`, () => {
  const cases = [
    { name: 'last dim, weight and bias', shape: [5, 3, 48], norm: [48], affine: [true, true] },
    { name: 'two dims, weight only', shape: [4, 6, 10], norm: [6, 10], affine: [true, false] },
    { name: 'no affine', shape: [7, 40], norm: [40], affine: [false, false] },
  ];
  for (const dtype of ['float32', 'float64'] as const) {
    const tol = dtype === 'float64' ? 1e-12 : (getBackend().float32Tolerance ?? 1e-6) * 4;
    for (const c of cases) {
      it(`${dtype}, ${c.name}`, () => {
        manualSeed(3);
        const x = randn(c.shape, { dtype }).mul(3).add(1);
        const w = c.affine[0] ? randn(c.norm, { dtype }) : null;
        const b = c.affine[1] ? randn(c.norm, { dtype }) : null;
        const g = randn(c.shape, { dtype });
        const dims = c.norm.map((_, i) => i - c.norm.length);
        const want = reference(x, dims, w, b, g);
        const got = layerNorm(x, c.norm, w, b, 1e-5);
        expectClose(got.out, want.out, tol);
        expectClose(got.mean, want.mean.reshape([got.mean.numel()]), tol);
        expectClose(got.rstd, want.rstd.reshape([got.rstd.numel()]), tol);
        const grads = layerNormBackward(g, x, c.norm, got.mean, got.rstd, w, [true, !!w, !!b]);
        expectClose(grads.dx!, want.dx, tol * 10);
        if (w) expectClose(grads.dWeight!, want.dw, tol * 10);
        if (b) expectClose(grads.dBias!, want.db, tol * 10);
      });
    }
  }

  it('takes a strided input and computes only the gradients asked for', () => {
    manualSeed(4);
    const x = randn([32, 12]).t(); // [12, 32], not contiguous
    const g = randn([12, 32]);
    const want = reference(x, [-1], null, null, g);
    const got = layerNorm(x, [32], null, null, 1e-5);
    expectClose(got.out, want.out, 1e-5);
    const grads = layerNormBackward(g, x, [32], got.mean, got.rstd, null, [true, false, false]);
    expectClose(grads.dx!, want.dx, 1e-5);
    expect(grads.dWeight).toBeNull();
    expect(grads.dBias).toBeNull();
  });

  it('names what it refuses', () => {
    expect(() => layerNorm(randn([2, 3]), [4], null, null, 1e-5)).toThrow(
      'layerNorm: normalizedShape [4] must match the last dims of the input, got shape [2, 3]',
    );
    expect(() => layerNorm(randn([2, 3]), [3], randn([2]), null, 1e-5)).toThrow(
      'layerNorm: weight must have shape [3], got [2]',
    );
  });
});
