import { describe, expect, it } from 'vitest';
import { grad, manualSeed, randn, tensor } from '@gd/autograd';
import { gradcheck } from '@gd/autograd/gradcheck';
import { F, Identity, Linear } from './index.js';

// Golden values: torch 1.13, torch.manual_seed(s); nn.Linear(...) (weight.tolist(), bias.tolist()).
const TORCH = {
  '3x2': {
    w: [
      [-0.004322517663240433, 0.3097158372402191, -0.4751853346824646],
      [-0.4248946011066437, -0.2223689705133438, 0.15482072532176971],
    ],
    b: [-0.011439144611358643, 0.45777493715286255],
  },
  '4x3nobias': [
    [-0.003743410110473633, 0.26822179555892944, -0.4115225672721863, -0.3679695129394531],
    [-0.19257718324661255, 0.13407868146896362, -0.009906589984893799, 0.39644473791122437],
    [-0.04437202215194702, 0.1323062777519226, -0.15110653638839722, -0.09828269481658936],
  ],
  '1x5': {
    w: [
      [-0.007486820220947266],
      [0.5364435911178589],
      [-0.8230451345443726],
      [-0.7359390258789062],
      [-0.3851543664932251],
    ],
    b: [
      0.26815736293792725, -0.019813179969787598, 0.7928894758224487, -0.08874404430389404,
      0.2646125555038452,
    ],
  },
  // manual_seed(42); nn.Linear(784, 10)
  '784x10': {
    w00: 0.02730494923889637,
    w9_783: 0.02048724889755249,
    w5_400: 0.013841595500707626,
    wsum: -0.3020605352758139,
    b: [
      -0.009314311668276787, 0.028255736455321312, -0.003261212958022952, 0.025469733402132988,
      0.0017345250817015767, 0.0037089332472532988, -0.030165495350956917, -0.012342402711510658,
      0.0017907024594023824, 0.01631808839738369,
    ],
  },
  f64: {
    w: [
      [0.5427704542528101, 0.23996970930833816, -0.046900537438113156],
      [0.48583757737745076, 0.16745942958373372, 0.3361886278485809],
    ],
    b: [-0.3711136225274598, -0.17192610627289664],
  },
  // manual_seed(3); a = nn.Linear(2, 2); c = nn.Linear(2, 1)
  seq: {
    a: [
      [-0.7010772228240967, -0.5578091740608215],
      [-0.3028644621372223, -0.6689868569374084],
    ],
    ab: [-0.04014335572719574, -0.6220895051956177],
    c: [[0.38447636365890503, 0.3446429371833801]],
    cb: [0.13353174924850464],
  },
};

describe('Linear initialisation', () => {
  it('equals PyTorch after the same manualSeed (several sizes, with and without bias)', () => {
    manualSeed(0);
    const a = new Linear(3, 2);
    expect(a.weight.toArray()).toEqual(TORCH['3x2'].w);
    expect(a.bias!.toArray()).toEqual(TORCH['3x2'].b);
    manualSeed(0);
    const b = new Linear(4, 3, false);
    expect(b.weight.toArray()).toEqual(TORCH['4x3nobias']);
    expect(b.bias).toBeNull();
    manualSeed(0);
    const c = new Linear(1, 5);
    expect(c.weight.toArray()).toEqual(TORCH['1x5'].w);
    expect(c.bias!.toArray()).toEqual(TORCH['1x5'].b);
  });

  it('equals PyTorch for a 784x10 layer and for consecutive layers', () => {
    manualSeed(42);
    const l = new Linear(784, 10);
    const w = l.weight.toArray() as number[][];
    expect(w[0]![0]).toBe(TORCH['784x10'].w00);
    expect(w[9]![783]).toBe(TORCH['784x10'].w9_783);
    expect(w[5]![400]).toBe(TORCH['784x10'].w5_400);
    expect(l.weight.double().sum().item()).toBeCloseTo(TORCH['784x10'].wsum, 12);
    expect(l.bias!.toArray()).toEqual(TORCH['784x10'].b);
    manualSeed(3);
    const a = new Linear(2, 2);
    const c = new Linear(2, 1);
    expect([a.weight.toArray(), a.bias!.toArray(), c.weight.toArray(), c.bias!.toArray()]).toEqual([
      TORCH.seq.a,
      TORCH.seq.ab,
      TORCH.seq.c,
      TORCH.seq.cb,
    ]);
  });

  it('draws float64 parameters like PyTorch with dtype=float64', () => {
    manualSeed(0);
    const l = new Linear(3, 2, true, { dtype: 'float64' });
    expect(l.weight.dtype).toBe('float64');
    expect(l.weight.toArray()).toEqual(TORCH.f64.w);
    expect(l.bias!.toArray()).toEqual(TORCH.f64.b);
  });

  it('resetParameters re-draws; bounds are ±1/√fanIn', () => {
    manualSeed(0);
    const l = new Linear(100, 50);
    const before = l.weight.clone();
    l.resetParameters();
    expect(l.weight.equal(before)).toBe(false);
    expect(l.weight.abs().max().item()).toBeLessThanOrEqual(0.1);
    expect(l.bias!.abs().max().item()).toBeLessThanOrEqual(0.1);
    expect(new Linear(0, 3).bias!.abs().sum().item()).toBe(0); // fanIn 0: bound 0
  });

  it('rejects bad sizes', () => {
    expect(() => new Linear(-1, 2)).toThrow(
      /Linear: inFeatures must be a non-negative integer, got -1/,
    );
    expect(() => new Linear(2, 1.5)).toThrow(
      'Linear: outFeatures must be an integer, got number 1.5',
    );
  });
});

