/**
 * The lecture's "Implementing Gradient Descent" section, code block by code block, with the
 * numbers PyTorch 1.13 prints for the same code after torch.manual_seed(0) (gd reproduces
 * PyTorch's random stream, so the model, X and y are the same).
 */
import { describe, expect, it } from 'vitest';
import { cos, manualSeed, noGrad, randn, tensor, zerosLike } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';
import { F, Linear } from './index.js';
import * as utils from './utils.js';
import type { Module } from './index.js';

// Losses at steps 0, 1, 10, 100, 500, 999 (and norms) from PyTorch running the lecture's code.
const TORCH = {
  basic_first: {
    '0': 1.0317370891571045,
    '1': 1.0244266986846924,
    '10': 0.9700347185134888,
    '100': 0.8199215531349182,
    '500': 0.8043089509010315,
    '999': 0.8043074011802673,
  },
  results: {
    basic: {
      '0': 1.4357020854949951,
      '1': 1.4076035022735596,
      '10': 1.2098463773727417,
      '100': 0.8250813484191895,
      '500': 0.8043091297149658,
      '999': 0.8043074011802673,
    },
    momentum: {
      '0': 1.1435753107070923,
      '1': 1.1422678232192993,
      '10': 1.0926198959350586,
      '100': 0.8118345141410828,
      '500': 0.8043074011802673,
      '999': 0.8043074011802673,
    },
    cosine: {
      '0': 1.4307435750961304,
      '1': 1.3999541997909546,
      '10': 1.188086748123169,
      '100': 0.8212058544158936,
      '500': 0.8043206930160522,
      '999': 0.8043091297149658,
    },
  },
  grad_norms: {
    weight: 1.827301263809204,
    bias: 0.0063367560505867004,
  },
  total_norm: 1.8273122310638428,
  clipped_norms: {
    weight: 0.9999934434890747,
    bias: 0.003467799862846732,
  },
  sweep: {
    '0.0001': {
      '0': 1.5295732021331787,
      '1': 1.5292391777038574,
      '10': 1.5262423753738403,
      '100': 1.497043490409851,
      '500': 1.3826831579208374,
      '999': 1.2693613767623901,
    },
    '0.001': {
      '0': 1.2691617012023926,
      '1': 1.26716947555542,
      '10': 1.249678611755371,
      '100': 1.1114503145217896,
      '500': 0.8804126977920532,
      '999': 0.8233773708343506,
    },
    '0.01': {
      '0': 0.8233285546302795,
      '1': 0.8228452205657959,
      '10': 0.8190482258796692,
      '100': 0.8060250878334045,
      '500': 0.8043075799942017,
      '999': 0.8043073415756226,
    },
    '0.1': {
      '0': 0.8043074011802673,
      '1': 0.8043074011802673,
      '10': 0.8043074011802673,
      '100': 0.8043074011802673,
      '500': 0.8043074011802673,
      '999': 0.8043074011802673,
    },
  },
  train_val: [0.785812497138977, 0.8782867193222046],
};

type Method = (model: Module, X: Tensor, y: Tensor, nSteps?: number, lr?: number) => number[];

const gradientDescent: Method = (model, X, y, nSteps = 1000, lr = 0.01) => {
  const losses: number[] = [];
  for (let step = 0; step < nSteps; step++) {
    model.zeroGrad();
    const yPred = model.call(X);
    const loss = F.mseLoss(yPred, y);
    loss.backward();
    noGrad(() => {
      for (const param of model.parameters()) param.sub_(param.grad!.mul(lr));
    });
    losses.push(loss.item());
  }
  return losses;
};

const momentumGradientDescent: Method = (model, X, y, nSteps = 1000, lr = 0.01) => {
  const beta = 0.9;
  const velocity = model.parameters().map((p) => zerosLike(p));
  const losses: number[] = [];
  for (let step = 0; step < nSteps; step++) {
    model.zeroGrad();
    const loss = F.mseLoss(model.call(X), y);
    loss.backward();
    noGrad(() => {
      model.parameters().forEach((param, i) => {
        const v = velocity[i]!;
        v.mul_(beta).add_(param.grad!, 1 - beta);
        param.add_(v, -lr);
      });
    });
    losses.push(loss.item());
  }
  return losses;
};

