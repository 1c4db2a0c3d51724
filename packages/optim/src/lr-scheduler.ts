/**
 * @gd/optim/lr-scheduler — learning-rate schedulers with PyTorch 1.13's semantics
 * (`torch.optim.lr_scheduler`): `LambdaLR`, `StepLR`, `MultiStepLR`, `ExponentialLR`,
 * `CosineAnnealingLR`, `LinearLR`, `OneCycleLR`, `SequentialLR`, `ReduceLROnPlateau`. They set
 * `lr` in the optimizer's parameter groups, remember each group's starting rate as
 * `initialLr`, and use PyTorch's chainable (recursive) forms so that sequences match. An entry
 * point of its own, as in PyTorch, so that a page without a scheduler does not load them.
 *
 * @example
 * ```ts
 * import { zeros } from '@gd/autograd';
 * import { SGD } from '@gd/optim';
 * import { StepLR } from '@gd/optim/lr-scheduler';
 *
 * const opt = new SGD([zeros(3, { requiresGrad: true })], { lr: 0.1 });
 * const scheduler = new StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * for (let epoch = 0; epoch < 60; epoch++) scheduler.step();
 * console.log(scheduler.getLastLr()); // [0.001] (up to rounding)
 * ```
 *
 * @packageDocumentation
 */
import { Tensor } from '@gd/autograd';
import type { OptionKinds, Optimizer } from './optimizer.js';
import { checkOptimizerOptions, copyValue } from './optimizer.js';

/**
 * Any optimizer, as schedulers see it.
 *
 * @example
 * ```ts
 * const opt: AnyOptimizer = new SGD([w], { lr: 0.1 });
 * ```
 */
export type AnyOptimizer = Optimizer<object>;

/**
 * A scheduler's state as a plain object (see {@link LRScheduler.stateDict}).
 *
 * @example
 * ```ts
 * const sd: SchedulerStateDict = scheduler.stateDict();
 * sd.lastEpoch; // 3
 * ```
 */
export type SchedulerStateDict = Record<string, unknown>;

