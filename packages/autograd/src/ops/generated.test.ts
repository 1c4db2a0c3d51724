// Gradients of the ops generated from the registry, one loop over its entries: gradcheck and
// second-order gradcheck in float64, PyTorch's gradient values and grad_fn names from the
// registry's fixtures (@gd/tensor/fixtures/unary.json), in-place forms and the saved values.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { GeneratedUnaryOp } from '@gd/tensor';
import { GENERATED_UNARY_OPS, unaryEntry } from '@gd/tensor';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../index.js';
import { grad, gradcheck, tensor } from '../index.js';

interface Case {
  params: Record<string, number>;
  grad: (number | string)[];
  gradFn: string;
}
const fixture = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('@gd/tensor/fixtures/unary.json'), 'utf8'),
) as { ops: Record<string, { gradAt: number[]; cases: Case[] }> };

const apply = (x: Tensor, op: GeneratedUnaryOp, params: Record<string, number>): Tensor =>
  (x[op] as (...a: unknown[]) => Tensor)(...(Object.keys(params).length ? [params] : []));

const x64 = (data: number[]): Tensor => tensor(data, { dtype: 'float64', requiresGrad: true });

describe('generated registry ops: gradients', () => {
  for (const op of GENERATED_UNARY_OPS) {
    const { gradAt, cases } = fixture.ops[op]!;
    for (const c of cases) {
      const label = `${op}(${JSON.stringify(c.params)})`;
      it(`${label}: PyTorch's gradient values and grad_fn (${c.gradFn})`, () => {
        const x = x64(gradAt);
        const y = apply(x, op, c.params);
        expect(y.gradFn?.name).toBe(c.gradFn);
        const [g] = grad(y.sum(), [x]);
        const got = Array.from(g!.value.data);
        // 1e-8, not 1e-12: PyTorch writes some derivative constants in float even for double
        // tensors (hardsigmoid's 1/6 is 0.1666666716...); gradcheck below holds gd to the math.
        c.grad.map(Number).forEach((want, i) => {
          expect(Math.abs(got[i]! - want), `x = ${gradAt[i]}`).toBeLessThanOrEqual(
            1e-8 * Math.max(1, Math.abs(want)),
          );
        });
      });
      it(`${label}: gradcheck and second-order gradcheck in float64`, () => {
        const x = x64(gradAt);
        expect(gradcheck((t) => apply(t, op, c.params), [x])).toBe(true);
        const v = tensor(
          gradAt.map((_, i) => 0.5 + 0.1 * i),
          { dtype: 'float64', requiresGrad: true },
        );
        const vjp = (t: Tensor, w: Tensor): Tensor[] =>
          grad(apply(t, op, c.params), [t], { gradOutputs: w, createGraph: true }).map((d) => d!);
        expect(gradcheck(vjp, [x64(gradAt), v])).toBe(true);
      });
    }
    it(`${op}: the in-place form records the same gradient on a non-leaf`, () => {
      const x = x64(gradAt);
      const y = x.mul(1);
      const same = (y[`${op}_`] as () => Tensor).call(y);
      expect(same).toBe(y);
      expect(y.gradFn?.name).toBe(cases[0]!.gradFn);
      const [g1] = grad(y.sum(), [x]);
      const [g2] = grad(apply(x, op, {}).sum(), [x]);
      expect(Array.from(g1!.value.data)).toEqual(Array.from(g2!.value.data));
    });
  }

  it('an op saves only what its derivative reads', () => {
    // elu's derivative reads x, so modifying its output in place is fine
    const x = x64([-1, 2]);
    const y = x.elu();
    y.mul_(2);
    expect(() => y.sum().backward()).not.toThrow();
    expect(unaryEntry('elu').generated).toBeDefined();
  });
});