const cosineScheduler = (initialLr: number, step: number, totalSteps: number): Tensor =>
  cos(tensor((step / totalSteps) * Math.PI))
    .add(1)
    .mul(initialLr * 0.5);

const scheduledGradientDescent: Method = (model, X, y, nSteps = 1000, initialLr = 0.01) => {
  const losses: number[] = [];
  for (let step = 0; step < nSteps; step++) {
    const lr = cosineScheduler(initialLr, step, nSteps);
    model.zeroGrad();
    const loss = F.mseLoss(model.call(X), y);
    loss.backward();
    noGrad(() => {
      for (const param of model.parameters()) param.sub_(lr.mul(param.grad!));
    });
    losses.push(loss.item());
  }
  return losses;
};

function expectLosses(losses: number[], expected: Record<string, number>): void {
  for (const [step, value] of Object.entries(expected)) {
    expect(losses[Number(step)]!, `loss at step ${step}`).toBeCloseTo(value, 4);
  }
}

describe("the lecture's gradient descent, with PyTorch's numbers", () => {
  manualSeed(0);
  let model: Module = new Linear(10, 1);
  const X = randn([100, 10]);
  const y = randn([100, 1]);

  it('basic gradient descent: model.zeroGrad(), mseLoss, backward, param -= lr * grad', () => {
    const losses = gradientDescent(model, X, y);
    expectLosses(losses, TORCH.basic_first);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
  });

  it('comparing basic, momentum and cosine-scheduled descent: all three reduce the loss', () => {
    const methods: Record<string, Method> = {
      basic: gradientDescent,
      momentum: momentumGradientDescent,
      cosine: scheduledGradientDescent,
    };
    for (const [name, method] of Object.entries(methods)) {
      model = new Linear(10, 1); // reset model, drawing from the same stream as PyTorch
      const losses = method(model, X, y);
      expectLosses(losses, TORCH.results[name as keyof typeof TORCH.results]);
      expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.8);
    }
  });

  it('practical tips: monitor gradient norms, clip them, sweep learning rates, validate', () => {
    model = new Linear(10, 1);
    model.zeroGrad();
    F.mseLoss(model.call(X), y).backward();
    // 1. Monitor gradients
    const norms: Record<string, number> = {};
    for (const [name, param] of model.namedParameters()) {
      if (param.grad !== null) norms[name] = param.grad.norm().item();
    }
    expect(norms.weight).toBeCloseTo(TORCH.grad_norms.weight, 5);
    expect(norms.bias).toBeCloseTo(TORCH.grad_norms.bias, 6);
    // 2. Clip large gradients
    const total = utils.clipGradNorm_(model.parameters(), 1.0);
    expect(total.item()).toBeCloseTo(TORCH.total_norm, 5);
    const linear = model as Linear;
    expect(linear.weight.grad!.norm().item()).toBeCloseTo(TORCH.clipped_norms.weight, 5);
    expect(linear.bias!.grad!.norm().item()).toBeCloseTo(TORCH.clipped_norms.bias, 6);
    // 3. Check learning rate (the lecture keeps training the same model across rates)
    for (const lr of [1e-4, 1e-3, 1e-2, 1e-1]) {
      const losses = gradientDescent(model, X, y, 1000, lr);
      expectLosses(losses, TORCH.sweep[String(lr) as keyof typeof TORCH.sweep]);
    }
    // 4. Validate frequently
    const computeLoss = (m: Module, Xs: Tensor, ys: Tensor): number =>
      noGrad(() => F.mseLoss(m.call(Xs), ys).item());
    const trainLoss = computeLoss(model, X.narrow(0, 0, 80), y.narrow(0, 0, 80));
    const valLoss = computeLoss(model, X.narrow(0, 80, 20), y.narrow(0, 80, 20));
    expect(trainLoss).toBeCloseTo(TORCH.train_val[0]!, 4);
    expect(valLoss).toBeCloseTo(TORCH.train_val[1]!, 4);
  });
});
