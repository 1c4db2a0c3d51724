import { describe, expect, it } from 'vitest';
import type { Tensor } from '@gd/autograd';
import { manualSeed, noGrad, ones, randn, zeros } from '@gd/autograd';
import { gradcheck } from '@gd/autograd/gradcheck';
import {
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  F,
  LayerNorm,
  Linear,
  Module,
  Sequential,
} from './index.js';

// Golden values: PyTorch 1.13 with the same seeds and draws (float64 unless noted).
// seed 5: BatchNorm1d(3); weight, bias = randn(3), randn(3); 3 training steps on randn(4, 3);
// then eval on randn(2, 3); then train on x = randn(4, 3) with loss y.pow(3).sum().
const BN1_Y3 = [
  0.667326391795, 0.680067715311, 1.60624552244, 0.311952397694, -0.537654737113, 1.3660029339,
  1.46107636517, -0.928821175692, 1.96198045994, 0.229742051475, -0.00325217544188, 2.83690521538,
];
const BN1_RM = [0.0156531471313, -0.15604727187, 0.00216433358598];
const BN1_RV = [0.934112033588, 1.08096095202, 0.760671831123];
const BN1_EVAL = [
  0.678930343011, 0.73988699042, 2.69271655783, 0.805989273501, -0.44439417497, 1.89060449452,
];
const BN1_GX = [
  -0.130536359946, 0.789142662483, 0.357656607119, -0.107519527568, 0.249558862118, -0.613942749668,
  0.308373553345, -0.344239846145, -0.157689645382, -0.0703176658309, -0.694461678457,
  0.41397578793,
];
const BN1_GW = [-4.98358041971, 6.10258582464, -22.3397932069];
const BN1_GB = [8.19049241289, 4.84281238667, 49.0304585821];
const BN1_RM4 = [0.0249104115614, -0.145717061375, 0.0138545814267];
// seed 6: BatchNorm1d(2, momentum=None); 3 steps on randn(3, 2, 4); eval on randn(2, 2, 4).
const BN3D_Y3 = [
  -0.0672611697805, -1.47329615199, -0.442525525284, 1.98202128862, 0.733154654345, -0.7442572367,
  1.69257618963, 0.937430149989, 0.893147978096, 0.0866394489204, 1.17002752347, 0.767243405659,
  -1.02703665948, 1.15897834386, 0.953349713553, -1.40281665644, -1.23493500905, -0.893201038205,
  -0.784025154928, -0.00383559553025, -0.323317274507, -0.752096620718, -1.09687326279,
  -0.129091340735,
];
const BN3D_RM = [-0.00510341469913, -0.0869382770122];
const BN3D_RV = [0.817591313644, 0.904605273871];
const BN3D_EVAL = [
  -1.26380477229, 0.105880876556, -1.07661603807, -0.265904260167, -0.120357513188, 0.525469476053,
  0.946800101912, 0.012805196872, -1.5184201393, -0.840395586725, -0.926619687958, -0.112401297882,
  0.905386239327, 0.891322508212, -0.806669757, -0.636283026808,
];
// seed 7: BatchNorm2d(3, momentum=0.3, eps=1e-3); 2 steps on randn(2, 3, 2, 3); eval on randn(1, 3, 2, 2).
const BN2D_Y2 = [
  0.772624264249, -1.12663909434, 1.0980159608, -1.61889878152, -1.05772644891, -1.29139061761,
  0.527331701436, -1.55947461364, -0.22552176171, -1.27091700615, -1.33676085221, 0.101221433171,
  -1.8019490108, -0.256245616143, 2.06708973593, 0.489240250228, -0.476040479742, -0.75400975063,
  -0.238629565935, 0.508352559294, 0.628719656823, 1.17885322603, -0.0395495068194, 1.18626834795,
  1.24989087381, 0.450018236023, 0.0540788283829, 1.99589695474, -0.151559788259, 0.165795994411,
  0.836495400589, 0.63674725698, -0.631410563999, 1.02983068695, -0.847140633454, -0.292607275912,
];
const BN2D_RM = [-0.0199659342904, -0.115533650277, -0.0280748212338];
const BN2D_RV = [0.967926521889, 0.76827572347, 1.06172517589];
const BN2D_EVAL = [
  -0.793204158805, 0.0106614694281, 0.904412495475, -0.873434508682, -1.06073121662, -1.12904644046,
  -1.54954577845, 0.100339800882, 1.10289262513, -1.06914713512, -0.824309939381, -1.57252215708,
];
// seed 7, float32: BatchNorm2d(3) on randn(2, 3, 2, 3).
const BN2D32_Y = [
  -0.872257411, 0.466816783, 1.02113879, -1.49816322, -0.152874619, 0.345130086, -0.74441427,
  -1.0448705, 1.12048268, -0.618814468, -1.36138785, -0.529170215, 0.810641527, 1.13735008,
  0.29714781, 1.22048318, -1.64996266, -0.29884702, 2.15280819, -0.332424134, 1.08523476,
  -0.697938323, -0.881418526, -0.636052251, -0.142874971, 0.907034516, 0.746075273, 2.24020576,
  -0.292945921, -0.279319853, 0.587888479, 0.328978539, -1.70833826, 0.219088867, 0.474716604,
  -1.41914725,
];
const BN2D32_RV = [0.989923596, 0.977083683, 0.99458611];
// seed 8: BatchNorm1d(3, affine=False, track_running_stats=False) in eval mode on randn(4, 3).
const BNNT_Y = [
  -0.0818031568921, -0.855047670477, 0.504136427361, 0.436172693131, 0.397188392452,
  -0.529801363476, -1.54462302491, 1.4549314761, -1.30337345126, 1.19025348868, -0.997072198078,
  1.32903838737,
];
// seed 9: LayerNorm([3, 4]); weight, bias = randn(3, 4), randn(3, 4); x = randn(2, 3, 4); loss y.pow(3).sum().
const LN_Y = [
  -0.865934845861, -0.4348997613, -0.371521189234, -0.361089177521, 1.70448485296, 1.50968910028,
  0.793931024134, -0.765812345143, -0.835284237941, 1.78761263248, -0.94698864305, 1.3543710043,
  -0.841558823572, 1.59468924549, -0.0319544876278, -0.278483984647, 3.10158347687, 1.27139867877,
  1.44907947846, -0.609331453057, 0.00626927549995, -0.34923370015, 1.11376778805, 1.21151917301,
];
const LN_GX = [
  -1.11443816551, -1.12203595424, -5.72636734509, -1.09896874072, 10.3668278597, -0.881018951249,
  0.859385086992, 1.64224349256, -0.202738458912, 6.50633693988, -5.21011261428, -4.0191131491,
  -3.03648554138, 2.78944561896, -4.49589434175, -1.67418960142, 19.3969928156, -2.51646103286,
  -3.60968148152, 2.82903451954, -7.75793552085, -1.70133633394, 5.85924687666, -6.08273597708,
];
const LN_GW = [
  -1.50927025543, 8.05005350007, 0.705049736595, -0.316715111008, 41.0499345915, 5.59114041229,
  0.353945735641, -4.60030553682, -0.415239176094, 15.8496261951, -8.51308688792, 0.880757589182,
];
const LN_GB = [
  4.37419323242, 8.19651477616, 0.417147249988, 0.623816171483, 37.575266034, 11.6868473397,
  8.1904734179, 2.87326010298, 2.0932171859, 9.95256930336, 6.4117985273, 9.90629857156,
];
// then LayerNorm(4, elementwise_affine=False, eps=1e-3) on randn(2, 4).
const LN2_Y = [
  -0.962874138331, -0.742058898697, 0.122190408469, 1.58274262856, 0.87817100353, -0.977092460634,
  -1.00802732174, 1.10694877885,
];

