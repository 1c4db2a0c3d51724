/**
 * Shape ops and their gradients: views (which share storage with their input), copies,
 * joins, and indexing. Most gradients are the inverse reshaping of the incoming gradient.
 */
import type { IndexSpec, NDArray } from '@gd/tensor';
import { cat as catArrays, zeros as zerosArray, shapesEqual } from '@gd/tensor';
import type { OpSpec, OpTable } from '../function.js';
import { defineOps } from '../function.js';
import type { Tensor } from '../tensor.js';

import { runOp } from '../function.js';

/** Sums `g` down to `shape` (undoing broadcasting): leading dims and size-1 dims. */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.shape.length - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.shape.length; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  }
  let out = dims.length ? g.sum(dims, true) : g;
  if (lead > 0) out = out.reshape(shape);
  return out;
}

function inversePermutation(dims: readonly number[]): number[] {
  const inv = new Array<number>(dims.length);
  dims.forEach((d, i) => (inv[d] = i));
  return inv;
}

type NarrowAttrs = { dim: number; start: number; length: number };
type SelectAttrs = { dim: number; index: number };
type SliceAttrs = { dim: number; start: number | null; end: number | null; step: number };

/**
 * A view of a region of its input (narrow, select, slice): the region, and the gradient, which
 * is the incoming one written into that region of zeros (see {@link OpSpec.region}).
 */
function regionView<A>(region: (attrs: A) => Region): Pick<OpSpec<A>, 'region' | 'backward'> {
  return { region, backward: (g, c) => [embed(g, c.shapes[0]!, region(c.attrs))] };
}

/** View ops: the result shares its input's storage. */
export const VIEWS = defineOps<{
  view: { shape: readonly number[] };
  reshape: { shape: readonly number[] };
  transpose: { dim0: number; dim1: number };
  permute: { dims: readonly number[] };
  expand: { shape: readonly number[] };
  squeeze: { dims: readonly number[] | null };
  flatten: { startDim: number; endDim: number };
  unflatten: { dim: number; sizes: readonly number[] };
  unsqueeze: { dim: number };
  narrow: NarrowAttrs;
  select: SelectAttrs;
  slice: SliceAttrs;
  alias: Record<string, never>;
}>({
  view: {
    forward: ([x], { shape }) => x!.view(shape),
    backward: (g, c) => [g.reshape(c.shapes[0]!)],
  },
  reshape: {
    backwardName: 'ViewBackward0',
    forward: ([x], { shape }) => x!.reshape(shape),
    backward: (g, c) => [g.reshape(c.shapes[0]!)],
  },
  transpose: {
    forward: ([x], { dim0, dim1 }) => x!.transpose(dim0, dim1),
    backward: (g, c) => [g.transpose(c.attrs.dim0, c.attrs.dim1)],
  },
  permute: {
    forward: ([x], { dims }) => x!.permute(dims),
    backward: (g, c) => [
      g.permute(inversePermutation(c.attrs.dims.map((d) => (d < 0 ? d + c.shapes[0]!.length : d)))),
    ],
  },
  expand: {
    forward: ([x], { shape }) => x!.expand(shape),
    backward: (g, c) => [sumTo(g, c.shapes[0]!)],
  },
  squeeze: {
    forward: ([x], { dims }) => x!.squeeze(dims ?? undefined),
    backward: (g, c) => [g.reshape(c.shapes[0]!)],
  },
  // Recorded as their own ops (not as reshapes to a concrete shape) so that an exported graph
  // keeps the batch dim free.
  flatten: {
    backwardName: 'ViewBackward0',
    forward: ([x], { startDim, endDim }) => x!.flatten(startDim, endDim),
    backward: (g, c) => [g.reshape(c.shapes[0]!)],
  },
  unflatten: {
    backwardName: 'ViewBackward0',
    forward: ([x], { dim, sizes }) => x!.unflatten(dim, sizes),
    backward: (g, c) => [g.reshape(c.shapes[0]!)],
  },
  unsqueeze: {
    forward: ([x], { dim }) => x!.unsqueeze(dim),
    backward: (g, c) => [g.reshape(c.shapes[0]!)],
  },
  narrow: {
    backwardName: 'SliceBackward0',
    forward: ([x], { dim, start, length }) => x!.narrow(dim, start, length),
    ...regionView<NarrowAttrs>(
      ({ dim, start, length }) =>
        (base) =>
          base.narrow(dim, start, length),
    ),
  },
  select: {
    forward: ([x], { dim, index }) => x!.select(dim, index),
    ...regionView<SelectAttrs>(
      ({ dim, index }) =>
        (base) =>
          base.select(dim, index),
    ),
  },
  slice: {
    forward: ([x], { dim, start, end, step }) => x!.slice(dim, start, end, step),
    ...regionView<SliceAttrs>(
      ({ dim, start, end, step }) =>
        (base) =>
          base.slice(dim, start, end, step),
    ),
  },
  alias: { backwardName: 'AliasBackward0', forward: ([x]) => x!, backward: (g) => [g] },
});

