/**
 * Stochastic gradient descent with momentum, dampening, Nesterov momentum, weight decay and
 * maximize: PyTorch 1.13's `torch.optim.SGD` (the single-tensor update).
 */
import { sgdStep_ } from '@gd/tensor';
import { zerosLike } from '@gd/autograd';
import type { Tensor } from '@gd/autograd';
import { Optimizer, checkNonNegative, resolveOptions, validate } from './optimizer.js';
import type { ParamGroup, ParamGroupInput } from './optimizer.js';

/**
 * The options of {@link SGD}, as every parameter group holds them.
 *
 * @example
 * ```ts
 * const d: SGDDefaults = new SGD([w], { lr: 0.1 }).defaults;
 * d.momentum; // 0
 * ```
 */
export interface SGDDefaults {
  /** Learning rate (required: here or in every group). */
  lr: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Dampening of the momentum (default 0). */
  dampening: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/**
 * Options given to {@link SGD}'s constructor.
 *
 * @example
 * ```ts
 * const options: SGDOptions = { lr: 0.1, momentum: 0.9, nesterov: true };
 * ```
 */
export type SGDOptions = Partial<SGDDefaults>;

/**
 * Stochastic gradient descent (PyTorch's `torch.optim.SGD`). With momentum μ, dampening τ and
 * weight decay λ, for each parameter θ with gradient g:
 * `g ← g + λθ; b ← g (first step) or μb + (1 − τ)g; g ← g + μb (Nesterov) or b; θ ← θ − lr·g`.
 *
 * @example
 * ```ts
 * import { tensor } from '@gd/autograd';
 * import { SGD } from '@gd/optim';
 *
 * const w = tensor([1.0, -2.0], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
 * for (let i = 0; i < 10; i++) {
 *   opt.zeroGrad();
 *   w.pow(2).sum().backward();
 *   opt.step();
 * }
 * ```
 */
// An undefined lr makes it a required option of every group, as in PyTorch.
const DEFAULTS: SGDDefaults = {
  lr: undefined as unknown as number,
  momentum: 0,
  dampening: 0,
  weightDecay: 0,
  nesterov: false,
  maximize: false,
};

export class SGD extends Optimizer<SGDDefaults> {
  constructor(
    params: Iterable<Tensor> | Iterable<ParamGroupInput<SGDDefaults>>,
    options: SGDOptions = {},
  ) {
    const defaults = resolveOptions('SGD', options, DEFAULTS);
    checkNonNegative(defaults, ['lr', 'momentum', 'weightDecay']);
    const { momentum, dampening, nesterov } = defaults;
    validate(
      !(nesterov && (momentum <= 0 || dampening !== 0)),
      'Nesterov momentum requires a momentum and zero dampening',
    );
    super(params, defaults);
  }

  protected updateGroup(group: ParamGroup<SGDDefaults>): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    for (const p of group.params) {
      const grad = p.borrowGrad();
      if (grad === null) continue;
      if (this.fusedStep(p, grad, group)) continue;
      let dP = maximize ? grad.neg() : grad;
      if (weightDecay !== 0) dP = dP.add(p, weightDecay);
      if (momentum !== 0) {
        const state = this.stateOf(p);
        let buf = state.momentumBuffer as Tensor | undefined;
        if (buf === undefined) {
          buf = dP.clone();
          state.momentumBuffer = buf;
        } else {
          buf.mul_(momentum).add_(dP, 1 - dampening);
        }
        dP = nesterov ? dP.add(buf, momentum) : buf;
      }
      p.add_(dP, -lr);
    }
  }

  // The whole update as one kernel where the backend has it (the CPU backends): the same bits
  // as the elementwise ops below.
  private fusedStep(p: Tensor, grad: Tensor, group: ParamGroup<SGDDefaults>): boolean {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    const state = momentum !== 0 ? this.stateOf(p) : null;
    const existing = state?.momentumBuffer as Tensor | undefined;
    const buf = state ? (existing ?? zerosLike(p)) : null;
    const config = {
      lr,
      momentum,
      dampening,
      weightDecay,
      nesterov,
      maximize,
      firstStep: existing === undefined,
    };
    if (!sgdStep_(p.value, grad.value, buf?.value ?? null, config)) return false;
    if (state && buf && !existing) state.momentumBuffer = buf;
    return true;
  }
}
