import { GENERATED_UNARY_OPS } from '@gd/tensor';
import { UNARY_OP_INFO } from '@gd/tensor/op-info';
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { arange, manualSeed, ones, rand, randn, tensor } from '@gd/autograd';
import { gradcheck } from '@gd/autograd/gradcheck';
import type { Module } from './index.js';
import {
  Dropout,
  F,
  Flatten,
  GELU,
  LeakyReLU,
  LogSoftmax,
  ReLU,
  SiLU,
  Sigmoid,
  Softmax,
  Tanh,
  Unflatten,
} from './index.js';

// Golden values from torch 1.13 (float64 unless named otherwise). Dropout cases are
// `torch.manual_seed(seed); F.dropout(torch.arange(1, 21, dtype=dt).reshape(4, 5) / 8, p)`.
const T = {
  relu: [0.0, 0.0, 0.0, 0.0, 0.25, 1.0, 2.5],
  leaky: [-0.6000000000000001, -0.30000000000000004, -0.1, 0.0, 0.25, 1.0, 2.5],
  tanh: [
    -0.9950547536867305, -0.9051482536448664, -0.46211715726000974, 0.0, 0.24491866240370913,
    0.7615941559557649, 0.9866142981514303,
  ],
  sigmoid: [
    0.04742587317756678, 0.18242552380635635, 0.3775406687981454, 0.5, 0.5621765008857981,
    0.7310585786300049, 0.9241418199787566,
  ],
  gelu: [
    -0.00404969409489031, -0.10021080190328704, -0.15426876936299344, 0.0, 0.14967658142073093,
    0.841344746068543, 2.4844758366855597,
  ],
  gelu_tanh: [
    -0.0036373920817729943, -0.10042842301976707, -0.15428599017485606, 0.0, 0.149675350701685,
    0.8411919906082768, 2.484915733910001,
  ],
  silu: [
    -0.14227761953270035, -0.2736382857095345, -0.1887703343990727, 0.0, 0.14054412522144952,
    0.7310585786300049, 2.3103545499468914,
  ],
  softmax1: [
    [0.09003057317038045, 0.2447284710547976, 0.6652409557748218],
    [0.006573263185309083, 0.0178679818703045, 0.9755587549443865],
  ],
  softmax0: [
    [0.8807970779778823, 0.8807970779778823, 0.2689414213699951],
    [0.11920292202211755, 0.11920292202211755, 0.7310585786300049],
  ],
  logsoftmax1: [
    [-2.4076059644443806, -1.4076059644443804, -0.4076059644443804],
    [-5.024744890138822, -4.024744890138822, -0.02474489013882259],
  ],
  'drop_0.2_torch.float32_0': [
    [0.0, 0.3125, 0.46875, 0.0, 0.78125],
    [0.9375, 1.09375, 1.25, 1.40625, 1.5625],
    [1.71875, 1.875, 2.03125, 2.1875, 2.34375],
    [2.5, 2.65625, 2.8125, 2.96875, 3.125],
  ],
  'drop_0.5_torch.float32_1': [
    [0.25, 0.5, 0.75, 1.0, 0.0],
    [1.5, 1.75, 0.0, 0.0, 2.5],
    [0.0, 3.0, 0.0, 3.5, 3.75],
    [4.0, 0.0, 4.5, 0.0, 0.0],
  ],
  'drop_0.3_torch.float32_2': [
    [0.0, 0.3571428656578064, 0.0, 0.7142857313156128, 0.0],
    [1.0714285373687744, 1.25, 1.4285714626312256, 1.6071429252624512, 1.7857143878936768],
    [1.9642857313156128, 2.142857074737549, 2.3214285373687744, 0.0, 0.0],
    [2.857142925262451, 0.0, 3.2142858505249023, 0.0, 3.5714287757873535],
  ],
  'drop_0.5_torch.float64_3': [
    [0.25, 0.5, 0.0, 1.0, 0.0],
    [0.0, 1.75, 2.0, 2.25, 0.0],
    [2.75, 0.0, 3.25, 3.5, 0.0],
    [4.0, 4.25, 0.0, 0.0, 5.0],
  ],
  'drop_0.2_torch.float64_4': [
    [0.15625, 0.3125, 0.46875, 0.0, 0.0],
    [0.9375, 1.09375, 1.25, 1.40625, 1.5625],
    [1.71875, 0.0, 2.03125, 2.1875, 2.34375],
    [2.5, 2.65625, 2.8125, 2.96875, 3.125],
  ],
  drop_mod: [
    [2.0, 2.0, 0.0, 0.0],
    [0.0, 0.0, 2.0, 0.0],
    [0.0, 0.0, 2.0, 2.0],
  ],
  after: [0.5209300518035889, 0.593231201171875],
  big_zero: 19859,
};

