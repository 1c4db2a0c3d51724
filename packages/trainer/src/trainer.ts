/**
 * The training loop: epochs of forward, loss, backward, (clip), step, (schedule), with running
 * metrics, a NaN/Inf guard, validation after each epoch, callbacks at every stage, a stop
 * signal, and a state dict for checkpoints. It awaits the event loop now and then, so a Web
 * Worker's messages (a stop button) and a CLI's signals are handled while it trains.
 */
import type { Tensor } from '@gd/autograd';
import type { Module } from '@gd/nn';
import { F } from '@gd/nn';
import { clipGradNorm_ } from '@gd/nn/utils';
import type { AnyOptimizer } from '@gd/optim';
import { defaultGenerator, getBackend } from '@gd/tensor';
import { BatchMetrics } from './batch-metrics.js';
import type { EvalData } from './evaluate.js';
import { evaluate } from './evaluate.js';

/** An optimizer as the trainer uses it (any `@gd/optim` optimizer). */
export type TrainerOptimizer = Pick<
  AnyOptimizer,
  'zeroGrad' | 'step' | 'stateDict' | 'loadStateDict' | 'paramGroups'
>;

/** A learning-rate scheduler, stepped once per batch (any `@gd/optim` scheduler but plateau). */
export interface TrainerScheduler {
  /** Advances the schedule by one batch. */
  step(): void;
  /** The scheduler's state, for checkpoints. */
  stateDict(): Record<string, unknown>;
  /** Restores a state from {@link TrainerScheduler.stateDict}. */
  loadStateDict(state: Record<string, unknown>): void;
}

/** Batches of `[input, target]`; `length` is the number of batches of an epoch. */
export type TrainLoader = Iterable<readonly [Tensor, Tensor]> & {
  /** Batches per epoch. */
  readonly length: number;
};

/** Where training is after a batch, as {@link TrainerCallback.onBatchEnd} sees it. */
export interface BatchInfo {
  /** The epoch, from 1. */
  epoch: number;
  /** The batch of the epoch, from 1. */
  batch: number;
  /** Batches per epoch. */
  batches: number;
  /** Optimizer steps taken so far (all epochs). */
  step: number;
  /** Mean loss of the epoch so far, or null while reads are deferred (GPU backends). */
  loss: number | null;
  /**
   * Fraction of the epoch's samples so far predicted right (argmax), or null while reads are
   * deferred or with `accuracy: false`.
   */
  accuracy: number | null;
  /** The learning rate this batch's step used. */
  lr: number;
  /** Samples of the epoch whose loss has been read. */
  seen: number;
  /** Seconds since the epoch started. */
  seconds: number;
}

/** A point of the loss curve: the mean loss of the batches since the previous point. */
export interface TracePoint {
  /** Position in epochs (epoch - 1 + fraction of the epoch done). */
  x: number;
  /** Mean loss of the batches since the previous point. */
  loss: number;
}

/** One finished epoch's metrics. */
export interface EpochRecord {
  /** The epoch's number, from 1. */
  epoch: number;
  /** Optimizer steps taken by the end of the epoch, all epochs together. */
  step: number;
  /** Mean loss per training sample over the epoch. */
  trainLoss: number;
  /** NaN when the trainer was told `accuracy: false`. */
  trainAccuracy: number;
  /** Mean loss on the validation set, or null without one. */
  valLoss: number | null;
  /** Accuracy on the validation set (0 to 1), or null without one. */
  valAccuracy: number | null;
  /** The learning rate of the epoch's last step. */
  lr: number;
  /** Wall time of the epoch's training, validation excluded. */
  seconds: number;
  /** Training samples per second of the epoch. */
  imagesPerSecond: number;
}

/** What {@link Trainer.fit} returns. */
export interface FitResult {
  /** Every finished epoch (those of earlier fits and a restored state included). */
  history: EpochRecord[];
  /** The loss curve: `[x, loss]` pairs (see {@link TracePoint}). */
  lossTrace: [number, number][];
  /** Whether a stop (signal or {@link Trainer.stop}) ended the fit before its last epoch. */
  stopped: boolean;
  /** Epochs finished. */
  epoch: number;
  /** Optimizer steps taken. */
  step: number;
  /** Seconds spent training, all fits together (validation included). */
  seconds: number;
}

