/**
 * The function forms (`exp(x)` for `x.exp()`): each must give exactly what its method gives,
 * and the binary ones accept JS scalars on either side with PyTorch's promotion.
 */
import { describe, expect, it } from 'vitest';

import * as F from './functional.js';
import type { NDArray, UnaryOp } from './index.js';
import { arange, tensor } from './index.js';

const f64 = (data: number[] | number[][]): NDArray => tensor(data, { dtype: 'float64' });
const x = (): NDArray =>
  f64([
    [-1.5, 0.25, 2],
    [3, -0.5, 1],
  ]);
const pos = (): NDArray =>
  f64([
    [0.5, 1, 2],
    [3, 4, 5],
  ]);

function same(a: NDArray, b: NDArray): void {
  expect(a.shape).toEqual(b.shape);
  expect(a.dtype).toBe(b.dtype);
  expect(a.equal(b) || a.allclose(b, 0, 0, true)).toBe(true);
}

// name -> [function form, method form]; every export of functional.ts must appear here
const CASES: Record<string, [() => unknown, () => unknown]> = {
  add: [() => F.add(x(), pos(), 2), () => x().add(pos(), 2)],
  sub: [() => F.sub(x(), pos(), 0.5), () => x().sub(pos(), 0.5)],
  mul: [() => F.mul(x(), pos()), () => x().mul(pos())],
  div: [() => F.div(x(), pos()), () => x().div(pos())],
  pow: [() => F.pow(pos(), x()), () => pos().pow(x())],
  remainder: [() => F.remainder(x(), 0.75), () => x().remainder(0.75)],
  floorDivide: [() => F.floorDivide(x(), 0.75), () => x().floorDivide(0.75)],
  maximum: [() => F.maximum(x(), 0), () => x().maximum(0)],
  minimum: [() => F.minimum(x(), 0), () => x().minimum(0)],
  atan2: [() => F.atan2(x(), pos()), () => x().atan2(pos())],
  eq: [() => F.eq(x(), 2), () => x().eq(2)],
  ne: [() => F.ne(x(), 2), () => x().ne(2)],
  lt: [() => F.lt(x(), 1), () => x().lt(1)],
  le: [() => F.le(x(), 1), () => x().le(1)],
  gt: [() => F.gt(x(), 1), () => x().gt(1)],
  ge: [() => F.ge(x(), 1), () => x().ge(1)],
  logicalAnd: [() => F.logicalAnd(x(), x().gt(0)), () => x().logicalAnd(x().gt(0))],
  logicalOr: [() => F.logicalOr(x(), 0), () => x().logicalOr(0)],
  logicalXor: [() => F.logicalXor(x(), true), () => x().logicalXor(true)],
  neg: [() => F.neg(x()), () => x().neg()],
  abs: [() => F.abs(x()), () => x().abs()],
  sign: [() => F.sign(x()), () => x().sign()],
  exp: [() => F.exp(x()), () => x().exp()],
  log: [() => F.log(pos()), () => pos().log()],
  log2: [() => F.log2(pos()), () => pos().log2()],
  log1p: [() => F.log1p(pos()), () => pos().log1p()],
  expm1: [() => F.expm1(x()), () => x().expm1()],
  sqrt: [() => F.sqrt(pos()), () => pos().sqrt()],
  rsqrt: [() => F.rsqrt(pos()), () => pos().rsqrt()],
  reciprocal: [() => F.reciprocal(x()), () => x().reciprocal()],
  square: [() => F.square(x()), () => x().square()],
  sin: [() => F.sin(x()), () => x().sin()],
  cos: [() => F.cos(x()), () => x().cos()],
  tan: [() => F.tan(x()), () => x().tan()],
  tanh: [() => F.tanh(x()), () => x().tanh()],
  sigmoid: [() => F.sigmoid(x()), () => x().sigmoid()],
  relu: [() => F.relu(x()), () => x().relu()],
  gelu: [() => F.gelu(x(), 'tanh'), () => x().gelu('tanh')],
  silu: [() => F.silu(x()), () => x().silu()],
  softplus: [() => F.softplus(x()), () => x().softplus()],
  leakyRelu: [() => F.leakyRelu(x(), 0.3), () => x().leakyRelu(0.3)],
  erf: [() => F.erf(x()), () => x().erf()],
  floor: [() => F.floor(x()), () => x().floor()],
  ceil: [() => F.ceil(x()), () => x().ceil()],
  round: [() => F.round(x()), () => x().round()],
  trunc: [() => F.trunc(x()), () => x().trunc()],
  clamp: [() => F.clamp(x(), null, 1), () => x().clamp(null, 1)],
  logicalNot: [() => F.logicalNot(x()), () => x().logicalNot()],
  isnan: [() => F.isnan(x().log()), () => x().log().isnan()],
  isinf: [() => F.isinf(x().reciprocal()), () => x().reciprocal().isinf()],
  isfinite: [() => F.isfinite(x().log()), () => x().log().isfinite()],
  sum: [() => F.sum(x(), 1, true), () => x().sum(1, true)],
  mean: [() => F.mean(x(), [0, 1]), () => x().mean([0, 1])],
  prod: [() => F.prod(x(), 0), () => x().prod(0)],
  amax: [() => F.amax(x(), -1), () => x().amax(-1)],
  amin: [() => F.amin(x()), () => x().amin()],
  max: [() => F.max(x(), 1).indices, () => x().max(1).indices],
  min: [() => F.min(x(), 0, true).values, () => x().min(0, true).values],
  argmax: [() => F.argmax(x()), () => x().argmax()],
  argmin: [() => F.argmin(x(), 1, true), () => x().argmin(1, true)],
  norm: [() => F.norm(x(), 1, 1), () => x().norm(1, 1)],
  any: [() => F.any(x().gt(2), 1), () => x().gt(2).any(1)],
  all: [() => F.all(x(), 0, true), () => x().all(0, true)],
  cumsum: [() => F.cumsum(x(), 1), () => x().cumsum(1)],
  logsumexp: [() => F.logsumexp(x(), 1), () => x().logsumexp(1)],
  softmax: [() => F.softmax(x(), 0), () => x().softmax(0)],
  logSoftmax: [() => F.logSoftmax(x(), -1), () => x().logSoftmax(-1)],
  t: [() => F.t(x()), () => x().t()],
  transpose: [() => F.transpose(x(), 0, 1), () => x().transpose(0, 1)],
  permute: [() => F.permute(x(), [1, 0]), () => x().permute(1, 0)],
  reshape: [() => F.reshape(x(), [3, 2]), () => x().reshape(3, 2)],
  flatten: [() => F.flatten(x()), () => x().flatten()],
  squeeze: [() => F.squeeze(x().unsqueeze(0), 0), () => x().unsqueeze(0).squeeze(0)],
  unsqueeze: [() => F.unsqueeze(x(), 1), () => x().unsqueeze(1)],
  gather: [
    () => F.gather(x(), 1, tensor([[2], [0]], { dtype: 'int32' })),
    () => x().gather(1, tensor([[2], [0]], { dtype: 'int32' })),
  ],
  indexSelect: [
    () => F.indexSelect(x(), 1, tensor([2, 0], { dtype: 'int32' })),
    () => x().indexSelect(1, tensor([2, 0], { dtype: 'int32' })),
  ],
  maskedSelect: [() => F.maskedSelect(x(), x().gt(0)), () => x().maskedSelect(x().gt(0))],
  clone: [() => F.clone(x()), () => x().clone()],
  einsum: [() => F.einsum('ij,kj->ik', x(), pos()), () => x().matmul(pos().t())],
  meshgrid: [
    () => F.meshgrid([x().select(0, 0), pos().select(0, 1)])[1],
    () => pos().select(0, 1).unsqueeze(0).expand(3, 3),
  ],
  sort: [() => F.sort(x(), 1, true).values, () => x().sort(1, true).values],
  argsort: [() => F.argsort(x(), 0), () => x().argsort(0)],
  topk: [() => F.topk(x(), 2).indices, () => x().topk(2).indices],
  cumprod: [() => F.cumprod(x(), 1), () => x().cumprod(1)],
  unique: [() => F.unique(x().round()), () => x().round().unique()],
  bincount: [() => F.bincount(pos().int().reshape(-1)), () => pos().int().reshape(-1).bincount()],
  isclose: [() => F.isclose(x(), pos()), () => x().isclose(pos())],
  nanToNum: [() => F.nanToNum(x().log()), () => x().log().nanToNum()],
  tril: [() => F.tril(x(), 1), () => x().tril(1)],
  triu: [() => F.triu(x()), () => x().triu()],
  diag: [() => F.diag(x(), 1), () => x().diag(1)],
  repeatInterleave: [() => F.repeatInterleave(x(), 2, 0), () => x().repeatInterleave(2, 0)],
  roll: [() => F.roll(x(), 1, 1), () => x().roll(1, 1)],
  flip: [() => F.flip(x(), [0, 1]), () => x().flip([0, 1])],
};