function bisectRight(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < sorted[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function perGroup<T>(name: string, optimizer: AnyOptimizer, value: T | readonly T[]): T[] {
  if (Array.isArray(value)) {
    if (value.length !== optimizer.paramGroups.length) {
      throw new Error(
        `expected ${optimizer.paramGroups.length} values for ${name}, got ${value.length}`,
      );
    }
    return [...(value as readonly T[])];
  }
  return optimizer.paramGroups.map(() => value as T);
}

/**
 * Base class of the epoch-based schedulers (PyTorch's `_LRScheduler`). `step()` advances
 * `lastEpoch` and writes the new rates into the optimizer's groups. A subclass implements
 * {@link LRScheduler.getLr} (the chainable form, computed from the groups' current `lr`) and
 * optionally {@link LRScheduler.closedFormLr}; its constructor calls
 * {@link LRScheduler.initialStep} once its own fields are set.
 *
 * @example
 * ```ts
 * import { LRScheduler } from '@gd/optim/lr-scheduler';
 *
 * // halves the rate every epoch
 * class Halving extends LRScheduler {
 *   constructor(optimizer: AnyOptimizer) {
 *     super(optimizer);
 *     this.initialStep();
 *   }
 *   getLr(): number[] {
 *     return this.optimizer.paramGroups.map((g) => (this.lastEpoch === 0 ? g.lr : g.lr / 2));
 *   }
 * }
 * ```
 */
export abstract class LRScheduler {
  /** The optimizer whose groups' rates this scheduler sets. */
  readonly optimizer: AnyOptimizer;
  /** Each group's `initialLr`, when the scheduler was created. */
  baseLrs: number[];
  /** The index of the last epoch (step) taken; -1 before the initial step. */
  lastEpoch: number;
  /** How many times `step` ran (PyTorch's `_step_count`). */
  stepCount = 0;
  /** The rates the last step set (see {@link LRScheduler.getLastLr}). */
  lastLr: number[] = [];

  /**
   * @param optimizer - the optimizer to schedule.
   * @param lastEpoch - -1 for a new schedule (records every group's `lr` as `initialLr`);
   *   otherwise the epoch to resume from (the groups must already have `initialLr`).
   */
  constructor(optimizer: AnyOptimizer, lastEpoch = -1) {
    if (
      optimizer === null ||
      typeof optimizer !== 'object' ||
      !Array.isArray(optimizer.paramGroups)
    ) {
      throw new TypeError(`${typeof optimizer} is not an Optimizer`);
    }
    this.optimizer = optimizer;
    if (lastEpoch === -1) {
      for (const group of optimizer.paramGroups)
        if (group.initialLr === undefined) group.initialLr = group.lr;
    } else {
      optimizer.paramGroups.forEach((group, i) => {
        if (group.initialLr === undefined) {
          throw new Error(
            `param 'initialLr' is not specified in paramGroups[${i}] when resuming an optimizer`,
          );
        }
      });
    }
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr!);
    this.lastEpoch = lastEpoch;
  }

  /**
   * Resets the step count and takes the first step (to epoch `lastEpoch + 1`), as PyTorch's
   * constructor does. Subclass constructors call it last; {@link SequentialLR} calls it on its
   * first scheduler.
   *
   * @example
   * ```ts
   * scheduler.initialStep(); // stepCount 1, rates of epoch lastEpoch + 1
   * ```
   */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /**
   * The rates of epoch `lastEpoch` in the chainable form, from the groups' current `lr`.
   *
   * @example
   * ```ts
   * // only meaningful inside step(); read the rates with getLastLr()
   * ```
   */
  abstract getLr(): number[];

  /**
   * The rates of epoch `lastEpoch` in closed form, or null when the schedule has none; used by
   * `step(epoch)`.
   *
   * @example
   * ```ts
   * // StepLR: baseLr * gamma ** floor(lastEpoch / stepSize)
   * ```
   */
  closedFormLr(): number[] | null {
    return null;
  }

  /**
   * Advances the schedule by one epoch and sets the groups' `lr`. With `epoch` (deprecated in
   * PyTorch) it jumps to that epoch, using the closed form where the schedule has one.
   *
   * @example
   * ```ts
   * for (let epoch = 0; epoch < 100; epoch++) {
   *   train();        // calls optimizer.step()
   *   scheduler.step();
   * }
   * ```
   */
  step(epoch?: number): void {
    this.stepCount += 1;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch += 1;
      values = this.getLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr() ?? this.getLr();
    }
    this.optimizer.paramGroups.forEach((group, i) => {
      group.lr = values[i]!;
    });
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /**
   * The rates the last step set, one per group.
   *
   * @example
   * ```ts
   * scheduler.step();
   * console.log(scheduler.getLastLr()); // [0.09, 0.009]
   * ```
   */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Keys of this object that stateDict leaves out (besides the optimizer and functions). */
  protected unsavedKeys(): readonly string[] {
    return [];
  }

  /**
   * The scheduler's state (every field but the optimizer and functions) as a plain object.
   *
   * @example
   * ```ts
   * const saved = scheduler.stateDict();
   * scheduler2.loadStateDict(saved); // continues the same sequence
   * ```
   */
  stateDict(): SchedulerStateDict {
    const skip = new Set(['optimizer', ...this.unsavedKeys()]);
    const out: SchedulerStateDict = {};
    for (const [key, value] of Object.entries(this)) {
      if (skip.has(key) || typeof value === 'function') continue;
      out[key] = copyValue(value);
    }
    return out;
  }

  /**
   * Restores the state from {@link LRScheduler.stateDict} (values are copied).
   *
   * @example
   * ```ts
   * scheduler.loadStateDict(checkpoint.scheduler);
   * ```
   */
  loadStateDict(stateDict: SchedulerStateDict): void {
    const skip = new Set(['optimizer', ...this.unsavedKeys()]);
    const self = this as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(stateDict)) {
      if (skip.has(key)) continue;
      self[key] = copyValue(value);
    }
  }
}

/**
 * `lr = initialLr · lrLambda(epoch)` (PyTorch's `LambdaLR`); one function for all groups or one
 * per group. The functions are not part of the state dict.
 *
 * @example
 * ```ts
 * import { LambdaLR } from '@gd/optim/lr-scheduler';
 *
 * const warmup = new LambdaLR(opt, (epoch) => Math.min(1, (epoch + 1) / 10));
 * ```
 */
export class LambdaLR extends LRScheduler {
  /** The factor of each group, as a function of the epoch. */
  readonly lrLambdas: ((epoch: number) => number)[];

