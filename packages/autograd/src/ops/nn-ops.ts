/**
 * Convolution and pooling. conv2d is one op (PyTorch's `convolution`): one kernel forward and
 * one per gradient where the backend has them, else im2col and matmul; under createGraph its
 * gradients are written with unfold, matmul and fold, so they can be differentiated again.
 * Each pooling backward is itself an op whose backward is the forward's adjoint.
 */
import type { AvgPool2dOptions, Conv2dOptions, FoldOptions, Pair, Pool2dOptions } from '@gd/tensor';
import {
  avgPool2d,
  avgPool2dBackward,
  conv2d,
  conv2dBackwardInput,
  conv2dBackwardWeight,
  fold,
  maxPool2dBackward,
  maxPool2dWithIndices,
  unfold,
} from '@gd/tensor';
import type { OpTable } from '../function.js';
import { defineOps, runOp } from '../function.js';
import { isGradEnabled } from '../grad-mode.js';
import { COPIES } from './shape-ops.js';
import { Tensor } from '../tensor.js';

/** Geometry of unfold/fold. */
export interface UnfoldAttrs {
  kernelSize: Pair;
  options: FoldOptions;
  /** [H, W] of the image side. */
  size: readonly [number, number];
}

interface FoldingOps {
  unfold: UnfoldAttrs;
  fold: UnfoldAttrs;
}

/** unfold: [N, C, H, W] -> [N, C*kh*kw, L]; fold is its adjoint. */
export const FOLDING: OpTable<FoldingOps> = defineOps<FoldingOps>({
  unfold: {
    backwardName: 'Im2ColBackward0',
    forward: ([x], a) => unfold(x!, a.kernelSize, a.options),
    backward: (g, c) => [runOp(FOLDING, 'fold', [g], c.attrs)],
  },
  fold: {
    backwardName: 'Col2ImBackward0',
    forward: ([cols], a) => fold(cols!, [a.size[0], a.size[1]], a.kernelSize, a.options),
    backward: (g, c) => [runOp(FOLDING, 'unfold', [g], c.attrs)],
  },
});

interface PoolingOps {
  maxPool2d: { kernelSize: Pair; options: Pool2dOptions };
  maxPool2dBackward: { inputShape: readonly number[] };
  avgPool2d: { kernelSize: Pair; options: AvgPool2dOptions };
  avgPool2dBackward: { kernelSize: Pair; options: AvgPool2dOptions; inputShape: readonly number[] };
}

/** Pooling, with differentiable backward ops. */
export const POOLING: OpTable<PoolingOps> = defineOps<PoolingOps>({
  maxPool2d: {
    backwardName: 'MaxPool2DWithIndicesBackward0',
    forward: ([x], { kernelSize, options }) => {
      const r = maxPool2dWithIndices(x!, kernelSize, options);
      return { out: r.values, aux: [r.indices] };
    },
    backward: (g, c) => [
      runOp(POOLING, 'maxPool2dBackward', [g, Tensor.fromArray(c.aux[0]!)], {
        inputShape: c.shapes[0]!,
      }),
    ],
  },
  // Scatters each gradient to its maximum's position; its own gradient gathers from there.
  maxPool2dBackward: {
    backwardName: 'MaxPool2DWithIndicesBackwardBackward0',
    saveInputs: () => [1],
    forward: ([g, indices], { inputShape }) => maxPool2dBackward(g!, indices!, inputShape),
    backward: (gg, c) => {
      const indices = c.input(1);
      const planes = c.attrs.inputShape.slice(0, -2);
      return [
        gg
          .reshape([...planes, -1])
          .gather(-1, indices.reshape([...planes, -1]))
          .reshape(indices.shape),
        null,
      ];
    },
  },
  avgPool2d: {
    forward: ([x], { kernelSize, options }) => avgPool2d(x!, kernelSize, options),
    backward: (g, c) => [
      runOp(POOLING, 'avgPool2dBackward', [g], {
        kernelSize: c.attrs.kernelSize,
        options: c.attrs.options,
        inputShape: c.shapes[0]!,
      }),
    ],
  },
  avgPool2dBackward: {
    forward: ([g], { kernelSize, options, inputShape }) =>
      avgPool2dBackward(g!, inputShape, kernelSize, options),
    backward: (gg, c) => [
      runOp(POOLING, 'avgPool2d', [gg], {
        kernelSize: c.attrs.kernelSize,
        options: c.attrs.options,
      }),
    ],
  },
});