const X = [-3.0, -1.5, -0.5, 0.0, 0.25, 1.0, 2.5];
const x64 = (): Tensor => tensor(X, { dtype: 'float64' });

function close(got: Tensor, want: unknown, digits = 14): void {
  const g = [got.toArray()].flat(4) as number[];
  const w = [want].flat(4) as number[];
  expect(g).toHaveLength(w.length);
  g.forEach((v, i) => expect(v).toBeCloseTo(w[i]!, digits));
}

describe('activation layers', () => {
  const cases: [string, Module, keyof typeof T][] = [
    ['ReLU', new ReLU(), 'relu'],
    ['LeakyReLU(0.2)', new LeakyReLU(0.2), 'leaky'],
    ['Tanh', new Tanh(), 'tanh'],
    ['Sigmoid', new Sigmoid(), 'sigmoid'],
    ['GELU', new GELU(), 'gelu'],
    ["GELU('tanh')", new GELU('tanh'), 'gelu_tanh'],
    ['SiLU', new SiLU(), 'silu'],
  ];
  for (const [name, layer, key] of cases) {
    it(`${name} matches torch and passes gradcheck`, () => {
      close(layer.call(x64()), T[key]);
      // Away from ReLU's kink at 0.
      const x = tensor([-1.3, -0.4, 0.3, 0.9, 2.1], { dtype: 'float64', requiresGrad: true });
      expect(gradcheck((t) => layer.call(t), [x])).toBe(true);
    });
  }

  it('functional forms agree with the layers', () => {
    close(F.relu(x64()), T.relu);
    close(F.leakyRelu(x64(), 0.2), T.leaky);
    close(F.tanh(x64()), T.tanh);
    close(F.sigmoid(x64()), T.sigmoid);
    close(F.gelu(x64()), T.gelu);
    close(F.gelu(x64(), 'tanh'), T.gelu_tanh);
    close(F.silu(x64()), T.silu);
    close(F.softplus(tensor([0], { dtype: 'float64' })), [Math.log(2)]);
    close(new LeakyReLU().call(tensor([-100], { dtype: 'float64' })), [-1]); // default slope 0.01
  });

  it('Softmax and LogSoftmax along a dim match torch and pass gradcheck', () => {
    const m = tensor(
      [
        [1, 2, 3],
        [-1, 0, 4],
      ],
      { dtype: 'float64' },
    );
    close(new Softmax(1).call(m), T.softmax1);
    close(new Softmax(0).call(m), T.softmax0);
    close(new LogSoftmax(1).call(m), T.logsoftmax1);
    close(F.softmax(m, -1), T.softmax1);
    close(F.logSoftmax(m, 1), T.logsoftmax1);
    const x = randn([2, 3], { dtype: 'float64', requiresGrad: true });
    const w = randn([2, 3], { dtype: 'float64' });
    expect(gradcheck((t) => new Softmax(1).call(t).mul(w), [x])).toBe(true);
    expect(gradcheck((t) => new LogSoftmax(0).call(t), [x])).toBe(true);
  });

  it('prints like PyTorch', () => {
    expect(new LeakyReLU(0.1).toString()).toBe('LeakyReLU(negativeSlope=0.1)');
    expect(new GELU().toString()).toBe("GELU(approximate='none')");
    expect(new Softmax(1).toString()).toBe('Softmax(dim=1)');
    expect(new Dropout(0.2).toString()).toBe('Dropout(p=0.2)');
    expect(new Flatten().toString()).toBe('Flatten(startDim=1, endDim=-1)');
    expect(new Unflatten(1, [2, 5]).toString()).toBe('Unflatten(dim=1, unflattenedSize=[2, 5])');
  });
});