/**
 * A zero tensor of `shape` with `g` written into the region `region` selects — the gradient
 * of a slicing view. Differentiable in g (its gradient is the same slicing), for createGraph.
 */
export function embed(
  g: Tensor,
  shape: readonly number[],
  region: (base: NDArray) => NDArray,
): Tensor {
  return runOp(EMBED, 'embed', [g], { shape, region });
}

type Region = (base: NDArray) => NDArray;
const EMBED: OpTable<{ embed: { shape: readonly number[]; region: Region } }> = defineOps<{
  embed: { shape: readonly number[]; region: Region };
}>({
  embed: {
    backwardName: 'SliceBackwardBackward0',
    forward: ([g], { shape, region }) => {
      const out = zerosArray(shape, { dtype: g!.dtype });
      region(out).copy_(g!);
      return out;
    },
    backward: (gg, c) => [fromRegion(gg, c.attrs.region)],
  },
});

// The region of gg as a differentiable op (gg's slice), used for double backward of embed.
function fromRegion(gg: Tensor, region: (base: NDArray) => NDArray): Tensor {
  return runOp(REGION, 'region', [gg], { region });
}

const REGION: OpTable<{ region: { region: Region } }> = defineOps<{ region: { region: Region } }>({
  region: {
    backwardName: 'SliceBackward0',
    forward: ([x], { region }) => region(x!).contiguous(),
    backward: (g, c) => [embed(g, c.shapes[0]!, c.attrs.region)],
  },
});

/** Ops that copy. */
export const COPIES = defineOps<{
  clone: Record<string, never>;
  contiguous: Record<string, never>;
  toDtype: { dtype: NDArray['dtype'] };
  cat: { dim: number };
  repeat: { sizes: readonly number[] };
}>({
  clone: { forward: ([x]) => x!.clone(), backward: (g) => [g] },
  contiguous: {
    backwardName: 'CloneBackward0',
    forward: ([x]) => x!.contiguous(),
    backward: (g) => [g],
  },
  toDtype: {
    backwardName: 'ToCopyBackward0',
    forward: ([x], { dtype }) => x!.to(dtype),
    backward: (g, c) => [g.to(c.dtypes[0]!)],
  },
  cat: {
    forward: (xs, { dim }) => catArrays(xs, dim),
    backward: (g, c) => {
      // g has the rank of the non-empty inputs (a legacy 1-d empty input may come first).
      const d = c.attrs.dim < 0 ? c.attrs.dim + g.ndim : c.attrs.dim;
      let at = 0;
      return c.shapes.map((shape, i) => {
        if (shape.length === 1 && shape[0] === 0 && g.ndim !== 1) return null; // legacy empty input
        const len = shape[d] ?? 0;
        const piece = c.needsGrad(i) ? g.narrow(d, at, len) : null;
        at += len;
        return piece;
      });
    },
  },
  repeat: {
    forward: ([x], { sizes }) => x!.repeat(sizes),
    backward: (g, c) => {
      // Split each repeated dim into (repeats, size) and sum the repeats.
      const shape = c.shapes[0]!;
      const lead = c.attrs.sizes.length - shape.length;
      const padded = [...new Array<number>(lead).fill(1), ...shape];
      const split: number[] = [];
      padded.forEach((d, i) => split.push(c.attrs.sizes[i]!, d));
      const summed = g.reshape(split).sum(
        padded.map((_, i) => 2 * i),
        false,
      );
      return [summed.reshape(shape)];
    },
  },
});

