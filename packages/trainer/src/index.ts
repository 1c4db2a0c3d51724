/**
 * @gd/trainer — one training loop for gd models, in Node and in browsers: `Trainer.fit` with
 * callbacks (progress, metrics, figures, checkpoints), a NaN/Inf guard, validation, a stop
 * signal and a state dict to resume from; `evaluate` for a classifier's loss, accuracy and
 * confusion matrix.
 *
 * @example
 * ```ts
 * import { Trainer, evaluate } from '@gd/trainer';
 * const trainer = new Trainer({ model, optimizer, epochs: 3 });
 * await trainer.fit(trainLoader, { val: valSet });
 * evaluate(model, testSet).accuracy;
 * ```
 *
 * @packageDocumentation
 */
export { NonFiniteLossError, Trainer } from './trainer.js';
export type {
  BatchInfo,
  EpochRecord,
  FitOptions,
  FitResult,
  TracePoint,
  TrainLoader,
  TrainerCallback,
  TrainerOptimizer,
  TrainerOptions,
  TrainerScheduler,
  TrainerState,
} from './trainer.js';
export { evaluate } from './evaluate.js';
export type { EvalData, EvaluateOptions, Evaluation } from './evaluate.js';
