/**
 * Lecture section "Implementing Gradient Descent": basic gradient descent, momentum and a cosine
 * learning-rate schedule written by hand on the lecture's 10-feature problem (the same data as
 * `torch.manual_seed(0)`), then the practical tips: gradient norms, clipping, a learning-rate
 * sweep and a validation split.
 */
import { cos, manualSeed, noGrad, randn, tensor, zerosLike } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';
import { F, Linear } from '@gd/nn';
import * as utils from '@gd/nn/utils';
import type { Module } from '@gd/nn';
import { lineChart } from '@gd/plot';
import type { Spec } from '@gd/plot';
import type { SectionContext } from './common.js';
import { fixed, inOrder } from './common.js';

/** A gradient-descent variant: trains `model` in place and returns the loss at every step. */
type Method = (
  model: Module,
  X: Tensor,
  y: Tensor,
  nSteps?: number,
  lr?: number,
  log?: (line: string) => void,
) => number[];

/** Basic gradient descent: zero gradients, forward and backward, `param -= lr * grad`. */
const gradientDescent: Method = (model, X, y, nSteps = 1000, lr = 0.01, log) => {
  const losses: number[] = [];
  for (let step = 0; step < nSteps; step++) {
    // 1. Zero gradients
    model.zeroGrad();
    // 2. Forward and backward pass
    const yPred = model.call(X);
    const loss = F.mseLoss(yPred, y);
    loss.backward();
    // 3. Update parameters (not tracked)
    noGrad(() => {
      for (const param of model.parameters()) param.sub_(param.grad!.mul(lr));
    });
    losses.push(loss.item());
    if (log && step % 100 === 0) log(`Step ${step}: Loss = ${fixed(loss.item())}`);
  }
  return losses;
};

/** Gradient descent with momentum: v ← βv + (1 − β)g, param ← param − lr·v (β = 0.9). */
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
        v.mul_(beta).add_(param.grad!, 1 - beta); // update velocity
        param.add_(v, -lr); // update parameters
      });
    });
    losses.push(loss.item());
  }
  return losses;
};

/** Cosine learning-rate schedule: lr₀ · ½(1 + cos(π·step/total)). */
const cosineScheduler = (initialLr: number, step: number, totalSteps: number): Tensor =>
  cos(tensor((step / totalSteps) * Math.PI))
    .add(1)
    .mul(initialLr * 0.5);

/** Gradient descent with the cosine schedule. */
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

/** Below this, float32 rounding of a loss near 0.8 (steps of 6e-8) is all that is left. */
const FLOOR = 1e-6;

/** Distance of each loss to the minimum, floored so that a log scale can show it. */
function excess(losses: readonly number[], minimum: number): number[] {
  return losses.map((l) => Math.max(l - minimum, FLOOR));
}

/** Labels a log y axis with powers of ten only (1e-6, 1e-5, ...). */
function powersOfTen(spec: Spec): Spec {
  const y = (spec as { encoding: { y: Record<string, unknown> } }).encoding.y;
  y.axis = { format: '.0e', labelExpr: "indexof(datum.label, '1e') === 0 ? datum.label : ''" };
  return spec;
}

const at = (losses: number[], step: number): string => fixed(losses[step]!);

/**
 * Runs the section: prints its results with `ctx.log` and writes its figures with `ctx.figure`.
 *
 * @example
 * ```ts
 * await run(createContext('outputs/examples/06-gradient-descent'));
 * ```
 */
