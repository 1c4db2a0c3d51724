/**
 * Layer normalisation as one recorded op (PyTorch's `native_layer_norm`): one kernel forward,
 * and one backward for the input, weight and bias gradients when no graph is being built.
 */
import type { NDArray } from '@gd/tensor';
import { layerNorm, layerNormBackward } from '@gd/tensor';
import type { OpTable } from '../function.js';
import { defineOps } from '../function.js';
import { isGradEnabled } from '../grad-mode.js';
import { Tensor } from '../tensor.js';

/** Attributes of the `nativeLayerNorm` op (inputs: x, [weight], [bias]). */
export interface NativeLayerNormAttrs {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly hasWeight: boolean;
  readonly hasBias: boolean;
}

interface NormOps {
  nativeLayerNorm: NativeLayerNormAttrs;
}

/**
 * nativeLayerNorm: x normalised over its last dims, times the weight, plus the bias. Backward
 * reads x, the weight and the rows' mean and rstd the forward kept; under `createGraph` it is
 * written with Tensor ops, so it can be differentiated again.
 */
export const NORM_OPS: OpTable<NormOps> = defineOps<NormOps>({
  nativeLayerNorm: {
    saveInputs: () => [0, 1],
    forward: ([x, ...rest], a) => {
      const weight = a.hasWeight ? rest[0]! : null;
      const bias = a.hasBias ? rest[a.hasWeight ? 1 : 0]! : null;
      const { out, mean, rstd } = layerNorm(x!, a.normalizedShape, weight, bias, a.eps);
      return { out, aux: [mean, rstd] };
    },
    backward: (g, ctx) => {
      const a = ctx.attrs;
      const needs: [boolean, boolean, boolean] = [
        ctx.needsGrad(0),
        a.hasWeight && ctx.needsGrad(1),
        a.hasBias && ctx.needsGrad(a.hasWeight ? 2 : 1),
      ];
      const weight = a.hasWeight ? ctx.input(1) : null;
      let grads: (Tensor | null)[];
      if (!isGradEnabled()) {
        const [mean, rstd] = ctx.aux as [NDArray, NDArray];
        const r = layerNormBackward(
          g.value,
          ctx.input(0).value,
          a.normalizedShape,
          mean,
          rstd,
          weight?.value ?? null,
          needs,
        );
        grads = [r.dx, r.dWeight, r.dBias].map((v) => (v ? Tensor.fromArray(v) : null));
      } else {
        grads = layerNormGradients(g, ctx.input(0), weight, a, needs);
      }
      const out: (Tensor | null)[] = [grads[0]!];
      if (a.hasWeight) out.push(grads[1]!);
      if (a.hasBias) out.push(grads[2]!);
      return out;
    },
  },
});

// The gradients with differentiable ops (createGraph), recomputing the statistics from x.
function layerNormGradients(
  g: Tensor,
  x: Tensor,
  weight: Tensor | null,
  a: NativeLayerNormAttrs,
  needs: readonly [boolean, boolean, boolean],
): (Tensor | null)[] {
  const dims = a.normalizedShape.map((_, i) => i - a.normalizedShape.length);
  const lead = Array.from({ length: x.ndim - dims.length }, (_, i) => i);
  const mean = x.mean(dims, true);
  const centered = x.sub(mean);
  const rstd = centered.square().mean(dims, true).add(a.eps).rsqrt();
  const xhat = centered.mul(rstd);
  const dxhat = weight ? g.mul(weight) : g;
  const dx = needs[0]
    ? rstd.mul(dxhat.sub(dxhat.mean(dims, true)).sub(xhat.mul(dxhat.mul(xhat).mean(dims, true))))
    : null;
  const sumLead = (t: Tensor): Tensor => (lead.length ? t.sum(lead) : t);
  return [dx, needs[1] ? sumLead(g.mul(xhat)) : null, needs[2] ? sumLead(g) : null];
}