  constructor(
    optimizer: AnyOptimizer,
    lrLambda: ((epoch: number) => number) | readonly ((epoch: number) => number)[],
    lastEpoch = -1,
  ) {
    super(optimizer, lastEpoch);
    if (typeof lrLambda === 'function') {
      this.lrLambdas = optimizer.paramGroups.map(() => lrLambda);
    } else {
      if (lrLambda.length !== optimizer.paramGroups.length) {
        throw new Error(
          `Expected ${optimizer.paramGroups.length} lr_lambdas, but got ${lrLambda.length}`,
        );
      }
      this.lrLambdas = [...lrLambda];
    }
    this.initialStep();
  }

  protected override unsavedKeys(): readonly string[] {
    return ['lrLambdas'];
  }

  getLr(): number[] {
    return this.baseLrs.map((base, i) => base * this.lrLambdas[i]!(this.lastEpoch));
  }
}

const STEPLR_OPTIONS: OptionKinds = { stepSize: 'int!', gamma: 'number', lastEpoch: 'int' };

/**
 * Multiplies the rate by `gamma` every `stepSize` epochs (PyTorch's `StepLR`).
 *
 * @example
 * ```ts
 * import { StepLR } from '@gd/optim/lr-scheduler';
 *
 * const scheduler = new StepLR(opt, { stepSize: 30, gamma: 0.1 });
 * ```
 */
export class StepLR extends LRScheduler {
  /** Period of the decay, in epochs. */
  stepSize: number;
  /** Factor of each decay (default 0.1). */
  gamma: number;

  constructor(
    optimizer: AnyOptimizer,
    options: { stepSize: number; gamma?: number; lastEpoch?: number },
  ) {
    super(optimizer, checkOptimizerOptions('StepLR', options, STEPLR_OPTIONS).lastEpoch ?? -1);
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0)
      return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  override closedFormLr(): number[] {
    return this.baseLrs.map(
      (base) => base * this.gamma ** Math.floor(this.lastEpoch / this.stepSize),
    );
  }
}

const MULTISTEPLR_OPTIONS: OptionKinds = {
  milestones: 'numbers!',
  gamma: 'number',
  lastEpoch: 'int',
};

/**
 * Multiplies the rate by `gamma` at each milestone epoch (PyTorch's `MultiStepLR`; a
 * milestone listed twice decays twice).
 *
 * @example
 * ```ts
 * import { MultiStepLR } from '@gd/optim/lr-scheduler';
 *
 * const scheduler = new MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 });
 * ```
 */
export class MultiStepLR extends LRScheduler {
  /** The milestone epochs, sorted (with repeats). */
  milestones: number[];
  /** Factor of each decay (default 0.1). */
  gamma: number;

  constructor(
    optimizer: AnyOptimizer,
    options: { milestones: readonly number[]; gamma?: number; lastEpoch?: number },
  ) {
    super(
      optimizer,
      checkOptimizerOptions('MultiStepLR', options, MULTISTEPLR_OPTIONS).lastEpoch ?? -1,
    );
    this.milestones = [...options.milestones].sort((a, b) => a - b);
    this.gamma = options.gamma ?? 0.1;
    this.initialStep();
  }

  getLr(): number[] {
    const count = this.milestones.filter((m) => m === this.lastEpoch).length;
    const groups = this.optimizer.paramGroups;
    if (count === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma ** count);
  }

  override closedFormLr(): number[] {
    const n = bisectRight(this.milestones, this.lastEpoch);
    return this.baseLrs.map((base) => base * this.gamma ** n);
  }
}

const EXPONENTIALLR_OPTIONS: OptionKinds = { gamma: 'number!', lastEpoch: 'int' };

/**
 * Multiplies the rate by `gamma` every epoch (PyTorch's `ExponentialLR`).
 *
 * @example
 * ```ts
 * import { ExponentialLR } from '@gd/optim/lr-scheduler';
 *
 * const scheduler = new ExponentialLR(opt, { gamma: 0.95 });
 * ```
 */
export class ExponentialLR extends LRScheduler {
  /** Factor per epoch. */
  gamma: number;

  constructor(optimizer: AnyOptimizer, options: { gamma: number; lastEpoch?: number }) {
    super(
      optimizer,
      checkOptimizerOptions('ExponentialLR', options, EXPONENTIALLR_OPTIONS).lastEpoch ?? -1,
    );
    this.gamma = options.gamma;
    this.initialStep();
  }

  getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** this.lastEpoch);
  }
}