describe('Linear forward', () => {
  const W = tensor(
    [
      [0.5, -1.0, 2.0],
      [1.5, 0.25, -0.75],
    ],
    { dtype: 'float64' },
  );
  const B = tensor([0.1, -0.2], { dtype: 'float64' });

  it('matches torch.nn.functional.linear for 2-d and 3-d inputs', () => {
    const l = new Linear(3, 2, true, { dtype: 'float64' });
    l.weight.data.copy_(W);
    l.bias!.data.copy_(B);
    const x = tensor(
      [
        [1, 2, 3],
        [-1, 0.5, 0],
      ],
      { dtype: 'float64' },
    );
    const y = l.call(x).toArray() as number[][];
    const want = [
      [4.6, -0.45],
      [-0.9, -1.575],
    ];
    y.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(want[i]![j]!, 14)));
    const x3 = F.linear(
      tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], { dtype: 'float64' }).div(7).view(2, 2, 3),
      W,
      B,
    );
    expect(x3.shape).toEqual([2, 2, 2]);
    const want3 = [
      [
        [0.5285714285714286, -0.37857142857142856],
        [1.1714285714285717, 0.04999999999999985],
      ],
      [
        [1.8142857142857143, 0.4785714285714285],
        [2.4571428571428573, 0.9071428571428575],
      ],
    ];
    (x3.toArray() as number[][][])
      .flat(2)
      .forEach((v, i) => expect(v).toBeCloseTo(want3.flat(2)[i]!, 14));
    // Without bias: x Wᵀ.
    expect(F.linear(tensor([[1, 0, 0]], { dtype: 'float64' }), W).toArray()).toEqual([[0.5, 1.5]]);
    // A 1-d input gives a 1-d output.
    expect(F.linear(tensor([0, 1, 0], { dtype: 'float64' }), W, B).toArray()).toEqual([
      -1 + 0.1,
      0.25 - 0.2,
    ]);
  });

  it('rejects an input of the wrong width and a non-2-d weight', () => {
    const l = new Linear(3, 2);
    expect(() => l.call(randn([4, 5]))).toThrow(
      /mat1 and mat2 shapes cannot be multiplied \(input of shape \[4, 5\] and weight\.T of shape \[3, 2\]\)/,
    );
    expect(() => l.call(tensor(1))).toThrow(/mat1 and mat2 shapes cannot be multiplied/);
    expect(() => F.linear(randn([2, 3]), randn([3]))).toThrow(
      /expected a 2-d weight \[out, in\], got shape \[3\]/,
    );
  });

  it('passes gradcheck in float64 (input, weight and bias)', () => {
    manualSeed(5);
    const l = new Linear(4, 3, true, { dtype: 'float64' });
    const x = randn([2, 4], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((xi) => l.call(xi), [x, l.weight, l.bias!])).toBe(true);
    const lb = new Linear(3, 2, false, { dtype: 'float64' });
    const x3 = randn([2, 2, 3], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((xi) => lb.call(xi), [x3, lb.weight])).toBe(true);
  });

  it('a batch of rows with a bias is one addmm, as in PyTorch, with the bits of matmul + add', () => {
    manualSeed(3);
    const l = new Linear(300, 40);
    const x = randn([64, 300], { requiresGrad: true });
    const y = l.call(x);
    expect(y.gradFn!.name).toBe('AddmmBackward0');
    expect(y.gradFn!.next.map((n) => n?.name ?? null)).toEqual([
      'AccumulateGrad',
      'AccumulateGrad',
      'TBackward0',
    ]);
    const composed = x.matmul(l.weight.t()).add(l.bias!);
    expect(y.toArray()).toEqual(composed.toArray());
    const g = randn([64, 40]);
    y.backward(g);
    const fused = [x.grad!, l.weight.grad!, l.bias!.grad!].map((t) => t.toArray());
    for (const p of [x, l.weight, l.bias!]) p.grad = null;
    composed.backward(g);
    expect([x.grad!, l.weight.grad!, l.bias!.grad!].map((t) => t.toArray())).toEqual(fused);
    // Other ranks and no bias keep the product (and the add), as PyTorch's linear does.
    expect(F.linear(randn([2, 300]), l.weight).gradFn!.name).toBe('MmBackward0');
    // A contiguous 3-d batch is viewed as rows: ViewBackward0 over AddmmBackward0, as in PyTorch.
    const x3 = randn([4, 16, 300], { requiresGrad: true });
    const y3 = F.linear(x3, l.weight, l.bias);
    expect(y3.shape).toEqual([4, 16, 40]);
    expect([y3.gradFn!.name, y3.gradFn!.next[0]!.name]).toEqual([
      'ViewBackward0',
      'AddmmBackward0',
    ]);
    const composed3 = x3.matmul(l.weight.t()).add(l.bias!);
    expect(y3.toArray()).toEqual(composed3.toArray());
    const g3 = randn([4, 16, 40]);
    const viaAddmm = grad(y3, [x3, l.weight, l.bias!], { gradOutputs: g3 });
    const viaMatmul = grad(composed3, [x3, l.weight, l.bias!], { gradOutputs: g3 });
    viaAddmm.forEach((g, i) => expect(g!.toArray()).toEqual(viaMatmul[i]!.toArray()));
    expect(F.linear(x3.transpose(0, 1), l.weight, l.bias).gradFn!.name).toBe('AddBackward0');
    expect(F.linear(randn([2, 2, 3, 300]), l.weight, l.bias).gradFn!.name).toBe('AddBackward0');
  });

  it('Identity returns its input', () => {
    const x = randn([2]);
    expect(new Identity().call(x)).toBe(x);
    expect(new Linear(3, 2).toString()).toBe('Linear(inFeatures=3, outFeatures=2, bias=true)');
  });
});
