/**
 * The ops of issue 14 against PyTorch: every case of fixtures/ops.json (made by
 * tooling/fixtures/generate-ops.mjs) is run here with gd's call of the same name and must give
 * PyTorch's outputs and dtypes (int64 is gd's int32). Edge cases and errors follow.
 */
import { describe, expect, it } from 'vitest';
import opsJson from '../../fixtures/ops.json' with { type: 'json' };
import type { DType, NDArray } from '../index.js';
import { arange, tensor } from '../index.js';
import { bincount, einsum, meshgrid, topk, unique } from '../functional.js';
import type { UniqueResult } from '../index.js';

/** One case of the fixture file. */
export interface OpCase {
  name: string;
  torch: string;
  inputs: Record<string, { data: unknown; dtype: string }>;
  outputs: unknown[];
  dtypes: string[];
  grads?: Record<string, unknown>;
}

const decode = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(decode)
    : v === 'nan'
      ? NaN
      : v === 'inf'
        ? Infinity
        : v === '-inf'
          ? -Infinity
          : v;

// A JSON module (not a file read), so a bundle for the browser carries it.
export const CASES = opsJson as unknown as OpCase[];

const GD_DTYPE: Record<string, DType> = {
  float64: 'float64',
  float32: 'float32',
  int64: 'int32',
  bool: 'bool',
};

function input(c: OpCase, k: string): NDArray {
  const spec = c.inputs[k]!;
  return tensor(decode(spec.data) as number[], { dtype: GD_DTYPE[spec.dtype]! });
}

type Outputs = NDArray | readonly NDArray[] | UniqueResult<NDArray>;

// gd's call for each case, by name: a missing one fails the suite.
const GD: Record<string, (x: NDArray, y: NDArray) => Outputs> = {
  flip0: (x) => x.flip(0),
  flip01: (x) => x.flip([0, 1]),
  roll0: (x) => x.roll(1, 0),
  roll2: (x) => x.roll([1, -2], [0, 1]),
  rollFlat: (x) => x.roll(3),
  tril: (x) => x.tril(),
  tril1: (x) => x.tril(1),
  triuNeg: (x) => x.triu(-1),
  diagVec: (x) => x.diag(),
  diagVec1: (x) => x.diag(1),
  diagVecNeg: (x) => x.diag(-2),
  diagMat: (x) => x.diag(),
  diagMat1: (x) => x.diag(1),
  diagMatNeg: (x) => x.diag(-2),
  repeatInterleave: (x) => x.repeatInterleave(2),
  repeatInterleaveDim: (x) => x.repeatInterleave([1, 0, 2], 1),
  meshgridIj: (x, y) => meshgrid([x, y]),
  meshgridXy: (x, y) => meshgrid([x, y], { indexing: 'xy' }),
  nanToNum: (x) => x.nanToNum(),
  nanToNumArgs: (x) => x.nanToNum(1, 2, -3),
  cumprod1: (x) => x.cumprod(1),
  cumprod0Zero: (x) => x.cumprod(0),
  cumprodInt: (x) => x.cumprod(0),
  sort: (x) => [...x.sort()],
  sortDesc0: (x) => [...x.sort({ dim: 0, descending: true })],
  argsort: (x) => x.argsort(1),
  argsortDesc: (x) => x.argsort(0, true),
  topk: (x) => [...x.topk(2)],
  topkSmallest0: (x) => [...topk(x, 2, { dim: 0, largest: false })],
  unique: (x) => {
    const r = unique(x, { returnInverse: true, returnCounts: true }) as UniqueResult<NDArray>;
    return [r.values, r.inverse!, r.counts!];
  },
  uniqueFloat: (x) => unique(x),
  uniqueDim0: (x) => {
    const r = unique(x, {
      dim: 0,
      returnInverse: true,
      returnCounts: true,
    }) as UniqueResult<NDArray>;
    return [r.values, r.inverse!, r.counts!];
  },
  uniqueDim1: (x) => unique(x, { dim: 1 }),
  bincount: (x) => bincount(x),
  bincountWeights: (x, y) => x.bincount({ weights: y, minlength: 7 }),
  isclose: (x, y) => x.isclose(y),
  iscloseNan: (x, y) => x.isclose(y, 0.2, 0, true),
  einsumMatmul: (x, y) => einsum('ij,jk->ik', x, y),
  einsumBatched: (x, y) => einsum('bij,bjk->bik', x, y),
  einsumOuter: (x, y) => einsum('i,j->ij', x, y),
  einsumTrace: (x) => einsum('ii->', x),
  einsumDiag: (x) => einsum('ii->i', x),
  einsumTranspose: (x) => einsum('ij->ji', x),
  einsumMulti: (x, y) => einsum('ijk,jkl->il', [x, y]),
  einsumImplicit: (x, y) => einsum('ij,jk', x, y),
  einsumAttention: (x, y) => einsum('bhqd,bhkd->bhqk', x, y),
  einsumFrobenius: (x, y) => einsum('ij,ij->', x, y),
  einsumSumOut: (x) => einsum('ij->i', x),
  einsumEllipsisBatched: (x, y) => einsum('...ij,...jk->...ik', x, y),
  einsumEllipsisSumOut: (x) => einsum('...ij->ij', x),
  einsumEllipsisImplicit: (x) => einsum('i...', x),
  einsumEllipsisMiddle: (x, y) => einsum('b...i,b...i->b...', x, y),
  einsumEllipsisNone: (x) => einsum('ij->...ji', x),
};

// F.oneHot lives in @gd/nn; its cases are checked there.
const ELSEWHERE = new Set(['oneHot', 'oneHotInfer']);