const COSINEANNEALINGLR_OPTIONS: OptionKinds = {
  tMax: 'number!',
  etaMin: 'number',
  lastEpoch: 'int',
};

/**
 * Cosine annealing from the initial rate to `etaMin` over `tMax` epochs (PyTorch's
 * `CosineAnnealingLR`, in its recursive form: the rate keeps following the cosine beyond
 * `tMax`, rising again, and changes made to `lr` from outside carry through).
 *
 * @example
 * ```ts
 * import { CosineAnnealingLR } from '@gd/optim/lr-scheduler';
 *
 * const scheduler = new CosineAnnealingLR(opt, { tMax: 100, etaMin: 1e-5 });
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half-period, in epochs. */
  tMax: number;
  /** The minimum rate (default 0). */
  etaMin: number;

  constructor(
    optimizer: AnyOptimizer,
    options: { tMax: number; etaMin?: number; lastEpoch?: number },
  ) {
    super(
      optimizer,
      checkOptimizerOptions('CosineAnnealingLR', options, COSINEANNEALINGLR_OPTIONS).lastEpoch ??
        -1,
    );
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
    this.initialStep();
  }

  getLr(): number[] {
    const { lastEpoch, tMax, etaMin } = this;
    const groups = this.optimizer.paramGroups;
    if (lastEpoch === 0) return groups.map((g) => g.lr);
    if (this.stepCount === 1 && lastEpoch > 0) {
      return this.baseLrs.map(
        (base) => etaMin + ((base - etaMin) * (1 + Math.cos((lastEpoch * Math.PI) / tMax))) / 2,
      );
    }
    if ((lastEpoch - 1 - tMax) % (2 * tMax) === 0) {
      return groups.map(
        (g, i) => g.lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2,
      );
    }
    return groups.map(
      (g) =>
        ((1 + Math.cos((Math.PI * lastEpoch) / tMax)) /
          (1 + Math.cos((Math.PI * (lastEpoch - 1)) / tMax))) *
          (g.lr - etaMin) +
        etaMin,
    );
  }

  override closedFormLr(): number[] {
    const { lastEpoch, tMax, etaMin } = this;
    return this.baseLrs.map(
      (base) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * lastEpoch) / tMax))) / 2,
    );
  }
}

/**
 * Scales the rate by a factor moving linearly from `startFactor` to `endFactor` over
 * `totalIters` epochs (PyTorch's `LinearLR`, e.g. a warmup).
 *
 * @example
 * ```ts
 * import { LinearLR } from '@gd/optim/lr-scheduler';
 *
 * const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * ```
 */
export class LinearLR extends LRScheduler {
  /** Factor of the first epoch (default 1/3). */
  startFactor: number;
  /** Factor from epoch `totalIters` on (default 1). */
  endFactor: number;
  /** Length of the ramp, in epochs (default 5). */
  totalIters: number;

  constructor(
    optimizer: AnyOptimizer,
    options: {
      startFactor?: number;
      endFactor?: number;
      totalIters?: number;
      lastEpoch?: number;
    } = {},
  ) {
    checkOptimizerOptions('LinearLR', options, {
      startFactor: 'number',
      endFactor: 'number',
      totalIters: 'int',
      lastEpoch: 'int',
    });
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5 } = options;
    if (startFactor > 1 || startFactor < 0) {
      throw new Error('Starting multiplicative factor expected to be between 0 and 1.');
    }
    if (endFactor > 1 || endFactor < 0) {
      throw new Error('Ending multiplicative factor expected to be between 0 and 1.');
    }
    super(optimizer, options.lastEpoch ?? -1);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  getLr(): number[] {
    const { lastEpoch, startFactor, endFactor, totalIters } = this;
    const groups = this.optimizer.paramGroups;
    if (lastEpoch === 0) return groups.map((g) => g.lr * startFactor);
    if (lastEpoch > totalIters) return groups.map((g) => g.lr);
    return groups.map(
      (g) =>
        g.lr *
        (1 +
          (endFactor - startFactor) /
            (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor))),
    );
  }

  override closedFormLr(): number[] {
    const { lastEpoch, startFactor, endFactor, totalIters } = this;
    return this.baseLrs.map(
      (base) =>
        base *
        (startFactor + ((endFactor - startFactor) * Math.min(totalIters, lastEpoch)) / totalIters),
    );
  }
}