/** Everything but the weights that resuming a run needs (plain data and tensors). */
export interface TrainerState {
  /** Epochs finished. */
  epoch: number;
  /** Optimizer steps taken. */
  step: number;
  /** Every finished epoch's record. */
  history: EpochRecord[];
  /** The loss curve so far, `[x, loss]` pairs. */
  lossTrace: [number, number][];
  /** Seconds spent training, all fits together. */
  seconds: number;
  /** The optimizer's state dict. */
  optimizer: unknown;
  /** The scheduler's state dict, or null without a scheduler. */
  scheduler: Record<string, unknown> | null;
  /** The global random generator's state (shuffling, dropout, initialisation). */
  rng: Uint8Array;
}

/**
 * Hooks into a fit, PyTorch Lightning's `Callback` / Keras's `callbacks` in small. Each may
 * return a promise, which the loop awaits. Throwing stops training with that error.
 */
export interface TrainerCallback {
  /** When `fit` starts, before its first epoch (also after a restored state). */
  onFitStart?(trainer: Trainer): void | Promise<void>;
  /** Before an epoch's first batch; `epoch` counts from 1. */
  onEpochStart?(trainer: Trainer, epoch: number): void | Promise<void>;
  /** After each optimizer step. */
  onBatchEnd?(trainer: Trainer, info: BatchInfo): void | Promise<void>;
  /** At each point of the loss curve (every `traceEvery` batches). */
  onTrace?(trainer: Trainer, point: TracePoint): void | Promise<void>;
  /** After the epoch's validation; the trainer's state dict is the end-of-epoch checkpoint. */
  onEpochEnd?(trainer: Trainer, record: EpochRecord): void | Promise<void>;
  /** After the last epoch or a stop (not after an error). */
  onFitEnd?(trainer: Trainer, result: FitResult): void | Promise<void>;
}

/** Options of {@link Trainer}. */
export interface TrainerOptions {
  /** The module trained (put in train mode for each epoch). */
  model: Module;
  /** Steps the model's parameters after each batch's backward. */
  optimizer: TrainerOptimizer;
  /** Stepped once per batch, after the optimizer. */
  scheduler?: TrainerScheduler | null;
  /** The loss of a batch (default: cross-entropy, mean over the batch). */
  lossFn?: (output: Tensor, target: Tensor) => Tensor;
  /** Epochs to train, counting those already done (as a restored state says). */
  epochs: number;
  /** Clip the gradients' total 2-norm to this before each step (0: off, the default). */
  clipGradNorm?: number;
  /** Batches between loss trace points (default: a tenth of an epoch). */
  traceEvery?: number;
  /** Count correct argmax predictions (classification; default true). */
  accuracy?: boolean;
  /** Hooks called at each stage of a fit, in order (see {@link TrainerCallback}). */
  callbacks?: readonly TrainerCallback[];
}

/** Options of {@link Trainer.fit}. */
export interface FitOptions {
  /** Evaluated after every epoch (anything {@link evaluate} takes). */
  val?: EvalData | null;
  /** Aborting it stops training after the current batch. */
  signal?: AbortSignal;
}

/**
 * Thrown by {@link Trainer.fit} when the loss becomes NaN or infinite.
 *
 * @example
 * ```ts
 * try { await trainer.fit(loader); } catch (e) { if (e instanceof NonFiniteLossError) console.log(e.step); }
 * ```
 */
export class NonFiniteLossError extends Error {
  /** The class's name, which stack traces and `String(error)` show. */
  override readonly name = 'NonFiniteLossError';
  constructor(
    message: string,
    /** The step at which the loss was seen. */
    readonly step: number,
  ) {
    super(message);
  }
}

// Hand the event loop a turn this often, so messages and signals are handled mid-epoch.
const YIELD_EVERY_MS = 50;