const flat = (t: Tensor): number[] => t.flatten().toArray() as number[];

function expectClose(actual: Tensor, expected: readonly number[], tol = 1e-9): void {
  const got = flat(actual);
  expect(got.length).toBe(expected.length);
  const err = Math.max(
    0,
    ...got.map((v, i) => Math.abs(v - expected[i]!) / (1 + Math.abs(expected[i]!))),
  );
  expect(err).toBeLessThan(tol);
}

const f64 = { dtype: 'float64' } as const;

describe('BatchNorm1d vs PyTorch', () => {
  it('[N, C]: training steps update the running stats (unbiased variance); eval uses them; gradients flow through the batch statistics', () => {
    manualSeed(5);
    const bn = new BatchNorm1d(3, f64);
    noGrad(() => {
      bn.weight!.copy_(randn([3], f64));
      bn.bias!.copy_(randn([3], f64));
    });
    let y = zeros([0]);
    for (let i = 0; i < 3; i++) y = bn.call(randn([4, 3], f64));
    expectClose(y, BN1_Y3);
    expectClose(bn.runningMean!, BN1_RM);
    expectClose(bn.runningVar!, BN1_RV);
    expect(bn.numBatchesTracked!.dtype).toBe('int32');
    expect(bn.numBatchesTracked!.item()).toBe(3);
    bn.eval();
    expectClose(bn.call(randn([2, 3], f64)), BN1_EVAL);
    expect(bn.numBatchesTracked!.item()).toBe(3);
    expectClose(bn.runningMean!, BN1_RM);
    bn.train();
    const x = randn([4, 3], { dtype: 'float64', requiresGrad: true });
    bn.call(x).pow(3).sum().backward();
    expectClose(x.grad!, BN1_GX);
    expectClose(bn.weight!.grad!, BN1_GW);
    expectClose(bn.bias!.grad!, BN1_GB);
    expectClose(bn.runningMean!, BN1_RM4);
    expect(bn.numBatchesTracked!.item()).toBe(4);
  });

  it('[N, C, L] with momentum null keeps a cumulative average', () => {
    manualSeed(6);
    const bn = new BatchNorm1d(2, { momentum: null, dtype: 'float64' });
    let y = zeros([0]);
    for (let i = 0; i < 3; i++) y = bn.call(randn([3, 2, 4], f64));
    expectClose(y, BN3D_Y3);
    expectClose(bn.runningMean!, BN3D_RM);
    expectClose(bn.runningVar!, BN3D_RV);
    bn.eval();
    expectClose(bn.call(randn([2, 2, 4], f64)), BN3D_EVAL);
  });

  it('without running stats, eval mode normalises with the batch statistics too', () => {
    manualSeed(8);
    const bn = new BatchNorm1d(3, {
      affine: false,
      trackRunningStats: false,
      dtype: 'float64',
    }).eval();
    expect(bn.runningMean).toBeNull();
    expect(bn.weight).toBeNull();
    expectClose(bn.call(randn([4, 3], f64)), BNNT_Y);
    expect(bn.stateDict()).toEqual({});
    expect(bn.parameters()).toEqual([]);
  });
});