const ONE_CYCLE_OPTIONS: OptionKinds = {
  maxLr: 'numeric!',
  totalSteps: 'int',
  epochs: 'int',
  stepsPerEpoch: 'int',
  pctStart: 'number',
  annealStrategy: 'string',
  cycleMomentum: 'boolean',
  baseMomentum: 'numeric',
  maxMomentum: 'numeric',
  divFactor: 'number',
  finalDivFactor: 'number',
  threePhase: 'boolean',
  lastEpoch: 'int',
};

/**
 * Options of {@link OneCycleLR}. Give `totalSteps`, or `epochs` and `stepsPerEpoch`.
 *
 * @example
 * ```ts
 * const options: OneCycleLROptions = { maxLr: 0.1, totalSteps: 1000, pctStart: 0.25 };
 * ```
 */
export interface OneCycleLROptions {
  /** Peak rate, for all groups or per group. */
  maxLr: number | readonly number[];
  /** Total number of steps in the cycle. */
  totalSteps?: number;
  /** Number of epochs (with `stepsPerEpoch`, when `totalSteps` is not given). */
  epochs?: number;
  /** Steps per epoch (with `epochs`). */
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent increasing the rate (default 0.3). */
  pctStart?: number;
  /** 'cos' (default) or 'linear' annealing. */
  annealStrategy?: 'cos' | 'linear';
  /** Cycle SGD's `momentum` / Adam's `betas[0]` inversely to the rate (default true). */
  cycleMomentum?: boolean;
  /** Lowest momentum, reached at the peak rate (default 0.85). */
  baseMomentum?: number | readonly number[];
  /** Highest momentum (default 0.95). */
  maxMomentum?: number | readonly number[];
  /** `initialLr = maxLr / divFactor` (default 25). */
  divFactor?: number;
  /** `minLr = initialLr / finalDivFactor` (default 1e4). */
  finalDivFactor?: number;
  /** Three phases (up, down to initialLr, then down to minLr) instead of two (default false). */
  threePhase?: boolean;
  /** Epoch to resume from (default -1: a new schedule). */
  lastEpoch?: number;
}

interface Phase {
  endStep: number;
  startLr: string;
  endLr: string;
  startMomentum: string;
  endMomentum: string;
}

/**
 * The 1cycle policy (PyTorch's `OneCycleLR`): the rate rises from `maxLr / divFactor` to
 * `maxLr` during the first `pctStart` of the steps, then anneals to
 * `initialLr / finalDivFactor`; momentum (SGD's `momentum` or Adam's `betas[0]`) moves the
 * other way between `maxMomentum` and `baseMomentum`. Step it after every batch.
 *
 * @example
 * ```ts
 * import { SGD } from '@gd/optim';
 * import { OneCycleLR } from '@gd/optim/lr-scheduler';
 *
 * const opt = new SGD(params, { lr: 0.1, momentum: 0.9 });
 * const scheduler = new OneCycleLR(opt, { maxLr: 0.1, epochs: 10, stepsPerEpoch: 100 });
 * ```
 */
export class OneCycleLR extends LRScheduler {
  /** The number of steps of the cycle. */
  totalSteps: number;
  /** 'cos' or 'linear'. */
  annealStrategy: 'cos' | 'linear';
  /** Whether momentum cycles. */
  cycleMomentum: boolean;
  /** Whether the optimizer's momentum is `betas[0]` (Adam-like) rather than `momentum`. */
  useBeta1: boolean;
  private readonly phases: Phase[];

