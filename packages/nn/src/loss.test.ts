/**
 * The loss modules: same results as the functions, the lecture's `criterion(output, target)`
 * usage against PyTorch 1.13 (same seed, float32), buffers, options and summaries.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { manualSeed, randint, randn, tensor } from '@gd/autograd';
import {
  BCELoss,
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  F,
  HuberLoss,
  L1Loss,
  Linear,
  MSELoss,
  Module,
  NLLLoss,
  SmoothL1Loss,
} from './index.js';
import type { Loss } from './index.js';

const c64 = (data: number[] | number[][]): Tensor => tensor(data, { dtype: 'float64' });
const i32 = (data: number[]): Tensor => tensor(data, { dtype: 'int32' });

const X = c64([
  [0.3, -1.2, 0.7, 2.5],
  [1.1, 0.4, -0.6, -2.2],
]);
const Y = c64([
  [0.1, 0.5, 0.9, -0.4],
  [1.6, -0.3, -0.6, 0.2],
]);
const P = c64([
  [0.3, 0.9, 0.05, 0.5],
  [0.7, 0.2, 0.6, 0.99],
]);
const T = c64([
  [0, 1, 0.25, 1],
  [1, 0, 0.5, 0],
]);
const LABELS = i32([3, 0]);

describe('modules compute what the functions compute', () => {
  const cases: [string, Loss, (x: Tensor, y: Tensor) => Tensor, Tensor, Tensor][] = [
    ['MSELoss', new MSELoss(), (x, y) => F.mseLoss(x, y), X, Y],
    [
      'MSELoss sum',
      new MSELoss({ reduction: 'sum' }),
      (x, y) => F.mseLoss(x, y, { reduction: 'sum' }),
      X,
      Y,
    ],
    [
      'L1Loss none',
      new L1Loss({ reduction: 'none' }),
      (x, y) => F.l1Loss(x, y, { reduction: 'none' }),
      X,
      Y,
    ],
    ['HuberLoss', new HuberLoss({ delta: 0.5 }), (x, y) => F.huberLoss(x, y, { delta: 0.5 }), X, Y],
    [
      'SmoothL1Loss',
      new SmoothL1Loss({ beta: 0.3, reduction: 'sum' }),
      (x, y) => F.smoothL1Loss(x, y, { beta: 0.3, reduction: 'sum' }),
      X,
      Y,
    ],
    [
      'CrossEntropyLoss',
      new CrossEntropyLoss({ weight: c64([1, 2, 3, 4]), ignoreIndex: 0, labelSmoothing: 0.1 }),
      (x, y) =>
        F.crossEntropy(x, y, { weight: c64([1, 2, 3, 4]), ignoreIndex: 0, labelSmoothing: 0.1 }),
      X,
      i32([3, 1]),
    ],
    [
      'CrossEntropyLoss probabilities',
      new CrossEntropyLoss({ reduction: 'none' }),
      (x, y) => F.crossEntropy(x, y, { reduction: 'none' }),
      X,
      T,
    ],
    [
      'NLLLoss',
      new NLLLoss({ weight: c64([1, 2, 3, 4]), reduction: 'sum' }),
      (x, y) => F.nllLoss(x, y, { weight: c64([1, 2, 3, 4]), reduction: 'sum' }),
      X.logSoftmax(1),
      LABELS,
    ],
    [
      'BCELoss',
      new BCELoss({ weight: c64([1, 2, 3, 4]) }),
      (x, y) => F.binaryCrossEntropy(x, y, { weight: c64([1, 2, 3, 4]) }),
      P,
      T,
    ],
    [
      'BCEWithLogitsLoss',
      new BCEWithLogitsLoss({
        weight: c64([1, 2, 3, 4]),
        posWeight: c64([0.5, 1, 2, 3]),
        reduction: 'none',
      }),
      (x, y) =>
        F.binaryCrossEntropyWithLogits(x, y, {
          weight: c64([1, 2, 3, 4]),
          posWeight: c64([0.5, 1, 2, 3]),
          reduction: 'none',
        }),
      X,
      T,
    ],
  ];
  it.each(cases)('%s', (_, module, fn, input, target) => {
    const x = input.detach().requiresGrad_();
    const out = module.call(x, target);
    const expected = fn(x, target);
    expect(out.shape).toEqual(expected.shape);
    expect(out.toArray()).toEqual(expected.toArray());
    expect(out.gradFn!.name).toBe(expected.gradFn!.name);
  });
});

describe("the lecture's usage", () => {
  it('criterion = new CrossEntropyLoss(); loss = criterion.call(output, target) on a batch of int32 labels', () => {
    // torch.manual_seed(0); model = nn.Linear(784, 10); data = torch.randn(8, 1, 28, 28);
    // target = torch.randint(0, 10, (8,)); loss = nn.CrossEntropyLoss()(model(data.view(-1, 784)), target)
    manualSeed(0);
    const model = new Linear(28 * 28, 10);
    const data = randn([8, 1, 28, 28]);
    const target = randint(0, 10, [8]);
    expect(target.dtype).toBe('int32');
    expect(target.toArray()).toEqual([7, 3, 1, 7, 6, 8, 8, 5]);
    const criterion = new CrossEntropyLoss();
    const output = model.call(data.view(-1, 28 * 28));
    const loss = criterion.call(output, target);
    loss.backward();
    expect(loss.dtype).toBe('float32');
    expect(loss.item()).toBeCloseTo(2.237215995788574, 5);
    const biasGrad = [
      0.08409815281629562, 0.04036454111337662, 0.06897430866956711, -0.011596566066145897,
      0.09046447277069092, -0.025952637195587158, -0.039605312049388885, -0.1455966830253601,
      -0.16265246272087097, 0.10150213539600372,
    ];
    (model.bias!.grad!.toArray() as number[]).forEach((g, i) =>
      expect(g).toBeCloseTo(biasGrad[i]!, 6),
    );
    const wGrad = model.weight.grad!;
    expect(wGrad.abs().sum().item()).toBeCloseTo(587.4393310546875, 2);
    const row = [
      -0.14786627888679504, 0.10373387485742569, 0.12703363597393036, 0.0808475986123085,
      0.1024547815322876,
    ];
    (wGrad.index(3, '0:5').toArray() as number[]).forEach((g, i) =>
      expect(g).toBeCloseTo(row[i]!, 6),
    );
    expect(output.argmax(1).eq(target).sum().item()).toBe(1);
  });
});

describe('module state and summaries', () => {
  it('summaries print like PyTorch', () => {
    expect(new CrossEntropyLoss().toString()).toBe('CrossEntropyLoss()');
    expect(new CrossEntropyLoss({ weight: c64([1, 2]), labelSmoothing: 0.1 }).toString()).toBe(
      'CrossEntropyLoss()',
    );
    expect(new MSELoss().toString()).toBe('MSELoss()');
    expect(new L1Loss().toString()).toBe('L1Loss()');
    expect(new HuberLoss({ delta: 2 }).toString()).toBe('HuberLoss()');
    expect(new SmoothL1Loss().toString()).toBe('SmoothL1Loss()');
    expect(new NLLLoss().toString()).toBe('NLLLoss()');
    expect(new BCELoss().toString()).toBe('BCELoss()');
    expect(new BCEWithLogitsLoss({ posWeight: c64([2]) }).toString()).toBe('BCEWithLogitsLoss()');
    class Classifier extends Module {
      fc = new Linear(4, 3);
      criterion = new CrossEntropyLoss();
      forward(x: Tensor): Tensor {
        return this.fc.call(x);
      }
    }
    expect(new Classifier().toString()).toBe(
      'Classifier(\n  (fc): Linear(inFeatures=4, outFeatures=3, bias=true)\n  (criterion): CrossEntropyLoss()\n)',
    );
  });
  it('options are kept as attributes with PyTorch defaults', () => {
    const ce = new CrossEntropyLoss();
    expect([ce.reduction, ce.ignoreIndex, ce.labelSmoothing, ce.weight]).toEqual([
      'mean',
      -100,
      0,
      null,
    ]);
    const nll = new NLLLoss({ ignoreIndex: 3, reduction: 'none' });
    expect([nll.reduction, nll.ignoreIndex, nll.weight]).toEqual(['none', 3, null]);
    expect(new HuberLoss().delta).toBe(1);
    expect(new SmoothL1Loss().beta).toBe(1);
    const bce = new BCEWithLogitsLoss();
    expect([bce.weight, bce.posWeight]).toEqual([null, null]);
  });
  it('weights are buffers: in the state dict, not parameters', () => {
    const w = c64([1, 2, 3]);
    const ce = new CrossEntropyLoss({ weight: w });
    expect(ce.parameters()).toEqual([]);
    expect(ce.buffers()).toEqual([w]);
    expect(Object.keys(ce.stateDict())).toEqual(['weight']);
    expect(Object.keys(new CrossEntropyLoss().stateDict())).toEqual([]);
    const bce = new BCEWithLogitsLoss({ weight: c64([1, 2]), posWeight: c64([3, 4]) });
    expect(Object.keys(bce.stateDict())).toEqual(['weight', 'posWeight']);
    expect(Object.keys(new BCEWithLogitsLoss({ posWeight: c64([3, 4]) }).stateDict())).toEqual([
      'posWeight',
    ]);
    // Loading a state dict changes the weight used by the loss.
    const logits = c64([[0.2, -0.4, 1.5]]);
    const before = ce.call(logits, i32([1])).item();
    ce.loadStateDict({ weight: c64([5, 6, 7]) });
    expect(ce.weight!.toArray()).toEqual([5, 6, 7]);
    // With one sample, 'mean' divides the weight back out: compare 'sum' via a module with the same weight.
    expect(
      new CrossEntropyLoss({ weight: ce.weight, reduction: 'sum' }).call(logits, i32([1])).item(),
    ).toBeCloseTo(before * 6, 12);
  });
  it('an invalid reduction fails at construction', () => {
    expect(() => new MSELoss({ reduction: 'avg' as 'mean' })).toThrow(
      `MSELoss: reduction must be one of 'none', 'mean', 'sum', got the string "avg"`,
    );
    expect(() => new CrossEntropyLoss({ reduction: 'elementwise_mean' as 'mean' })).toThrow(
      /CrossEntropyLoss: reduction must be one of 'none', 'mean', 'sum', got the string "elementwise_mean"/,
    );
  });
  it('errors come from the functions', () => {
    expect(() => new CrossEntropyLoss().call(X, i32([4, 0]))).toThrow(
      /^Target 4 is out of bounds\.$/,
    );
    expect(() => new HuberLoss({ delta: -1 }).call(X, Y)).toThrow(
      /huber_loss does not support non-positive values for delta/,
    );
  });
  it('train/eval mode does not change a loss', () => {
    const ce = new CrossEntropyLoss();
    const a = ce.call(X, LABELS).item();
    ce.eval();
    expect(ce.call(X, LABELS).item()).toBe(a);
  });
});