const yieldToEventLoop: () => Promise<void> =
  typeof setImmediate === 'function'
    ? () => new Promise((resolve) => setImmediate(resolve))
    : typeof MessageChannel === 'function'
      ? () =>
          new Promise((resolve) => {
            // A message is not clamped to 4 ms as nested timeouts are in browsers.
            const channel = new MessageChannel();
            channel.port1.onmessage = () => {
              channel.port1.close();
              resolve();
            };
            channel.port2.postMessage(null);
          })
      : () => new Promise((resolve) => setTimeout(resolve, 0));

function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1)
    throw new TypeError(`Trainer: ${what} must be a positive integer, got ${String(value)}`);
  return value;
}

function checkOptions(options: TrainerOptions): void {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('Trainer: expected an options object { model, optimizer, epochs }');
  if (typeof options.model?.call !== 'function')
    throw new TypeError('Trainer: options.model must be a Module');
  if (typeof options.optimizer?.step !== 'function')
    throw new TypeError('Trainer: options.optimizer must be an optimizer from @gd/optim');
  positiveInteger(options.epochs, 'options.epochs');
  const clip = options.clipGradNorm ?? 0;
  if (typeof clip !== 'number' || !(clip >= 0) || !Number.isFinite(clip))
    throw new TypeError(
      `Trainer: options.clipGradNorm must be a finite number >= 0, got ${String(clip)}`,
    );
  if (options.traceEvery !== undefined) positiveInteger(options.traceEvery, 'options.traceEvery');
}

/**
 * Trains a model: one loop for the CLI, the browser studio and user scripts.
 *
 * @example
 * ```ts
 * const model = new nn.Linear(784, 10);
 * const trainer = new Trainer({ model, optimizer: new SGD(model.parameters(), { lr: 0.1 }), epochs: 2,
 *   callbacks: [{ onEpochEnd: (_, r) => console.log(r.epoch, r.trainLoss) }] });
 * const { history } = await trainer.fit(new DataLoader(train, { batchSize: 64, shuffle: true }), { val: test });
 * ```
 */
export class Trainer {
  /** The module trained. */
  readonly model: Module;
  /** The optimizer that steps the model's parameters. */
  readonly optimizer: TrainerOptimizer;
  /** Stepped once per batch after the optimizer, or null. */
  readonly scheduler: TrainerScheduler | null;
  /** Epochs to train in all (a restored state's included). */
  epochs: number;
  private readonly options: TrainerOptions;
  private readonly lossFn: (output: Tensor, target: Tensor) => Tensor;
  private epochsDone = 0;
  private steps = 0;
  private records: EpochRecord[] = [];
  private trace: [number, number][] = [];
  private secondsSpent = 0;
  private stopRequested = false;
  private running = false;
  private params: Tensor[] = [];

  constructor(options: TrainerOptions) {
    checkOptions(options);
    this.options = options;
    this.model = options.model;
    this.optimizer = options.optimizer;
    this.scheduler = options.scheduler ?? null;
    this.epochs = options.epochs;
    this.lossFn = options.lossFn ?? ((out, y) => F.crossEntropy(out, y));
  }

  /** Epochs finished. */
  get epoch(): number {
    return this.epochsDone;
  }

  /** Optimizer steps taken. */
  get step(): number {
    return this.steps;
  }

  /** The finished epochs' records. */
  get history(): readonly EpochRecord[] {
    return this.records;
  }

  /** The loss curve so far. */
  get lossTrace(): readonly (readonly [number, number])[] {
    return this.trace;
  }

  /** Seconds spent training, all fits together. */
  get seconds(): number {
    return this.secondsSpent;
  }

  /** Asks a running fit to stop after its current batch. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * The state to resume from (weights aside: save `model.stateDict()` with it).
   *
   * @example
   * ```ts
   * const checkpoint = { weights: model.stateDict(), trainer: trainer.stateDict() };
   * ```
   */
  stateDict(): TrainerState {
    return {
      epoch: this.epochsDone,
      step: this.steps,
      history: this.records.map((r) => ({ ...r })),
      lossTrace: this.trace.map(([x, y]) => [x, y]),
      seconds: this.secondsSpent,
      optimizer: this.optimizer.stateDict(),
      scheduler: this.scheduler ? this.scheduler.stateDict() : null,
      rng: defaultGenerator.getState(),
    };
  }

