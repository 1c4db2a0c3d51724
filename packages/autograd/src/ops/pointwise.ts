/**
 * Pointwise ops and their gradients: arithmetic with broadcasting, unary math, activations,
 * clamp and where. Broadcast inputs get their gradient summed back to their own shape (sumTo).
 */
import type { NDArray } from '@gd/tensor';
import { where as whereArray } from '@gd/tensor';
import { defineOps } from '../function.js';
import type { Tensor } from '../tensor.js';
import { sumTo } from './shape-ops.js';

const none = (): number[] => [];
const both = (): number[] => [0, 1];
const first = (): number[] => [0];

/** Ops with two tensor inputs (scalars arrive as 0-d constant tensors). */
export const BINARY = defineOps<{
  add: { alpha: number };
  sub: { alpha: number };
  mul: Record<string, never>;
  div: Record<string, never>;
  pow: Record<string, never>;
  maximum: Record<string, never>;
  minimum: Record<string, never>;
  atan2: Record<string, never>;
  remainder: Record<string, never>;
}>({
  add: {
    forward: ([a, b], { alpha }) => a!.add(b!, alpha),
    backward: (g, c) => [
      c.needsGrad(0) ? sumTo(g, c.shapes[0]!) : null,
      c.needsGrad(1) ? sumTo(c.attrs.alpha === 1 ? g : g.mul(c.attrs.alpha), c.shapes[1]!) : null,
    ],
  },
  sub: {
    forward: ([a, b], { alpha }) => a!.sub(b!, alpha),
    backward: (g, c) => [
      c.needsGrad(0) ? sumTo(g, c.shapes[0]!) : null,
      c.needsGrad(1) ? sumTo(g.mul(-c.attrs.alpha), c.shapes[1]!) : null,
    ],
  },
  mul: {
    saveInputs: (n) => [...(n[1] ? [0] : []), ...(n[0] ? [1] : [])],
    forward: ([a, b]) => a!.mul(b!),
    backward: (g, c) => [
      c.needsGrad(0) ? sumTo(g.mul(c.input(1)), c.shapes[0]!) : null,
      c.needsGrad(1) ? sumTo(g.mul(c.input(0)), c.shapes[1]!) : null,
    ],
  },
  div: {
    saveInputs: (n) => (n[1] ? [0, 1] : [1]),
    forward: ([a, b]) => a!.div(b!),
    backward: (g, c) => {
      const b = c.input(1);
      return [
        c.needsGrad(0) ? sumTo(g.div(b), c.shapes[0]!) : null,
        c.needsGrad(1) ? sumTo(g.neg().mul(c.input(0)).div(b.mul(b)), c.shapes[1]!) : null,
      ];
    },
  },
  pow: {
    saveInputs: both,
    saveOutput: true,
    forward: ([a, b]) => a!.pow(b!),
    backward: (g, c) => {
      const a = c.input(0);
      const b = c.input(1);
      // d/da a^b = b·a^(b-1), defined as 0 where b == 0 (PyTorch's convention).
      const da = c.needsGrad(0)
        ? sumTo(g.mul(b.mul(a.pow(b.sub(1))).maskedFill(b.eq(0), 0)), c.shapes[0]!)
        : null;
      // d/db a^b = a^b·log(a), defined as 0 where a == 0 and b >= 0.
      const db = c.needsGrad(1)
        ? sumTo(
            g.mul(
              c
                .output()
                .mul(a.log())
                .maskedFill(a.eq(0).logicalAnd(b.ge(0)), 0),
            ),
            c.shapes[1]!,
          )
        : null;
      return [da, db];
    },
  },
  maximum: {
    saveInputs: both,
    forward: ([a, b]) => a!.maximum(b!),
    backward: (g, c) => maxMinGrad(g, c.input(0), c.input(1), c.shapes, (a, b) => a.gt(b)),
  },
  minimum: {
    saveInputs: both,
    forward: ([a, b]) => a!.minimum(b!),
    backward: (g, c) => maxMinGrad(g, c.input(0), c.input(1), c.shapes, (a, b) => a.lt(b)),
  },
  atan2: {
    saveInputs: both,
    forward: ([a, b]) => a!.atan2(b!),
    backward: (g, c) => {
      const a = c.input(0);
      const b = c.input(1);
      const denom = a.square().add(b.square());
      return [
        c.needsGrad(0) ? sumTo(g.mul(b).div(denom), c.shapes[0]!) : null,
        c.needsGrad(1) ? sumTo(g.mul(a.neg()).div(denom), c.shapes[1]!) : null,
      ];
    },
  },
  remainder: {
    saveInputs: both,
    forward: ([a, b]) => a!.remainder(b!),
    backward: (g, c) => [
      c.needsGrad(0) ? sumTo(g, c.shapes[0]!) : null,
      c.needsGrad(1) ? sumTo(g.mul(c.input(0).div(c.input(1)).floor().neg()), c.shapes[1]!) : null,
    ],
  },
});

