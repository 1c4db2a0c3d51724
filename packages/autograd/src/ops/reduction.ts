/** Reductions and softmax, and their gradients (expanded back over the reduced dims). */
import * as T from '@gd/tensor';
import { eye } from '@gd/tensor';
import { defineOps, runOp } from '../function.js';
import { isGradEnabled } from '../grad-mode.js';
import { Tensor } from '../tensor.js';
import { COPIES } from './shape-ops.js';

type Dims = readonly number[] | null;

function normDims(dims: Dims, ndim: number): number[] {
  if (dims === null) return Array.from({ length: ndim }, (_, i) => i);
  return dims.map((d) => (d < 0 ? d + ndim : d));
}

/** Brings a reduced gradient back to the input's rank (size-1 dims where reduced). */
function unreduce(g: Tensor, shape: readonly number[], dims: Dims, keepdim: boolean): Tensor {
  if (keepdim || shape.length === 0) return g;
  const ds = normDims(dims, shape.length).sort((a, b) => a - b);
  let out = g;
  for (const d of ds) out = out.unsqueeze(d);
  return out;
}

function count(shape: readonly number[], dims: Dims): number {
  // A 0-d tensor reduced over dim 0 (or -1) is one element.
  if (shape.length === 0) return 1;
  return normDims(dims, shape.length).reduce((n, d) => n * shape[d]!, 1);
}

/** Gradient of amax/amin: shared evenly among the elements equal to the extreme. */
function evenlyDistributed(
  g: Tensor,
  x: Tensor,
  out: Tensor,
  dims: Dims,
  keepdim: boolean,
): Tensor {
  const shape = x.shape;
  const o = unreduce(out, shape, dims, keepdim);
  const mask = x.eq(o).to(g.dtype);
  const n = mask.sum(dims === null ? null : dims, true);
  return unreduce(g, shape, dims, keepdim).mul(mask).div(n);
}

/**
 * For each element of x, the product of the other elements of its reduced slice, built from
 * differentiable ops so that it has the right derivatives where x has zeros (PyTorch's
 * prod_safe_zeros_backward). The reduced dims are moved last and flattened into one of size n;
 * an [..., n, n] copy with its diagonal set to 1 is multiplied along its last dim. O(n²): used
 * only for the double backward of a prod over zeros.
 */
function productOfOthers(x: Tensor, dims: Dims): Tensor {
  const reduced = normDims(dims, x.ndim).sort((a, b) => a - b);
  const kept = x.shape.map((_, i) => i).filter((i) => !reduced.includes(i));
  const perm = [...kept, ...reduced];
  const keptShape = kept.map((d) => x.shape[d]!);
  const reducedShape = reduced.map((d) => x.shape[d]!);
  const n = reducedShape.reduce((a, b) => a * b, 1);
  const flat = x.permute(perm).reshape([...keptShape, n]);
  const others = flat
    .unsqueeze(-2)
    .expand([...keptShape, n, n])
    .maskedFill(eye(n, n, { dtype: 'bool' }), 1)
    .prod(-1);
  const inverse = new Array<number>(perm.length);
  perm.forEach((d, i) => (inverse[d] = i));
  return others.reshape([...keptShape, ...reducedShape]).permute(inverse);
}

