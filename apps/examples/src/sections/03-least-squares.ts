/**
 * Lecture section "Revisiting Least Squares": the autograd gradient of ½·mean((Xw − y)²) next to
 * the hand-derived Xᵀ(Xw − y)/n for the seed-42 data, gradient descent with autograd, and the
 * graph autograd builds for the loss.
 */
import { manualSeed, noGrad, randn, tensor, zeros } from '@gd/autograd';
import { renderSvg } from '@gd/autograd/graph';
import type { Tensor } from '@gd/autograd';
import { lineChart } from '@gd/plot';
import type { SectionContext } from './common.js';
import { fixed, titledSvg, values } from './common.js';

/** The lecture's data: `torch.manual_seed(42)`, X ~ N(0, 1) of [1000, 3], y = Xw* + 0.1·noise. */
function leastSquaresData(): { X: Tensor; y: Tensor; wTrue: Tensor } {
  manualSeed(42);
  const nSamples = 1000;
  const nFeatures = 3;
  const X = randn([nSamples, nFeatures]);
  const wTrue = tensor([1.0, -0.5, 0.25]);
  const y = X.matmul(wTrue).add(randn([nSamples]).mul(0.1));
  return { X, y, wTrue };
}

/** Compute MSE loss: ½·mean((Xw − y)²). */
const lossFn = (X: Tensor, y: Tensor, w: Tensor): Tensor =>
  X.matmul(w).sub(y).pow(2).mean().mul(0.5);

/**
 * Runs the section: prints its results with `ctx.log` and writes its figures with `ctx.figure`.
 *
 * @example
 * ```ts
 * await run(createContext('outputs/examples/03-least-squares'));
 * ```
 */
export async function run(ctx: SectionContext): Promise<void> {
  const { log } = ctx;
  const { X, y, wTrue } = leastSquaresData();
  const nSamples = X.shape[0]!;
  log(`manual_seed(42); X = randn(${X.shape.join(', ')}); X[0] = ${X.index(0).toString()}`);
  log(`w_true = ${wTrue.toString()}`);
  log('');

  // Initialize weights and enable gradient tracking; compute loss and gradient.
  const w = zeros([3], { requiresGrad: true });
  const loss = lossFn(X, y, w);
  loss.backward();
  log(`loss at w = 0: ${fixed(loss.item())}`);
  log(`Autograd gradient: ${w.grad!.toString()}`);
  // Compare with manual calculation.
  const manualGrad = X.T.matmul(X.matmul(w.detach()).sub(y)).div(nSamples);
  log(`Manual gradient:   ${manualGrad.toString()}`);
  const diff = Math.max(...values(w.grad!.sub(manualGrad).abs()));
  log(`max |autograd - manual| = ${diff.toExponential(2)}`);
  log(`full precision: autograd [${values(w.grad!).join(', ')}]`);
  log(`                manual   [${values(manualGrad).join(', ')}]`);

  // The same gradient through a nonlinearity: the chain rule is automatic.
  log('');
  const complexLoss = (X: Tensor, y: Tensor, w: Tensor): Tensor =>
    X.matmul(w).sigmoid().sub(y).pow(2).mean();
  const w1 = zeros([3], { requiresGrad: true });
  const l1 = complexLoss(X, y, w1);
  l1.backward();
  log(
    `complex_loss (sigmoid(X @ w)) at w = 0: ${fixed(l1.item())}, gradient ${w1.grad!.toString()}`,
  );

  // Gradient descent with autograd gradients.
  log('');
  const lr = 0.5;
  const steps = 30;
  const fit = zeros([3], { requiresGrad: true });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    fit.grad = null;
    const l = lossFn(X, y, fit);
    l.backward();
    losses.push(l.item());
    noGrad(() => fit.sub_(fit.grad!.mul(lr)));
  }
  const finalLoss = noGrad(() => lossFn(X, y, fit).item());
  log(`Gradient descent with autograd (lr ${lr}, ${steps} steps):`);
  log(`  fitted w = ${fit.detach().toString()}`);
  log(`  true w   = ${wTrue.toString()}`);
  log(
    `  loss ${fixed(losses[0]!)} -> ${fixed(finalLoss, 6)} (the noise floor: 0.5 * 0.1² = 0.005)`,
  );
  await ctx.figure(
    'least_squares_descent.png',
    lineChart({
      title: 'Least squares: gradient descent with autograd gradients',
      x: 'step',
      y: '½·mean((Xw − y)²) (log scale)',
      series: { 'training loss': losses },
      logY: true,
    }),
  );

  // The graph autograd builds for the loss.
  const wg = zeros([3], { requiresGrad: true });
  const residual = X.matmul(wg).sub(y);
  const lossG = residual.pow(2).mean().mul(0.5);
  const svg = await renderSvg(lossG, { names: { X, w: wg, 'Xw − y': residual, loss: lossG } });
  ctx.svgFigure(
    'least_squares_graph.png',
    titledSvg(
      svg,
      'Least squares: loss = 0.5 · mean((X @ w − y)²)',
      'leaf w (blue); saved for backward (orange): X and the residual Xw − y; arrows: gradient flow',
    ),
  );
  const ops: string[] = [];
  for (
    let node = lossG.gradFn;
    node;
    node = node.next.find((n) => n && n.name !== 'AccumulateGrad') ?? null
  )
    ops.push(node.name);
  log(
    'The graph: y requires no gradient and SubBackward0 needs no saved value, so y is not in it.',
  );
  log(`  backward ops from the loss down to w: ${ops.join(' -> ')} -> AccumulateGrad(w)`);
}