// Ties split the gradient evenly between both inputs, as PyTorch does.
function maxMinGrad(
  g: Tensor,
  a: Tensor,
  b: Tensor,
  shapes: readonly (readonly number[])[],
  wins: (a: Tensor, b: Tensor) => Tensor,
): Tensor[] {
  const aWins = wins(a, b).double();
  const tie = a.eq(b).double().mul(0.5);
  const wa = aWins.add(tie);
  const wb = wins(b, a).double().add(tie);
  return [sumTo(g.mul(wa.to(g.dtype)), shapes[0]!), sumTo(g.mul(wb.to(g.dtype)), shapes[1]!)];
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Ops with one tensor input. */
export const UNARY = defineOps<{
  neg: Record<string, never>;
  square: Record<string, never>;
  gelu: { approximate: 'none' | 'tanh' };
  clamp: { min: number | null; max: number | null };
  powScalar: { exponent: number };
}>({
  neg: { forward: ([x]) => x!.neg(), backward: (g) => [g.neg()] },
  square: {
    backwardName: 'PowBackward0',
    saveInputs: first,
    forward: ([x]) => x!.square(),
    backward: (g, c) => [g.mul(c.input(0)).mul(2)],
  },
  gelu: {
    saveInputs: first,
    forward: ([x], { approximate }) => x!.gelu(approximate),
    backward: (g, c) => {
      const x = c.input(0);
      if (c.attrs.approximate === 'tanh') {
        const inner = x.add(x.pow(3).mul(0.044715)).mul(SQRT_2_OVER_PI);
        const t = inner.tanh();
        const dInner = x
          .square()
          .mul(3 * 0.044715)
          .add(1)
          .mul(SQRT_2_OVER_PI);
        return [
          g.mul(
            t
              .add(1)
              .mul(0.5)
              .add(x.mul(0.5).mul(t.square().neg().add(1)).mul(dInner)),
          ),
        ];
      }
      // Φ(x) + x·φ(x)
      const cdf = x.mul(Math.SQRT1_2).erf().add(1).mul(0.5);
      const pdf = x.square().mul(-0.5).exp().mul(INV_SQRT_2PI);
      return [g.mul(cdf.add(x.mul(pdf)))];
    },
  },
  clamp: {
    saveInputs: first,
    forward: ([x], { min, max }) => x!.clamp(min, max),
    // The gradient passes where min <= x <= max (bounds inclusive, as in PyTorch).
    backward: (g, c) => {
      const x = c.input(0);
      let inside = x.eq(x); // false for NaN
      if (c.attrs.min !== null) inside = inside.logicalAnd(x.ge(c.attrs.min));
      if (c.attrs.max !== null) inside = inside.logicalAnd(x.le(c.attrs.max));
      return [g.mul(inside)];
    },
  },
  powScalar: {
    backwardName: 'PowBackward0',
    saveInputs: first,
    forward: ([x], { exponent }) => x!.pow(exponent),
    backward: (g, c) => {
      const p = c.attrs.exponent;
      if (p === 0) return [g.mul(0)];
      return [
        g.mul(
          c
            .input(0)
            .pow(p - 1)
            .mul(p),
        ),
      ];
    },
  },
});

/** `where(cond, a, b)`: the condition is a constant; a and b get the gradient where chosen. */
export const SELECT = defineOps<{ where: Record<string, never> }>({
  where: {
    saveInputs: () => [0],
    forward: ([cond, a, b]) => whereArray(cond as NDArray, a!, b!),
    backward: (g, c) => {
      const cond = c.input(0);
      return [
        null,
        c.needsGrad(1) ? sumTo(g.maskedFill(cond.logicalNot(), 0), c.shapes[1]!) : null,
        c.needsGrad(2) ? sumTo(g.maskedFill(cond, 0), c.shapes[2]!) : null,
      ];
    },
  },
});

export { none };
