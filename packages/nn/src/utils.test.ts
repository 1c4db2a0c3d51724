import { describe, expect, it } from 'vitest';
import type { DType, Tensor } from '@gd/autograd';
import { ones, randn, tensor, zeros } from '@gd/autograd';
import { gradcheck } from '@gd/autograd/gradcheck';
import { Linear, Parameter, Sequential } from './index.js';
import * as utils from './utils.js';

// Golden values from torch 1.13: torch.nn.utils.clip_grad_norm_/clip_grad_value_ on three
// parameters a [2, 3], b [4], c [2] (c without a gradient), keyed `<dtype>_<normType>_<maxNorm>`.
const T = {
  'f64_2.0_1.0': {
    total: 4.900510177522336,
    dtype: 'torch.float64',
    a: [
      [0.10203017234067334, -0.2550754308516833, 0.40812068936269336],
      [0.61218103404404, -0.15304525851101, 0.02040603446813467],
    ],
    b: [-0.5101508617033667, 0.30609051702202, 0.061218103404404, -0.04081206893626934],
  },
  'f64_2.0_100.0': {
    total: 4.900510177522336,
    dtype: 'torch.float64',
    a: [
      [0.5, -1.25, 2.0],
      [3.0, -0.75, 0.1],
    ],
    b: [-2.5, 1.5, 0.3, -0.2],
  },
  'f64_inf_1.5': {
    total: 3.0,
    dtype: 'torch.float64',
    a: [
      [0.24999991666669444, -0.6249997916667361, 0.9999996666667778],
      [1.4999995000001667, -0.37499987500004167, 0.04999998333333889],
    ],
    b: [-1.2499995833334723, 0.7499997500000833, 0.14999995000001665, -0.09999996666667778],
  },
  'f64_1.0_2.0': {
    total: 12.1,
    dtype: 'torch.float64',
    a: [
      [0.08264462126903957, -0.20661155317259894, 0.3305784850761583],
      [0.4958677276142374, -0.12396693190355935, 0.016528924253807916],
    ],
    b: [-0.4132231063451979, 0.2479338638071187, 0.04958677276142374, -0.03305784850761583],
  },
  'f64_3.0_0.5': {
    total: 3.8380299501187665,
    dtype: 'torch.float64',
    a: [
      [0.06513756747903865, -0.16284391869759662, 0.2605502699161546],
      [0.3908254048742319, -0.09770635121855797, 0.013027513495807731],
    ],
    b: [-0.32568783739519325, 0.19541270243711595, 0.03908254048742319, -0.026055026991615462],
  },
  'f32_2.0_1.0': {
    total: 4.900510311126709,
    dtype: 'torch.float32',
    a: [
      [0.10203017294406891, -0.2550754249095917, 0.40812069177627563],
      [0.6121810674667358, -0.15304526686668396, 0.02040603570640087],
    ],
    b: [-0.5101508498191833, 0.3060905337333679, 0.061218105256557465, -0.04081207141280174],
  },
  'f32_2.0_100.0': {
    total: 4.900510311126709,
    dtype: 'torch.float32',
    a: [
      [0.5, -1.25, 2.0],
      [3.0, -0.75, 0.10000000149011612],
    ],
    b: [-2.5, 1.5, 0.30000001192092896, -0.20000000298023224],
  },
  'f32_inf_1.5': {
    total: 3.0,
    dtype: 'torch.float32',
    a: [
      [0.24999991059303284, -0.6249997615814209, 0.9999996423721313],
      [1.4999995231628418, -0.37499988079071045, 0.04999998211860657],
    ],
    b: [-1.2499995231628418, 0.7499997615814209, 0.1499999463558197, -0.09999996423721313],
  },
  'f32_1.0_2.0': {
    total: 12.100000381469727,
    dtype: 'torch.float32',
    a: [
      [0.08264461904764175, -0.2066115438938141, 0.330578476190567],
      [0.4958677291870117, -0.12396693229675293, 0.01652892492711544],
    ],
    b: [-0.4132230877876282, 0.24793386459350586, 0.04958677291870117, -0.03305784985423088],
  },
  'f32_3.0_0.5': {
    total: 3.8380303382873535,
    dtype: 'torch.float32',
    a: [
      [0.06513756513595581, -0.16284391283988953, 0.26055026054382324],
      [0.39082539081573486, -0.09770634770393372, 0.013027513399720192],
    ],
    b: [-0.32568782567977905, 0.19541269540786743, 0.039082542061805725, -0.026055026799440384],
  },
  value: {
    a: [
      [0.5, -1.0, 1.0],
      [1.0, -0.75, 0.1],
    ],
    b: [-1.0, 1.0, 0.3, -0.2],
  },
  err: 'The total norm of order 2.0 for gradients from `parameters` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`',
  inf_total: 'inf',
  inf_a: ['nan', '-0.0', '0.0', '0.0', '-0.0', '0.0'],
  single: 3.9223717314910376,
};

