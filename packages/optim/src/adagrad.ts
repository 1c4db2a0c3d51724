/**
 * Adagrad: PyTorch 1.13's `torch.optim.Adagrad` (the single-tensor dense update, with lr
 * decay, weight decay, an initial accumulator value and maximize).
 */
import { fullLike } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';
import { Optimizer, checkNonNegative, resolveOptions } from './optimizer.js';
import type { ParamGroup, ParamGroupInput } from './optimizer.js';

/**
 * The options of {@link Adagrad}, as every parameter group holds them.
 *
 * @example
 * ```ts
 * const d: AdagradDefaults = new Adagrad([w]).defaults;
 * d.eps; // 1e-10
 * ```
 */
export interface AdagradDefaults {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Learning-rate decay: step t uses `lr / (1 + (t − 1)·lrDecay)` (default 0). */
  lrDecay: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue: number;
  /** Added to the denominator for stability (default 1e-10). */
  eps: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/**
 * Options given to {@link Adagrad}'s constructor.
 *
 * @example
 * ```ts
 * const options: AdagradOptions = { lr: 0.1, lrDecay: 1e-3, initialAccumulatorValue: 0.1 };
 * ```
 */
export type AdagradOptions = Partial<AdagradDefaults>;

/**
 * Adagrad (PyTorch's `torch.optim.Adagrad`): `s ← s + g²`, `θ ← θ − clr · g / (√s + ε)` with
 * `clr = lr / (1 + (t − 1)·lrDecay)`. As in PyTorch, the state (`step`, `sum` filled with the
 * constructor's `initialAccumulatorValue`, which a group cannot override) exists from
 * construction, for every parameter.
 *
 * @example
 * ```ts
 * import { tensor } from '@gd/autograd';
 * import { Adagrad } from '@gd/optim';
 *
 * const w = tensor([1.0, -2.0], { requiresGrad: true });
 * const opt = new Adagrad([w], { lr: 0.1 });
 * opt.zeroGrad();
 * w.pow(2).sum().backward();
 * opt.step();
 * ```
 */
const DEFAULTS: AdagradDefaults = {
  lr: 1e-2,
  lrDecay: 0,
  weightDecay: 0,
  initialAccumulatorValue: 0,
  eps: 1e-10,
  maximize: false,
};

export class Adagrad extends Optimizer<AdagradDefaults> {
  constructor(
    params: Iterable<Tensor> | Iterable<ParamGroupInput<AdagradDefaults>>,
    options: AdagradOptions = {},
  ) {
    const defaults = resolveOptions('Adagrad', options, DEFAULTS);
    checkNonNegative(defaults, ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps']);
    super(params, defaults);
  }

  /**
   * Adds a parameter group and creates its parameters' state. As in PyTorch, `sum` starts at
   * the constructor's `initialAccumulatorValue` (a group's own value is ignored). PyTorch
   * creates the state in the constructor only; here groups added later get it too.
   *
   * @example
   * ```ts
   * const opt = new Adagrad([w], { initialAccumulatorValue: 0.1 });
   * opt.addParamGroup({ params: [b] });
   * opt.state.get(b)!.sum; // filled with 0.1
   * ```
   */
  override addParamGroup(group: ParamGroupInput<AdagradDefaults>): void {
    super.addParamGroup(group);
    const added = this.paramGroups[this.paramGroups.length - 1]!;
    for (const p of added.params) this.initState(p);
  }

  private initState(p: Tensor): void {
    const state = this.stateOf(p);
    state.step = 0;
    state.sum = fullLike(p, this.defaults.initialAccumulatorValue);
  }

  protected updateGroup(group: ParamGroup<AdagradDefaults>): void {
    const { lr, lrDecay, weightDecay, eps, maximize } = group;
    for (const p of group.params) {
      const g = p.borrowGrad();
      if (g === null) continue;
      const state = this.stateOf(p);
      if (state.sum === undefined) this.initState(p);
      const step = (state.step as number) + 1;
      state.step = step;
      let grad = maximize ? g.neg() : g;
      if (weightDecay !== 0) grad = grad.add(p, weightDecay);
      const clr = lr / (1 + (step - 1) * lrDecay);
      const sum = state.sum as Tensor;
      // addcmul_(grad, grad, value=1)
      sum.add_(grad.mul(grad));
      const std = sum.sqrt().add_(eps);
      // addcdiv_(grad, std, value=-clr): self + value * grad / std
      p.add_(grad.mul(-clr).div(std));
    }
  }
}
