/**
 * @gd/optim — optimizers and learning-rate schedulers for @gd/autograd with PyTorch 1.13's
 * update rules, names (camelCased), defaults, error messages and state dicts: `SGD`, `Adam`,
 * `AdamW`, `RMSprop`, `Adagrad`. The learning-rate schedulers are their own entry point,
 * `@gd/optim/lr-scheduler` (PyTorch's `torch.optim.lr_scheduler`), so a page that does not
 * schedule does not load them.
 *
 * @example
 * ```ts
 * import { manualSeed, randn, zeros } from '@gd/autograd';
 * import { SGD } from '@gd/optim';
 * import { CosineAnnealingLR } from '@gd/optim/lr-scheduler';
 *
 * manualSeed(0);
 * const X = randn([100, 10]);
 * const y = randn([100, 1]);
 * const w = zeros([10, 1], { requiresGrad: true });
 * const opt = new SGD([w], { lr: 0.1, momentum: 0.9 });
 * const scheduler = new CosineAnnealingLR(opt, { tMax: 100 });
 * for (let step = 0; step < 100; step++) {
 *   opt.zeroGrad();
 *   X.matmul(w).sub(y).pow(2).mean().backward();
 *   opt.step();
 *   scheduler.step();
 * }
 * ```
 *
 * @packageDocumentation
 */
export { Optimizer, checkOptimizerOptions } from './optimizer.js';
export type { OptionKinds } from './optimizer.js';
export type {
  OptimizerStateDict,
  PackedParamGroup,
  ParamGroup,
  ParamGroupInput,
  ParamState,
  StateValue,
  ZeroGradOptions,
} from './optimizer.js';
export { SGD } from './sgd.js';
export type { SGDDefaults, SGDOptions } from './sgd.js';
export { Adam, AdamW } from './adam.js';
export type { AdamDefaults, AdamOptions } from './adam.js';
export { RMSprop } from './rmsprop.js';
export type { RMSpropDefaults, RMSpropOptions } from './rmsprop.js';
export { Adagrad } from './adagrad.js';
export type { AdagradDefaults, AdagradOptions } from './adagrad.js';
/** The type schedulers take an optimizer as; the schedulers are in `@gd/optim/lr-scheduler`. */
export type { AnyOptimizer } from './lr-scheduler.js';
