/**
 * The calls issue 14 found giving a wrong answer with no error in plain JavaScript, each now
 * either computing PyTorch's answer (where PyTorch accepts the form) or throwing a message that
 * names the function and the parameter. Expected values are PyTorch 1.13's for the same calls.
 */
import { describe, expect, it } from 'vitest';
import * as T from '@gd/tensor';
import { exp as arrayExp } from '@gd/tensor/functional';
import type { Tensor } from './index.js';
import { cat, clamp, mean, stack, sum, tensor } from './index.js';
import { gradcheck } from './gradcheck.js';

// Plain JavaScript: the calls below are what TypeScript would reject, so types are erased.
const js = <V>(v: V): any => v; // eslint-disable-line @typescript-eslint/no-explicit-any

const levels = [
  ['NDArray', (d: number[][] | number[]) => T.tensor(d)],
  ['Tensor', (d: number[][] | number[]) => tensor(d)],
] as const;

describe.each(levels)('%s: the forms PyTorch accepts', (_, make) => {
  it('a plain list indexes by value: a[[0, 2]]', () => {
    const a = make([10, 11, 12, 13]);
    expect(a.index(js([0, 2])).toArray()).toEqual([10, 12]);
    expect(
      make([
        [1, 2],
        [3, 4],
      ])
        .index(js([1, 0]), js([0, 1]))
        .toArray(),
    ).toEqual([3, 2]);
    expect(a.index(js([true, false, true, false])).toArray()).toEqual([10, 12]);
    expect(() => a.index(js([0.5]))).toThrow(/index: a list used as an index must hold integers/);
    expect(() => a.index(js({ begin: 1 }))).toThrow(
      "index: unknown option 'begin' (accepted: start, end, step)",
    );
  });

  it('clamp({ min }) and clamp({ min, max }) clamp', () => {
    const x = make([-2, -0.5, 0.5, 2]);
    expect(x.clamp(js({ min: 0 })).toArray()).toEqual([0, 0, 0.5, 2]);
    expect(x.clamp(js({ max: 1, min: -1 })).toArray()).toEqual([-1, -0.5, 0.5, 1]);
    expect(x.clip(js({ max: 0 })).toArray()).toEqual([-2, -0.5, 0, 0]);
    expect(() => x.clamp(js({ lo: 0 }))).toThrow("clamp: unknown option 'lo' (accepted: min, max)");
    expect(() => x.clamp(js('0'))).toThrow(
      'clamp: min must be a number or tensor, got the string "0"',
    );
    expect(() => x.clamp(js({}))).toThrow("clamp: at least one of 'min' or 'max' must not be None");
    expect(x.clamp(0, js({ max: 1 })).toArray()).toEqual([0, 0, 0.5, 1]); // clamp(0, max=1)
    expect(() => x.clamp(js({ min: 0 }), 1)).toThrow(
      'clamp: min must be a number or tensor, got an object {min}; did you mean clamp({ min, max }) or clamp(min, max)?',
    );
  });

  it('clamp with tensor bounds broadcasts (min wins where the bounds cross)', () => {
    const x = make([
      [-2, 0, 2],
      [1, 5, -1],
    ]);
    const lo = make([-1, 1, 3]);
    expect(x.clamp(js(lo), js(make([0, 2, 2]))).toArray()).toEqual([
      [-1, 1, 3],
      [0, 2, 3],
    ]);
  });

  it("gelu({ approximate: 'tanh' }) is the tanh formula", () => {
    const x = make([-1, 0.5, 2]);
    // torch.nn.functional.gelu(torch.tensor([-1., .5, 2.]), approximate='tanh')
    const expected = [-0.15880802, 0.34571401, 1.95459771];
    const got = x.gelu(js({ approximate: 'tanh' })).toArray() as number[];
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    expect(x.gelu(js({ approximate: 'tanh' })).toArray()).toEqual(x.gelu('tanh').toArray());
    expect(x.gelu(js({ approximate: 'tanh' })).toArray()).not.toEqual(x.gelu().toArray());
    expect(() => x.gelu(js('Tanh'))).toThrow(
      "gelu: approximate must be one of 'none', 'tanh', got the string \"Tanh\"",
    );
    expect(() => x.gelu(js({ approx: 'tanh' }))).toThrow("gelu: unknown option 'approx'");
  });

  it('mean({ dim, keepdim }) and the other reductions take the keyword form', () => {
    const x = make([
      [1, 2],
      [3, 5],
    ]);
    expect(x.mean(js({ dim: 1, keepdim: true })).toArray()).toEqual([[1.5], [4]]);
    expect(x.sum(js({ dim: 0 })).toArray()).toEqual([4, 7]);
    expect(x.sum(1, js({ keepdim: true })).toArray()).toEqual([[3], [8]]);
    expect(x.amax(js({ dim: [0, 1] })).toArray()).toEqual(5);
    expect(x.argmax(js({ dim: 1 })).toArray()).toEqual([1, 1]);
    expect(x.var(js({ dim: 1, correction: 0 })).toArray()).toEqual([0.25, 1]);
    expect(x.logsumexp(js({ dim: 0 })).shape).toEqual([2]);
    expect(() => x.mean(js({ axis: 1 }))).toThrow("mean: unknown option 'axis'");
    expect(() => x.mean(js('1'))).toThrow(
      'mean: dim must be an integer dim, an array of integer dims, or null, got the string "1"',
    );
    expect(() => x.sum(0, js(1))).toThrow('sum: keepdim must be a boolean, got number 1');
    expect(() => js(x).sum(0, false, true)).toThrow('sum takes at most 2 arguments, got 3');
    expect(() => x.argmax(js([0, 1]))).toThrow('argmax: dim must be one integer dim');
  });

  it('max(dim)/min(dim) destructure as [values, indices] and have .values/.indices', () => {
    const x = make([
      [1, 7, 3],
      [9, 2, 4],
    ]);
    const [v, i] = x.max(1);
    expect(v!.toArray()).toEqual([7, 9]);
    expect(i!.toArray()).toEqual([1, 0]);
    const r = x.min(js({ dim: 0, keepdim: true }));
    expect(r.values.toArray()).toEqual([[1, 2, 3]]);
    expect(r.indices.toArray()).toEqual([[0, 1, 0]]);
    expect(r[0]).toBe(r.values);
    expect(r[1]).toBe(r.indices);
    expect(r.length).toBe(2);
    expect(x.max().toArray()).toEqual(9);
    expect(() => x.max(js('1'))).toThrow(/max: dim must be an integer dim/);
    expect(() => x.max(js(1.5))).toThrow(/max: dim must be an integer dim/);
  });

  it("tolist(), long() and dtype 'int64' (gd's integer type, int32)", () => {
    const x = make([[1.5, -2.7]]);
    expect(x.tolist()).toEqual(x.toArray());
    expect(x.long().dtype).toBe('int32');
    expect(x.long().toArray()).toEqual([[1, -2]]);
    expect(x.to('int64').dtype).toBe('int32');
    expect(() => x.to(js('int16'))).toThrow(/to: unknown dtype "int16"/);
  });
});

