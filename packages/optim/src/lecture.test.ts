// The lecture's hand-written training loops ("Implementing Gradient Descent" in
// computing-gradients.md) stay expressible with @gd/autograd alone, and the optimizers of
// this package reproduce them.
import { beforeAll, describe, expect, it } from 'vitest';
import { empty, manualSeed, noGrad, randn, tensor, zerosLike } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';
import { SGD } from './index.js';
import { LambdaLR } from './lr-scheduler.js';

const N_STEPS = 300;
const CHECKPOINTS = [0, 10, 50, 100, N_STEPS - 1];

// torch 1.13 running the lecture's code (torch.manual_seed(0); X = randn(100, 10);
// y = randn(100, 1); a fresh nn.Linear(10, 1) per method, in this order; n_steps = 300),
// losses at CHECKPOINTS.
const TORCH = {
  basic: [
    1.2361414432525635, 1.018032431602478, 0.7200526595115662, 0.6620489358901978,
    0.6479040384292603,
  ],
  momentum: [
    1.206636905670166, 1.1176258325576782, 0.743648886680603, 0.6625799536705017,
    0.6478359699249268,
  ],
  cosine: [
    1.1330883502960205, 0.9504147171974182, 0.7056758403778076, 0.6603164672851562,
    0.6498335003852844,
  ],
};

interface Linear {
  weight: Tensor;
  bias: Tensor;
}

/** nn.Linear(10, 1)'s initialisation: kaiming_uniform_(a=√5) = U(±1/√10), bias U(±1/√10). */
function linear(inFeatures: number): Linear {
  const bound = 1 / Math.sqrt(inFeatures);
  const weight = empty([1, inFeatures]).uniform_(-bound, bound).requiresGrad_();
  const bias = empty([1]).uniform_(-bound, bound).requiresGrad_();
  return { weight, bias };
}

function copyOf(m: Linear): Linear {
  return {
    weight: tensor(m.weight.detach().clone(), { requiresGrad: true }),
    bias: tensor(m.bias.detach().clone(), { requiresGrad: true }),
  };
}

function mseLoss(m: Linear, X: Tensor, y: Tensor): Tensor {
  return X.matmul(m.weight.t()).add(m.bias).sub(y).pow(2).mean();
}

function gradientDescent(m: Linear, X: Tensor, y: Tensor, nSteps: number, lr = 0.01): number[] {
  const losses: number[] = [];
  for (let step = 0; step < nSteps; step++) {
    m.weight.grad = null;
    m.bias.grad = null;
    const loss = mseLoss(m, X, y);
    loss.backward();
    noGrad(() => {
      for (const p of [m.weight, m.bias]) p.sub_(p.grad!.mul(lr));
    });
    losses.push(loss.item());
  }
  return losses;
}

function momentumGradientDescent(
  m: Linear,
  X: Tensor,
  y: Tensor,
  nSteps: number,
  lr = 0.01,
  beta = 0.9,
): number[] {
  const params = [m.weight, m.bias];
  const velocity = params.map((p) => zerosLike(p));
  const losses: number[] = [];
  for (let step = 0; step < nSteps; step++) {
    for (const p of params) p.grad = null;
    const loss = mseLoss(m, X, y);
    loss.backward();
    noGrad(() => {
      params.forEach((p, i) => {
        const v = velocity[i]!;
        v.mul_(beta).add_(p.grad!, 1 - beta);
        p.add_(v, -lr);
      });
    });
    losses.push(loss.item());
  }
  return losses;
}

function cosineScheduler(initialLr: number, step: number, totalSteps: number): number {
  return initialLr * 0.5 * (1 + Math.cos((step / totalSteps) * Math.PI));
}

function scheduledGradientDescent(
  m: Linear,
  X: Tensor,
  y: Tensor,
  nSteps: number,
  initialLr = 0.01,
): number[] {
  const losses: number[] = [];
  for (let step = 0; step < nSteps; step++) {
    const lr = cosineScheduler(initialLr, step, nSteps);
    m.weight.grad = null;
    m.bias.grad = null;
    const loss = mseLoss(m, X, y);
    loss.backward();
    noGrad(() => {
      for (const p of [m.weight, m.bias]) p.sub_(p.grad!.mul(lr));
    });
    losses.push(loss.item());
  }
  return losses;
}

function withOptimizer(m: Linear, X: Tensor, y: Tensor, nSteps: number, cosine: boolean): number[] {
  const opt = new SGD([m.weight, m.bias], { lr: 0.01 });
  const scheduler = cosine
    ? new LambdaLR(opt, (e) => 0.5 * (1 + Math.cos((e / nSteps) * Math.PI)))
    : null;
  const losses: number[] = [];
  for (let step = 0; step < nSteps; step++) {
    opt.zeroGrad();
    const loss = mseLoss(m, X, y);
    loss.backward();
    opt.step();
    scheduler?.step();
    losses.push(loss.item());
  }
  return losses;
}

describe("the lecture's hand-written loops on its 10-feature linear problem", () => {
  let X: Tensor;
  let y: Tensor;
  let initial: { basic: Linear; cosine: Linear };
  let runs: Record<'basic' | 'momentum' | 'cosine', number[]>;

  beforeAll(() => {
    manualSeed(0);
    X = randn([100, 10]);
    y = randn([100, 1]);
    const models = { basic: linear(10), momentum: linear(10), cosine: linear(10) };
    initial = { basic: copyOf(models.basic), cosine: copyOf(models.cosine) };
    runs = {
      basic: gradientDescent(models.basic, X, y, N_STEPS),
      momentum: momentumGradientDescent(models.momentum, X, y, N_STEPS),
      cosine: scheduledGradientDescent(models.cosine, X, y, N_STEPS),
    };
  });

  for (const name of ['basic', 'momentum', 'cosine'] as const) {
    it(`${name}: reduces the loss, with the losses PyTorch gets running the same code`, () => {
      const losses = runs[name];
      expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.6);
      CHECKPOINTS.forEach((step, i) => {
        expect(Math.abs(losses[step]! - TORCH[name][i]!)).toBeLessThan(1e-5);
      });
    });
  }

  it('SGD and LambdaLR(cosine) reproduce the hand-written basic and cosine loops', () => {
    const sgd = withOptimizer(initial.basic, X, y, N_STEPS, false);
    const cos = withOptimizer(initial.cosine, X, y, N_STEPS, true);
    sgd.forEach((l, i) => expect(Math.abs(l - runs.basic[i]!)).toBeLessThan(1e-6));
    cos.forEach((l, i) => expect(Math.abs(l - runs.cosine[i]!)).toBeLessThan(1e-6));
  });
});
