/**
 * The ops whose results come from comparing values (sort, argsort, topk, unique, bincount,
 * isclose, nanToNum, oneHot) and diag: a module using each is exported at batch 3 and run in
 * onnxruntime on other inputs (other batch sizes, other values), agreeing with gd. Integer and
 * bool results are compared exactly.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { cat, manualSeed, randint, randn, tensor } from '@gd/autograd';
import { F, Module } from '@gd/nn';
import { OnnxExportError, exportOnnx, verifyOnnx } from './index.js';

type Forward = (x: Tensor) => Tensor | Tensor[];

class Fn extends Module<[Tensor], Tensor | Tensor[]> {
  constructor(private readonly f: Forward) {
    super();
  }
  forward(x: Tensor): Tensor | Tensor[] {
    return this.f(x);
  }
}

const WEIGHT = randn([4, 3]);
const EMBED = randn([5, 2]);
const CLOSE_TO = tensor([0, 1e-9, 1e-6, 1e-4]);

/** Floats with ties, NaN-free. */
const floats = (b: number): Tensor =>
  randint(0, 5, [b, 4])
    .float()
    .add(randn([b, 4]).mul(0.001));
/** Floats with NaN and infinities in every row. */
const specials = (b: number): Tensor =>
  cat([randn([b, 2]), tensor([[NaN, Infinity, -Infinity]]).expand(b, 3)], 1);
/** Class indices 0..4. */
const classes = (b: number): Tensor => randint(0, 5, [b]);
/** Ints with repeats. */
const ints = (b: number): Tensor => randint(0, 4, [b, 3]);

interface Case {
  readonly name: string;
  readonly f: Forward;
  readonly input: (b: number) => Tensor;
}

const CASES: Case[] = [
  { name: 'sort (values)', f: (x) => x.sort(1).values.mul(2), input: floats },
  { name: 'sort descending (values, indices)', f: (x) => [...x.sort(1, true)], input: floats },
  { name: 'sort along the batch dim', f: (x) => [...x.sort({ dim: 0 })], input: floats },
  { name: 'sort of ints', f: (x) => [...x.sort(1)], input: ints },
  { name: 'sort with NaN (last)', f: (x) => [...x.sort(1)], input: specials },
  { name: 'sort with NaN (first, descending)', f: (x) => [...x.sort(1, true)], input: specials },
  { name: 'topk with NaN', f: (x) => [...x.topk(3)], input: specials },
  { name: 'topk smallest with NaN', f: (x) => [...x.topk(4, 1, false)], input: specials },
  { name: 'topk of ints (ties)', f: (x) => [...x.topk(2)], input: ints },
  { name: 'argsort', f: (x) => x.argsort(1), input: floats },
  { name: 'argsort descending', f: (x) => x.argsort({ dim: -1, descending: true }), input: floats },
  { name: 'gather at argsort', f: (x) => x.gather(1, x.argsort(1)).sum(1), input: floats },
  { name: 'topk (values, indices)', f: (x) => [...x.topk(2)], input: floats },
  { name: 'topk smallest', f: (x) => [...x.topk(3, { dim: 1, largest: false })], input: floats },
  { name: 'topk values into a matmul', f: (x) => x.topk(4).values.matmul(WEIGHT), input: floats },
  { name: 'nanToNum (defaults)', f: (x) => x.nanToNum(), input: specials },
  {
    name: 'nanToNum (values given)',
    f: (x) => x.nanToNum(1, 2, -3).mul(x.nanToNum()),
    input: specials,
  },
  { name: 'diag of a vector', f: (x) => x.matmul(x.sum(0).diag()), input: floats },
  { name: 'diag of a vector, offset', f: (x) => x.sum(0).diag(-1), input: floats },
  { name: 'diag of a matrix, offset', f: (x) => x.t().matmul(x).diag(1), input: floats },
  { name: 'oneHot', f: (x) => F.oneHot(x, 5), input: classes },
  { name: 'oneHot into a matmul', f: (x) => F.oneHot(x, 5).float().matmul(EMBED), input: classes },
  { name: 'isclose to a tensor', f: (x) => x.isclose(x.add(CLOSE_TO)), input: floats },
  { name: 'isclose to a number', f: (x) => x.isclose(2, 0.1, 0.2), input: floats },
  {
    name: 'isclose with NaN',
    f: (x) => [x.isclose(x, 1e-5, 1e-8, true), x.isclose(x)],
    input: specials,
  },
  {
    name: 'unique (values, inverse, counts)',
    f: (x) => {
      const r = x.unique({ returnInverse: true, returnCounts: true }) as {
        values: Tensor;
        inverse: Tensor;
        counts: Tensor;
      };
      return [r.values, r.inverse, r.counts];
    },
    input: ints,
  },
  { name: 'unique of floats', f: (x) => x.unique() as Tensor, input: (b) => floats(b).round() },
  {
    name: 'unique of floats with NaN (values, inverse, counts)',
    f: (x) => {
      const r = x.unique({ returnInverse: true, returnCounts: true }) as {
        values: Tensor;
        inverse: Tensor;
        counts: Tensor;
      };
      return [r.values, r.inverse, r.counts];
    },
    input: (b) => cat([specials(b), specials(b).round()], 1),
  },
  {
    name: 'unique rows (dim 0)',
    f: (x) => x.unique({ dim: 0 }) as Tensor,
    input: (b) => ints(b).remainder(2),
  },
  { name: 'bincount', f: (x) => x.bincount(), input: classes },
  { name: 'bincount with minlength', f: (x) => x.bincount({ minlength: 9 }), input: classes },
  {
    name: 'bincount with weights',
    f: (x) => x.bincount({ weights: x.float().mul(0.5).add(1) }),
    input: classes,
  },
  {
    name: 'an in-place op on a result autograd does not record',
    f: (x) => F.oneHot(x, 5).float().mul_(3).add_(1),
    input: classes,
  },
];

describe('sorting, counting and comparing ops export to ONNX', () => {
  it.each(CASES)('$name', async ({ f, input }) => {
    manualSeed(3);
    const m = new Fn(f);
    const bytes = exportOnnx(m, input(3));
    for (const b of [1, 6]) {
      const r = await verifyOnnx(m, bytes, [input(b)]);
      expect(r.maxAbsDiff).toBeLessThan(1e-5);
    }
  });
});

describe('what cannot be exported says so', () => {
  it('oneHot without numClasses', () => {
    const m = new Fn((x) => F.oneHot(x));
    expect(() => exportOnnx(m, classes(4))).toThrow(
      /gd op 'oneHot'.*numClasses was -1.*pass numClasses/,
    );
  });

  it('unique along a dim of floats', () => {
    const m = new Fn((x) => x.unique({ dim: 0 }) as Tensor);
    expect(() => exportOnnx(m, floats(4))).toThrow(/gd op 'unique'.*merges slices holding NaN/);
  });

  it('bincount before opset 16', () => {
    const m = new Fn((x) => x.bincount());
    expect(() => exportOnnx(m, classes(4), { opset: 15 })).toThrow(OnnxExportError);
    expect(() => exportOnnx(m, classes(4), { opset: 15 })).toThrow(/gd op 'bincount'.*opset 16/);
  });

  it('an in-place op on a view of a traced result', () => {
    const m = new Fn((x) => {
      const h = F.oneHot(x, 5).float();
      h.narrow(1, 0, 2).fill_(7);
      return h;
    });
    expect(() => exportOnnx(m, classes(4))).toThrow(/in-place op on a view cannot be traced/);
  });
});