/** Reductions. `dims: null` means every dim. */
export const REDUCTIONS = defineOps<{
  sum: { dims: Dims; keepdim: boolean };
  mean: { dims: Dims; keepdim: boolean };
  prod: { dims: Dims; keepdim: boolean };
  amax: { dims: Dims; keepdim: boolean };
  amin: { dims: Dims; keepdim: boolean };
  maxDim: { dim: number; keepdim: boolean; op: 'max' | 'min' };
  var: { dims: Dims; correction: number; keepdim: boolean };
  logsumexp: { dims: readonly number[]; keepdim: boolean };
  std: { dims: Dims; correction: number; keepdim: boolean };
  norm2: { dims: Dims; keepdim: boolean };
  normP: { p: number; dims: Dims; keepdim: boolean };
  cumsum: { dim: number };
}>({
  sum: {
    forward: ([x], { dims, keepdim }) => x!.sum(dims, keepdim),
    backward: (g, c) => [
      unreduce(g, c.shapes[0]!, c.attrs.dims, c.attrs.keepdim).expand(c.shapes[0]!),
    ],
  },
  mean: {
    forward: ([x], { dims, keepdim }) => x!.mean(dims, keepdim),
    backward: (g, c) => [
      unreduce(g, c.shapes[0]!, c.attrs.dims, c.attrs.keepdim)
        .expand(c.shapes[0]!)
        .div(count(c.shapes[0]!, c.attrs.dims)),
    ],
  },
  prod: {
    saveInputs: () => [0],
    saveOutput: true,
    forward: ([x], { dims, keepdim }) => x!.prod(dims, keepdim),
    backward: (g, c) => {
      const { dims, keepdim } = c.attrs;
      const x = c.input(0);
      const shape = c.shapes[0]!;
      const gu = unreduce(g, shape, dims, keepdim);
      if (shape.length === 0) return [gu];
      const out = unreduce(c.output(), shape, dims, keepdim);
      const isZero = x.eq(0);
      if (isZero.any().item() === 0) return [gu.mul(out.div(x))];
      // With createGraph the gradient must itself be differentiable at the zeros.
      if (isGradEnabled()) return [gu.mul(productOfOthers(x, dims))];
      // Zeros need care: with one zero, its gradient is the product of the others; with more, 0.
      const others = x.maskedFill(isZero, 1).prod(dims, true);
      const zeros = isZero.sum(dims, true);
      const atZero = others.maskedFill(zeros.ne(1), 0);
      return [
        gu.mul(out.div(x.maskedFill(isZero, 1)).maskedFill(isZero, 0).add(atZero.mul(isZero))),
      ];
    },
  },
  amax: {
    saveInputs: () => [0],
    saveOutput: true,
    forward: ([x], { dims, keepdim }) => x!.amax(dims, keepdim),
    backward: (g, c) => [
      evenlyDistributed(g, c.input(0), c.output(), c.attrs.dims, c.attrs.keepdim),
    ],
  },
  amin: {
    saveInputs: () => [0],
    saveOutput: true,
    forward: ([x], { dims, keepdim }) => x!.amin(dims, keepdim),
    backward: (g, c) => [
      evenlyDistributed(g, c.input(0), c.output(), c.attrs.dims, c.attrs.keepdim),
    ],
  },
  maxDim: {
    backwardName: 'MaxBackward0',
    forward: ([x], { dim, keepdim, op }) => {
      const r = op === 'max' ? x!.max(dim, keepdim) : x!.min(dim, keepdim);
      return { out: r.values, aux: [r.indices] };
    },
    // The gradient goes to the index that was picked.
    backward: (g, c) => {
      const shape = c.shapes[0]!;
      if (shape.length === 0) return [g];
      const idx = c.aux[0]!;
      const gu = unreduce(g, shape, [c.attrs.dim], c.attrs.keepdim);
      const index = c.attrs.keepdim ? idx : idx.unsqueeze(c.attrs.dim);
      return [gu.newZeros(shape).scatterAdd(c.attrs.dim, index, gu)];
    },
  },
  var: {
    saveInputs: () => [0],
    forward: ([x], { dims, correction, keepdim }) => x!.var(dims, { correction, keepdim }),
    backward: (g, c) => {
      const { dims, correction, keepdim } = c.attrs;
      const x = c.input(0);
      const n = count(c.shapes[0]!, dims);
      const centered = x.sub(x.mean(dims, true));
      return [
        unreduce(g, c.shapes[0]!, dims, keepdim)
          .mul(centered)
          .mul(2 / Math.max(n - correction, 0)),
      ];
    },
  },
  logsumexp: {
    saveInputs: () => [0],
    saveOutput: true,
    forward: ([x], { dims, keepdim }) => x!.logsumexp(dims, keepdim),
    backward: (g, c) => {
      const shape = c.shapes[0]!;
      const { dims, keepdim } = c.attrs;
      const out = unreduce(c.output(), shape, dims, keepdim);
      return [unreduce(g, shape, dims, keepdim).mul(c.input(0).sub(out).exp())];
    },
  },
  std: {
    saveInputs: () => [0],
    saveOutput: true,
    forward: ([x], { dims, correction, keepdim }) => x!.std(dims, { correction, keepdim }),
    // (x - mean) / (std · (n - correction)), defined as 0 where std is 0 (PyTorch's convention).
    backward: (g, c) => {
      const { dims, correction, keepdim } = c.attrs;
      const shape = c.shapes[0]!;
      const x = c.input(0);
      const n = count(shape, dims);
      const s = unreduce(c.output(), shape, dims, keepdim);
      const scale = unreduce(g, shape, dims, keepdim)
        .div(s.mul(Math.max(n - correction, 0)))
        .maskedFill(s.eq(0), 0);
      return [x.sub(x.mean(dims, true)).mul(scale)];
    },
  },
  normP: {
    backwardName: 'NormBackward1',
    saveInputs: () => [0],
    saveOutput: true,
    forward: ([x], { p, dims, keepdim }) => x!.norm(p, dims, keepdim),
    // sign(x)·|x|^(p-1) / ‖x‖^(p-1), defined as 0 where the norm is 0; the 0-"norm" has zero gradient.
    backward: (g, c) => {
      const { p, dims, keepdim } = c.attrs;
      const x = c.input(0);
      if (p === 0) return [x.mul(0)];
      const shape = c.shapes[0]!;
      const n = unreduce(c.output(), shape, dims, keepdim);
      const scale = unreduce(g, shape, dims, keepdim)
        .div(n.pow(p - 1))
        .maskedFill(n.eq(0), 0);
      // sign(x)·|x|^(p-1), written so that zeros stay 0 for any p.
      const term = x
        .sign()
        .mul(x.abs().pow(p - 1))
        .maskedFill(x.eq(0), 0);
      return [term.mul(scale)];
    },
  },
  norm2: {
    backwardName: 'NormBackward1',
    saveInputs: () => [0],
    saveOutput: true,
    forward: ([x], { dims, keepdim }) => x!.norm(2, dims, keepdim),
    // x / ||x||, defined as 0 where the norm is 0.
    backward: (g, c) => {
      const shape = c.shapes[0]!;
      const { dims, keepdim } = c.attrs;
      const n = unreduce(c.output(), shape, dims, keepdim);
      const scale = unreduce(g, shape, dims, keepdim).div(n).maskedFill(n.eq(0), 0);
      return [c.input(0).mul(scale)];
    },
  },
  cumsum: {
    forward: ([x], { dim }) => x!.cumsum(dim),
    // Reverse cumulative sum: total - cumsum + g.
    backward: (g, c) => {
      if (c.shapes[0]!.length === 0) return [g];
      return [g.sum(c.attrs.dim, true).sub(g.cumsum(c.attrs.dim)).add(g)];
    },
  },
});