describe('Dropout', () => {
  const input = (dtype: 'float32' | 'float64'): Tensor =>
    arange(1, 21, 1, { dtype }).reshape(4, 5).div(8);
  const cases: [number, 'float32' | 'float64', number, keyof typeof T][] = [
    [0.2, 'float32', 0, 'drop_0.2_torch.float32_0'],
    [0.5, 'float32', 1, 'drop_0.5_torch.float32_1'],
    [0.3, 'float32', 2, 'drop_0.3_torch.float32_2'],
    [0.5, 'float64', 3, 'drop_0.5_torch.float64_3'],
    [0.2, 'float64', 4, 'drop_0.2_torch.float64_4'],
  ];
  for (const [p, dtype, seed, key] of cases) {
    it(`the mask and the scaled values equal PyTorch's after the same seed (p=${p}, ${dtype})`, () => {
      manualSeed(seed);
      expect(F.dropout(input(dtype), p).toArray()).toEqual(T[key]);
      manualSeed(seed);
      expect(new Dropout(p).call(input(dtype)).toArray()).toEqual(T[key]);
    });
  }

  it('consumes the generator as PyTorch does (the next draw matches)', () => {
    manualSeed(7);
    expect(new Dropout(0.5).call(ones([3, 4])).toArray()).toEqual(T.drop_mod);
    expect(rand([2]).toArray()).toEqual(T.after);
  });

  it('is the identity in eval mode and for p=0; zeroes everything for p=1', () => {
    const x = randn([3, 4]);
    const d = new Dropout(0.5);
    d.eval();
    expect(d.call(x)).toBe(x);
    expect(F.dropout(x, 0.5, false)).toBe(x);
    expect(new Dropout(0).call(x)).toBe(x);
    const z = new Dropout(1).call(x);
    expect(z.abs().sum().item()).toBe(0);
    expect(z.shape).toEqual([3, 4]);
    d.train();
    expect(d.call(x)).not.toBe(x);
  });

  it('drops about p of the elements and keeps the expectation', () => {
    manualSeed(11);
    const y = F.dropout(ones([100000]), 0.2);
    const zeros = y.eq(0).sum().item();
    expect(zeros).toBe(T.big_zero); // torch's count for the same seed
    expect(Math.abs(zeros - 20000)).toBeLessThan(4 * Math.sqrt(100000 * 0.2 * 0.8));
    expect(y.mean().item()).toBeCloseTo(1, 1);
  });

  it('its gradient is the scaled mask (gradcheck with a fixed seed)', () => {
    const x = randn([3, 4], { dtype: 'float64', requiresGrad: true });
    const fn = (t: Tensor): Tensor => {
      manualSeed(1);
      return F.dropout(t, 0.4);
    };
    expect(gradcheck(fn, [x])).toBe(true);
    manualSeed(1);
    const y = F.dropout(x, 0.4);
    y.sum().backward();
    const g = x.grad!.toArray() as number[][];
    const yv = y.toArray() as number[][];
    g.flat().forEach((v, i) => expect(v).toBe(yv.flat()[i] === 0 ? 0 : 1 / 0.6));
  });

  it('rejects p outside [0, 1]', () => {
    expect(() => new Dropout(1.5)).toThrow(
      /dropout probability has to be between 0 and 1, but got 1.5/,
    );
    expect(() => F.dropout(ones([1]), -0.1)).toThrow(/between 0 and 1, but got -0.1/);
    expect(() => new Dropout(Number.NaN)).toThrow(/between 0 and 1/);
  });
});

describe('Flatten and Unflatten', () => {
  it('flatten all but the batch dim by default, or a dim range', () => {
    const x = randn([2, 3, 4, 5]);
    expect(new Flatten().call(x).shape).toEqual([2, 60]);
    expect(new Flatten(0).call(x).shape).toEqual([120]);
    expect(new Flatten(1, 2).call(x).shape).toEqual([2, 12, 5]);
    expect(new Flatten(-2).call(x).shape).toEqual([2, 3, 20]);
    expect(new Flatten().call(x).toArray()).toEqual(x.reshape(2, 60).toArray());
  });

  it('Unflatten splits a dim back', () => {
    const x = randn([2, 60]);
    const u = new Unflatten(1, [3, 4, 5]);
    expect(u.call(x).shape).toEqual([2, 3, 4, 5]);
    expect(new Flatten().call(u.call(x)).equal(x)).toBe(true);
    expect(new Unflatten(-1, [6, 10]).call(x).shape).toEqual([2, 6, 10]);
    expect(() => new Unflatten(1, [7, 7]).call(x)).toThrow();
  });

  it('pass gradcheck', () => {
    const x = randn([2, 3, 2], { dtype: 'float64', requiresGrad: true });
    const w = randn([2, 6], { dtype: 'float64' });
    expect(gradcheck((t) => new Flatten().call(t).mul(w), [x])).toBe(true);
    const c = x.detach().clone();
    expect(gradcheck((t) => new Unflatten(1, [3, 2]).call(new Flatten().call(t)).mul(c), [x])).toBe(
      true,
    );
  });
});