function close(actual: unknown, expected: unknown, path = ''): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true);
    expect((actual as unknown[]).length, `${path} length`).toBe(expected.length);
    expected.forEach((e, i) => close((actual as unknown[])[i], e, `${path}[${i}]`));
    return;
  }
  if (typeof expected === 'number' && typeof actual === 'number') {
    if (Number.isNaN(expected)) expect(actual, path).toBeNaN();
    else if (!Number.isFinite(expected)) expect(actual, path).toBe(expected);
    else
      expect(Math.abs(actual - expected), `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
        1e-12 + 1e-6 * Math.abs(expected),
      );
    return;
  }
  expect(actual, path).toEqual(expected);
}

describe('the ops of issue 14 give PyTorch’s outputs', () => {
  it('every fixture case has a gd call', () => {
    for (const c of CASES) if (!ELSEWHERE.has(c.name)) expect(GD[c.name], c.name).toBeDefined();
  });
  it.each(CASES.filter((c) => !ELSEWHERE.has(c.name)))('$name: $torch', (c) => {
    const x = input(c, 'x');
    const y = c.inputs.y ? input(c, 'y') : x;
    const result = GD[c.name]!(x, y);
    const outs = (result instanceof Array ? result : [result]) as NDArray[];
    expect(outs.length).toBe(c.outputs.length);
    outs.forEach((o, i) => {
      expect(o.dtype, `output ${i} dtype`).toBe(GD_DTYPE[c.dtypes[i]!]);
      close(o.toArray(), decode(c.outputs[i]), `output ${i}`);
    });
  });
});

describe('edge cases and errors', () => {
  it('sort and topk results destructure and have .values/.indices', () => {
    const x = tensor([3, 1, 2]);
    const [v, i] = x.sort();
    expect(v!.toArray()).toEqual([1, 2, 3]);
    expect(i!.toArray()).toEqual([1, 2, 0]);
    expect(x.topk(1).values.toArray()).toEqual([3]);
    expect(x.topk(1).indices.dtype).toBe('int32');
  });
  it('sort puts NaN last ascending and first descending, keeping equal values in order', () => {
    const x = tensor([2, NaN, 1, 2]);
    expect(x.argsort().toArray()).toEqual([2, 0, 3, 1]);
    expect(x.argsort({ descending: true }).toArray()).toEqual([1, 0, 3, 2]);
  });
  it('unique of floats keeps each NaN (as PyTorch 2 does)', () => {
    expect((unique(tensor([NaN, 1, NaN])) as NDArray).toArray()).toEqual([1, NaN, NaN]);
  });
  it('empty and 0-d inputs', () => {
    expect(tensor([]).sort().values.shape).toEqual([0]);
    expect(tensor(5).sort().values.toArray()).toEqual(5);
    expect(tensor([]).roll(2).shape).toEqual([0]);
    expect(einsum('i,i->', tensor([]), tensor([])).toArray()).toEqual(0);
  });
  it('errors name the function and the argument', () => {
    const x = arange(6, { dtype: 'float64' }).reshape(2, 3);
    expect(() => x.topk(4)).toThrow('topk: k (4) must be in [0, 3], the size of dim -1');
    expect(() => x.sort({ dims: 0 } as never)).toThrow("sort: unknown option 'dims'");
    expect(() => x.flip('0' as never)).toThrow(
      'flip: dims must be an integer dim or an array of them',
    );
    expect(() => x.roll([1, 2], 0)).toThrow('roll: shifts and dims must have the same length');
    expect(() => x.tril(0.5)).toThrow('tril: diagonal must be an integer');
    expect(() => arange(3).tril()).toThrow('tril: input tensor must have at least 2 dimensions');
    expect(() => x.repeatInterleave([1, 2])).toThrow(
      'repeatInterleave: repeats must have the same size',
    );
    expect(() => einsum('ij,jk->ik', x)).toThrow(
      'einsum: the equation has 2 operands, but 1 tensor was given',
    );
    expect(() => einsum('ij,jk->ik', x, x)).toThrow(
      "einsum: subscript 'j' has size 3 in one operand and 2 in another",
    );
    expect(() => einsum('ij->k', x)).toThrow(
      "einsum: output subscript 'k' does not appear in the inputs",
    );
    expect(() => einsum('...i...->i', x)).toThrow('einsum: more than one ellipsis in "...i..."');
    expect(() => einsum('i.j->ij', x)).toThrow("einsum: invalid subscript '.'");
    expect(() => einsum('...ijk->ij', x)).toThrow(
      'einsum: operand 0 has 2 dims but its subscripts "...ijk" name 3 besides the ellipsis',
    );
    expect(() =>
      einsum('...i,...i->...', arange(6).reshape(2, 3), arange(9).reshape(3, 3)),
    ).toThrow('einsum: the dims the ellipsis covers do not broadcast (2 and 3)');
    expect(() => einsum('ijk->', x)).toThrow(
      'einsum: operand 0 has 2 dims but its subscripts "ijk" name 3',
    );
    expect(() => bincount(tensor([1, -1], { dtype: 'int32' }))).toThrow(
      'bincount: input must be non-negative, got -1',
    );
    expect(() => bincount(x)).toThrow('bincount: input must be a 1-d int32 array, got 2-d float64');
    expect(() => meshgrid([x])).toThrow(
      'meshgrid: expects 0-d or 1-d tensors, got 2-d at position 0',
    );
    expect(() => x.isclose(x, '1' as never)).toThrow('isclose: rtol must be a number');
  });
});
