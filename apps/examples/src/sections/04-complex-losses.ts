/**
 * Lecture section "Complex Loss Functions": the regularised sinusoid fit to hourly temperatures
 * and regularised logistic regression on spam-like data, each loss written as a formula, its
 * gradient left to autograd and its minimisation to an optimizer from @gd/optim.
 */
import { noGrad, tensor } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';
import { spamData, temperatureData } from '@gd/datasets';
import { Adam, SGD } from '@gd/optim';
import { lineChart } from '@gd/plot';
import type { Spec } from '@gd/plot';
import type { SectionContext } from './common.js';
import { COLORS, fixed, inOrder, values } from './common.js';

/** f_θ(t) = θ_offset + θ_amplitude · sin(2πt/24 + θ_phase). */
const sinusoid = (theta: Tensor, t: Tensor): Tensor =>
  theta.index(0).add(
    theta.index(1).mul(
      t
        .mul((2 * Math.PI) / 24)
        .add(theta.index(2))
        .sin(),
    ),
  );

/** L(θ) = mean((y − f_θ(t))²) + λ‖θ‖². */
const temperatureLoss = (theta: Tensor, t: Tensor, y: Tensor, lambda: number): Tensor =>
  y.sub(sinusoid(theta, t)).pow(2).mean().add(theta.pow(2).sum().mul(lambda));

/** L(w) = −mean(y log σ(Xw) + (1 − y) log(1 − σ(Xw))) + λ/2 ‖w‖². */
const logisticLoss = (w: Tensor, X: Tensor, y: Tensor, lambda: number): Tensor => {
  const p = X.matmul(w).sigmoid();
  const nll = y
    .mul(p.log())
    .add(y.neg().add(1).mul(p.neg().add(1).log()))
    .mean()
    .neg();
  return nll.add(
    w
      .pow(2)
      .sum()
      .mul(lambda / 2),
  );
};

/** Fits θ with Adam; returns θ and the loss at every step. */
function fitTemperature(
  t: Tensor,
  y: Tensor,
  lambda: number,
  steps = 400,
  lr = 0.1,
): { theta: number[]; losses: number[] } {
  // Start from the mean temperature, a unit swing and no phase shift.
  const theta = tensor([y.mean().item(), 1, 0], { requiresGrad: true });
  const optimizer = new Adam([theta], { lr });
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    optimizer.zeroGrad();
    const loss = temperatureLoss(theta, t, y, lambda);
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
  }
  return { theta: values(theta), losses };
}

/** Fraction of rows where `scores > 0` agrees with the 0/1 labels. */
function accuracy(scores: Tensor, y: Tensor): number {
  return scores.gt(0).float().eq(y).float().mean().item();
}

/**
 * Runs the section: prints its results with `ctx.log` and writes its figures with `ctx.figure`.
 *
 * @example
 * ```ts
 * await run(createContext('outputs/examples/04-complex-losses'));
 * ```
 */