export async function run(ctx: SectionContext): Promise<void> {
  const { log } = ctx;
  // Example usage: a linear model on random features and targets.
  manualSeed(0);
  const model = new Linear(10, 1);
  const X = randn([100, 10]);
  const y = randn([100, 1]);

  log('Basic gradient descent: Linear(10, 1), X = randn(100, 10), y = randn(100, 1), lr 0.01');
  const losses = gradientDescent(model, X, y, 1000, 0.01, log);
  log(`Step 999: Loss = ${at(losses, 999)}`);
  await ctx.figure(
    'training_progress.png',
    lineChart({
      title: 'Training Progress: basic gradient descent (lr 0.01)',
      x: 'step',
      y: 'MSE loss',
      series: { 'basic GD': losses },
    }),
  );

  log('');
  log(
    'Comparing methods (each starts from a freshly initialised Linear(10, 1), as in the lecture):',
  );
  const methods: Record<string, Method> = {
    basic: gradientDescent,
    momentum: momentumGradientDescent,
    cosine: scheduledGradientDescent,
  };
  const results: Record<string, number[]> = {};
  for (const [name, method] of Object.entries(methods)) {
    const fresh = new Linear(10, 1); // reset model
    const l = method(fresh, X, y);
    results[name] = l;
    log(
      `  ${name.padEnd(9)} step 0: ${at(l, 0)}  step 10: ${at(l, 10)}  step 100: ${at(l, 100)}  step 999: ${at(l, 999)}`,
    );
  }
  const minimum = Math.min(...Object.values(results).map((l) => l.at(-1)!));
  log(`  all three reach the least-squares minimum ${fixed(minimum)}`);
  const names = { basic: 'basic', momentum: 'momentum', cosine: 'cosine schedule' };
  const order = Object.values(names);
  const renamed = (r: Record<string, number[]>, f: (l: number[]) => number[]) =>
    Object.fromEntries(
      Object.entries(r).map(([k, l]) => [names[k as keyof typeof names] ?? k, f(l)]),
    );
  await ctx.figure('optimization_comparison.png', {
    title: {
      text: 'Optimization Comparison (lr 0.01)',
      subtitle: `left: the loss, first 300 steps; right: loss minus its minimum (floored at ${FLOOR.toExponential(0)}), all 1000 steps`,
      anchor: 'middle',
    },
    hconcat: [
      inOrder(
        lineChart({
          x: 'step',
          y: 'MSE loss',
          series: renamed(results, (l) => l.slice(0, 300)),
          width: 360,
          height: 280,
        }),
        order,
      ),
      inOrder(
        powersOfTen(
          lineChart({
            x: 'step',
            y: `loss − ${fixed(minimum)} (log)`,
            series: renamed(results, (l) => excess(l, minimum)),
            logY: true,
            width: 360,
            height: 280,
          }),
        ),
        order,
      ),
    ],
  } as Spec);

  log('');
  log('Practical tips on a new Linear(10, 1):');
  const tips = new Linear(10, 1);
  tips.zeroGrad();
  F.mseLoss(tips.call(X), y).backward();
  log('1. Monitor gradients');
  for (const [name, param] of tips.namedParameters()) {
    if (param.grad !== null) log(`${name} grad norm: ${param.grad.norm().toString()}`);
  }
  log('2. Clip large gradients: clip_grad_norm_(model.parameters(), max_norm=1.0)');
  const total = utils.clipGradNorm_(tips.parameters(), 1.0);
  log(`  total norm before clipping: ${total.toString()}`);
  for (const [name, param] of tips.namedParameters()) {
    log(`  ${name} grad norm after clipping: ${param.grad!.norm().toString()}`);
  }
  const clippedTotal = Math.hypot(...tips.parameters().map((p) => p.grad!.norm().item()));
  log(`  total norm after clipping: ${fixed(clippedTotal)}`);

  log('3. Check learning rate');
  const rates = [1e-4, 1e-3, 1e-2, 1e-1];
  log("  the lecture's loop (one model, each rate continues where the previous stopped):");
  for (const lr of rates) {
    const l = gradientDescent(tips, X, y, 1000, lr);
    log(`    lr=${lr}: loss ${at(l, 0)} -> ${at(l, 999)}`);
  }
  log('4. Validate frequently (first 80 samples as training, last 20 as validation)');
  const computeLoss = (m: Module, Xs: Tensor, ys: Tensor): number =>
    noGrad(() => F.mseLoss(m.call(Xs), ys).item());
  const trainLoss = computeLoss(tips, X.narrow(0, 0, 80), y.narrow(0, 0, 80));
  const valLoss = computeLoss(tips, X.narrow(0, 80, 20), y.narrow(0, 80, 20));
  log(`Train: ${fixed(trainLoss)}, Val: ${fixed(valLoss)}`);

  // The sweep figure: every rate from the same initial weights, so the curves compare.
  log('');
  log('Learning-rate sweep, every rate from the same initial weights:');
  const sweepModel = new Linear(10, 1);
  const initial = Object.fromEntries(
    Object.entries(sweepModel.stateDict()).map(([k, v]) => [k, v.clone()]),
  );
  const sweep: Record<string, number[]> = {};
  for (const lr of rates) {
    sweepModel.loadStateDict(initial);
    const l = gradientDescent(sweepModel, X, y, 1000, lr);
    sweep[`lr=${lr}`] = l;
    log(`  lr=${lr}: loss ${at(l, 0)} -> step 100: ${at(l, 100)} -> step 999: ${at(l, 999)}`);
  }
  const sweepMin = Math.min(minimum, ...Object.values(sweep).map((l) => Math.min(...l)));
  await ctx.figure('lr_sweep.png', {
    title: {
      text: 'Learning-rate sweep: basic gradient descent, same initial weights',
      subtitle: `left: the loss; right: loss minus its minimum (floored at ${FLOOR.toExponential(0)}; a straight line is linear convergence)`,
      anchor: 'middle',
    },
    hconcat: [
      inOrder(
        lineChart({ x: 'step', y: 'MSE loss', series: sweep, width: 360, height: 280 }),
        Object.keys(sweep),
      ),
      inOrder(
        powersOfTen(
          lineChart({
            x: 'step',
            y: `loss − ${fixed(sweepMin)} (log)`,
            series: Object.fromEntries(
              Object.entries(sweep).map(([k, l]) => [k, excess(l, sweepMin)]),
            ),
            logY: true,
            width: 360,
            height: 280,
          }),
        ),
        Object.keys(sweep),
      ),
    ],
  } as Spec);
}