/**
 * Cumulative product. Its gradient, d(out_i)/d(x_k) = prod_{j<=i, j!=k} x_j for i >= k, is
 * computed by leaving each x_k out in turn (a cumulative product with x_k set to 1), so that
 * zeros in the input get the exact gradient PyTorch gives, not a division by zero.
 */
export const CUMPROD = defineOps<{ cumprod: { dim: number } }>({
  cumprod: {
    saveInputs: () => [0],
    forward: ([x], { dim }) => x!.cumprod(dim),
    backward: (g, c) => {
      const x = c.input(0);
      if (x.ndim === 0) return [g];
      const d = c.attrs.dim < 0 ? c.attrs.dim + x.ndim : c.attrs.dim;
      const n = x.shape[d]!;
      const parts: Tensor[] = [];
      for (let k = 0; k < n; k++) {
        const sel = Array.from({ length: n }, (_, i) => (i === k ? 1 : 0));
        const shape = x.shape.map((s, i) => (i === d ? n : 1));
        const isK = Tensor.fromArray(T.tensor(sel, { dtype: 'bool' }).reshape(shape));
        const without = x.where(isK.logicalNot(), 1).cumprod(d);
        parts.push(
          g
            .mul(without)
            .narrow(d, k, n - k)
            .sum(d, true),
        );
      }
      return [runOp(COPIES, 'cat', parts, { dim: d })];
    },
  },
});

/** Softmax and log-softmax along one dim. */
export const SOFTMAX = defineOps<{ softmax: { dim: number }; logSoftmax: { dim: number } }>({
  softmax: {
    saveOutput: true,
    forward: ([x], { dim }) => x!.softmax(dim),
    backward: (g, c) => {
      const y = c.output();
      return [y.mul(g.sub(g.mul(y).sum(c.attrs.dim, true)))];
    },
  },
  logSoftmax: {
    saveOutput: true,
    forward: ([x], { dim }) => x!.logSoftmax(dim),
    backward: (g, c) => [g.sub(c.output().exp().mul(g.sum(c.attrs.dim, true)))],
  },
});
