import { describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { arange, manualSeed, noGrad, randn } from '@gd/autograd';
import { gradcheck } from '@gd/autograd/gradcheck';
import type { Module } from './index.js';
import { Dropout } from './index.js';
import {
  DeepMnistNN,
  DeepNN,
  LogisticRegression,
  MnistCNN,
  ResNet,
  ResidualBlock,
  SimpleNN,
} from './models.js';

// Golden values from torch 1.13: the same models written in PyTorch, built after
// torch.manual_seed(seed), in eval mode, on IMG = (arange(1568).reshape(2, 1, 28, 28) % 17) / 17 - 0.3
// (or V = arange(12).reshape(3, 4) / 5 - 1): parameter count, state-dict keys and output.
// resnet64: ResNet(4, 2) built with the default dtype float64 after manual_seed(7).
const T = {
  logreg: {
    n: 7850,
    y: [
      [
        -0.09646458178758621, -0.04387436434626579, 0.07123912870883942, 0.22514812648296356,
        -0.27861344814300537, 0.04848090186715126, -0.08346118032932281, 0.08890280872583389,
        0.1620836853981018, -0.2450927346944809,
      ],
      [
        0.1635429859161377, -0.0966016948223114, 0.2120729386806488, -0.07912139594554901,
        -0.3596131503582001, 0.15933255851268768, -0.024415921419858932, 0.16776780784130096,
        0.04812867194414139, -0.050095558166503906,
      ],
    ],
    keys: ['linear.weight', 'linear.bias'],
  },
  simple: {
    n: 25450,
    y: [
      [
        0.13940851390361786, 0.0748768150806427, 0.14022469520568848, -0.18697868287563324,
        0.19736912846565247, -0.18989238142967224, -0.10264761745929718, -0.03359983116388321,
        0.21723316609859467, 0.0769989937543869,
      ],
      [
        0.11056368798017502, 0.03704185411334038, 0.1508055478334427, -0.09368196129798889,
        0.10270503163337708, -0.22447332739830017, -0.11169712245464325, -0.082762211561203,
        0.28345489501953125, 0.02545098401606083,
      ],
    ],
    keys: ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias'],
  },
  deep: {
    n: 52650,
    y: [
      [
        -0.13517776131629944, -0.08387354016304016, -0.16324859857559204, -0.01354251429438591,
        0.008991900831460953, 0.20241373777389526, -0.09384512901306152, 0.01832566410303116,
        -0.04658571630716324, 0.10342487692832947,
      ],
      [
        -0.1266993284225464, -0.09794417023658752, -0.1586143523454666, -0.036661408841609955,
        -0.003496166318655014, 0.20063675940036774, -0.08311473578214645, 0.08619750291109085,
        -0.05055231973528862, 0.04605727270245552,
      ],
    ],
    keys: [
      'layers.0.weight',
      'layers.0.bias',
      'layers.1.weight',
      'layers.1.bias',
      'layers.2.weight',
      'layers.2.bias',
    ],
  },
  deepmnist: {
    n: 535818,
    y: [
      [
        0.046299345791339874, -0.01649736613035202, -0.015157751739025116, 0.003713030368089676,
        0.018667368218302727, -0.03614057973027229, 0.06633007526397705, 0.028364313766360283,
        0.04005545750260353, -0.01060032844543457,
      ],
      [
        0.06932936608791351, -0.0010940134525299072, 0.026987113058567047, 0.03756910562515259,
        0.0016020545735955238, -0.02698400244116783, 0.05284630507230759, -0.0001557283103466034,
        0.040699299424886703, 0.010205790400505066,
      ],
    ],
    keys: [
      'layers.0.weight',
      'layers.0.bias',
      'layers.3.weight',
      'layers.3.bias',
      'layers.6.weight',
      'layers.6.bias',
    ],
  },
  resblock: {
    n: 40,
    y: [
      [-1.2041212320327759, -0.23234647512435913, 0.00904756784439087, -0.33636370301246643],
      [-0.4074793756008148, 0.3682822585105896, 0.6112326383590698, 0.5444726347923279],
      [0.4033763110637665, 1.1788272857666016, 1.4751880168914795, 1.2805112600326538],
    ],
    keys: ['layer1.weight', 'layer1.bias', 'layer2.weight', 'layer2.bias'],
  },
  resnet: {
    n: 120,
    y: [
      [-1.5466108322143555, -1.1765079498291016, -0.2847890853881836, 0.8227785229682922],
      [-0.08596134185791016, 0.11751368641853333, 0.1804656684398651, 1.1310946941375732],
      [0.7839787006378174, 1.7823745012283325, 0.5580008029937744, 1.9976588487625122],
    ],
    keys: [
      'blocks.0.layer1.weight',
      'blocks.0.layer1.bias',
      'blocks.0.layer2.weight',
      'blocks.0.layer2.bias',
      'blocks.1.layer1.weight',
      'blocks.1.layer1.bias',
      'blocks.1.layer2.weight',
      'blocks.1.layer2.bias',
      'blocks.2.layer1.weight',
      'blocks.2.layer1.bias',
      'blocks.2.layer2.weight',
      'blocks.2.layer2.bias',
    ],
  },
  cnn: {
    n: 421642,
    y: [
      [
        0.018439218401908875, 0.10505165159702301, 0.012497236020863056, 0.01731707528233528,
        -0.07642702758312225, 0.025197328999638557, -0.11743363738059998, 0.06535850465297699,
        -0.07163651287555695, -0.08890648186206818,
      ],
      [
        0.01441546157002449, 0.10277674347162247, 0.03470122069120407, 0.013369660824537277,
        -0.08326464891433716, 0.04365616291761398, -0.11371149867773056, 0.058378174901008606,
        -0.07043258845806122, -0.0969633162021637,
      ],
    ],
    keys: [
      'features.0.weight',
      'features.0.bias',
      'features.3.weight',
      'features.3.bias',
      'classifier.1.weight',
      'classifier.1.bias',
      'classifier.4.weight',
      'classifier.4.bias',
    ],
  },
  resnet64: [
    [-1.338015978467869, -0.7985090383741168, -1.2119455944773518, -1.824233486641385],
    [-0.451575980069157, -0.059830595640195314, 0.14971449551173643, -0.2850841290722492],
    [0.597183227120367, 0.6299983541132551, 1.5161621919562747, 1.3467293950043686],
  ],
};

const IMG = (): Tensor =>
  arange(2 * 784, { dtype: 'float32' })
    .reshape(2, 1, 28, 28)
    .remainder(17)
    .div(17)
    .sub(0.3);
const V = (): Tensor => arange(12, { dtype: 'float32' }).reshape(3, 4).div(5).sub(1);

function expectClose(got: Tensor, want: unknown, atol: number): void {
  const g = [got.toArray()].flat(4) as number[];
  const w = [want].flat(4) as number[];
  expect(g).toHaveLength(w.length);
  g.forEach((v, i) => expect(Math.abs(v - w[i]!)).toBeLessThanOrEqual(atol));
}

function check(m: Module, x: Tensor, key: keyof typeof T, atol = 2e-6): void {
  const want = T[key] as { n: number; y: unknown; keys: string[] };
  expect(m.numParameters()).toBe(want.n);
  expect(Object.keys(m.stateDict())).toEqual(want.keys);
  m.eval();
  expectClose(
    noGrad(() => m.call(x)),
    want.y,
    atol,
  );
}

describe('the lecture’s models equal PyTorch’s after the same seed', () => {
  it('LogisticRegression (784 -> 10, x.view(-1, 784))', () => {
    manualSeed(0);
    const m = new LogisticRegression();
    check(m, IMG(), 'logreg');
    expect(m.call(IMG().view(2, 784)).shape).toEqual([2, 10]);
  });

  it('SimpleNN(32)', () => {
    manualSeed(1);
    const m = new SimpleNN(32);
    check(m, IMG(), 'simple');
    expect(new SimpleNN().numParameters()).toBe(101770);
  });

  it('DeepNN([784, 64, 32, 10])', () => {
    manualSeed(2);
    check(new DeepNN([784, 64, 32, 10]), IMG().view(2, 784), 'deep');
  });

  it('DeepMnistNN (dropout off in eval, on in training)', () => {
    manualSeed(3);
    const m = new DeepMnistNN();
    check(m, IMG(), 'deepmnist');
    expect(m.layers.at(2)).toBeInstanceOf(Dropout);
    m.train();
    const a = m.call(IMG());
    m.eval();
    expect(a.equal(m.call(IMG()))).toBe(false);
  });

  it('ResidualBlock(4) and ResNet(4, 3)', () => {
    manualSeed(4);
    check(new ResidualBlock(4), V(), 'resblock');
    manualSeed(5);
    check(new ResNet(4, 3), V(), 'resnet');
    manualSeed(7);
    expectClose(new ResNet(4, 2, { dtype: 'float64' }).call(V().double()), T.resnet64, 1e-14);
  });

  it('MnistCNN: shapes, 421,642 parameters, PyTorch’s output', () => {
    manualSeed(6);
    const m = new MnistCNN();
    check(m, IMG(), 'cnn', 1e-5);
    expect(m.features.call(IMG()).shape).toEqual([2, 64, 7, 7]);
    expect(m.toString().split('\n').slice(0, 3)).toEqual([
      'MnistCNN(',
      '  (features): Sequential(',
      '    (0): Conv2d(1, 32, kernelSize=[3, 3], stride=[1, 1], padding=[1, 1])',
    ]);
  });
});

describe('models: errors, gradients, training mode', () => {
  it('DeepNN needs an input and an output size', () => {
    expect(() => new DeepNN([10])).toThrow(
      /DeepNN: layerDims needs at least 2 sizes \(input and output\), got \[10\]/,
    );
    expect(new DeepNN([3, 2]).call(randn([4, 3])).shape).toEqual([4, 2]);
  });

  it('LogisticRegression rejects inputs whose size is not a multiple of 784', () => {
    expect(() => new LogisticRegression().call(randn([2, 100]))).toThrow();
  });

  it('gradcheck in float64: ResidualBlock, ResNet, DeepNN (input and parameters)', () => {
    manualSeed(0);
    const block = new ResidualBlock(3, { dtype: 'float64' });
    const x = randn([2, 3], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((t) => block.call(t), [x, ...block.parameters()])).toBe(true);
    const net = new ResNet(3, 2, { dtype: 'float64' });
    expect(gradcheck((t) => net.call(t), [x, ...net.parameters()])).toBe(true);
    const deep = new DeepNN([3, 4, 2], { dtype: 'float64' });
    expect(gradcheck((t) => deep.call(t), [x, ...deep.parameters()])).toBe(true);
  });

  it('gradcheck in float64: SimpleNN and LogisticRegression (output layers and input)', () => {
    manualSeed(1);
    const m = new SimpleNN(3, { dtype: 'float64' });
    const img = randn([1, 1, 28, 28], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((t) => m.call(t), [img, m.fc2.weight, m.fc2.bias!, m.fc1.bias!])).toBe(true);
    const lr = new LogisticRegression({ dtype: 'float64' });
    expect(gradcheck((t) => lr.call(t).tanh(), [img, lr.linear.bias!])).toBe(true);
  });

  it('MnistCNN: backward reaches every parameter; gradcheck of the last layer in float64', () => {
    manualSeed(2);
    const m = new MnistCNN(0.25, { dtype: 'float64' });
    m.eval();
    const img = randn([1, 1, 28, 28], { dtype: 'float64' });
    const last = m.classifier.at(4).parameters();
    expect(gradcheck(() => m.call(img), [last[1]!])).toBe(true);
    m.train();
    m.call(randn([2, 1, 28, 28], { dtype: 'float64' }))
      .logSoftmax(1)
      .mean()
      .backward();
    for (const [name, p] of m.namedParameters()) {
      expect(p.grad, name).not.toBeNull();
      expect(p.grad!.shape).toEqual(p.shape);
      expect(p.grad!.isfinite().all().item()).toBe(1);
    }
  });
});