  /**
   * Restores a state from {@link Trainer.stateDict} (load the weights into the model too): the
   * next fit continues with the epoch after the saved one, as the uninterrupted run would.
   *
   * @example
   * ```ts
   * model.loadStateDict(checkpoint.weights);
   * trainer.loadStateDict(checkpoint.trainer);
   * await trainer.fit(loader);
   * ```
   */
  loadStateDict(state: TrainerState): void {
    if (this.running) throw new Error('Trainer.loadStateDict(): a fit is running');
    for (const key of ['epoch', 'step'] as const) {
      if (!Number.isSafeInteger(state[key]) || state[key] < 0)
        throw new TypeError(
          `Trainer.loadStateDict(): "${key}" must be an integer >= 0, got ${String(state[key])}`,
        );
    }
    if ((state.scheduler === null) !== (this.scheduler === null))
      throw new TypeError(
        `Trainer.loadStateDict(): the state ${state.scheduler === null ? 'has no' : 'has a'} scheduler state but the trainer ${this.scheduler === null ? 'has no' : 'has a'} scheduler`,
      );
    this.optimizer.loadStateDict(state.optimizer as Parameters<AnyOptimizer['loadStateDict']>[0]);
    if (this.scheduler && state.scheduler) this.scheduler.loadStateDict(state.scheduler);
    defaultGenerator.setState(state.rng);
    this.epochsDone = state.epoch;
    this.steps = state.step;
    this.records = state.history.slice(0, state.epoch).map((r) => ({ ...r }));
    this.trace = state.lossTrace.filter(([x]) => x <= state.epoch).map(([x, y]) => [x, y]);
    this.secondsSpent = state.seconds;
  }

  /**
   * Trains from the current epoch to `epochs`, calling the callbacks on the way. Resolves when
   * done or stopped; rejects with {@link NonFiniteLossError} when the loss stops being finite.
   * A stop mid-epoch leaves that epoch unrecorded (a later fit starts it again).
   *
   * @example
   * ```ts
   * const controller = new AbortController();
   * const result = await trainer.fit(loader, { val: valSet, signal: controller.signal });
   * result.history.at(-1)?.valAccuracy;
   * ```
   */
  async fit(loader: TrainLoader, options: FitOptions = {}): Promise<FitResult> {
    if (this.running) throw new Error('Trainer.fit(): this trainer is already fitting');
    if (typeof loader?.[Symbol.iterator] !== 'function' || !(loader.length >= 1))
      throw new TypeError(
        `Trainer.fit(): expected a loader of [input, target] batches with length >= 1 (a DataLoader), got ${loader === null || typeof loader !== 'object' ? String(loader) : `length ${String(loader.length)}`}`,
      );
    this.running = true;
    this.stopRequested = false;
    this.params = this.model.parameters();
    const onAbort = () => this.stop();
    options.signal?.addEventListener('abort', onAbort);
    if (options.signal?.aborted) this.stop();
    try {
      await this.emit('onFitStart');
      while (this.epochsDone < this.epochs && !this.stopRequested) {
        const record = await this.runEpoch(loader, options.val ?? null);
        if (record === null) break;
        await this.emit('onEpochEnd', record);
      }
      const result = this.result();
      await this.emit('onFitEnd', result);
      return result;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      this.running = false;
    }
  }

  private result(): FitResult {
    return {
      history: this.records.map((r) => ({ ...r })),
      lossTrace: this.trace.map(([x, y]) => [x, y]),
      stopped: this.epochsDone < this.epochs,
      epoch: this.epochsDone,
      step: this.steps,
      seconds: this.secondsSpent,
    };
  }

  private async emit<K extends keyof TrainerCallback>(
    hook: K,
    ...args: Parameters<NonNullable<TrainerCallback[K]>> extends [Trainer, ...infer R] ? R : never
  ): Promise<void> {
    for (const callback of this.options.callbacks ?? []) {
      const fn = callback[hook] as ((t: Trainer, ...a: unknown[]) => unknown) | undefined;
      if (fn) await fn.call(callback, this, ...args);
    }
  }

