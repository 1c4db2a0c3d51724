/**
 * RMSprop: PyTorch 1.13's `torch.optim.RMSprop` (the single-tensor update, with momentum,
 * centering, weight decay and maximize).
 */
import { zerosLike } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';
import { Optimizer, checkNonNegative, resolveOptions } from './optimizer.js';
import type { ParamGroup, ParamGroupInput } from './optimizer.js';

/**
 * The options of {@link RMSprop}, as every parameter group holds them.
 *
 * @example
 * ```ts
 * const d: RMSpropDefaults = new RMSprop([w]).defaults;
 * d.alpha; // 0.99
 * ```
 */
export interface RMSpropDefaults {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha: number;
  /** Added to the denominator for stability (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Normalize by the estimated variance of the gradient instead of its second moment (default false). */
  centered: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/**
 * Options given to {@link RMSprop}'s constructor.
 *
 * @example
 * ```ts
 * const options: RMSpropOptions = { lr: 1e-3, momentum: 0.9, centered: true };
 * ```
 */
export type RMSpropOptions = Partial<RMSpropDefaults>;

/**
 * RMSprop (PyTorch's `torch.optim.RMSprop`): `v ← αv + (1 − α)g²`, `θ ← θ − lr · g / (√v + ε)`;
 * `centered` subtracts the squared running mean of g from v, `momentum` accumulates the
 * normalized step in a buffer.
 *
 * @example
 * ```ts
 * import { tensor } from '@gd/autograd';
 * import { RMSprop } from '@gd/optim';
 *
 * const w = tensor([1.0, -2.0], { requiresGrad: true });
 * const opt = new RMSprop([w], { lr: 0.01, momentum: 0.9 });
 * opt.zeroGrad();
 * w.pow(2).sum().backward();
 * opt.step();
 * ```
 */
const DEFAULTS: RMSpropDefaults = {
  lr: 1e-2,
  alpha: 0.99,
  eps: 1e-8,
  weightDecay: 0,
  momentum: 0,
  centered: false,
  maximize: false,
};

export class RMSprop extends Optimizer<RMSpropDefaults> {
  constructor(
    params: Iterable<Tensor> | Iterable<ParamGroupInput<RMSpropDefaults>>,
    options: RMSpropOptions = {},
  ) {
    const defaults = resolveOptions('RMSprop', options, DEFAULTS);
    checkNonNegative(defaults, ['lr', 'eps', 'momentum', 'weightDecay', 'alpha']);
    super(params, defaults);
  }

  protected updateGroup(group: ParamGroup<RMSpropDefaults>): void {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    for (const p of group.params) {
      const g = p.borrowGrad();
      if (g === null) continue;
      const state = this.stateOf(p);
      if (state.step === undefined) {
        state.step = 0;
        state.squareAvg = zerosLike(p);
        if (momentum > 0) state.momentumBuffer = zerosLike(p);
        if (centered) state.gradAvg = zerosLike(p);
      }
      state.step = (state.step as number) + 1;

      let grad = maximize ? g.neg() : g;
      if (weightDecay !== 0) grad = grad.add(p, weightDecay);
      const squareAvg = state.squareAvg as Tensor;
      // addcmul_(grad, grad, value=1-alpha): self + value * grad * grad
      squareAvg.mul_(alpha).add_(grad.mul(1 - alpha).mul(grad));

      let avg: Tensor;
      if (centered) {
        state.gradAvg ??= zerosLike(p);
        const gradAvg = state.gradAvg as Tensor;
        gradAvg.mul_(alpha).add_(grad, 1 - alpha);
        avg = squareAvg.sub(gradAvg.mul(gradAvg)).sqrt_();
      } else {
        avg = squareAvg.sqrt();
      }
      avg.add_(eps);

      if (momentum > 0) {
        state.momentumBuffer ??= zerosLike(p);
        const buf = state.momentumBuffer as Tensor;
        buf.mul_(momentum).add_(grad.div(avg));
        p.add_(buf, -lr);
      } else {
        // addcdiv_(grad, avg, value=-lr): self + value * grad / avg
        p.add_(grad.mul(-lr).div(avg));
      }
    }
  }
}