describe('activations generated from the op registry', () => {
  it('F has a function for every generated op of torch.nn.functional, equal to the method', () => {
    const x = tensor([-2.5, -0.3, 0, 0.7, 4], { dtype: 'float64' });
    const inF = GENERATED_UNARY_OPS.filter((op) =>
      UNARY_OP_INFO[op].torch.startsWith('torch.nn.functional.'),
    );
    expect(inF).toEqual(expect.arrayContaining(['elu', 'silu', 'leakyRelu', 'mish']));
    for (const op of inF) {
      const f = (F as unknown as Record<string, (t: Tensor, ...a: unknown[]) => Tensor>)[op];
      expect(f, `F.${op}`).toBeTypeOf('function');
      const method = x[op] as () => Tensor;
      expect(f!(x).toArray()).toEqual(method.call(x).toArray());
    }
    expect(F.elu(x, { alpha: 0.5 }).toArray()).toEqual(x.elu(0.5).toArray());
    expect(() => F.elu(x, 'a' as never)).toThrow(/elu: alpha must be a number/);
  });
});

describe('module classes of the registry activations', () => {
  it('each equals its op, with its parameters', async () => {
    const nn = await import('./index.js');
    const x = randn([5]);
    const cases: [{ call(t: typeof x): typeof x; typeName: string }, (t: typeof x) => typeof x][] =
      [
        [new nn.ELU(0.5), (t) => t.elu(0.5)],
        [new nn.CELU(2), (t) => t.celu(2)],
        [new nn.SELU(), (t) => t.selu()],
        [new nn.Mish(), (t) => t.mish()],
        [new nn.Hardswish(), (t) => t.hardswish()],
        [new nn.Hardsigmoid(), (t) => t.hardsigmoid()],
        [new nn.LogSigmoid(), (t) => t.logsigmoid()],
        [new nn.Hardtanh(-2, 0.5), (t) => t.hardtanh(-2, 0.5)],
        [new nn.Softshrink(0.3), (t) => t.softshrink(0.3)],
        [new nn.Softplus(), (t) => t.softplus()],
        [new nn.Softplus(2, 0.5), (t) => t.softplus(2, 0.5)],
      ];
    for (const [m, f] of cases) expect(m.call(x).equal(f(x)), m.typeName).toBe(true);
    expect(String(new nn.Hardtanh(-2, 0.5))).toBe('Hardtanh(minVal=-2, maxVal=0.5)');
    expect(() => new nn.Hardtanh(1, 0)).toThrow('max_val must be greater than min_val');
    expect(String(new nn.Softplus(2, 5))).toBe('Softplus(beta=2, threshold=5)');
    // PyTorch: softplus(0.5·2) above threshold 0.5 is x itself; below, log1p(e^(2x)) / 2
    const [above, below] = nn.F.softplus(tensor([1, -1]), 2, 0.5).toArray() as number[];
    expect(above).toBe(1);
    expect(below).toBeCloseTo(Math.log1p(Math.exp(-2)) / 2, 6);
    expect(() => new nn.Softplus('2' as never)).toThrow(/Softplus.*beta/);
  });

  it('PReLU starts at 0.25 and Dropout2d zeroes whole channels', async () => {
    const nn = await import('./index.js');
    const act = new nn.PReLU(3);
    expect(act.weight.toArray()).toEqual([0.25, 0.25, 0.25]);
    expect(() => act.call(randn([2, 4]))).toThrow(
      'Found parameter numbers = 3 and channel size = 4',
    );
    manualSeed(3);
    const y = new nn.Dropout2d(0.5).call(ones([4, 6, 3, 3]));
    const sums = y.sum([2, 3]).toArray() as number[][];
    for (const row of sums) for (const s of row) expect([0, 18]).toContain(s);
  });
});