  constructor(optimizer: AnyOptimizer, options: OneCycleLROptions) {
    checkOptimizerOptions('OneCycleLR', options, ONE_CYCLE_OPTIONS);
    const { totalSteps, epochs, stepsPerEpoch, pctStart = 0.3, annealStrategy = 'cos' } = options;
    const { cycleMomentum = true, baseMomentum = 0.85, maxMomentum = 0.95 } = options;
    const { divFactor = 25, finalDivFactor = 1e4, threePhase = false, lastEpoch = -1 } = options;
    let total: number;
    if (totalSteps === undefined && epochs === undefined && stepsPerEpoch === undefined) {
      throw new Error('You must define either total_steps OR (epochs AND steps_per_epoch)');
    } else if (totalSteps !== undefined) {
      if (totalSteps <= 0 || !Number.isInteger(totalSteps)) {
        throw new Error(`Expected positive integer total_steps, but got ${totalSteps}`);
      }
      total = totalSteps;
    } else {
      if (epochs === undefined || epochs <= 0 || !Number.isInteger(epochs)) {
        throw new Error(`Expected positive integer epochs, but got ${epochs}`);
      }
      if (stepsPerEpoch === undefined || stepsPerEpoch <= 0 || !Number.isInteger(stepsPerEpoch)) {
        throw new Error(`Expected positive integer steps_per_epoch, but got ${stepsPerEpoch}`);
      }
      total = epochs * stepsPerEpoch;
    }
    if (pctStart < 0 || pctStart > 1) {
      throw new Error(`Expected float between 0 and 1 pct_start, but got ${pctStart}`);
    }
    if (annealStrategy !== 'cos' && annealStrategy !== 'linear') {
      throw new Error(
        `anneal_strategy must by one of 'cos' or 'linear', instead got ${String(annealStrategy)}`,
      );
    }
    const maxLrs = perGroup('max_lr', optimizer, options.maxLr);
    if (lastEpoch === -1) {
      optimizer.paramGroups.forEach((group, i) => {
        group.initialLr = maxLrs[i]! / divFactor;
        group.maxLr = maxLrs[i]!;
        group.minLr = group.initialLr / finalDivFactor;
      });
    }
    let useBeta1 = false;
    if (cycleMomentum) {
      if (!('momentum' in optimizer.defaults) && !('betas' in optimizer.defaults)) {
        throw new Error('optimizer must support momentum with `cycle_momentum` option enabled');
      }
      useBeta1 = 'betas' in optimizer.defaults;
      const maxMomentums = perGroup('max_momentum', optimizer, maxMomentum);
      const baseMomentums = perGroup('base_momentum', optimizer, baseMomentum);
      if (lastEpoch === -1) {
        optimizer.paramGroups.forEach((group, i) => {
          if (useBeta1) group.betas = [maxMomentums[i]!, ...(group.betas as number[]).slice(1)];
          else group.momentum = maxMomentums[i]!;
          group.maxMomentum = maxMomentums[i]!;
          group.baseMomentum = baseMomentums[i]!;
        });
      }
    }
    super(optimizer, lastEpoch);
    this.totalSteps = total;
    this.annealStrategy = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this.phases = threePhase
      ? [
          {
            endStep: pctStart * total - 1,
            startLr: 'initialLr',
            endLr: 'maxLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'baseMomentum',
          },
          {
            endStep: 2 * pctStart * total - 2,
            startLr: 'maxLr',
            endLr: 'initialLr',
            startMomentum: 'baseMomentum',
            endMomentum: 'maxMomentum',
          },
          {
            endStep: total - 1,
            startLr: 'initialLr',
            endLr: 'minLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'maxMomentum',
          },
        ]
      : [
          {
            endStep: pctStart * total - 1,
            startLr: 'initialLr',
            endLr: 'maxLr',
            startMomentum: 'maxMomentum',
            endMomentum: 'baseMomentum',
          },
          {
            endStep: total - 1,
            startLr: 'maxLr',
            endLr: 'minLr',
            startMomentum: 'baseMomentum',
            endMomentum: 'maxMomentum',
          },
        ];
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'cos')
      return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
    return (end - start) * pct + start;
  }

  getLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new Error(
        `Tried to step ${stepNum + 1} times. The specified number of total steps is ${this.totalSteps}`,
      );
    }
    return this.optimizer.paramGroups.map((group) => {
      const g = group as unknown as Record<string, number>;
      let startStep = 0;
      let lr = 0;
      let momentum = 0;
      for (let i = 0; i < this.phases.length; i++) {
        const phase = this.phases[i]!;
        if (stepNum <= phase.endStep || i === this.phases.length - 1) {
          const pct = (stepNum - startStep) / (phase.endStep - startStep);
          lr = this.anneal(g[phase.startLr]!, g[phase.endLr]!, pct);
          if (this.cycleMomentum)
            momentum = this.anneal(g[phase.startMomentum]!, g[phase.endMomentum]!, pct);
          break;
        }
        startStep = phase.endStep;
      }
      if (this.cycleMomentum) {
        if (this.useBeta1) group.betas = [momentum, ...(group.betas as number[]).slice(1)];
        else group.momentum = momentum;
      }
      return lr;
    });
  }
}

