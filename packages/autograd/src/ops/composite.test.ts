/**
 * The differentiable ops of issue 14 at the autograd level, against PyTorch: for every case of
 * @gd/tensor's fixtures/ops.json that PyTorch differentiates, gd's values and the float64
 * gradient of sum(out * cos(arange)) must equal PyTorch's, and gradcheck must pass.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as T from '@gd/tensor';
import type { Tensor } from '../index.js';
import { arange, cos, einsum, meshgrid, tensor, topk } from '../index.js';
import { gradcheck } from '../gradcheck.js';

interface OpCase {
  name: string;
  torch: string;
  inputs: Record<string, { data: unknown; dtype: string }>;
  outputs: unknown[];
  grads?: Record<string, unknown>;
}

const require = createRequire(import.meta.url);
const CASES = (
  JSON.parse(readFileSync(require.resolve('@gd/tensor/fixtures/ops.json'), 'utf8')) as OpCase[]
).filter((c) => c.grads);

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

// gd's call for each differentiable case; the first output is the differentiated one.
const GD: Record<string, (x: Tensor, y: Tensor) => Tensor> = {
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
  meshgridIj: (x, y) => meshgrid([x, y])[0]!,
  meshgridXy: (x, y) => meshgrid([x, y], { indexing: 'xy' })[0]!,
  nanToNum: (x) => x.nanToNum(),
  cumprod1: (x) => x.cumprod(1),
  cumprod0Zero: (x) => x.cumprod(0),
  sort: (x) => x.sort().values,
  sortDesc0: (x) => x.sort(0, true)[0],
  topk: (x) => x.topk(2).values,
  topkSmallest0: (x) => topk(x, 2, 0, false).values,
  einsumMatmul: (x, y) => einsum('ij,jk->ik', x, y),
  einsumBatched: (x, y) => einsum('bij,bjk->bik', x, y),
  einsumOuter: (x, y) => einsum('i,j->ij', x, y),
  einsumTrace: (x) => einsum('ii->', x),
  einsumDiag: (x) => einsum('ii->i', x),
  einsumTranspose: (x) => einsum('ij->ji', x),
  einsumMulti: (x, y) => einsum('ijk,jkl->il', x, y),
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

function flat(v: unknown): number[] {
  return [v].flat(Infinity) as number[];
}

function expectClose(actual: unknown, expected: unknown, what: string): void {
  const a = flat(actual);
  const e = flat(decode(expected));
  expect(a.length, what).toBe(e.length);
  a.forEach((x, i) => {
    if (Number.isNaN(e[i]!)) expect(x, what).toBeNaN();
    else expect(Math.abs(x - e[i]!), `${what}[${i}]: ${x} vs ${e[i]}`).toBeLessThanOrEqual(1e-10);
  });
}

describe('gradients of the ops of issue 14 equal PyTorch’s (float64)', () => {
  it('every differentiable fixture case has a gd call', () => {
    for (const c of CASES) expect(GD[c.name], c.name).toBeDefined();
  });
  it.each(CASES)('$name: $torch', (c) => {
    const leaf = (k: string) =>
      tensor(decode(c.inputs[k]!.data) as number[], { dtype: 'float64', requiresGrad: true });
    const x = leaf('x');
    const y = c.inputs.y ? leaf('y') : x;
    const out = GD[c.name]!(x, y);
    expectClose(out.toArray(), c.outputs[0], 'value');
    const w = cos(arange(out.numel(), { dtype: 'float64' })).reshape(out.shape);
    out.mul(w).sum().backward();
    for (const [k, g] of Object.entries(c.grads!)) {
      const t = k === 'x' ? x : y;
      if (g === null) expect(t.grad).toBeNull();
      else expectClose(t.grad!.toArray(), g, `grad of ${k}`);
    }
  });
  it.each(CASES.filter((c) => c.name !== 'nanToNum'))('$name: gradcheck', (c) => {
    const leaf = (k: string) =>
      tensor(decode(c.inputs[k]!.data) as number[], { dtype: 'float64', requiresGrad: true });
    const inputs = c.inputs.y ? [leaf('x'), leaf('y')] : [leaf('x')];
    const fn = (a: Tensor, b?: Tensor) => GD[c.name]!(a, b ?? a);
    expect(gradcheck(fn, inputs)).toBe(true);
  });
});

describe('mixing levels and indices', () => {
  it('sort/topk indices are int32 Tensors outside the graph', () => {
    const x = tensor([3, 1, 2], { requiresGrad: true });
    const { values, indices } = x.sort();
    expect(values.requiresGrad).toBe(true);
    expect(indices.requiresGrad).toBe(false);
    expect(indices.dtype).toBe('int32');
  });
  it('einsum takes NDArrays as constants', () => {
    const w = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    einsum('ij,j->i', w, T.tensor([1, 1]))
      .sum()
      .backward();
    expect(w.grad!.toArray()).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });
});
