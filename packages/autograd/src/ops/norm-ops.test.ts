/**
 * The fused layer norm (NORM_OPS.nativeLayerNorm via `layerNorm`): the same values and
 * gradients as the normalisation written with reductions and elementwise ops, gradcheck in
 * float64 with and without weight and bias, and second-order gradcheck through createGraph.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../index.js';
import { arange, grad, layerNorm, tensor } from '../index.js';
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

function composed(x: Tensor, dims: number[], w: Tensor | null, b: Tensor | null): Tensor {
  const centered = x.sub(x.mean(dims, true));
  let out = centered.mul(centered.square().mean(dims, true).add(1e-5).rsqrt());
  if (w) out = out.mul(w);
  if (b) out = out.add(b);
  return out;
}

function expectClose(a: Tensor, b: Tensor, tol: number): void {
  const fa = Array.from(a.contiguous().value.data);
  const fb = Array.from(b.contiguous().value.data);
  expect(fa.length).toBe(fb.length);
  fa.forEach((v, i) => expect(Math.abs(v - fb[i]!)).toBeLessThanOrEqual(tol));
}

describe('layerNorm (one op)', () => {
  const variants = [
    { name: 'weight and bias', w: true, b: true },
    { name: 'weight only', w: true, b: false },
    { name: 'no affine parameters', w: false, b: false },
  ];
  for (const v of variants) {
    it(`matches the composed normalisation (${v.name}), values and gradients`, () => {
      const x = seq([2, 3, 4], 0.37);
      const w = v.w ? seq([3, 4], 0.71) : null;
      const b = v.b ? seq([3, 4], 0.19) : null;
      const y1 = layerNorm(x, [3, 4], w, b);
      const y2 = composed(x, [-2, -1], w, b);
      expectClose(y1, y2, 1e-12);
      const gv = seq([2, 3, 4], 0.29).detach();
      const inputs = [x, w, b].filter((t): t is Tensor => t !== null);
      const g1 = grad(y1.mul(gv).sum(), inputs);
      const g2 = grad(y2.mul(gv).sum(), inputs);
      g1.forEach((t, i) => expectClose(t!, g2[i]!, 1e-12));
      expect(y1.gradFn?.name).toBe('NativeLayerNormBackward0');
    });

    it(`passes gradcheck and second-order gradcheck (${v.name})`, () => {
      const inputs = [seq([3, 5], 0.37)];
      if (v.w) inputs.push(seq([5], 0.71));
      if (v.b) inputs.push(seq([5], 0.19));
      const f = (x: Tensor, ...rest: Tensor[]): Tensor =>
        layerNorm(x, [5], v.w ? rest[0]! : null, v.b ? rest[v.w ? 1 : 0]! : null);
      expect(gradcheck(f, inputs)).toBe(true);
      const gv = seq([3, 5], 0.53).detach();
      const first = (...xs: Tensor[]): Tensor[] =>
        grad(
          f(xs[0]!, ...xs.slice(1))
            .mul(gv)
            .sum(),
          xs,
          { createGraph: true },
        ) as Tensor[];
      expect(gradcheck(first, inputs)).toBe(true);
    });
  }

  it('names what it refuses', () => {
    expect(() => layerNorm([1, 2] as never, [2])).toThrow('layerNorm: input must be a Tensor');
    expect(() => layerNorm(tensor([[1, 2, 3]]), [2])).toThrow(
      'layerNorm: normalizedShape [2] must match the last dims of the input, got shape [1, 3]',
    );
  });
});