/**
 * Runs schedulers one after another (PyTorch's `SequentialLR`): `schedulers[i]` drives the
 * epochs from `milestones[i - 1]` on, starting there from epoch 0 of its closed form — e.g.
 * a LinearLR warmup followed by CosineAnnealingLR.
 *
 * @example
 * ```ts
 * import { CosineAnnealingLR, LinearLR, SequentialLR } from '@gd/optim/lr-scheduler';
 *
 * const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * const cosine = new CosineAnnealingLR(opt, { tMax: 95 });
 * const scheduler = new SequentialLR(opt, [warmup, cosine], [5]);
 * ```
 */
export class SequentialLR extends LRScheduler {
  /** The schedulers, in order. */
  readonly schedulers: LRScheduler[];
  /** The epochs at which the next scheduler takes over. */
  milestones: number[];

  constructor(
    optimizer: AnyOptimizer,
    schedulers: readonly LRScheduler[],
    milestones: readonly number[],
    lastEpoch = -1,
  ) {
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) {
        throw new Error(
          `Sequential Schedulers expects all schedulers to belong to the same optimizer, but got schedulers at index ${i} to be different than the optimizer passed in.`,
        );
      }
    });
    if (milestones.length !== schedulers.length - 1) {
      throw new Error(
        `Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${schedulers.length} and the number of milestones to be equal to ${milestones.length}`,
      );
    }
    super(optimizer, -1);
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];
    this.lastEpoch = lastEpoch + 1;
    for (const group of optimizer.paramGroups) group.lr = group.initialLr!;
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0]!.initialStep();
    this.lastLr = this.schedulers[0]!.getLastLr();
  }

  getLr(): number[] {
    return this.getLastLr();
  }

  override step(): void {
    this.lastEpoch += 1;
    const idx = bisectRight(this.milestones, this.lastEpoch);
    const scheduler = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) scheduler.step(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }

  protected override unsavedKeys(): readonly string[] {
    return ['schedulers'];
  }

  /**
   * The state, with the wrapped schedulers' states under `schedulers`.
   *
   * @example
   * ```ts
   * const saved = sequential.stateDict();
   * (saved.schedulers as SchedulerStateDict[]).length; // 2
   * ```
   */
  override stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /**
   * Restores the state, including the wrapped schedulers'.
   *
   * @example
   * ```ts
   * sequential.loadStateDict(saved);
   * ```
   */
  override loadStateDict(stateDict: SchedulerStateDict): void {
    super.loadStateDict(stateDict);
    const nested = stateDict.schedulers;
    if (Array.isArray(nested)) {
      nested.forEach((s: SchedulerStateDict, i) => this.schedulers[i]?.loadStateDict(s));
    }
  }
}

/**
 * Options of {@link ReduceLROnPlateau}.
 *
 * @example
 * ```ts
 * const options: ReduceLROnPlateauOptions = { mode: 'max', factor: 0.5, patience: 3 };
 * ```
 */
export interface ReduceLROnPlateauOptions {
  /** 'min' (default): reduce when the metric stops decreasing; 'max': when it stops increasing. */
  mode?: 'min' | 'max';
  /** `newLr = lr · factor` (default 0.1; must be < 1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** How much better than the best a metric must be to count as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel' (default): relative to the best; 'abs': absolute. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
  cooldown?: number;
  /** Lower bound of the rate, for all groups or per group (default 0). */
  minLr?: number | readonly number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

/**
 * Reduces the rate when a metric stops improving (PyTorch's `ReduceLROnPlateau`): after more
 * than `patience` epochs without improvement, `lr ← max(lr · factor, minLr)`. Call
 * `step(metric)` once per epoch with e.g. the validation loss.
 *
 * @example
 * ```ts
 * import { ReduceLROnPlateau } from '@gd/optim/lr-scheduler';
 *
 * const scheduler = new ReduceLROnPlateau(opt, { mode: 'min', factor: 0.5, patience: 2 });
 * for (let epoch = 0; epoch < 50; epoch++) {
 *   train();
 *   scheduler.step(validationLoss());
 * }
 * ```
 */
export class ReduceLROnPlateau {
  /** The optimizer whose groups' rates this scheduler reduces. */
  readonly optimizer: AnyOptimizer;
  /** `min`: a falling metric is progress (a loss); `max`: a rising one is (an accuracy). */
  mode: 'min' | 'max';
  /** Each reduction multiplies the rate by this (below 1). */
  factor: number;
  /** Epochs without progress tolerated before the rate is reduced. */
  patience: number;
  /** How much better than the best a metric must be to count as progress. */
  threshold: number;
  /** `rel`: better by threshold·best; `abs`: better by threshold. */
  thresholdMode: 'rel' | 'abs';
  /** Epochs after a reduction during which no progress is needed. */
  cooldown: number;
  /** Epochs left in the current cooldown. */
  cooldownCounter = 0;
  /** Lower bound of each group's rate. */
  minLrs: number[];
  /** A reduction smaller than this is skipped. */
  eps: number;
  /** The best metric seen (±Infinity before the first step). */
  best: number;
  /** Consecutive epochs without improvement. */
  numBadEpochs = 0;
  /** Number of `step` calls. */
  lastEpoch = 0;
  /** The rates after the last step. */
  lastLr: number[];

