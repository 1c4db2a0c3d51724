/**
 * Origins: while tracing for export, results that get no gradFn remember the op they came
 * from; outside a trace nothing is recorded. And the ops of ops/sorting.ts are single recorded
 * ops, with PyTorch's gradFn names and gradients.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from './index.js';
import { grad, originOf, randn, tensor, traceOrigins } from './index.js';
import { gradcheck } from './gradcheck.js';

describe('origins', () => {
  it('are recorded only while tracing, for results computed from the traced inputs', () => {
    const x = randn([2, 4]);
    expect(originOf(x.argsort(1))).toBeNull();
    const [i, c] = traceOrigins([x], () => [x.argsort(1), tensor([1, 2]).argsort()]);
    expect(originOf(i!)).toMatchObject({ output: 0, node: { op: 'argsort' } });
    expect(originOf(c!)).toBeNull();
  });

  it("give sort's indices as output 1 of the node that computed the values", () => {
    const x = randn([2, 4], { requiresGrad: true });
    const r = traceOrigins([x], () => x.sort(1));
    expect(r.values.gradFn!.name).toBe('SortBackward0');
    expect(originOf(r.indices)).toMatchObject({ output: 1, node: r.values.gradFn });
    expect(originOf(r.indices)!.dtypes).toEqual([x.dtype, 'int32']);
  });

  it('follow ops on results that autograd does not record', () => {
    const x = randn([2, 4]);
    const y = traceOrigins([x], () => x.argsort(1).float().mul(2));
    expect(originOf(y)!.node.op).toBe('mul');
    expect(originOf(originOf(y)!.node.inputs[0]!)!.node.op).toBe('toDtype');
  });

  it('move to the tensor an in-place op writes, and refuse one on a view', () => {
    const x = randn([2, 4]);
    traceOrigins([x], () => {
      const h = x.argsort(1).float();
      h.add_(1);
      expect(originOf(h)!.node.op).toBe('add');
      expect(() => h.narrow(1, 0, 2).fill_(0)).toThrow(/in-place op on a view cannot be traced/);
      expect(() => x.add_(1)).toThrow(/in-place op on a model input cannot be traced/);
    });
  });
});

describe('sorting and counting ops are single recorded ops', () => {
  it("have PyTorch's gradFn names, or none where PyTorch's results have no gradient", () => {
    const x = randn([3, 4], { requiresGrad: true });
    expect(x.topk(2).values.gradFn!.name).toBe('TopkBackward0');
    expect(x.nanToNum().gradFn!.name).toBe('NanToNumBackward0');
    expect((x.unique() as Tensor).requiresGrad).toBe(false);
    const w = randn([3], { requiresGrad: true });
    expect(tensor([0, 2, 2], { dtype: 'int32' }).bincount({ weights: w }).requiresGrad).toBe(false);
    expect(x.isclose(x).dtype).toBe('bool');
  });

  it('nanToNum passes the gradient where the input is finite (gradcheck) and 0 elsewhere', () => {
    const x = randn([3, 4], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((a: Tensor) => a.nanToNum(0, 5, -5), [x])).toBe(true);
    const y = tensor([1, NaN, Infinity, -Infinity], { dtype: 'float64', requiresGrad: true });
    y.nanToNum().mul(3).sum().backward();
    expect(y.grad!.toArray()).toEqual([3, 0, 0, 0]);
  });

  it('sort and topk have second-order gradients (createGraph)', () => {
    const x = randn([2, 5], { dtype: 'float64', requiresGrad: true });
    const f = (a: Tensor) => a.sort(1, true).values.pow(2).sum().add(a.topk(2).values.sum());
    expect(gradcheck(f, [x])).toBe(true);
    // d/dx of sum(sort(x)²) + sum(topk(x)) is 2x + [x in the top 2]; its sum's gradient is 2.
    const [g] = grad([f(x)], [x], { createGraph: true });
    g!.sum().backward();
    expect(x.grad!.toArray()).toEqual([
      [2, 2, 2, 2, 2],
      [2, 2, 2, 2, 2],
    ]);
  });
});