describe('BatchNorm2d vs PyTorch', () => {
  it('momentum and eps options, running stats and eval output', () => {
    manualSeed(7);
    const bn = new BatchNorm2d(3, { momentum: 0.3, eps: 1e-3, dtype: 'float64' });
    let y = zeros([0]);
    for (let i = 0; i < 2; i++) y = bn.call(randn([2, 3, 2, 3], f64));
    expectClose(y, BN2D_Y2);
    expectClose(bn.runningMean!, BN2D_RM);
    expectClose(bn.runningVar!, BN2D_RV);
    bn.eval();
    expectClose(bn.call(randn([1, 3, 2, 2], f64)), BN2D_EVAL);
  });

  it('float32 by default', () => {
    manualSeed(7);
    const bn = new BatchNorm2d(3);
    expect(bn.weight!.dtype).toBe('float32');
    expect(bn.runningVar!.dtype).toBe('float32');
    expectClose(bn.call(randn([2, 3, 2, 3])), BN2D32_Y, 1e-5);
    expectClose(bn.runningVar!, BN2D32_RV, 1e-6);
  });
});

describe('BatchNorm gradcheck (float64, training mode: gradients through the batch statistics)', () => {
  it('BatchNorm1d on [N, C] and [N, C, L] (input, weight, bias)', () => {
    manualSeed(30);
    const bn = new BatchNorm1d(3, f64);
    noGrad(() => bn.weight!.copy_(randn([3], f64)));
    for (const shape of [
      [4, 3],
      [2, 3, 3],
    ]) {
      const x = randn(shape, { dtype: 'float64', requiresGrad: true });
      expect(
        gradcheck(
          (x, w, b) => F.batchNorm(x!, null, null, { weight: w!, bias: b!, training: true }),
          [x, bn.weight!, bn.bias!],
        ),
      ).toBe(true);
      expect(gradcheck((x) => bn.call(x!), [x])).toBe(true);
    }
  });

  it('BatchNorm2d training and eval', () => {
    manualSeed(31);
    const bn = new BatchNorm2d(2, f64);
    const x = randn([2, 2, 2, 3], { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((x) => bn.call(x!).pow(2), [x])).toBe(true);
    bn.eval();
    expect(
      gradcheck(
        (x, w, b) => F.batchNorm(x!, bn.runningMean, bn.runningVar, { weight: w!, bias: b! }),
        [x, bn.weight!, bn.bias!],
      ),
    ).toBe(true);
  });
});

describe('BatchNorm modes, state dict and summary', () => {
  it('train() and eval() switch between batch and running statistics', () => {
    manualSeed(32);
    const lin = new Linear(2, 3);
    const bn = new BatchNorm1d(3);
    const model = new Sequential(lin, bn);
    const x = randn([5, 2]);
    const yTrain = model.call(x);
    const meanAfterOne = flat(bn.runningMean!);
    // training output is normalised per channel
    for (const m of flat(yTrain.mean(0))) expect(Math.abs(m)).toBeLessThan(1e-6);
    model.eval();
    expect(bn.training).toBe(false);
    const yEval = model.call(x);
    expect(yEval.allclose(yTrain, 1e-3, 1e-3)).toBe(false);
    expect(flat(bn.runningMean!)).toEqual(meanAfterOne); // eval does not update
    expect(bn.numBatchesTracked!.item()).toBe(1);
    // eval output: (x - runningMean) / sqrt(runningVar + eps) (weight 1, bias 0)
    const h = lin.call(x);
    expect(
      yEval.allclose(h.sub(bn.runningMean!).div(bn.runningVar!.add(1e-5).sqrt()), 1e-5, 1e-6),
    ).toBe(true);
    model.train();
    model.call(x);
    expect(bn.numBatchesTracked!.item()).toBe(2);
    expect(flat(bn.runningMean!)).not.toEqual(meanAfterOne);
  });

  it("state dict keys are PyTorch's in camelCase, and loading restores the running stats", () => {
    class Net extends Module {
      conv = new Conv2d(1, 2, 3);
      bn = new BatchNorm2d(2);
      forward(x: Tensor): Tensor {
        return this.bn.call(this.conv.call(x));
      }
    }
    const net = new Net();
    expect(Object.keys(net.stateDict())).toEqual([
      'conv.weight',
      'conv.bias',
      'bn.weight',
      'bn.bias',
      'bn.runningMean',
      'bn.runningVar',
      'bn.numBatchesTracked',
    ]);
    expect(net.namedBuffers().map(([k]) => k)).toEqual([
      'bn.runningMean',
      'bn.runningVar',
      'bn.numBatchesTracked',
    ]);
    net.call(randn([3, 1, 4, 4]));
    const copy = new Net();
    copy.loadStateDict(net.stateDict());
    expect(copy.bn.runningMean!.equal(net.bn.runningMean!)).toBe(true);
    expect(copy.bn.runningVar!.equal(net.bn.runningVar!)).toBe(true);
    expect(copy.bn.numBatchesTracked!.item()).toBe(1);
    expect(Object.keys(new BatchNorm1d(3, { trackRunningStats: false }).stateDict())).toEqual([
      'weight',
      'bias',
    ]);
    expect(Object.keys(new BatchNorm1d(3, { affine: false }).stateDict())).toEqual([
      'runningMean',
      'runningVar',
      'numBatchesTracked',
    ]);
  });

  it('resetRunningStats and resetParameters', () => {
    const bn = new BatchNorm1d(2);
    bn.call(randn([4, 2]).mul(3).add(1));
    noGrad(() => bn.weight!.fill_(2));
    bn.resetRunningStats();
    expect(flat(bn.runningMean!)).toEqual([0, 0]);
    expect(flat(bn.runningVar!)).toEqual([1, 1]);
    expect(bn.numBatchesTracked!.item()).toBe(0);
    expect(flat(bn.weight!)).toEqual([2, 2]);
    bn.resetParameters();
    expect(flat(bn.weight!)).toEqual([1, 1]);
  });

  it('prints like PyTorch with camelCase names', () => {
    expect(String(new BatchNorm1d(3))).toBe(
      'BatchNorm1d(3, eps=0.00001, momentum=0.1, affine=true, trackRunningStats=true)',
    );
    expect(
      String(new BatchNorm2d(4, { momentum: null, affine: false, trackRunningStats: false })),
    ).toBe('BatchNorm2d(4, eps=0.00001, momentum=null, affine=false, trackRunningStats=false)');
  });
});

describe('BatchNorm errors', () => {
  it("throws PyTorch's messages", () => {
    expect(() => new BatchNorm1d(4).call(randn([2, 4, 1, 1]))).toThrow(
      /^expected 2D or 3D input \(got 4D input\)$/,
    );
    expect(() => new BatchNorm2d(4).call(randn([2, 4, 3]))).toThrow(
      /^expected 4D input \(got 3D input\)$/,
    );
    expect(() => new BatchNorm1d(4).call(randn([2, 3]))).toThrow(
      /^running_mean should contain 3 elements not 4$/,
    );
    expect(() => new BatchNorm1d(4, { trackRunningStats: false }).call(randn([2, 3]))).toThrow(
      /^weight should contain 3 elements not 4$/,
    );
    expect(() => new BatchNorm1d(3).call(randn([1, 3]))).toThrow(
      /^Expected more than 1 value per channel when training, got input size \[1, 3\]$/,
    );
    expect(() => new BatchNorm2d(3).call(randn([1, 3, 1, 1]))).toThrow(
      /got input size \[1, 3, 1, 1\]/,
    );
    expect(() => F.batchNorm(randn([2, 3]), null, null)).toThrow(
      /^running_mean must be defined in evaluation mode$/,
    );
  });

  it('a batch of one is fine in eval mode, and with more than one value per channel', () => {
    const bn = new BatchNorm1d(3);
    expect(bn.call(randn([1, 3, 2])).shape).toEqual([1, 3, 2]);
    bn.eval();
    expect(bn.call(randn([1, 3])).shape).toEqual([1, 3]);
  });
});

describe('F.batchNorm', () => {
  it('updates the given running stats in place only when training', () => {
    manualSeed(5);
    const x = randn([4, 3], f64);
    const rm = zeros([3], f64);
    const rv = ones([3], f64);
    F.batchNorm(x, rm, rv);
    expect(flat(rm)).toEqual([0, 0, 0]);
    F.batchNorm(x, rm, rv, { training: true, momentum: 1 });
    expectClose(rm, flat(x.mean(0)));
    expectClose(rv, flat(x.var(0)));
  });
});

describe('LayerNorm vs PyTorch', () => {
  it('normalises the trailing dims; output and gradients of input, weight and bias', () => {
    manualSeed(9);
    const ln = new LayerNorm([3, 4], f64);
    noGrad(() => {
      ln.weight!.copy_(randn([3, 4], f64));
      ln.bias!.copy_(randn([3, 4], f64));
    });
    const x = randn([2, 3, 4], { dtype: 'float64', requiresGrad: true });
    const y = ln.call(x);
    expectClose(y, LN_Y);
    y.pow(3).sum().backward();
    expectClose(x.grad!, LN_GX);
    expectClose(ln.weight!.grad!, LN_GW);
    expectClose(ln.bias!.grad!, LN_GB);
    const ln2 = new LayerNorm(4, { elementwiseAffine: false, eps: 1e-3 });
    expectClose(ln2.call(randn([2, 4], f64)), LN2_Y);
    expectClose(F.layerNorm(x, [3, 4], { weight: ln.weight, bias: ln.bias }), LN_Y);
  });

  it('is the same in training and eval mode', () => {
    manualSeed(9);
    const ln = new LayerNorm(4);
    const x = randn([3, 4]);
    const a = ln.call(x);
    expect(ln.eval().call(x).equal(a)).toBe(true);
  });

  it('gradcheck (float64)', () => {
    manualSeed(33);
    const ln = new LayerNorm([2, 3], f64);
    noGrad(() => ln.weight!.copy_(randn([2, 3], f64)));
    const x = randn([2, 2, 3], { dtype: 'float64', requiresGrad: true });
    expect(
      gradcheck(
        (x, w, b) => F.layerNorm(x!, [2, 3], { weight: w!, bias: b!, eps: 1e-5 }),
        [x, ln.weight!, ln.bias!],
      ),
    ).toBe(true);
    expect(gradcheck((x) => F.layerNorm(x!, 3), [x])).toBe(true);
  });

  it('parameters, state dict and summary', () => {
    const ln = new LayerNorm(8);
    expect(flat(ln.weight!)).toEqual(new Array(8).fill(1));
    expect(flat(ln.bias!)).toEqual(new Array(8).fill(0));
    expect(Object.keys(ln.stateDict())).toEqual(['weight', 'bias']);
    expect(Object.keys(new LayerNorm(8, { bias: false }).stateDict())).toEqual(['weight']);
    expect(new LayerNorm(8, { elementwiseAffine: false }).parameters()).toEqual([]);
    expect(String(ln)).toBe('LayerNorm([8], eps=0.00001, elementwiseAffine=true)');
    expect(String(new LayerNorm([3, 4], { elementwiseAffine: false, eps: 1e-6 }))).toBe(
      'LayerNorm([3, 4], eps=0.000001, elementwiseAffine=false)',
    );
  });

  it("throws PyTorch's messages", () => {
    expect(() => new LayerNorm(4).call(randn([2, 3]))).toThrow(
      /^Given normalized_shape=\[4\], expected input with shape \[\*, 4\], but got input of size\[2, 3\]$/,
    );
    expect(() => new LayerNorm([3, 4]).call(randn([2, 3]))).toThrow(
      /^Given normalized_shape=\[3, 4\], expected input with shape \[\*, 3, 4\], but got input of size\[2, 3\]$/,
    );
    expect(() => F.layerNorm(randn([2, 4]), [4], { weight: ones([3]) })).toThrow(
      /^Expected weight to be of same shape as normalized_shape, but got weight of shape \[3\] and normalized_shape = \[4\]$/,
    );
  });
});