export async function run(ctx: SectionContext): Promise<void> {
  const { log } = ctx;

  // ---- Nonlinear regression -------------------------------------------------------------
  const { t, y, params } = temperatureData({ hours: 48, seed: 0 });
  log(`Temperatures: ${t.shape[0]} hourly readings (temperatureData, seed 0)`);
  log(
    `  true curve: offset ${fixed(params.offset, 2)}, amplitude ${fixed(params.amplitude, 2)}, phase ${fixed(params.phase, 4)} (+ noise 0.5)`,
  );
  const lambda = 0.001;
  const theta0 = tensor([10, 3, 0.1], { requiresGrad: true });
  const l0 = temperatureLoss(theta0, t, y, lambda);
  l0.backward();
  log(
    `  L(θ) = mean((y - f_θ(t))²) + λ‖θ‖², λ = ${lambda}: at θ = [10, 3, 0.1] L = ${fixed(l0.item())}, ∇L = ${theta0.grad!.toString()}`,
  );
  const fits: Record<string, { theta: number[]; losses: number[] }> = {};
  for (const lam of [0, lambda, 0.1]) {
    const fit = fitTemperature(t, y, lam);
    fits[String(lam)] = fit;
    const [offset, amplitude, phase] = fit.theta as [number, number, number];
    log(
      `  Adam (lr 0.1, 400 steps), λ = ${String(lam).padEnd(5)}: offset ${fixed(offset, 3)}, amplitude ${fixed(amplitude, 3)}, phase ${fixed(phase, 4)}; loss ${fixed(fit.losses[0]!)} -> ${fixed(fit.losses.at(-1)!)}`,
    );
  }
  const main = fits[String(lambda)]!;
  const rmse = noGrad(() =>
    Math.sqrt(
      y
        .sub(sinusoid(tensor(main.theta), t))
        .pow(2)
        .mean()
        .item(),
    ),
  );
  log(`  fit with λ = ${lambda}: RMSE ${fixed(rmse, 3)} °C (the noise is 0.5 °C)`);
  const big = fits['0.1']!.theta;
  log(
    `  λ = 0.1 pulls all of θ towards 0 (offset ${fixed(big[0]!, 2)}, amplitude ${fixed(big[1]!, 2)}): the penalty is on every parameter, not only the amplitude`,
  );

  const fine = Array.from({ length: 241 }, (_, i) => i * ((t.shape[0]! - 1) / 240));
  const tFine = tensor(fine);
  const curve = (theta: number[]): number[] => values(noGrad(() => sinusoid(tensor(theta), tFine)));
  const truth = [params.offset, params.amplitude, params.phase];
  const fitNames = [`fit, λ = ${lambda}`, 'fit, λ = 0.1'];
  const rows = [
    ...fine.map((x, i) => ({ t: x, v: curve(main.theta)[i]!, series: fitNames[0]! })),
    ...fine.map((x, i) => ({ t: x, v: curve(fits['0.1']!.theta)[i]!, series: fitNames[1]! })),
  ];
  const trueRows = fine.map((x, i) => ({ t: x, v: curve(truth)[i]!, series: 'true curve' }));
  const legend = ['readings', 'true curve', ...fitNames];
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    sort: legend,
    scale: { domain: legend, range: ['#333333', '#111111', COLORS[0], COLORS[1]] },
  };
  await ctx.figure('temperature_fit.png', {
    title: {
      text: 'Nonlinear regression: f(t) = offset + amplitude · sin(2πt/24 + phase)',
      subtitle:
        'hourly temperatures (dots) and the least-squares fit with λ‖θ‖², trained with Adam',
      anchor: 'middle',
    },
    hconcat: [
      {
        width: 520,
        height: 300,
        layer: [
          {
            data: { values: rows },
            mark: { type: 'line', strokeWidth: 2.5 },
            encoding: {
              x: {
                field: 't',
                type: 'quantitative',
                title: 'hour t',
                axis: { values: [0, 6, 12, 18, 24, 30, 36, 42, 48] },
              },
              y: {
                field: 'v',
                type: 'quantitative',
                title: 'temperature (°C)',
                scale: { zero: false },
              },
              color,
            },
          },
          {
            data: {
              values: values(t).map((x, i) => ({ t: x, v: values(y)[i]!, series: 'readings' })),
            },
            mark: { type: 'point', filled: true, size: 30, opacity: 0.9 },
            encoding: {
              x: { field: 't', type: 'quantitative' },
              y: { field: 'v', type: 'quantitative' },
              color,
            },
          },
          {
            data: { values: trueRows },
            mark: { type: 'line', strokeWidth: 1.5, strokeDash: [5, 4] },
            encoding: {
              x: { field: 't', type: 'quantitative' },
              y: { field: 'v', type: 'quantitative' },
              color,
            },
          },
        ],
      },
      inOrder(
        lineChart({
          x: 'Adam step',
          y: 'L(θ) (log)',
          series: Object.fromEntries(
            [lambda, 0.1].map((lam) => [`fit, λ = ${lam}`, fits[String(lam)]!.losses]),
          ),
          logY: true,
          width: 260,
          height: 300,
        }),
        [`fit, λ = ${lambda}`, 'fit, λ = 0.1'],
      ),
    ],
    resolve: { scale: { color: 'independent' } },
  } as Spec);

  // ---- Classification ---------------------------------------------------------------------
  log('');
  const nFeatures = 10;
  const data = spamData({ nSamples: 1000, nFeatures, seed: 0 });
  const [Xtr, Xte] = [data.X.narrow(0, 0, 800), data.X.narrow(0, 800, 200)];
  const [ytr, yte] = [data.y.narrow(0, 0, 800), data.y.narrow(0, 800, 200)];
  log(
    `Spam-like data: 1000 messages x ${nFeatures} features (spamData, seed 0), ${fixed(data.y.mean().item() * 100, 1)}% spam; 800 to train, 200 to test`,
  );
  const lam = 0.01;
  const w = tensor(new Array<number>(nFeatures).fill(0), { requiresGrad: true });
  const first = logisticLoss(w, Xtr, ytr, lam);
  first.backward();
  const manual = noGrad(() =>
    Xtr.t().matmul(Xtr.matmul(w).sigmoid().sub(ytr)).div(800).add(w.mul(lam)),
  );
  const gap = Math.max(...values(w.grad!.sub(manual).abs()));
  log(
    `  L(w) = cross-entropy + λ/2‖w‖², λ = ${lam}: at w = 0 L = ${fixed(first.item())} (= log 2), autograd vs Xᵀ(σ(Xw) - y)/n + λw: max difference ${gap.toExponential(1)}`,
  );
  w.grad = null;
  const optimizer = new SGD([w], { lr: 0.5 });
  const trainLosses: number[] = [];
  const testLosses: number[] = [];
  const steps = 300;
  for (let step = 0; step < steps; step++) {
    optimizer.zeroGrad();
    const loss = logisticLoss(w, Xtr, ytr, lam);
    loss.backward();
    // Both losses at the same w, before the step.
    trainLosses.push(loss.item());
    testLosses.push(noGrad(() => logisticLoss(w, Xte, yte, lam).item()));
    optimizer.step();
  }
  const finalTrain = noGrad(() => logisticLoss(w, Xtr, ytr, lam).item());
  const finalTest = noGrad(() => logisticLoss(w, Xte, yte, lam).item());
  const scoresTr = noGrad(() => Xtr.matmul(w));
  const scoresTe = noGrad(() => Xte.matmul(w));
  const bayes = noGrad(() => accuracy(Xte.matmul(data.wTrue), yte));
  const wv = values(w);
  const wt = values(data.wTrue);
  const dot = wv.reduce((s, v, i) => s + v * wt[i]!, 0);
  const cosine = dot / (Math.hypot(...wv) * Math.hypot(...wt));
  log(
    `  SGD (lr 0.5, ${steps} full-batch steps): train loss ${fixed(trainLosses[0]!)} -> ${fixed(finalTrain)}, test loss ${fixed(testLosses[0]!)} -> ${fixed(finalTest)}`,
  );
  log(
    `  accuracy: train ${fixed(accuracy(scoresTr, ytr) * 100, 1)}%, test ${fixed(accuracy(scoresTe, yte) * 100, 1)}% (the true weights score ${fixed(bayes * 100, 1)}% on the test set)`,
  );
  log(
    `  cosine(w, w_true) = ${fixed(cosine)}; ‖w‖ = ${fixed(Math.hypot(...wv), 3)}, ‖w_true‖ = ${fixed(Math.hypot(...wt), 3)}`,
  );

  const scoreRows = values(scoresTe).map((s, i) => ({
    s,
    label: values(yte)[i] === 1 ? 'spam (y = 1)' : 'not spam (y = 0)',
  }));
  await ctx.figure('logistic_regression.png', {
    title: {
      text: `Regularised logistic regression on spam-like data (λ = ${lam})`,
      subtitle:
        'left: the loss while training with SGD; right: test-set scores x·w by true class (σ(x·w) > 0.5 means spam)',
      anchor: 'middle',
    },
    hconcat: [
      inOrder(
        lineChart({
          x: 'SGD step',
          y: 'cross-entropy + λ/2‖w‖²',
          series: { train: trainLosses, test: testLosses },
          width: 340,
          height: 280,
        }),
        ['train', 'test'],
      ),
      {
        width: 340,
        height: 280,
        layer: [
          {
            data: { values: scoreRows },
            mark: { type: 'bar', opacity: 0.6, binSpacing: 0 },
            encoding: {
              x: { field: 's', type: 'quantitative', bin: { step: 1 }, title: 'score x·w' },
              y: { aggregate: 'count', type: 'quantitative', title: 'test messages', stack: null },
              color: {
                field: 'label',
                type: 'nominal',
                title: null,
                scale: {
                  domain: ['not spam (y = 0)', 'spam (y = 1)'],
                  range: [COLORS[2], COLORS[3]],
                },
              },
            },
          },
          {
            data: { values: [{ s: 0 }] },
            mark: { type: 'rule', strokeDash: [4, 4], color: '#333333' },
            encoding: { x: { field: 's', type: 'quantitative' } },
          },
        ],
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } as Spec);
}