function params(dtype: DType): Parameter[] {
  const a = new Parameter(zeros([2, 3], { dtype }));
  const b = new Parameter(zeros([4], { dtype }));
  const c = new Parameter(zeros([2], { dtype }));
  a.grad = tensor(
    [
      [0.5, -1.25, 2.0],
      [3.0, -0.75, 0.1],
    ],
    { dtype },
  );
  b.grad = tensor([-2.5, 1.5, 0.3, -0.2], { dtype });
  return [a, b, c];
}

function close(got: Tensor, want: unknown, tol: number): void {
  const g = [got.toArray()].flat(2) as number[];
  const w = [want].flat(2) as number[];
  expect(g).toHaveLength(w.length);
  g.forEach((v, i) =>
    expect(Math.abs(v - w[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(w[i]!))),
  );
}

describe('clipGradNorm_', () => {
  const cases: [DType, number, number, keyof typeof T][] = [
    ['float64', 2, 1, 'f64_2.0_1.0'],
    ['float64', 2, 100, 'f64_2.0_100.0'],
    ['float64', Infinity, 1.5, 'f64_inf_1.5'],
    ['float64', 1, 2, 'f64_1.0_2.0'],
    ['float64', 3, 0.5, 'f64_3.0_0.5'],
    ['float32', 2, 1, 'f32_2.0_1.0'],
    ['float32', 2, 100, 'f32_2.0_100.0'],
    ['float32', Infinity, 1.5, 'f32_inf_1.5'],
    ['float32', 1, 2, 'f32_1.0_2.0'],
    ['float32', 3, 0.5, 'f32_3.0_0.5'],
  ];
  for (const [dtype, normType, maxNorm, key] of cases) {
    it(`matches torch: ${dtype}, normType ${normType}, maxNorm ${maxNorm}`, () => {
      const [a, b, c] = params(dtype);
      const want = T[key] as { total: number; a: number[][]; b: number[] };
      const total = utils.clipGradNorm_([a!, b!, c!], maxNorm, { normType });
      expect(total.dtype).toBe(dtype);
      expect(total.ndim).toBe(0);
      const tol = dtype === 'float64' ? 1e-15 : 1e-7;
      close(total, want.total, tol);
      close(a!.grad!, want.a, tol);
      close(b!.grad!, want.b, tol);
      expect(c!.grad).toBeNull();
    });
  }

  it('accepts one tensor and a parameters() list; returns 0 without gradients', () => {
    const [a] = params('float64');
    expect(utils.clipGradNorm_(a!, 1).item()).toBeCloseTo(T.single, 14);
    expect(a!.grad!.norm().item()).toBeCloseTo(1, 6);
    const m = new Sequential(new Linear(3, 2));
    const none = utils.clipGradNorm_(m.parameters(), 1);
    expect(none.item()).toBe(0);
    m.call(ones([4, 3]).mul(100))
      .sum()
      .backward();
    const before = utils.clipGradNorm_(m.parameters(), 0.5);
    expect(before.item()).toBeGreaterThan(0.5);
    const after = m.parameters().map((p) => p.grad!.pow(2).sum().item());
    expect(Math.sqrt(after.reduce((s, v) => s + v, 0))).toBeCloseTo(0.5, 5);
  });

  it('errorIfNonfinite throws on a NaN or infinite norm; otherwise scales by it (like torch)', () => {
    const [a, b] = params('float64');
    a!.grad!.value.data[0] = Number.NaN;
    expect(() => utils.clipGradNorm_([a!, b!], 1, { errorIfNonfinite: true })).toThrow(
      /The total norm of order 2 for gradients from `parameters` is non-finite, so it cannot be clipped\. To disable this error and scale the gradients by the non-finite norm anyway, set `errorIfNonfinite: false`/,
    );
    const [c, d] = params('float64');
    c!.grad!.value.data[0] = Infinity;
    expect(utils.clipGradNorm_([c!, d!], 1).item()).toBe(Infinity);
    // torch: [nan, -0, 0, 0, -0, 0]
    const flat = [c!.grad!.toArray()].flat(2) as number[];
    expect(Number.isNaN(flat[0])).toBe(true);
    expect(flat.slice(1).map((v) => Math.abs(v))).toEqual([0, 0, 0, 0, 0]);
    expect(T.inf_a[0]).toBe('nan');
  });

  it('rejects a non-positive normType', () => {
    expect(() => utils.clipGradNorm_(params('float64'), 1, { normType: 0 })).toThrow(
      /normType must be positive or Infinity, got 0/,
    );
  });
});

describe('clipGradValue_', () => {
  it('clamps each gradient element, like torch', () => {
    const ps = params('float64');
    utils.clipGradValue_(ps, 1);
    expect(ps[0]!.grad!.toArray()).toEqual(T.value.a);
    expect(ps[1]!.grad!.toArray()).toEqual(T.value.b);
    expect(ps[2]!.grad).toBeNull();
    expect(() => utils.clipGradValue_(ps, -1)).toThrow(/clipValue must be non-negative, got -1/);
  });
});

describe('parametersToVector and vectorToParameters', () => {
  it('round trip, in parameters() order', () => {
    const m = new Sequential(new Linear(3, 2), new Linear(2, 1));
    const v = utils.parametersToVector(m.parameters());
    expect(v.shape).toEqual([m.numParameters()]);
    expect(v.toArray()).toEqual(m.parameters().flatMap((p) => [p.toArray()].flat(2) as number[]));
    const ids = m.parameters();
    utils.vectorToParameters(v.mul(2), m.parameters());
    expect(m.parameters()).toEqual(ids); // same Parameter objects
    expect(utils.parametersToVector(m.parameters()).toArray()).toEqual(
      v.mul(2).toArray() as number[],
    );
    expect(m.parameters().every((p) => p.requiresGrad && p.isLeaf)).toBe(true);
  });

  it('parametersToVector is differentiable', () => {
    const a = randn([2, 2], { dtype: 'float64', requiresGrad: true });
    const b = randn([3], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((x, y) => utils.parametersToVector([x!, y!]).pow(2), [a, b])).toBe(true);
  });

  it('size and type errors', () => {
    const m = new Linear(3, 2); // 8 parameters
    expect(() => utils.vectorToParameters(zeros([7]), m.parameters())).toThrow(
      /vectorToParameters: the vector has 7 elements but the parameters need 8/,
    );
    expect(() => utils.vectorToParameters(zeros([9]), m.parameters())).toThrow(
      /has 9 elements but the parameters need 8/,
    );
    expect(() => utils.vectorToParameters(zeros([2, 4]), m.parameters())).toThrow(
      /expected a 1-d vector, got shape \[2, 4\]/,
    );
    expect(() => utils.vectorToParameters([1, 2] as unknown as Tensor, m.parameters())).toThrow(
      'utils.vectorToParameters: vec must be a Tensor, got an array [1, 2]',
    );
    expect(() => utils.parametersToVector([])).toThrow(/no parameters given/);
  });
});