  private currentLr(): number {
    return this.optimizer.paramGroups[0]?.lr ?? NaN;
  }

  private nonFinite(what: string, epoch: number, batch: number, batches: number) {
    return new NonFiniteLossError(
      `the loss ${what} (epoch ${epoch}, batch ${batch}/${batches}); stopping.`,
      this.steps,
    );
  }

  /** One training step; returns the loss read now, or null when reads are deferred. */
  private trainStep(x: Tensor, y: Tensor, metrics: BatchMetrics): number | null {
    const output = this.model.call(x);
    const loss = this.lossFn(output, y);
    const value = metrics.addLoss(loss, y.shape[0] ?? 1);
    this.steps += 1;
    if (value !== null && !Number.isFinite(value)) return value;
    this.optimizer.zeroGrad();
    loss.backward();
    const clip = this.options.clipGradNorm ?? 0;
    if (clip > 0) clipGradNorm_(this.params, clip);
    this.optimizer.step();
    this.scheduler?.step();
    if (this.options.accuracy !== false) metrics.addCorrect(output, y);
    return value;
  }

  /** Trains one epoch; null when a stop came first. */
  private async runEpoch(loader: TrainLoader, val: EvalData | null): Promise<EpochRecord | null> {
    const epoch = this.epochsDone + 1;
    const batches = loader.length;
    const traceEvery = this.options.traceEvery ?? Math.max(1, Math.floor(batches / 10));
    await this.emit('onEpochStart', epoch);
    this.model.train();
    const t0 = performance.now();
    let lastYield = t0;
    const metrics = new BatchMetrics(getBackend().device === true);
    let batch = 0;
    let lr = this.currentLr();
    for (const [x, y] of loader) {
      batch += 1;
      lr = this.currentLr();
      const value = this.trainStep(x, y, metrics);
      if (value !== null && !Number.isFinite(value))
        throw this.nonFinite(`is ${value} at step ${this.steps}`, epoch, batch, batches);
      if (batch % traceEvery === 0 || batch === batches) {
        // Deferred reads (GPU): the guard sees the loss at trace points only.
        const mean = metrics.trace();
        if (!Number.isFinite(mean))
          throw this.nonFinite(`became ${mean} by step ${this.steps}`, epoch, batch, batches);
        const point = { x: epoch - 1 + batch / batches, loss: mean };
        this.trace.push([point.x, point.loss]);
        await this.emit('onTrace', point);
      }
      const seconds = (performance.now() - t0) / 1000;
      const { seen } = metrics;
      const loss = seen > 0 ? metrics.lossSum / seen : null;
      const accuracy = seen > 0 && this.options.accuracy !== false ? metrics.correct / seen : null;
      await this.emit('onBatchEnd', {
        epoch,
        batch,
        batches,
        step: this.steps,
        loss,
        accuracy,
        lr,
        seen,
        seconds,
      });
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
      if (this.stopRequested) {
        this.secondsSpent += (performance.now() - t0) / 1000;
        return null;
      }
    }
    return this.finishEpoch(epoch, metrics, lr, t0, val);
  }

  private finishEpoch(
    epoch: number,
    metrics: BatchMetrics,
    lr: number,
    t0: number,
    val: EvalData | null,
  ): EpochRecord {
    const seconds = (performance.now() - t0) / 1000;
    const v = val ? evaluate(this.model, val) : null;
    this.secondsSpent += (performance.now() - t0) / 1000;
    const record: EpochRecord = {
      epoch,
      step: this.steps,
      trainLoss: metrics.lossSum / metrics.seen,
      trainAccuracy: this.options.accuracy === false ? NaN : metrics.correct / metrics.seen,
      valLoss: v ? v.loss : null,
      valAccuracy: v ? v.accuracy : null,
      lr,
      seconds,
      imagesPerSecond: metrics.seen / seconds,
    };
    this.records.push(record);
    this.epochsDone = epoch;
    return record;
  }
}