describe('mixing NDArray and autograd Tensor', () => {
  it('NDArray ops refuse an autograd Tensor with how to convert', () => {
    const a = T.tensor([1, 2, 3]);
    const t = tensor([1, 2, 3]);
    expect(() => a.add(js(t))).toThrow(
      /add: other must be an NDArray, a number or a boolean, got an autograd Tensor; an autograd Tensor is converted with t.value/,
    );
    expect(() => a.mul_(js(t))).toThrow(/mul_: other must be/);
    expect(() => T.cat([a, js(t)])).toThrow(/cat: tensors\[1\] is an autograd Tensor/);
    expect(() => T.tensor(js(t))).toThrow(/tensor: data is an autograd Tensor/);
    expect(() => a.add(js({}))).toThrow(
      'add: other must be an NDArray, a number or a boolean, got an object {}',
    );
  });

  it('Tensor ops take an NDArray as a constant (no gradient flows to it)', () => {
    const w = tensor([1, 2, 3], { requiresGrad: true });
    const a = T.tensor([10, 20, 30]);
    const y = w.mul(js(a)).sum();
    y.backward();
    expect(w.grad!.toArray()).toEqual([10, 20, 30]);
    expect(w.add(js(a)).toArray()).toEqual([11, 22, 33]);
    expect(() => w.add(js('1'))).toThrow(
      'add: other must be a Tensor, an NDArray, a number or a boolean, got the string "1"',
    );
  });

  it('autograd cat/stack take Tensors and NDArrays together', () => {
    const t = tensor([1, 2], { requiresGrad: true });
    const out = cat([t, js(T.tensor([3]))]);
    expect(out.toArray()).toEqual([1, 2, 3]);
    out
      .mul(tensor([1, 2, 3]))
      .sum()
      .backward();
    expect(t.grad!.toArray()).toEqual([1, 2]);
    expect(stack([t.detach(), js(T.tensor([5, 6]))]).shape).toEqual([2, 2]);
    expect(() => cat([t, js(3)])).toThrow(
      'cat: tensors[1] must be a Tensor or an NDArray, got number 3',
    );
    expect(() => cat(js(t))).toThrow(
      'cat: tensors must be an array of Tensors, got an autograd Tensor',
    );
  });

  it('function forms check their input and forward every call form', () => {
    const x = tensor([
      [1, 2],
      [3, 5],
    ]);
    expect(mean(x, js({ dim: 1, keepdim: true })).toArray()).toEqual([[1.5], [4]]);
    expect(sum(x, 0).toArray()).toEqual([4, 7]);
    expect(clamp(x, js({ min: 2 })).toArray()).toEqual([
      [2, 2],
      [3, 5],
    ]);
    expect(() => mean(js(3))).toThrow('mean: input must be a Tensor, got number 3');
    expect(() => arrayExp(js(tensor([1])))).toThrow(
      /exp: input must be an NDArray, got an autograd Tensor/,
    );
  });
});

describe('gradients of the new forms', () => {
  it('clamp with tensor bounds and the keyword forms are differentiable (gradcheck, float64)', () => {
    const x = tensor(
      [
        [-2, 0.3, 2],
        [1, 5, -1],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    const lo = tensor([-1, 0.1, 3], { dtype: 'float64', requiresGrad: true });
    const hi = tensor([0, 2, 4], { dtype: 'float64', requiresGrad: true });
    expect(
      gradcheck((a: Tensor, l: Tensor, h: Tensor) => a.clamp({ min: l, max: h }), [x, lo, hi]),
    ).toBe(true);
    expect(gradcheck((a: Tensor) => a.mean({ dim: 1, keepdim: true }), [x])).toBe(true);
    expect(gradcheck((a: Tensor) => a.gelu({ approximate: 'tanh' }), [x])).toBe(true);
  });
});