/** Attributes of the `convolution` op (inputs: x [N, C, H, W], weight [O, C/groups, kh, kw], [bias]). */
export interface ConvolutionAttrs {
  /** Stride, dilation and groups as given; padding resolved to numbers. */
  readonly options: Conv2dOptions & { readonly padding: Pair };
  readonly hasBias: boolean;
}

interface ConvolutionOps {
  convolution: ConvolutionAttrs;
}

/** 2-d convolution as one recorded op. */
export const CONVOLUTION: OpTable<ConvolutionOps> = defineOps<ConvolutionOps>({
  convolution: {
    saveInputs: () => [0, 1],
    forward: ([x, weight, bias], a) => conv2d(x!, weight!, a.hasBias ? bias! : null, a.options),
    backward: (g, ctx) => {
      const a = ctx.attrs;
      const needs = [ctx.needsGrad(0), ctx.needsGrad(1), a.hasBias && ctx.needsGrad(2)] as const;
      const [x, weight] = [ctx.input(0), ctx.input(1)];
      const grads = isGradEnabled()
        ? convolutionGradients(g, x, weight, a.options, needs)
        : [
            needs[0] ? conv2dBackwardInput(g.value, x.shape, weight.value, a.options) : null,
            needs[1] ? conv2dBackwardWeight(g.value, x.value, weight.shape, a.options) : null,
            needs[2] ? g.value.sum([0, 2, 3]) : null,
          ].map((v) => (v ? Tensor.fromArray(v) : null));
      return a.hasBias ? grads : grads.slice(0, 2);
    },
  },
});

// The gradients with differentiable ops (createGraph): the input's is fold(Wᵀ g), the
// weight's the sum over images of g unfold(x)ᵀ, per group.
function convolutionGradients(
  g: Tensor,
  x: Tensor,
  weight: Tensor,
  options: ConvolutionAttrs['options'],
  needs: readonly [boolean, boolean, boolean],
): (Tensor | null)[] {
  const [o, cg, kh, kw] = weight.shape as [number, number, number, number];
  const groups = options.groups ?? 1;
  const [n, , h, w] = x.shape as [number, number, number, number];
  const k = cg * kh * kw;
  const og = o / groups;
  const foldOptions: FoldOptions = {
    padding: options.padding,
    ...(options.stride !== undefined ? { stride: options.stride } : {}),
    ...(options.dilation !== undefined ? { dilation: options.dilation } : {}),
  };
  const g3 = g.reshape([n, o, -1]);
  const w2 = weight.reshape([o, k]);
  const perGroup = (f: (gi: number) => Tensor, dim: number): Tensor => {
    const parts = Array.from({ length: groups }, (_, gi) => f(gi));
    return parts.length === 1 ? parts[0]! : runOp(COPIES, 'cat', parts, { dim });
  };
  const groupOf = (t: Tensor, dim: number, size: number, gi: number): Tensor =>
    groups === 1 ? t : t.narrow(dim, gi * size, size);
  let dx: Tensor | null = null;
  if (needs[0]) {
    const cols = perGroup(
      (gi) =>
        groupOf(w2, 0, og, gi)
          .t()
          .matmul(groupOf(g3, 1, og, gi)),
      1,
    );
    dx = runOp(FOLDING, 'fold', [cols], {
      kernelSize: [kh, kw],
      options: foldOptions,
      size: [h, w],
    });
  }
  let dw: Tensor | null = null;
  if (needs[1]) {
    const cols = runOp(FOLDING, 'unfold', [x], {
      kernelSize: [kh, kw],
      options: foldOptions,
      size: [h, w],
    });
    const part = (gi: number): Tensor =>
      groupOf(g3, 1, og, gi)
        .matmul(groupOf(cols, 1, k, gi).transpose(1, 2))
        .sum(0);
    dw = perGroup(part, 0).reshape([o, cg, kh, kw]);
  }
  return [dx, dw, needs[2] ? g.sum([0, 2, 3]) : null];
}
