// Gradients of the ops generated from the registry, one loop over its entries: gradcheck and
// second-order gradcheck in float64, PyTorch's gradient values and grad_fn names from the
// registry's fixtures (@gd/tensor/fixtures/unary.json), in-place forms and the saved values.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { GeneratedUnaryOp, UnaryOp } from '@gd/tensor';
import { GENERATED_UNARY_OPS, unaryEntry } from '@gd/tensor';
import { UNARY_OP_INFO } from '@gd/tensor/op-info';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../index.js';
import { grad, tensor } from '../index.js';
import { gradcheck } from '../gradcheck.js';

interface Case {
  params: Record<string, number | string>;
  grad?: (number | string)[];
  gradFn?: string;
}
const fixture = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('@gd/tensor/fixtures/unary.json'), 'utf8'),
) as { ops: Record<string, { gradAt: number[]; cases: Case[] }> };

const decodeParams = (p: Record<string, number | string>): Record<string, number> =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Number(v)]));

const apply = (x: Tensor, op: GeneratedUnaryOp, params: Record<string, number>): Tensor =>
  (x[op] as (...a: unknown[]) => Tensor)(...(Object.keys(params).length ? [params] : []));

/** The public calls of the registry's hand-written unary ops (their rows live in pointwise.ts). */
const HAND_CALLS: Record<string, (x: Tensor, p: Record<string, number>) => Tensor> = {
  neg: (x) => x.neg(),
  square: (x) => x.square(),
  gelu: (x) => x.gelu(),
  geluTanh: (x) => x.gelu('tanh'),
  powScalar: (x, p) => x.pow(p.exponent!),
  clamp: (x, p) =>
    x.clamp(Number.isFinite(p.min!) ? p.min! : null, Number.isFinite(p.max!) ? p.max! : null),
};

function expectPyTorchGradient(y: Tensor, x: Tensor, c: Case, gradAt: readonly number[]): void {
  expect(y.gradFn?.name).toBe(c.gradFn);
  const [g] = grad(y.sum(), [x]);
  const got = Array.from(g!.value.data);
  // 1e-8, not 1e-12: PyTorch writes some derivative constants in float even for double
  // tensors (hardsigmoid's 1/6 is 0.1666666716...); gradcheck holds gd to the math.
  c.grad!.map(Number).forEach((want, i) => {
    if (Number.isNaN(want)) expect(got[i]).toBeNaN();
    else
      expect(Math.abs(got[i]! - want), `x = ${gradAt[i]}`).toBeLessThanOrEqual(
        1e-8 * Math.max(1, Math.abs(want)),
      );
  });
}

const x64 = (data: number[]): Tensor => tensor(data, { dtype: 'float64', requiresGrad: true });

describe('generated registry ops: gradients', () => {
  for (const op of GENERATED_UNARY_OPS) {
    const { gradAt, cases } = fixture.ops[op]!;
    for (const c of cases) {
      const params = decodeParams(c.params);
      const label = `${op}(${JSON.stringify(c.params)})`;
      it(`${label}: PyTorch's gradient values and grad_fn (${c.gradFn})`, () => {
        const x = x64(gradAt);
        expectPyTorchGradient(apply(x, op, params), x, c, gradAt);
      });
      it(`${label}: gradcheck and second-order gradcheck in float64`, () => {
        const x = x64(gradAt);
        expect(gradcheck((t) => apply(t, op, params), [x])).toBe(true);
        const v = tensor(
          gradAt.map((_, i) => 0.5 + 0.1 * i),
          { dtype: 'float64', requiresGrad: true },
        );
        const vjp = (t: Tensor, w: Tensor): Tensor[] =>
          grad(apply(t, op, params), [t], { gradOutputs: w, createGraph: true }).map((d) => d!);
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

describe('hand-written registry ops: gradients and grad_fn names as PyTorch', () => {
  it('every registry op PyTorch differentiates is checked here (generated or hand-written)', () => {
    const differentiable = Object.keys(fixture.ops).filter((op) =>
      fixture.ops[op]!.cases.some((c) => c.gradFn !== undefined),
    );
    const checked = new Set<string>([...GENERATED_UNARY_OPS, ...Object.keys(HAND_CALLS)]);
    expect(differentiable.filter((op) => !checked.has(op))).toEqual([]);
  });

  for (const [op, call] of Object.entries(HAND_CALLS)) {
    const { gradAt, cases } = fixture.ops[op]!;
    for (const c of cases.filter((k) => k.grad)) {
      it(`${op}(${JSON.stringify(c.params)}) (${c.gradFn})`, () => {
        const x = x64(gradAt);
        expectPyTorchGradient(call(x, decodeParams(c.params)), x, c, gradAt);
      });
    }
  }
});

describe('function forms follow the op registry', () => {
  it('every torch.* registry op has a function form in @gd/autograd, equal to the method', async () => {
    const { BINARY_REGISTRY, UNARY_REGISTRY } = await import('@gd/tensor');
    const forms = (await import('../index.js')) as unknown as Record<
      string,
      (...a: unknown[]) => Tensor
    >;
    const x = tensor([-1.5, 0.25, 2], { dtype: 'float64' });
    const torchLevel = (Object.keys(UNARY_REGISTRY) as UnaryOp[])
      .map((op) => [op, unaryEntry(op), UNARY_OP_INFO[op]] as const)
      .filter(([, , i]) => !i.torch.startsWith('torch.nn.functional.') && i.via === undefined)
      .map(([op, e, i]) => {
        const sample: Record<string, number> = i.samples?.[0] ?? {};
        return [op, (e.params ?? []).map((p) => sample[p.name] ?? p.default)] as const;
      });
    for (const [op, args] of torchLevel) {
      expect(forms[op], op).toBeTypeOf('function');
      const method = (x as unknown as Record<string, (...a: number[]) => Tensor>)[op]!;
      expect(forms[op]!(x, ...args).toArray()).toEqual(method.call(x, ...args).toArray());
    }
    for (const op of Object.keys(BINARY_REGISTRY)) expect(forms[op], op).toBeTypeOf('function');
  });
});
