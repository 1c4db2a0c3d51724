/**
 * @gd/optim — optimizers and learning-rate schedulers for @gd/autograd with PyTorch 1.13's
 * update rules, names (camelCased), defaults, error messages and state dicts: `SGD`, `Adam`,
 * `AdamW`, `RMSprop`, `Adagrad`, and `LambdaLR`, `StepLR`, `MultiStepLR`, `ExponentialLR`,
 * `CosineAnnealingLR`, `LinearLR`, `OneCycleLR`, `SequentialLR`, `ReduceLROnPlateau`.
 *
 * @example
 * ```ts
 * import { manualSeed, randn, zeros } from '@gd/autograd';
 * import { CosineAnnealingLR, SGD } from '@gd/optim';
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
export {
  CosineAnnealingLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  LRScheduler,
  MultiStepLR,
  OneCycleLR,
  ReduceLROnPlateau,
  SequentialLR,
  StepLR,
} from './lr-scheduler.js';
export type {
  AnyOptimizer,
  OneCycleLROptions,
  ReduceLROnPlateauOptions,
  SchedulerStateDict,
} from './lr-scheduler.js';