describe('function forms match the methods', () => {
  it('every export of functional.ts is covered', () => {
    expect(Object.keys(F).sort()).toEqual(Object.keys(CASES).sort());
  });

  for (const [name, [fn, method]] of Object.entries(CASES)) {
    it(name, () => same(fn() as NDArray, method() as NDArray));
  }
});

describe('scalars in function forms', () => {
  it('accept a JS number on either side, with wrapped-number promotion', () => {
    const i = arange(4); // int32
    const twoPow = F.pow(2, i);
    expect(twoPow.dtype).toBe('int32');
    expect(twoPow.toArray()).toEqual([1, 2, 4, 8]);
    const r = F.sub(10, i, 2);
    expect(r.dtype).toBe('int32');
    expect(r.toArray()).toEqual([10, 8, 6, 4]);
    expect(F.div(1, i.add(1)).dtype).toBe('float32');
    expect(F.mul(i, 0.5).toArray()).toEqual([0, 0.5, 1, 1.5]);
    expect(F.maximum(1.5, f64([1, 2])).toArray()).toEqual([1.5, 2]);
    expect(F.lt(1, i).toArray()).toEqual([false, false, true, true]);
  });

  it('two scalars give a 0-d result', () => {
    const s = F.add(2, 3);
    expect(s.shape).toEqual([]);
    expect(s.dtype).toBe('int32');
    expect(s.item()).toBe(5);
    expect(F.div(1, 4).item()).toBe(0.25);
  });

  it('errors are the methods’ errors', () => {
    expect(() => F.add(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(
      /shapes \[2\] and \[3\] cannot be broadcast/,
    );
    expect(() => F.clamp(x())).toThrow(/at least one of 'min' or 'max'/);
    expect(() => F.sub(tensor([true]), tensor([false]))).toThrow(/two bool tensors/);
  });
});

describe('function forms follow the op registry', () => {
  it('every torch.* registry op has a function form here, and it equals the method', async () => {
    const { BINARY_REGISTRY, UNARY_REGISTRY, tensor, unaryEntry } = await import('./index.js');
    const { UNARY_OP_INFO } = await import('./op-info.js');
    const forms = F as unknown as Record<string, (...a: unknown[]) => { toArray(): unknown }>;
    const torchLevel = (Object.keys(UNARY_REGISTRY) as UnaryOp[])
      .map((op) => [op, unaryEntry(op), UNARY_OP_INFO[op]] as const)
      .filter(([, , i]) => !i.torch.startsWith('torch.nn.functional.') && i.via === undefined)
      .map(([op, e, i]) => {
        const sample: Record<string, number> = i.samples?.[0] ?? {};
        return [op, (e.params ?? []).map((p) => sample[p.name] ?? p.default)] as const;
      });
    const x = tensor([-1.5, 0.25, 2], { dtype: 'float64' });
    for (const [op, args] of torchLevel) {
      expect(forms[op], op).toBeTypeOf('function');
      const method = (x as unknown as Record<string, (...a: number[]) => { toArray(): unknown }>)[
        op
      ]!;
      expect(forms[op]!(x, ...args).toArray()).toEqual(method.call(x, ...args).toArray());
    }
    for (const op of Object.keys(BINARY_REGISTRY)) expect(forms[op], op).toBeTypeOf('function');
  });
});
