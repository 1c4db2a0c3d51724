/**
 * The lecture "Beyond Least Squares: Computing Gradients in PyTorch", from "One-Dimensional
 * Examples" through "Revisiting Least Squares", translated to gd. Every number below was printed
 * by PyTorch 1.13 running the lecture's code (float32, as in the lecture); where the lecture's
 * comments and PyTorch disagree (pitfalls 2 and 5), the tests follow what PyTorch really does.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from './index.js';
import { linspace, manualSeed, noGrad, onesLike, randn, tensor, zeros } from './index.js';

function flat(t: Tensor): number[] {
  return (t.value.contiguous().toArray() as unknown[]).flat(Infinity) as number[];
}

function expectAllClose(
  actual: readonly number[],
  expected: readonly number[],
  atol: number,
  rtol = 0,
): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      throw new Error(`element ${i}: got ${a}, expected ${e} (atol ${atol}, rtol ${rtol})`);
    }
  });
}

// g(x) and g'(x) on torch.linspace(-3, 3, 100) (float32), as PyTorch prints them.
const G_VALUES = [
  -0.00722404569, -0.0112695741, -0.0153437797, -0.0188330058, -0.0209756009, -0.0209285691,
  -0.0178713184, -0.0111423815, -0.0003970697, 0.0142328711, 0.0320032835, 0.0514748581,
  0.0705124363, 0.0863923505, 0.0960293189, 0.0963219851, 0.084594667, 0.0590914786, 0.0194601249,
  -0.0328500532, -0.0943589211, -0.15956524, -0.221248791, -0.271080106, -0.300513089, -0.301882982,
  -0.269589275, -0.201208144, -0.0983626842, 0.0328165889, 0.181767419, 0.33417961, 0.473279625,
  0.581617057, 0.643168032, 0.645506442, 0.581750751, 0.451995164, 0.263980776, 0.0328431316,
  -0.22010985, -0.469500691, -0.688650787, -0.852690279, -0.941615641, -0.942892492, -0.853237987,
  -0.679319501, -0.437243074, -0.150866389, 0.150867268, 0.437243849, 0.679320157, 0.853238344,
  0.942892611, 0.941615462, 0.852690279, 0.688650787, 0.469500691, 0.22010985, -0.0328431316,
  -0.263980776, -0.451995164, -0.581750751, -0.645506442, -0.643168032, -0.581617057, -0.473279625,
  -0.33417961, -0.181767419, -0.0328165889, 0.0983626842, 0.201208144, 0.269589096, 0.301883012,
  0.300513089, 0.271080106, 0.221248955, 0.159565434, 0.0943589211, 0.0328500532, -0.0194601286,
  -0.0590913668, -0.084594667, -0.0963219851, -0.0960293189, -0.0863923877, -0.0705124363,
  -0.0514748581, -0.0320033953, -0.0142328711, 0.0003970697, 0.0111423815, 0.0178713184,
  0.0209285673, 0.0209756009, 0.0188330058, 0.0153437797, 0.0112695741, 0.00722404569,
];
const G_GRADS = [
  -0.0638689846, -0.0684375316, -0.0643155053, -0.0487158448, -0.0196429566, 0.0234896503,
  0.079262659, 0.143785268, 0.21048665, 0.270279408, 0.312187433, 0.324471623, 0.296215832,
  0.219241232, 0.0901263058, -0.0879649669, -0.30400148, -0.538685679, -0.76522702, -0.951439023,
  -1.0631448, -1.06864119, -0.943758845, -0.676863611, -0.273015052, 0.243522435, 0.829080343,
  1.42316151, 1.9538641, 2.34582067, 2.52984405, 2.45313001, 2.08859634, 1.44186473, 0.554597616,
  -0.496757448, -1.60711336, -2.65346336, -3.5090456, -4.05931377, -4.21757364, -3.9380877,
  -3.22461891, -2.13294196, -0.766622961, 0.733712196, 2.20640898, 3.48813701, 4.43403053,
  4.93587685, 4.93587637, 4.43402815, 3.48813367, 2.20640516, 0.733707964, -0.766627491,
  -2.13294196, -3.22461891, -3.9380877, -4.21757364, -4.05931377, -3.5090456, -2.65346336,
  -1.60711336, -0.496757448, 0.554597616, 1.44186473, 2.08859634, 2.45313001, 2.52984405,
  2.34582067, 1.9538641, 1.42316151, 0.829082191, 0.243523329, -0.273015052, -0.676863611,
  -0.943758249, -1.06864095, -1.0631448, -0.951439023, -0.765227199, -0.538686335, -0.30400148,
  -0.0879649669, 0.0901263058, 0.219240904, 0.296215832, 0.324471623, 0.312187552, 0.270279408,
  0.21048665, 0.143785268, 0.079262659, 0.0234898105, -0.0196429566, -0.0487158448, -0.0643155053,
  -0.0684375316, -0.0638689846,
];

describe('One-dimensional examples', () => {
  it("f(x) = x² - 2x + 1 at x = 0: f = 1, f' = -2", () => {
    const x = tensor([0.0], { requiresGrad: true });
    const f = (x: Tensor): Tensor => x.pow(2).sub(x.mul(2)).add(1);
    const y = f(x);
    y.backward();
    expect(x.item()).toBe(0);
    expect(y.item()).toBe(1);
    expect(x.grad!.item()).toBe(-2);
    expect(y.gradFn!.name).toBe('AddBackward0');
    expect(x.grad!.dtype).toBe('float32');
  });

  it("f'(x) = 2x - 2 is zero exactly at the minimum x = 1", () => {
    const x = tensor([1.0, 3.0, -0.5], { requiresGrad: true });
    x.pow(2).sub(x.mul(2)).add(1).sum().backward();
    expect(flat(x.grad!)).toEqual([0, 4, -3]);
  });

  it('g(x) = sin(5x)·exp(-x²/2) on linspace(-3, 3, 100): values and gradients match PyTorch', () => {
    const g = (x: Tensor): Tensor => x.mul(5).sin().mul(x.pow(2).neg().div(2).exp());
    const x = linspace(-3, 3, 100, { requiresGrad: true });
    expect(x.dtype).toBe('float32');
    expect(x.isLeaf).toBe(true);
    const y = g(x);
    y.sum().backward(); // sum() to get a scalar for backward()
    expect(y.gradFn!.name).toBe('MulBackward0');
    expectAllClose(
      flat(x.detach()).slice(0, 3),
      [-3.0, -2.939393997192383, -2.8787879943847656],
      1e-7,
    );
    expectAllClose(flat(y.detach()), G_VALUES, 1e-5);
    expectAllClose(flat(x.grad!), G_GRADS, 1e-5);
    // The plot's data: detach() gives values without history; x.grad is already a plain tensor.
    expect(y.detach().requiresGrad).toBe(false);
    expect(x.grad!.requiresGrad).toBe(false);
  });

  it("g' changes sign between neighbouring minima and maxima (several stationary points)", () => {
    const x = linspace(-3, 3, 100, { requiresGrad: true });
    x.mul(5).sin().mul(x.pow(2).neg().div(2).exp()).sum().backward();
    const gr = flat(x.grad!);
    let signChanges = 0;
    for (let i = 1; i < gr.length; i++)
      if (Math.sign(gr[i]!) !== Math.sign(gr[i - 1]!)) signChanges++;
    const expected = G_GRADS.slice(1).filter(
      (v, i) => Math.sign(v) !== Math.sign(G_GRADS[i]!),
    ).length;
    expect(signChanges).toBe(expected);
    expect(signChanges).toBeGreaterThanOrEqual(8);
  });
});

describe('Common pitfalls', () => {
  it("1. breaking the graph: backward of the detached branch throws PyTorch's error", () => {
    const x = tensor([1.0], { requiresGrad: true });
    const y = x.mul(2);
    const z = y.detach(); // breaks the graph
    const w = z.mul(3);
    expect(z.requiresGrad).toBe(false);
    expect(w.requiresGrad).toBe(false);
    expect(w.gradFn).toBeNull();
    expect(() => w.backward()).toThrow(
      /^element 0 of tensors does not require grad and does not have a grad_fn$/,
    );
    expect(x.grad).toBeNull();
  });

  it('1. keeping the graph connected: x.grad is 6', () => {
    const x = tensor([1.0], { requiresGrad: true });
    const y = x.mul(2);
    const w = y.mul(3);
    w.backward();
    expect(flat(x.grad!)).toEqual([6]);
  });

  it('2. y += 1 on a non-leaf works in PyTorch (MulBackward0 saved nothing that changed): grad 2', () => {
    const x = tensor([1.0], { requiresGrad: true });
    const y = x.mul(2);
    expect(y.version).toBe(0);
    y.add_(1); // in place
    expect(y.version).toBe(1);
    expect(y.gradFn!.name).toBe('AddBackward0');
    expect(y.item()).toBe(3);
    y.backward();
    expect(flat(x.grad!)).toEqual([2]);
  });

  it('2. the out-of-place version works too: grad 2', () => {
    const x = tensor([1.0], { requiresGrad: true });
    let y = x.mul(2);
    y = y.add(1); // a new tensor
    expect(y.gradFn!.name).toBe('AddBackward0');
    y.backward();
    expect(flat(x.grad!)).toEqual([2]);
  });

  it('2. where an in-place op DOES break backward: it overwrites a value saved for it', () => {
    const x = tensor([1.0], { requiresGrad: true });
    const y = x.exp(); // ExpBackward0 saves its output
    y.add_(1);
    expect(() => y.backward()).toThrow(
      /modified by an inplace operation: .*output 0 of ExpBackward0, is at version 1; expected version 0 instead/,
    );
  });

  it('3. gradients accumulate (6 = 2 + 2 + 2), and clearing with x.grad = null gives 2', () => {
    let x = tensor([1.0], { requiresGrad: true });
    for (let i = 0; i < 3; i++) {
      const y = x.mul(2);
      y.backward(); // gradients accumulate
    }
    expect(flat(x.grad!)).toEqual([6]);

    x = tensor([1.0], { requiresGrad: true });
    for (let i = 0; i < 3; i++) {
      x.grad = null; // clear gradients
      const y = x.mul(2);
      y.backward();
    }
    expect(flat(x.grad!)).toEqual([2]);
  });

  it('4. vector output without a gradient: "grad can be implicitly created only for scalar outputs"', () => {
    const x = tensor([[1.0, 2.0]], { requiresGrad: true });
    const y = x.mul(2);
    expect(() => y.backward()).toThrow(/^grad can be implicitly created only for scalar outputs$/);
    expect(x.grad).toBeNull();
  });

  it('4. backward(onesLike(y)) works and gives 2s', () => {
    const x = tensor([[1.0, 2.0]], { requiresGrad: true });
    const y = x.mul(2);
    y.backward(onesLike(y));
    expect(x.grad!.shape).toEqual([1, 2]);
    expect(x.grad!.toArray()).toEqual([[2, 2]]);
  });

  it('5. requiresGrad_(true) on a result of tensors not requiring grad works: it is a leaf', () => {
    const x = tensor([1.0]);
    const y = x.mul(2);
    expect(y.isLeaf).toBe(true); // no input required grad, so nothing was recorded
    y.requiresGrad_(true); // the lecture says "Error", PyTorch allows it
    expect(y.requiresGrad).toBe(true);
    expect(y.isLeaf).toBe(true);
    expect(y.gradFn).toBeNull();
    y.mul(3).backward();
    expect(flat(y.grad!)).toEqual([3]);
  });

  it("5. requiresGrad_(false) on a real non-leaf throws PyTorch's message; requiresGrad_(true) there is a no-op", () => {
    const x = tensor([1.0], { requiresGrad: true });
    const y = x.mul(2); // y inherits requiresGrad
    expect(x.isLeaf).toBe(true);
    expect(y.requiresGrad).toBe(true);
    expect(y.isLeaf).toBe(false);
    expect(() => y.requiresGrad_(false)).toThrow(
      /^you can only change requires_grad flags of leaf variables\./,
    );
    expect(() => y.requiresGrad_(true)).not.toThrow();
    expect(y.isLeaf).toBe(false);
  });

  it('6. evaluating under noGrad records nothing: no gradFn, requiresGrad false, nothing saved', () => {
    const W = tensor(
      [
        [0.5, -1.0],
        [2.0, 0.25],
        [1.0, 1.0],
      ],
      { requiresGrad: true },
    );
    const b = tensor([0.1, -0.2], { requiresGrad: true });
    const model = (data: Tensor): Tensor => data.matmul(W).add(b);
    const data = tensor([
      [1.0, 2.0, 3.0],
      [-1.0, 0.0, 1.0],
    ]);

    // Wasteful: tracks gradients during evaluation (the graph keeps `data` alive).
    const evaluateWasteful = (data: Tensor): Tensor => model(data);
    const tracked = evaluateWasteful(data);
    expect(tracked.requiresGrad).toBe(true);
    expect(tracked.gradFn!.name).toBe('AddBackward0');
    const mm = tracked.gradFn!.next[0]!;
    expect(mm.name).toBe('MmBackward0');
    expect(mm.savedTensors()).toHaveLength(1);
    expect(mm.savedTensors()[0]!.equal(data)).toBe(true);

    // Efficient: disables gradient tracking.
    const evaluate = (data: Tensor): Tensor => noGrad(() => model(data));
    const out = evaluate(data);
    expect(out.gradFn).toBeNull();
    expect(out.requiresGrad).toBe(false);
    expect(out.isLeaf).toBe(true);
    expect(out.allclose(tracked.detach())).toBe(true);
    expect(() => out.sum().backward()).toThrow(/does not require grad and does not have a grad_fn/);
  });
});

describe('Revisiting least squares', () => {
  // torch.manual_seed(42); X = torch.randn(1000, 3); y = X @ w_true + 0.1 * torch.randn(1000)
  const setup = (): { X: Tensor; y: Tensor } => {
    manualSeed(42);
    const nSamples = 1000;
    const nFeatures = 3;
    const X = randn([nSamples, nFeatures]);
    const wTrue = tensor([1.0, -0.5, 0.25]);
    const y = X.matmul(wTrue).add(randn([nSamples]).mul(0.1));
    return { X, y };
  };
  const lossFn = (X: Tensor, y: Tensor, w: Tensor): Tensor =>
    X.matmul(w).sub(y).pow(2).mean().mul(0.5);

  it("the synthetic data equals PyTorch's for manualSeed(42)", () => {
    const { X, y } = setup();
    expect(X.shape).toEqual([1000, 3]);
    expect(X.dtype).toBe('float32');
    expect(flat(X.index(0))).toEqual([1.9269152879714966, 1.4872840642929077, 0.9007171988487244]);
    expect(flat(X.index(1))).toEqual([
      -2.1055209636688232, 0.6784184575080872, -1.2345448732376099,
    ]);
    expect(flat(X.index(999))).toEqual([
      -0.03429529443383217, -0.5655248165130615, 0.43977639079093933,
    ]);
    expectAllClose(
      flat(y.slice(0, 0, 3)),
      [1.3030372858047485, -2.984626054763794, 0.4809591472148895],
      1e-6,
    );
    expect(X.double().sum().item()).toBeCloseTo(23.90633658465231, 9);
    expect(y.double().sum().item()).toBeCloseTo(21.301698511466384, 3);
  });

  it("autograd gradient = X^T(Xw - y)/n, and both equal PyTorch's printed gradient", () => {
    const { X, y } = setup();
    const w = zeros([3], { requiresGrad: true });
    const loss = lossFn(X, y, w);
    expect(loss.gradFn!.name).toBe('MulBackward0');
    expect(loss.item()).toBeCloseTo(0.6475825309753418, 6);
    loss.backward();
    const autograd = flat(w.grad!);
    const manual = flat(X.T.matmul(X.matmul(w.detach()).sub(y)).div(1000));
    expectAllClose(autograd, manual, 1e-6);
    // PyTorch: w.grad = [-1.0044275522232056, 0.4517892003059387, -0.20657256245613098]
    const torchGrad = [-1.0044275522232056, 0.4517892003059387, -0.20657256245613098];
    expectAllClose(autograd, torchGrad, 1e-6, 1e-5);
    expectAllClose(manual, torchGrad, 1e-6, 1e-5);
    // and the float64 truth for the same float32 data
    expectAllClose(
      autograd,
      [-1.004427136566012, 0.45178921597739785, -0.206572498870416],
      1e-6,
      1e-5,
    );
  });

  it('complex_loss: sigmoid(X @ w) inside the mean — the chain rule is automatic', () => {
    const { X, y } = setup();
    const complexLoss = (X: Tensor, y: Tensor, w: Tensor): Tensor => {
      const predictions = X.matmul(w).sigmoid(); // non-linear activation
      return predictions.sub(y).pow(2).mean();
    };
    const w0 = zeros([3], { requiresGrad: true });
    const l0 = complexLoss(X, y, w0);
    l0.backward();
    expect(l0.item()).toBeCloseTo(1.5238635540008545, 5);
    expectAllClose(
      flat(w0.grad!),
      [-0.49972614645957947, 0.22366823256015778, -0.09757079929113388],
      1e-6,
      1e-5,
    );

    const w1 = tensor([0.5, -0.25, 1.0], { requiresGrad: true });
    const l1 = complexLoss(X, y, w1);
    l1.backward();
    expect(l1.item()).toBeCloseTo(1.2495787143707275, 5);
    expectAllClose(
      flat(w1.grad!),
      [-0.3262518048286438, 0.14788775146007538, 0.05505601316690445],
      1e-6,
      1e-5,
    );
    // and against the hand-derived gradient: 2/n Σ (σ - y) σ (1 - σ) x
    const s = noGrad(() => X.matmul(w1).sigmoid());
    const manual = X.T.matmul(s.sub(y).mul(s).mul(s.neg().add(1))).mul(2 / 1000);
    expectAllClose(flat(w1.grad!), flat(manual), 1e-6, 1e-5);
  });

  it('general_loss: the same code works for any differentiable model', () => {
    const { X, y } = setup();
    const generalLoss = (model: (X: Tensor) => Tensor, X: Tensor, y: Tensor): Tensor =>
      model(X).sub(y).pow(2).mean();
    const W = tensor([[0.1], [0.2], [-0.3]], { requiresGrad: true });
    const b = tensor([0.05], { requiresGrad: true });
    const linear = (X: Tensor): Tensor => X.matmul(W).add(b).squeeze(1);
    const loss = generalLoss(linear, X, y);
    loss.backward();
    expect(loss.item()).toBeCloseTo(1.531806468963623, 5);
    expectAllClose(
      flat(W.grad!),
      [-1.780444860458374, 1.2837269306182861, -0.9694429636001587],
      1e-6,
      1e-5,
    );
    expectAllClose(flat(b.grad!), [0.042107149958610535], 1e-6, 1e-4);

    // A different architecture through the same function.
    const V = tensor(
      [
        [0.3, -0.1],
        [0.2, 0.4],
        [-0.5, 0.1],
      ],
      { requiresGrad: true },
    );
    const u = tensor([1.0, -2.0], { requiresGrad: true });
    const mlp = (X: Tensor): Tensor => X.matmul(V).relu().matmul(u);
    generalLoss(mlp, X, y).backward();
    expect(V.grad!.shape).toEqual([3, 2]);
    expect(u.grad!.shape).toEqual([2]);
    expect(flat(u.grad!).every(Number.isFinite)).toBe(true);
  });

  it('efficient implementation: X (10000×100) @ w (100×1), with gradients for both', () => {
    manualSeed(42);
    const X = randn([10000, 100], { requiresGrad: true });
    const w = randn([100, 1], { requiresGrad: true });
    const y = X.matmul(w);
    expect(y.shape).toEqual([10000, 1]);
    expect(y.gradFn!.name).toBe('MmBackward0');
    expect(flat(X.index(0).slice(0, 0, 3))).toEqual([
      1.9269152879714966, 1.4872840642929077, 0.9007171988487244,
    ]);
    expect(X.index(9999, 99).item()).toBe(-0.6034237146377563);
    expect(flat(w.slice(0, 0, 3))).toEqual([
      1.2963467836380005, -1.1016030311584473, -1.0353773832321167,
    ]);
    expectAllClose(
      flat(y.slice(0, 0, 3)),
      [-7.862161159515381, 1.9123518466949463, -1.8425719738006592],
      1e-4,
    );
    expect(y.index(9999, 0).item()).toBeCloseTo(0.12121213227510452, 4);
    expect(y.double().sum().item()).toBeCloseTo(-829.6009723571769, 1);
    y.sum().backward();
    expectAllClose(
      flat(w.grad!.slice(0, 0, 3)),
      [8.840295791625977, 112.54733276367188, -36.409912109375],
      1e-3,
      1e-5,
    );
    // d(sum(X @ w))/dX[i, j] = w[j]
    expect(flat(X.grad!.index(0).slice(0, 0, 3))).toEqual([
      1.2963467836380005, -1.1016030311584473, -1.0353773832321167,
    ]);
    expect(X.grad!.shape).toEqual([10000, 100]);
  });
});