  constructor(optimizer: AnyOptimizer, options: ReduceLROnPlateauOptions = {}) {
    const {
      mode = 'min',
      factor = 0.1,
      patience = 10,
      threshold = 1e-4,
      thresholdMode = 'rel',
    } = options;
    const { cooldown = 0, minLr = 0, eps = 1e-8 } = options;
    if (factor >= 1) throw new Error('Factor should be < 1.0.');
    if (
      optimizer === null ||
      typeof optimizer !== 'object' ||
      !Array.isArray(optimizer.paramGroups)
    ) {
      throw new TypeError(`${typeof optimizer} is not an Optimizer`);
    }
    this.optimizer = optimizer;
    if (Array.isArray(minLr)) {
      if (minLr.length !== optimizer.paramGroups.length) {
        throw new Error(`expected ${optimizer.paramGroups.length} min_lrs, got ${minLr.length}`);
      }
      this.minLrs = [...(minLr as readonly number[])];
    } else {
      this.minLrs = optimizer.paramGroups.map(() => minLr as number);
    }
    this.factor = factor;
    this.patience = patience;
    this.cooldown = cooldown;
    this.eps = eps;
    this.mode = mode;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    ReduceLROnPlateau.checkModes(mode, thresholdMode);
    this.best = this.modeWorse();
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  private static checkModes(mode: string, thresholdMode: string): void {
    if (mode !== 'min' && mode !== 'max') throw new Error(`mode ${mode} is unknown!`);
    if (thresholdMode !== 'rel' && thresholdMode !== 'abs') {
      throw new Error(`threshold mode ${thresholdMode} is unknown!`);
    }
  }

  private modeWorse(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  /** Whether the scheduler is cooling down after a reduction. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /**
   * Whether metric `a` improves on `best` under the mode and threshold.
   *
   * @example
   * ```ts
   * new ReduceLROnPlateau(opt).isBetter(0.5, 1); // true
   * ```
   */
  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min' && this.thresholdMode === 'rel') return a < best * (1 - this.threshold);
    if (this.mode === 'min') return a < best - this.threshold;
    if (this.thresholdMode === 'rel') return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  /**
   * Records one epoch's metric (a number or a one-element tensor) and reduces the rates when
   * it has not improved for more than `patience` epochs.
   *
   * @example
   * ```ts
   * scheduler.step(valLoss);
   * ```
   */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? metric.item() : Number(metric);
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((group, i) => {
      const oldLr = group.lr;
      const newLr = Math.max(oldLr * this.factor, this.minLrs[i]!);
      if (oldLr - newLr > this.eps) group.lr = newLr;
    });
  }

  /**
   * The rates after the last step, one per group.
   *
   * @example
   * ```ts
   * scheduler.step(1.0);
   * scheduler.getLastLr(); // [0.1]
   * ```
   */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * The scheduler's state as a plain object (everything but the optimizer).
   *
   * @example
   * ```ts
   * const saved = scheduler.stateDict();
   * ```
   */
  stateDict(): SchedulerStateDict {
    const out: SchedulerStateDict = {};
    for (const [key, value] of Object.entries(this))
      if (key !== 'optimizer') out[key] = copyValue(value);
    return out;
  }

  /**
   * Restores the state from {@link ReduceLROnPlateau.stateDict}.
   *
   * @example
   * ```ts
   * scheduler.loadStateDict(saved);
   * ```
   */
  loadStateDict(stateDict: SchedulerStateDict): void {
    const self = this as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(stateDict))
      if (key !== 'optimizer') self[key] = copyValue(value);
    ReduceLROnPlateau.checkModes(this.mode, this.thresholdMode);
  }
}
