/**
 * Adam and AdamW: PyTorch 1.13's `torch.optim.Adam` / `torch.optim.AdamW` (the single-tensor
 * updates, with amsgrad and maximize).
 */
import { adamStep_ } from '@gd/tensor';
import { zerosLike } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';
import { Optimizer, checkNonNegative, resolveOptions, validate } from './optimizer.js';
import type { ParamGroup, ParamGroupInput, ParamState } from './optimizer.js';

/**
 * The options of {@link Adam} and {@link AdamW}, as every parameter group holds them.
 *
 * @example
 * ```ts
 * const d: AdamDefaults = new Adam([w]).defaults;
 * d.betas; // [0.9, 0.999]
 * ```
 */
export interface AdamDefaults {
  /** Learning rate (Adam and AdamW: 1e-3). */
  lr: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]). */
  betas: [number, number];
  /** Added to the denominator for stability (default 1e-8). */
  eps: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay (default 1e-2). */
  weightDecay: number;
  /** Use the maximum of past second moments (AMSGrad; default false). */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/**
 * Options given to {@link Adam}'s and {@link AdamW}'s constructors.
 *
 * @example
 * ```ts
 * const options: AdamOptions = { lr: 3e-4, betas: [0.9, 0.95], amsgrad: true };
 * ```
 */
export type AdamOptions = Partial<AdamDefaults>;

function resolve(name: string, options: AdamOptions, weightDecay: number): AdamDefaults {
  const defaults = resolveOptions<AdamDefaults>(name, options, {
    lr: 1e-3,
    betas: [0.9, 0.999],
    eps: 1e-8,
    weightDecay,
    amsgrad: false,
    maximize: false,
  });
  checkNonNegative(defaults, ['lr', 'eps']);
  const [beta1, beta2] = defaults.betas;
  validate(beta1 >= 0 && beta1 < 1, `Invalid beta parameter at index 0: ${beta1}`);
  validate(beta2 >= 0 && beta2 < 1, `Invalid beta parameter at index 1: ${beta2}`);
  checkNonNegative(defaults, ['weightDecay']);
  // The caller's betas array is not kept (a later change to it must not reach the groups).
  return { ...defaults, betas: [beta1, beta2] };
}

/** One Adam/AdamW step for one group; `decoupled` selects AdamW's weight decay. */
function adamUpdate(
  stateOf: (p: Tensor) => ParamState,
  group: ParamGroup<AdamDefaults>,
  decoupled: boolean,
): void {
  const { lr, eps, weightDecay, amsgrad, maximize } = group;
  const [beta1, beta2] = group.betas;
  for (const p of group.params) {
    const g = p.borrowGrad();
    if (g === null) continue;
    const state = stateOf(p);
    if (state.step === undefined) {
      state.step = 0;
      state.expAvg = zerosLike(p);
      state.expAvgSq = zerosLike(p);
      if (amsgrad) state.maxExpAvgSq = zerosLike(p);
    }
    const expAvg = state.expAvg as Tensor;
    const expAvgSq = state.expAvgSq as Tensor;
    const step = (state.step as number) + 1;
    state.step = step;
    if (amsgrad) state.maxExpAvgSq ??= zerosLike(p);
    // One kernel for the whole update where the backend has it (the CPU backends).
    const config = { lr, beta1, beta2, eps, weightDecay, decoupled, maximize, step };
    const maxSq = amsgrad ? (state.maxExpAvgSq as Tensor).value : null;
    if (adamStep_(p.value, g.value, expAvg.value, expAvgSq.value, maxSq, config)) continue;

    let grad = maximize ? g.neg() : g;

    if (decoupled) p.mul_(1 - lr * weightDecay);
    else if (weightDecay !== 0) grad = grad.add(p, weightDecay);

    expAvg.mul_(beta1).add_(grad, 1 - beta1);
    // addcmul_(grad, grad, value=1-beta2): self + value * grad * grad
    expAvgSq.mul_(beta2).add_(grad.mul(1 - beta2).mul(grad));

    const biasCorrection1 = 1 - beta1 ** step;
    const biasCorrection2 = 1 - beta2 ** step;
    const stepSize = lr / biasCorrection1;
    const biasCorrection2Sqrt = Math.sqrt(biasCorrection2);

    let denom: Tensor;
    if (amsgrad) {
      state.maxExpAvgSq ??= zerosLike(p);
      const maxExpAvgSq = state.maxExpAvgSq as Tensor;
      maxExpAvgSq.copy_(maxExpAvgSq.maximum(expAvgSq));
      denom = maxExpAvgSq.sqrt().div(biasCorrection2Sqrt).add_(eps);
    } else {
      denom = expAvgSq.sqrt().div(biasCorrection2Sqrt).add_(eps);
    }
    // addcdiv_(expAvg, denom, value=-stepSize): self + value * expAvg / denom
    p.add_(expAvg.mul(-stepSize).div(denom));
  }
}

/**
 * Adam (PyTorch's `torch.optim.Adam`): exponential moving averages m, v of the gradient and
 * its square, bias-corrected: `θ ← θ − lr/(1 − β₁ᵗ) · m / (√v/√(1 − β₂ᵗ) + ε)`. Weight decay is
 * an L2 penalty added to the gradient; `amsgrad` uses the running maximum of v.
 *
 * @example
 * ```ts
 * import { tensor } from '@gd/autograd';
 * import { Adam } from '@gd/optim';
 *
 * const w = tensor([1.0, -2.0], { requiresGrad: true });
 * const opt = new Adam([w], { lr: 0.01 });
 * opt.zeroGrad();
 * w.pow(2).sum().backward();
 * opt.step();
 * ```
 */
export class Adam extends Optimizer<AdamDefaults> {
  constructor(
    params: Iterable<Tensor> | Iterable<ParamGroupInput<AdamDefaults>>,
    options: AdamOptions = {},
  ) {
    super(params, resolve('Adam', options, 0));
  }

  protected updateGroup(group: ParamGroup<AdamDefaults>): void {
    adamUpdate((p) => this.stateOf(p), group, false);
  }
}

/**
 * AdamW (PyTorch's `torch.optim.AdamW`): Adam with decoupled weight decay — the parameters
 * shrink by `1 − lr·weightDecay` each step instead of the decay entering the gradient.
 * Defaults: lr 1e-3, weightDecay 1e-2.
 *
 * @example
 * ```ts
 * import { AdamW } from '@gd/optim';
 *
 * const opt = new AdamW([w], { lr: 1e-3, weightDecay: 0.05 });
 * opt.zeroGrad();
 * loss().backward();
 * opt.step();
 * ```
 */
export class AdamW extends Optimizer<AdamDefaults> {
  constructor(
    params: Iterable<Tensor> | Iterable<ParamGroupInput<AdamDefaults>>,
    options: AdamOptions = {},
  ) {
    super(params, resolve('AdamW', options, 1e-2));
  }

  protected updateGroup(group: ParamGroup<AdamDefaults>): void {
    adamUpdate((p) => this.stateOf(p), group, true);
  }
}
