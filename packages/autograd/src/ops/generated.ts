/**
 * Autograd rows generated from the op registry (`@gd/tensor`'s entries with `generated`): the
 * forward is the registry op, the backward multiplies the incoming gradient by the entry's
 * derivative formula evaluated with tensor ops, so higher-order gradients come for free. What
 * the formula reads (`x`, `y`) decides what is saved.
 */
import type { GeneratedUnaryOp, NDArray } from '@gd/tensor';
import { GENERATED_UNARY_OPS, formula, gradKernel, gradKernelOf, unaryEntry } from '@gd/tensor';
import type { BackwardContext, OpSpec, OpTable } from '../function.js';
import { defineOps } from '../function.js';
import { isGradEnabled } from '../grad-mode.js';
import { Tensor } from '../tensor.js';
import { tensorAlgebra } from './formula-tensors.js';

/** A generated op's parameters by name (its recorded attributes, as ONNX export reads them). */
export type RegistryAttrs = Readonly<Record<string, number>>;

/** The NDArray call of a registry op with its parameters (in place: its `_` form). */
export function callRegistryOp(
  x: NDArray,
  op: GeneratedUnaryOp,
  attrs: RegistryAttrs,
  inPlace = false,
): NDArray {
  const method = x[inPlace ? (`${op}_` as const) : op] as (...args: unknown[]) => NDArray;
  return (unaryEntry(op).params?.length ?? 0) > 0 ? method.call(x, attrs) : method.call(x);
}

function spec(op: GeneratedUnaryOp): OpSpec<RegistryAttrs> {
  const entry = unaryEntry(op);
  const generated = entry.generated!;
  const params = Object.fromEntries((entry.params ?? []).map((p) => [p.name, formula.v(p.name)]));
  const derivative = generated.grad(formula.v('x'), formula.v('y'), params);
  const reads = formula.variables(derivative);
  const kernel = gradKernelOf(op);
  // Unrecorded backward (no createGraph): the registry's gradient kernel, one pass over memory.
  const fused = (g: Tensor, c: BackwardContext<RegistryAttrs>): Tensor | null => {
    if (!kernel || isGradEnabled()) return null;
    const v = kernel.reads === 'y' ? c.output() : c.input(0);
    const out = gradKernel(op, g.value, v.value, c.attrs);
    return out ? Tensor.fromArray(out) : null;
  };
  return {
    backwardName: generated.gradFn,
    saveInputs: reads.has('x') ? () => [0] : undefined,
    saveOutput: reads.has('y'),
    forward: ([x], attrs) => callRegistryOp(x!, op, attrs),
    backward: (g, c) => {
      const one = fused(g, c);
      if (one) return [one];
      const vars: Record<string, Tensor | number> = { ...c.attrs };
      if (reads.has('x')) vars.x = c.input(0);
      if (reads.has('y')) vars.y = c.output();
      const d = formula.evaluate(derivative, tensorAlgebra(g), vars);
      return [g.mul(d)];
    },
  };
}

/** The autograd rows of every generated registry op. */
export const GENERATED = defineOps(
  Object.fromEntries(GENERATED_UNARY_OPS.map((op) => [op, spec(op)])) as OpTable<
    Record<GeneratedUnaryOp, RegistryAttrs>
  >,
);