/** Indexing ops: gather/scatter and advanced indexing. Index arrays are constant inputs. */
export const INDEXING = defineOps<{
  gather: { dim: number };
  scatter: { dim: number; value: number | null };
  scatterAdd: { dim: number };
  indexSelect: { dim: number };
  index: { specs: readonly IndexSpec[] };
  indexPut: { specs: readonly IndexSpec[]; accumulate: boolean };
  maskedFill: { value: number };
}>({
  gather: {
    saveInputs: () => [1],
    forward: ([x, index], { dim }) => x!.gather(dim, index!),
    backward: (g, c) => [g.newZeros(c.shapes[0]!).scatterAdd(c.attrs.dim, c.input(1), g), null],
  },
  scatter: {
    saveInputs: () => [1],
    forward: ([x, index, src], { dim, value }) => x!.scatter(dim, index!, src ?? value!),
    backward: (g, c) => {
      const index = c.input(1);
      return [
        c.needsGrad(0) ? g.scatter(c.attrs.dim, index, 0) : null,
        null,
        c.needsGrad(2) ? g.gather(c.attrs.dim, index) : null,
      ];
    },
  },
  scatterAdd: {
    saveInputs: () => [1],
    forward: ([x, index, src], { dim }) => x!.scatterAdd(dim, index!, src!),
    backward: (g, c) => [
      c.needsGrad(0) ? g : null,
      null,
      c.needsGrad(2) ? g.gather(c.attrs.dim, c.input(1)) : null,
    ],
  },
  indexSelect: {
    saveInputs: () => [1],
    forward: ([x, index], { dim }) => x!.indexSelect(dim, index!),
    backward: (g, c) => {
      const dim = c.attrs.dim < 0 ? c.attrs.dim + c.shapes[0]!.length : c.attrs.dim;
      const shape = c.shapes[0]!;
      if (shape.length === 0) return [g.sum().reshape([]), null];
      const idxShape = g.shape.map((_, k) => (k === dim ? g.shape[k]! : 1));
      const index = c.input(1).reshape(idxShape).expand(g.shape);
      return [g.newZeros(shape).scatterAdd(dim, index, g), null];
    },
  },
  index: {
    forward: ([x], { specs }) => x!.index(...specs),
    backward: (g, c) => [g.newZeros(c.shapes[0]!).indexPut(c.attrs.specs, g, true)],
  },
  indexPut: {
    forward: ([x, values], { specs, accumulate }) =>
      x!.clone().indexPut_(specs, values!, accumulate),
    backward: (g, c) => {
      const gx = c.needsGrad(0)
        ? c.attrs.accumulate
          ? g
          : g.indexPut(c.attrs.specs, 0, false)
        : null;
      const gv = c.needsGrad(1) ? sumTo(g.index(...c.attrs.specs), c.shapes[1]!) : null;
      return [gx, gv];
    },
  },
  maskedFill: {
    saveInputs: () => [1],
    forward: ([x, mask], { value }) => x!.maskedFill(mask!, value),
    // A mask with more dims than x broadcasts the result: sum the gradient back to x's shape.
    backward: (g, c) => [sumTo(g.maskedFill(c.input(1), 0), c.shapes[0]!), null],
  },
});
