/**
 * Ops whose result depends on comparing values: sort, topk and argsort, unique, bincount,
 * isclose and nanToNum. Each is one recorded op (not a composition around indices computed
 * outside the graph), so that an exporter sees it by name: sort's and topk's values are
 * differentiable (the gradient goes back to the positions they came from, PyTorch's
 * SortBackward0/TopkBackward0), nanToNum passes the gradient where the input is finite, and the
 * rest have no gradient (`differentiable: false`), recorded only while tracing for export.
 * Their extra outputs (indices, inverse, counts) are the op's `aux` arrays.
 */
import type { NDArray, UniqueOptions, ValuesIndices } from '@gd/tensor';
import { sortIndices } from '@gd/tensor';
import type { BackwardContext } from '../function.js';
import { defineOps, noGradient } from '../function.js';
import type { Tensor } from '../tensor.js';

/** sort/topk's gradient: the incoming one written back at the positions the values came from. */
function gatheredBackward(
  g: Tensor,
  c: BackwardContext<{ dim: number }>,
): readonly (Tensor | null)[] {
  if (g.ndim === 0) return [g];
  return [g.newZeros(c.shapes[0]!).scatterAdd(c.attrs.dim, c.aux[0]!, g)];
}

/** NDArray's sort or topk result as the op's outputs: the values, then the indices. */
function valuesIndices({ values, indices }: ValuesIndices<NDArray>) {
  return { out: values, aux: [indices] };
}

/** What nanToNum writes: the resolved replacements (the dtype's extremes by default). */
export interface NanToNumAttrs {
  readonly nan: number;
  readonly posinf: number;
  readonly neginf: number;
}

/** The ops of this file, by name. */
export const SORTING = defineOps<{
  sort: { dim: number; descending: boolean };
  topk: { k: number; dim: number; largest: boolean };
  argsort: { dim: number; descending: boolean };
  unique: { options: UniqueOptions };
  bincount: { minlength: number };
  isclose: { other: number | null; rtol: number; atol: number; equalNan: boolean };
  nanToNum: NanToNumAttrs;
}>({
  sort: {
    forward: ([x], { dim, descending }) => valuesIndices(x!.sort(dim, descending)),
    backward: gatheredBackward,
  },
  topk: {
    forward: ([x], { k, dim, largest }) => valuesIndices(x!.topk(k, dim, largest)),
    backward: gatheredBackward,
  },
  argsort: {
    differentiable: false,
    forward: ([x], { dim, descending }) => sortIndices(x!, dim, descending),
    backward: noGradient('argsort'),
  },
  unique: {
    differentiable: false,
    forward: ([x], { options }) => {
      const r = x!.unique(options);
      if (!('values' in r)) return r;
      const aux = [r.inverse, r.counts].filter((a): a is NDArray => a !== undefined);
      return { out: r.values, aux };
    },
    backward: noGradient('unique'),
  },
  bincount: {
    differentiable: false,
    forward: ([x, weights], { minlength }) => x!.bincount({ weights: weights ?? null, minlength }),
    backward: noGradient('bincount'),
  },
  isclose: {
    differentiable: false,
    forward: ([a, b], { other, rtol, atol, equalNan }) =>
      a!.isclose(b ?? other!, rtol, atol, equalNan),
    backward: noGradient('isclose'),
  },
  nanToNum: {
    saveInputs: () => [0],
    forward: ([x], { nan, posinf, neginf }) => x!.nanToNum(nan, posinf, neginf),
    // The replaced entries are constants: no gradient flows to them.
    backward: (g, c) => [g.where(c.input(0).value.isfinite(), 0)],
  },
});
