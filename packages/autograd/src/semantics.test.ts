/**
 * PyTorch's autograd semantics, checked on gd: gradFn names, leaves, backward options, freed
 * graphs, detach, retainGrad, hooks, grad modes, grad(), higher-order gradients, in-place rules,
 * anomaly detection and gradcheck. Expected values and messages come from PyTorch 1.13 (scripts
 * run outside the repo); message checks use the part of PyTorch's text that gd reproduces.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Tensor } from './index.js';
import {
  AccumulateGrad,
  defineOps,
  detectAnomaly,
  enableGrad,
  grad,
  isAnomalyEnabled,
  isGradEnabled,
  noGrad,
  onesLike,
  randn,
  runOp,
  setGradEnabled,
  tensor,
  where,
  zeros,
} from './index.js';
import { gradcheck } from './gradcheck.js';

function flat(t: Tensor): number[] {
  return (t.value.contiguous().toArray() as unknown[]).flat(Infinity) as number[];
}

function expectAllClose(
  actual: readonly number[],
  expected: readonly number[],
  atol = 1e-12,
): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    if (!(Math.abs(a - expected[i]!) <= atol))
      throw new Error(`element ${i}: got ${a}, expected ${expected[i]}`);
  });
}

afterEach(() => {
  setGradEnabled(true);
  vi.restoreAllMocks();
});

describe('gradFn names (PyTorch 1.13 prints the same)', () => {
  const x = randn([3, 4], { requiresGrad: true });
  const v = randn([4], { requiresGrad: true });
  const m = randn([4, 5], { requiresGrad: true });
  const cases: [string, string, () => Tensor][] = [
    ['x * 2', 'MulBackward0', () => x.mul(2)],
    ['x + 1', 'AddBackward0', () => x.add(1)],
    ['x - 1', 'SubBackward0', () => x.sub(1)],
    ['x / 2', 'DivBackward0', () => x.div(2)],
    ['x ** 2', 'PowBackward0', () => x.pow(2)],
    ['x.square()', 'PowBackward0', () => x.square()],
    ['-x', 'NegBackward0', () => x.neg()],
    ['x.exp()', 'ExpBackward0', () => x.exp()],
    ['x.sin()', 'SinBackward0', () => x.sin()],
    ['x.tanh()', 'TanhBackward0', () => x.tanh()],
    ['x.sigmoid()', 'SigmoidBackward0', () => x.sigmoid()],
    ['x.relu()', 'ReluBackward0', () => x.relu()],
    ['x.abs()', 'AbsBackward0', () => x.abs()],
    ['x.sum()', 'SumBackward0', () => x.sum()],
    ['x.sum(0)', 'SumBackward1', () => x.sum(0)],
    ['x.mean()', 'MeanBackward0', () => x.mean()],
    ['x.mean(0)', 'MeanBackward1', () => x.mean(0)],
    ['x.max()', 'MaxBackward1', () => x.max()],
    ['x.max(0).values', 'MaxBackward0', () => x.max(0).values],
    ['x.amax(0)', 'AmaxBackward0', () => x.amax(0)],
    ['x.prod()', 'ProdBackward0', () => x.prod()],
    ['x.t()', 'TBackward0', () => x.t()],
    ['x.T', 'PermuteBackward0', () => x.T],
    ['x.view(12)', 'ViewBackward0', () => x.view(12)],
    ['x.transpose(0, 1)', 'TransposeBackward0', () => x.transpose(0, 1)],
    ['x.permute(1, 0)', 'PermuteBackward0', () => x.permute(1, 0)],
    ['x.unsqueeze(0)', 'UnsqueezeBackward0', () => x.unsqueeze(0)],
    ['x[0:1].expand(3, 4)', 'ExpandBackward0', () => x.slice(0, 0, 1).expand(3, 4)],
    ['x.select(0, 1)', 'SelectBackward0', () => x.select(0, 1)],
    ['x[0:2]', 'SliceBackward0', () => x.slice(0, 0, 2)],
    ['x.narrow(0, 0, 2)', 'SliceBackward0', () => x.narrow(0, 0, 2)],
    ['x.clone()', 'CloneBackward0', () => x.clone()],
    ['x.t().contiguous()', 'CloneBackward0', () => x.t().contiguous()],
    ['x.double()', 'ToCopyBackward0', () => x.double()],
    ['x @ m (2-d)', 'MmBackward0', () => x.matmul(m)],
    ['x.mm(m)', 'MmBackward0', () => x.mm(m)],
    ['v.outer(v)', 'MulBackward0', () => v.outer(v)],
    ['x.softmax(1)', 'SoftmaxBackward0', () => x.softmax(1)],
    ['x.logSoftmax(1)', 'LogSoftmaxBackward0', () => x.logSoftmax(1)],
    ['x.var()', 'VarBackward0', () => x.var()],
    ['x.norm()', 'NormBackward1', () => x.norm()],
    ['x.cumsum(0)', 'CumsumBackward0', () => x.cumsum(0)],
    ['x.logsumexp(1)', 'LogsumexpBackward0', () => x.logsumexp(1)],
    ['where(x > 0, x, 0)', 'WhereBackward0', () => where(x.gt(0), x, 0)],
    ['x.maximum(x)', 'MaximumBackward0', () => x.maximum(x)],
  ];
  it.each(cases)('%s -> %s', (_label, name, make) => {
    const y = make();
    expect(y.gradFn!.name).toBe(name);
    expect(y.toString()).toContain(`grad_fn=<${name}>`);
  });

  // Documented, not forced: PyTorch names 1-d and batched products differently (x @ v ->
  // MvBackward0, v @ v -> DotBackward0, 3-d @ 3-d -> UnsafeViewBackward0, bmm -> BmmBackward0);
  // gd records every product as one matmul node.
  it('matmul in other ranks is one node (gd names it MmBackward0) with the right gradients', () => {
    const a = tensor(
      [
        [1.0, 2.0],
        [3.0, 4.0],
      ],
      { requiresGrad: true },
    );
    const b = tensor([5.0, -1.0], { requiresGrad: true });
    const y = a.matmul(b);
    expect(y.gradFn!.name).toBe('MmBackward0');
    y.sum().backward();
    expect(a.grad!.toArray()).toEqual([
      [5, -1],
      [5, -1],
    ]);
    expect(flat(b.grad!)).toEqual([4, 6]);
  });

  it('the leaf end of the graph is AccumulateGrad, holding the leaf', () => {
    const a = tensor([1.0], { requiresGrad: true });
    const y = a.mul(2);
    const acc = y.gradFn!.next[0]!;
    expect(acc).toBeInstanceOf(AccumulateGrad);
    expect(acc.name).toBe('AccumulateGrad');
    expect((acc as AccumulateGrad).variable).toBe(a);
    expect(y.gradFn!.next[1]).toBeNull(); // the constant 2 needs no gradient
  });
});

describe('requiresGrad, isLeaf, grad', () => {
  it('leaves: user-created tensors, results of ops on tensors not requiring grad, results under noGrad, detach()', () => {
    const a = tensor([1.0, 2.0]);
    const w = tensor([1.0, 2.0], { requiresGrad: true });
    expect([a.isLeaf, a.requiresGrad, a.gradFn]).toEqual([true, false, null]);
    expect([w.isLeaf, w.requiresGrad, w.gradFn]).toEqual([true, true, null]);
    const b = a.mul(2);
    expect([b.isLeaf, b.requiresGrad]).toEqual([true, false]);
    const c = w.mul(a);
    expect([c.isLeaf, c.requiresGrad]).toEqual([false, true]);
    const d = noGrad(() => w.mul(2));
    expect([d.isLeaf, d.requiresGrad]).toEqual([true, false]);
    const e = c.detach();
    expect([e.isLeaf, e.requiresGrad]).toEqual([true, false]);
  });

  it('int and bool results are never recorded', () => {
    const w = tensor([1.5, -2.5], { requiresGrad: true });
    const cmp = w.gt(0);
    expect(cmp.dtype).toBe('bool');
    expect(cmp.requiresGrad).toBe(false);
    expect(w.argmax().requiresGrad).toBe(false);
  });

  it('requiresGrad_ on an int tensor throws; the option on creation too', () => {
    expect(() => tensor([1, 2], { dtype: 'int32' }).requiresGrad_()).toThrow(
      /only Tensors of floating point dtype can require gradients/,
    );
    expect(() => tensor([1, 2], { dtype: 'int32', requiresGrad: true })).toThrow(
      /only Tensors of floating point dtype can require gradients/,
    );
    expect(() => tensor([true], { dtype: 'bool' }).requiresGrad_(true)).toThrow(/floating point/);
    expect(tensor([1, 2], { dtype: 'int32' }).requiresGrad_(false).requiresGrad).toBe(false);
  });

  it('a leaf made under noGrad can require grad afterwards and gets its own .grad', () => {
    const x = tensor([1.0], { requiresGrad: true });
    const y = noGrad(() => x.mul(2));
    y.requiresGrad_();
    y.mul(3).backward();
    expect(flat(y.grad!)).toEqual([3]);
    expect(x.grad).toBeNull();
  });

  it('assigning .grad checks the shape; null clears it', () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    expect(() => {
      x.grad = tensor([1.0]);
    }).toThrow(/assigned grad has data of a different size/);
    x.grad = tensor([3.0, 4.0]);
    x.mul(2).sum().backward();
    expect(flat(x.grad!)).toEqual([5, 6]);
    x.grad = null;
    expect(x.grad).toBeNull();
  });
});

describe('backward(gradient, options)', () => {
  it('a vector output takes the vector of the vector-Jacobian product', () => {
    const x = tensor([1.0, 2.0, 3.0], { requiresGrad: true });
    const y = x.pow(2);
    y.backward(tensor([1.0, 0.5, -1.0]));
    expect(flat(x.grad!)).toEqual([2, 2, -6]);
  });

  it("a gradient of the wrong shape throws PyTorch's message", () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    expect(() => x.mul(2).backward(tensor([1.0, 1.0, 1.0]))).toThrow(
      /^Mismatch in shape: grad_output\[0\] has a shape of \[3\] and output\[0\] has a shape of \[2\]\.$/,
    );
  });

  it('backward on a leaf accumulates the given gradient into it', () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    x.backward(tensor([1.0, 5.0]));
    expect(flat(x.grad!)).toEqual([1, 5]);
  });

  it('backward of a tensor that does not require grad throws', () => {
    expect(() => tensor([1.0]).backward()).toThrow(
      /^element 0 of tensors does not require grad and does not have a grad_fn$/,
    );
  });

  it("a second backward through a freed graph throws PyTorch's message", () => {
    const x = tensor([2.0], { requiresGrad: true });
    const z = x.exp().mul(x.exp());
    z.backward();
    expect(() => z.backward()).toThrow(
      /^Trying to backward through the graph a second time \(or directly access saved tensors after they have already been freed\)\. Saved intermediate values of the graph are freed when you call backward\(\) or grad\(\)\./,
    );
  });

  it('x * 3 saves the constant, so even that graph cannot be walked twice (as in PyTorch)', () => {
    const x = tensor([2.0], { requiresGrad: true });
    const z = x.mul(3).sum();
    z.backward();
    expect(() => z.backward()).toThrow(/Trying to backward through the graph a second time/);
  });

  it('a graph that saved nothing can be walked twice (PyTorch: (x + 1).sum() twice gives 2)', () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    const z = x.add(1).sum();
    z.backward();
    z.backward();
    expect(flat(x.grad!)).toEqual([2, 2]);
  });

  it('retainGraph: true allows a second backward, and the gradients add up', () => {
    const x = tensor([2.0], { dtype: 'float64', requiresGrad: true });
    const z = x.exp().mul(x.exp());
    z.backward(null, { retainGraph: true });
    expect(x.grad!.item()).toBeCloseTo(2 * Math.exp(4), 10);
    z.backward();
    expect(x.grad!.item()).toBeCloseTo(4 * Math.exp(4), 10); // PyTorch (float32): 218.3926
    expect(() => z.backward()).toThrow(/a second time/);
  });

  it('intermediate buffers are freed after backward unless retainGraph', () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    const y = x.exp();
    const node = y.gradFn!;
    expect(node.savedTensors()).toHaveLength(1);
    expect(node.savedTensors()[0]).toBe(y);
    y.sum().backward(null, { retainGraph: true });
    expect(node.savedTensors()).toHaveLength(1);
    y.sum().backward();
    expect(node.savedTensors()).toHaveLength(0);
  });

  it('createGraph: .grad itself has a graph, and backward through it gives the second derivative', () => {
    const x = tensor([1.5], { dtype: 'float64', requiresGrad: true });
    x.pow(3).backward(null, { createGraph: true });
    const g = x.grad!;
    expect(g.item()).toBeCloseTo(6.75, 12);
    expect(g.requiresGrad).toBe(true);
    expect(g.gradFn).not.toBeNull();
    x.grad = null;
    g.backward();
    expect(x.grad!.item()).toBeCloseTo(9, 12); // 6x
  });

  it('createGraph: leaves sharing one incoming gradient get .grad tensors of their own', () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    const y = tensor([3.0, 4.0], { requiresGrad: true });
    const g = tensor([1.0, 1.0]);
    x.add(y).backward(g, { createGraph: true });
    expect(x.grad).not.toBe(y.grad);
    expect(x.grad).not.toBe(g);
    noGrad(() => x.grad!.zero_());
    expect(flat(y.grad!)).toEqual([1, 1]);
    expect(flat(g)).toEqual([1, 1]);
  });

  it('gradients accumulate across backward calls and into a leaf used twice (x * x -> 2x)', () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    x.mul(x).sum().backward();
    expect(flat(x.grad!)).toEqual([2, 4]);
    x.mul(x).sum().backward();
    expect(flat(x.grad!)).toEqual([4, 8]);
  });

  it('a leaf reached along many paths gets the sum (diamond graph)', () => {
    const x = tensor([3.0], { dtype: 'float64', requiresGrad: true });
    const a = x.mul(2);
    const b = x.pow(2);
    const c = a.mul(b).add(a).add(x); // 2x³ + 2x + x
    c.backward();
    expect(x.grad!.item()).toBe(6 * 9 + 3);
  });
});

describe('detach', () => {
  it('detach() shares storage (and the version counter) but has no history', () => {
    const a = tensor([1.0, 2.0], { requiresGrad: true });
    const d = a.detach();
    expect(d.requiresGrad).toBe(false);
    d.add_(1);
    expect(flat(a)).toEqual([2, 3]);
    expect(a.version).toBe(1);
    expect(d.version).toBe(1);
  });

  it('detach_() makes a non-leaf a leaf that does not require grad', () => {
    const a = tensor([1.0, 2.0], { requiresGrad: true });
    const x = a.mul(2);
    expect(x.detach_()).toBe(x);
    expect([x.requiresGrad, x.isLeaf, x.gradFn]).toEqual([false, true, null]);
  });

  it("detach_() on a view of a tensor with history throws PyTorch's message", () => {
    const a = tensor([1.0, 2.0, 3.0, 4.0], { requiresGrad: true });
    const v = a.mul(2).view(2, 2);
    expect(() => v.detach_()).toThrow(/^Can't detach views in-place\. Use detach\(\) instead\./);
  });
});

describe('retainGrad', () => {
  it("a non-leaf's .grad is null without retainGrad", () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    const y = x.mul(3);
    y.mul(y).sum().backward();
    expect(y.grad).toBeNull();
    expect(y.retainsGrad).toBe(false);
    expect(flat(x.grad!)).toEqual([18, 36]);
  });

  it('with retainGrad it is populated (and accumulates)', () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    const y = x.mul(3);
    y.retainGrad();
    expect(y.retainsGrad).toBe(true);
    const z = y.mul(y).sum();
    z.backward(null, { retainGraph: true });
    expect(flat(y.grad!)).toEqual([6, 12]);
    expect(flat(x.grad!)).toEqual([18, 36]);
    z.backward();
    expect(flat(y.grad!)).toEqual([12, 24]);
  });

  it('retainGrad on a leaf is a no-op', () => {
    const x = tensor([1.0], { requiresGrad: true });
    x.retainGrad();
    expect(x.retainsGrad).toBe(false);
    x.mul(2).backward();
    expect(flat(x.grad!)).toEqual([2]);
  });

  // PyTorch checks requires_grad before is_leaf, so retain_grad() on any tensor not requiring
  // grad throws, leaf or not.
  it('retainGrad on a tensor that does not require grad throws (even a leaf)', () => {
    expect(() => tensor([1.0]).mul(2).retainGrad()).toThrow(
      /^can't retain_grad on Tensor that has requires_grad=False$/,
    );
    expect(() => tensor([1.0]).retainGrad()).toThrow(
      /^can't retain_grad on Tensor that has requires_grad=False$/,
    );
  });
});

describe('registerHook', () => {
  it('on a leaf: the returned gradient replaces the incoming one; handle.remove() unregisters', () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    const handle = x.registerHook((g) => g.mul(10));
    x.mul(3).sum().backward();
    expect(flat(x.grad!)).toEqual([30, 30]);
    handle.remove();
    x.grad = null;
    x.mul(3).sum().backward();
    expect(flat(x.grad!)).toEqual([3, 3]);
  });

  it('on a non-leaf: sees the gradient of that tensor, and its replacement flows on', () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    const y = x.mul(x);
    const seen: number[][] = [];
    y.registerHook((g) => {
      seen.push(flat(g));
      return onesLike(g);
    });
    y.mul(3).sum().backward();
    expect(seen).toEqual([[3, 3]]);
    expect(flat(x.grad!)).toEqual([2, 4]); // 2x · 1, not 2x · 3
  });

  it('a hook returning nothing only observes; several hooks run in order', () => {
    const x = tensor([1.0], { requiresGrad: true });
    const order: string[] = [];
    x.registerHook(() => {
      order.push('first');
    });
    x.registerHook((g) => {
      order.push('second');
      return g.add(1);
    });
    x.mul(2).backward();
    expect(order).toEqual(['first', 'second']);
    expect(flat(x.grad!)).toEqual([3]);
  });

  it('a hook on a tensor that does not require grad throws', () => {
    expect(() => tensor([1.0]).registerHook((g) => g)).toThrow(
      /^cannot register a hook on a tensor that doesn't require gradient$/,
    );
  });

  it('a retained gradient is the hooked one', () => {
    const x = tensor([1.0], { requiresGrad: true });
    const y = x.mul(2);
    y.retainGrad();
    y.registerHook((g) => g.mul(5));
    y.mul(3).backward();
    expect(flat(y.grad!)).toEqual([15]);
    expect(flat(x.grad!)).toEqual([30]);
  });
});

describe('grad modes', () => {
  it('results under noGrad have no gradFn; noGrad nests and restores the mode', () => {
    const x = tensor([1.0], { requiresGrad: true });
    expect(isGradEnabled()).toBe(true);
    const [z, inner] = noGrad(() => {
      expect(isGradEnabled()).toBe(false);
      const inner = noGrad(() => x.mul(2));
      expect(isGradEnabled()).toBe(false);
      return [x.mul(2), inner] as const;
    });
    expect(isGradEnabled()).toBe(true);
    for (const t of [z, inner])
      expect([t.gradFn, t.requiresGrad, t.isLeaf]).toEqual([null, false, true]);
  });

  it('enableGrad inside noGrad records again', () => {
    const x = tensor([1.0], { requiresGrad: true });
    const w = noGrad(() => enableGrad(() => x.mul(2)));
    expect(w.gradFn!.name).toBe('MulBackward0');
    w.backward();
    expect(flat(x.grad!)).toEqual([2]);
  });

  it('setGradEnabled switches recording globally', () => {
    const x = tensor([1.0], { requiresGrad: true });
    setGradEnabled(false);
    const u = x.mul(2);
    expect(isGradEnabled()).toBe(false);
    setGradEnabled(true);
    expect(u.requiresGrad).toBe(false);
    expect(x.mul(2).requiresGrad).toBe(true);
  });

  it('the mode is restored when fn throws', () => {
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  it('backward works inside noGrad (it is about recording, not about differentiating)', () => {
    const x = tensor([1.0], { requiresGrad: true });
    const y = x.mul(4);
    noGrad(() => y.backward());
    expect(flat(x.grad!)).toEqual([4]);
  });

  it('noGrad with an async function throws the documented TypeError', async () => {
    const fn = async (): Promise<number> => 1;
    expect(() => noGrad(fn)).toThrow(TypeError);
    expect(() => noGrad(fn)).toThrow(/^noGrad\(fn\): fn returned a Promise/);
    expect(() => enableGrad(fn)).toThrow(/^enableGrad\(fn\): fn returned a Promise/);
    expect(isGradEnabled()).toBe(true);
  });
});

describe('grad()', () => {
  it('gradOutputs give the vector-Jacobian product; .grad is not touched', () => {
    const x = tensor([1.0, 2.0, 3.0], { requiresGrad: true });
    const y = x.pow(2);
    const [g] = grad(y, x, { gradOutputs: tensor([1.0, 0.5, -1.0]) });
    expect(flat(g!)).toEqual([2, 2, -6]);
    expect(x.grad).toBeNull();
  });

  it('does not touch .grad of any leaf, even one not asked for', () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    const w = tensor([3.0], { requiresGrad: true });
    const [g] = grad(x.mul(x).mul(w).sum(), x);
    expect(flat(g!)).toEqual([6, 12]);
    expect(x.grad).toBeNull();
    expect(w.grad).toBeNull();
  });

  it('inputs may be non-leaves; several outputs add up', () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    const y = x.mul(2);
    const [gy, gx] = grad(y.mul(y).sum(), [y, x]);
    expect(flat(gy!)).toEqual([4, 8]);
    expect(flat(gx!)).toEqual([8, 16]);
    const x2 = tensor([1.0, 2.0], { requiresGrad: true });
    expect(flat(grad([x2.sum(), x2.mul(x2).sum()], x2)[0]!)).toEqual([3, 5]);
    const [gm] = grad([x2.mul(3), x2.mul(x2)], x2, {
      gradOutputs: [tensor([1.0, 0.0]), tensor([0.5, 2.0])],
    });
    expect(flat(gm!)).toEqual([4, 8]);
  });

  it('an unused input throws unless allowUnused, which gives null', () => {
    const x = tensor([1.0], { requiresGrad: true });
    const z = tensor([1.0], { requiresGrad: true });
    expect(() => grad(x.mul(2).sum(), [x, z])).toThrow(
      /One of the differentiated Tensors .*appears to not have been used in the graph\. Set allowUnused: true if this is the desired behavior\./,
    );
    const [gx, gz] = grad(x.mul(2).sum(), [x, z], { allowUnused: true });
    expect(flat(gx!)).toEqual([2]);
    expect(gz).toBeNull();
  });

  it('an input that does not require grad throws', () => {
    const x = tensor([1.0], { requiresGrad: true });
    expect(() => grad(x.mul(2).sum(), [x, tensor([1.0])], { allowUnused: true })).toThrow(
      /One of the differentiated Tensors .*does not require grad/,
    );
  });

  it('frees the graph unless retainGraph', () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    const y = x.mul(x).sum();
    expect(flat(grad(y, x, { retainGraph: true })[0]!)).toEqual([2, 4]);
    expect(flat(grad(y, x)[0]!)).toEqual([2, 4]);
    expect(() => grad(y, x)).toThrow(/a second time/);
  });

  it('second and third derivatives of x³: 3x², 6x, 6', () => {
    const x = tensor([2.0, -1.0, 0.5], { dtype: 'float64', requiresGrad: true });
    const y = x.pow(3).sum();
    const [g1] = grad(y, x, { createGraph: true });
    expectAllClose(flat(g1!), [12, 3, 0.75]);
    expect(g1!.requiresGrad).toBe(true);
    const [g2] = grad(g1!.sum(), x, { createGraph: true });
    expectAllClose(flat(g2!), [12, -6, 3]);
    const [g3] = grad(g2!.sum(), x);
    expectAllClose(flat(g3!), [6, 6, 6]);
    expect(g3!.requiresGrad).toBe(false);
  });

  it('third derivative of sin(x)·x² matches PyTorch', () => {
    const x = tensor([0.5, 2.0], { dtype: 'float64', requiresGrad: true });
    const y = x.sin().mul(x.pow(2)).sum();
    const [g1] = grad(y, x, { createGraph: true });
    const [g2] = grad(g1!.sum(), x, { createGraph: true });
    const [g3] = grad(g2!.sum(), x);
    expectAllClose(flat(g1!), [0.6988211790767962, 1.9726023611141572], 1e-14);
    expectAllClose(flat(g2!), [2.5941598163381006, -5.147769546028503], 1e-14);
    expectAllClose(flat(g3!), [3.6078231150570343, -11.743862795002466], 1e-13);
  });

  it('d/dx of (dy/dx)² for y = sin(x)·e^x matches PyTorch', () => {
    const x = tensor([0.3, -1.2], { dtype: 'float64', requiresGrad: true });
    const y = x.sin().mul(x.exp()).sum();
    const [g1] = grad(y, x, { createGraph: true });
    expectAllClose(flat(g1!), [1.6884766, -0.17158], 1e-4);
    g1!.pow(2).sum().backward();
    // PyTorch: tensor([ 8.7096, -0.0749])
    const e = (v: number): number =>
      2 * (Math.sin(v) + Math.cos(v)) * Math.exp(v) * 2 * Math.cos(v) * Math.exp(v);
    expectAllClose(flat(x.grad!), [e(0.3), e(-1.2)], 1e-12);
    expectAllClose(flat(x.grad!), [8.7096, -0.0749], 1e-4);
  });

  it('Hessian-vector product via gradOutputs (PyTorch: g = [8, 7, 8], Hv = [0, 2, 0])', () => {
    const x = tensor([1.0, 2.0, 3.0], { dtype: 'float64', requiresGrad: true });
    const y = x.index(0).mul(x.index(1)).mul(x.index(2)).add(x.pow(2).sum());
    const [g] = grad(y, x, { createGraph: true });
    expect(flat(g!)).toEqual([8, 7, 8]);
    const [hv] = grad(g!, x, { gradOutputs: tensor([1.0, 0.0, -1.0], { dtype: 'float64' }) });
    expect(flat(hv!)).toEqual([0, 2, 0]);
  });

  it('capturing a non-leaf neither runs nor frees its gradFn (PyTorch: 3s, then 8.1548, 22.1672)', () => {
    const a = tensor([1.0, 2.0], { dtype: 'float64', requiresGrad: true });
    const y = a.exp();
    expect(flat(grad(y.mul(3).sum(), y)[0]!)).toEqual([3, 3]);
    expect(y.gradFn!.savedTensors()).toHaveLength(1);
    expectAllClose(flat(grad(y.mul(3).sum(), a)[0]!), [3 * Math.E, 3 * Math.exp(2)], 1e-12);
  });

  it('works on a long chain (no recursion over the graph depth)', () => {
    const x = tensor([1.0], { dtype: 'float64', requiresGrad: true });
    let y = x;
    for (let i = 0; i < 20000; i++) y = y.add(1);
    expect(flat(grad(y, x)[0]!)).toEqual([1]);
    y.backward();
    expect(flat(x.grad!)).toEqual([1]);
  });

  it('hooks registered on inputs run before their gradient is captured (PyTorch ≥ 2.0 semantics)', () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    x.registerHook((g) => g.mul(10));
    expect(flat(grad(x.mul(3).sum(), x)[0]!)).toEqual([30, 30]);
    const a = tensor([1.0, 2.0], { requiresGrad: true });
    const y = a.mul(2);
    y.registerHook((g) => g.mul(10));
    expect(flat(grad(y.mul(3).sum(), y)[0]!)).toEqual([30, 30]);
    expect(flat(grad(y.mul(3).sum(), a)[0]!)).toEqual([60, 60]);
    expect(x.grad).toBeNull();
  });
});

describe('in-place semantics', () => {
  it('every in-place op bumps the version counter, shared by views', () => {
    const x = tensor([1.0, 2.0]);
    expect(x.version).toBe(0);
    x.add_(1);
    expect(x.version).toBe(1);
    x.mul_(2);
    expect(x.version).toBe(2);
    const v = x.view(2);
    v.add_(1);
    expect([x.version, v.version]).toEqual([3, 3]);
    expect(flat(x)).toEqual([5, 7]);
  });

  it('modifying a saved output throws at backward, naming the op and both versions', () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    const y = x.exp();
    y.add_(1);
    expect(() => y.sum().backward()).toThrow(
      /^one of the variables needed for gradient computation has been modified by an inplace operation: \[float32 tensor of shape \[2\]\], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead\./,
    );
  });

  it('modifying a saved input throws too (PyTorch: "output 0 of MulBackward0")', () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    const a = x.mul(1);
    const y = a.sin();
    a.mul_(2);
    expect(() => y.sum().backward()).toThrow(
      /which is output 0 of MulBackward0, is at version 1; expected version 0 instead/,
    );
  });

  it('a modified saved leaf has no "output of" part', () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    const a = tensor([3.0, 4.0]);
    const y = x.mul(a);
    a.add_(1);
    expect(() => y.sum().backward()).toThrow(
      /inplace operation: \[float32 tensor of shape \[2\]\] is at version 1; expected version 0 instead/,
    );
  });

  it('in-place on a leaf that requires grad throws', () => {
    const x = tensor([1.0], { requiresGrad: true });
    expect(() => x.add_(1)).toThrow(
      /^a leaf Variable that requires grad is being used in an in-place operation\.$/,
    );
    expect(() => x.zero_()).toThrow(/a leaf Variable that requires grad/);
    expect(x.version).toBe(0);
  });

  it('in-place on a leaf works under noGrad (the optimizer update)', () => {
    const w = tensor([1.0, 2.0], { requiresGrad: true });
    w.mul(w).sum().backward();
    const lr = 0.1;
    noGrad(() => w.sub_(w.grad!.mul(lr)));
    expectAllClose(flat(w), [0.8, 1.6], 1e-6);
    expect([w.isLeaf, w.requiresGrad, w.gradFn, w.version]).toEqual([true, true, null, 1]);
    // and the next step differentiates at the new point
    w.grad = null;
    w.mul(w).sum().backward();
    expectAllClose(flat(w.grad!), [1.6, 3.2], 1e-6);
  });

  it('in-place on a non-leaf rebases its history: y = x * 3; y.mul_(2) -> MulBackward0, grad 6', () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    const y = x.mul(3);
    const before = y.gradFn;
    y.mul_(2);
    expect(y.gradFn!.name).toBe('MulBackward0');
    expect(y.gradFn).not.toBe(before);
    expect([y.version, y.isLeaf]).toEqual([1, false]);
    expect(flat(y)).toEqual([6, 12]);
    y.sum().backward();
    expect(flat(x.grad!)).toEqual([6, 6]);
  });

  it('in-place with a tensor operand that requires grad records it', () => {
    const x = tensor([1.0, 2.0], { requiresGrad: true });
    const a = tensor([5.0, 6.0]);
    a.mul_(x); // a was a plain leaf, now a non-leaf
    expect(a.isLeaf).toBe(false);
    expect(a.gradFn!.name).toBe('MulBackward0');
    a.sum().backward();
    expect(flat(x.grad!)).toEqual([5, 6]);
  });

  it('y = x * 2; y.add_(1); backward works (MulBackward0 saved only the constant)', () => {
    const x = tensor([1.0], { requiresGrad: true });
    const y = x.mul(2);
    y.add_(1);
    y.backward();
    expect(flat(x.grad!)).toEqual([2]);
  });
});

describe('detectAnomaly', () => {
  it('is scoped: on inside, off after', () => {
    expect(isAnomalyEnabled()).toBe(false);
    detectAnomaly(() => expect(isAnomalyEnabled()).toBe(true));
    expect(isAnomalyEnabled()).toBe(false);
  });

  it('a NaN produced in backward throws naming the node and the forward call site', () => {
    const x = tensor([0.0, 1.0], { requiresGrad: true });
    let err: Error | undefined;
    detectAnomaly(() => {
      const y = x.sqrt().mul(0).sum(); // SqrtBackward0: 0 / (2·0) = NaN
      try {
        y.backward();
      } catch (e) {
        err = e as Error;
      }
    });
    expect(err).toBeDefined();
    expect(err!.message).toMatch(
      /^Function 'SqrtBackward0' returned nan values in its 0th output\./,
    );
    expect(err!.message).toMatch(/Traceback of forward call that caused the error/);
    expect(err!.message).toContain('semantics.test.ts'); // where x.sqrt() was called
    expect(x.grad).toBeNull();
  });

  it('Inf is not an anomaly (PyTorch checks for NaN only): sqrt at 0 gives an inf gradient', () => {
    const x = tensor([0.0, 1.0], { requiresGrad: true });
    detectAnomaly(() => x.sqrt().sum().backward());
    expect(flat(x.grad!)).toEqual([Infinity, 0.5]);
  });

  it('without anomaly detection the NaN flows into .grad silently', () => {
    const x = tensor([0.0, 1.0], { requiresGrad: true });
    x.sqrt().mul(0).sum().backward();
    const g = flat(x.grad!);
    expect(Number.isNaN(g[0])).toBe(true);
    expect(g[1]).toBe(0);
  });
});

// A deliberately wrong op: forward x², backward g·x (should be 2·g·x).
const BAD = defineOps<{ badSquare: Record<string, never> }>({
  badSquare: {
    saveInputs: () => [0],
    forward: ([x]) => x!.mul(x!),
    backward: (g, c) => [g.mul(c.input(0))],
  },
});
const badSquare = (x: Tensor): Tensor => runOp(BAD, 'badSquare', [x], {});

describe('gradcheck', () => {
  it('passes a correct function of float64 inputs', () => {
    const x = tensor([0.3, -1.1, 2.0], { dtype: 'float64', requiresGrad: true });
    const y = tensor(
      [
        [0.5, 1.5],
        [-0.7, 0.2],
      ],
      { dtype: 'float64', requiresGrad: true },
    );
    expect(gradcheck((x) => x.sin().mul(x), [x])).toBe(true);
    expect(gradcheck((a, b) => a.slice(0, 0, 2).matmul(b).exp(), [x, y])).toBe(true);
  });

  it('a wrong custom op: throws naming the input and the element, or returns false', () => {
    const x = tensor([0.5, -1.0, 2.0], { dtype: 'float64', requiresGrad: true });
    const y = badSquare(x);
    expect(y.gradFn!.name).toBe('BadSquareBackward0');
    expect(() => gradcheck(badSquare, [x])).toThrow(
      /^gradcheck failed: Jacobian mismatch for output 0 with respect to input 0 at input element \[0\] and output element \[0\]: numerical (0\.9999|1\.0000)\d*, analytical 0\.5$/,
    );
    const w = tensor([1.0], { dtype: 'float64', requiresGrad: true });
    expect(() => gradcheck((w, x) => w.mul(badSquare(x)), [w, x])).toThrow(
      /with respect to input 1 at input element \[0\]/,
    );
    expect(gradcheck(badSquare, [x], { raiseException: false })).toBe(false);
    // the input's values are restored after the perturbations
    expect(flat(x)).toEqual([0.5, -1.0, 2.0]);
    expect(x.grad).toBeNull();
  });

  it('a float32 input triggers the warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const x = tensor([0.3, 0.7], { requiresGrad: true });
    gradcheck((x) => x.sin(), [x], { raiseException: false });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]![0])).toMatch(/input 0 is float32, not float64/);
    warn.mockClear();
    gradcheck((x) => x.sin(), [zeros([2], { dtype: 'float64', requiresGrad: true })]);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('in-place ops on non-leaves keep watching their saved outputs', () => {
  it('exp_ then add_ on the same tensor fails at backward, as in PyTorch', () => {
    const a = tensor([1.0, 2.0], { requiresGrad: true });
    const b = a.mul(1);
    b.exp_();
    b.add_(1);
    expect(() => b.sum().backward()).toThrow(
      /output 0 of ExpBackward0, is at version 2; expected version 1/,
    );
  });

  it('exp_ alone differentiates to exp(a)', () => {
    const a = tensor([1.0, 2.0], { requiresGrad: true, dtype: 'float64' });
    const c = a.mul(1);
    c.exp_();
    c.sum().backward();
    expect(a.grad!.toArray()).toEqual([Math.exp(1), Math.exp(2)]);
  });
});
