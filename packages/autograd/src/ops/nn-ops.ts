/**
 * Convolution and pooling building blocks. conv2d is composed from `unfold` (im2col) and
 * matmul, so its gradients — and their gradients — come from those two. Each pooling
 * backward is itself an op whose backward is the forward's adjoint, for createGraph.
 */
import type { AvgPool2dOptions, FoldOptions, Pair, Pool2dOptions } from '@gd/tensor';
import {
  avgPool2d,
  avgPool2dBackward,
  fold,
  maxPool2dBackward,
  maxPool2dWithIndices,
  unfold,
} from '@gd/tensor';
import type { OpTable } from '../function.js';
import { defineOps, runOp } from '../function.js';
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
