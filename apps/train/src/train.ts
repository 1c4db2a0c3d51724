/**
 * The training run behind `gd-train mnist`: data, model, optimizer and schedule from a
 * {@link TrainConfig}; the epoch loop with progress, NaN/Inf checks, validation, per-epoch
 * atomic checkpoints and metrics; then the test evaluation, final weights, ONNX export and
 * figures. `--resume` restores weights, optimizer, schedule, random generator and position, so
 * the run ends with the same weights as an uninterrupted one.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Tensor } from '@gd/autograd';
import { manualSeed } from '@gd/autograd';
import { DataLoader } from '@gd/datasets';
import type { Module } from '@gd/nn';
import { CrossEntropyLoss, save, utils } from '@gd/nn';
import type { AnyOptimizer } from '@gd/optim';
import { Adam, AdamW, CosineAnnealingLR, OneCycleLR, SGD } from '@gd/optim';
import { defaultGenerator, getBackend } from '@gd/tensor';
import { BatchMetrics } from './batch-metrics.js';
import type { EpochRecord, TrainingState } from './checkpoint.js';
import {
  FILES,
  loadTrainingState,
  loadWeights,
  saveCheckpoint,
  weightsMetadata,
  writeFileAtomic,
} from './checkpoint.js';
import type { ProgressMode, TrainConfig } from './config.js';
import { FLAG_OF, UsageError } from './config.js';
import type { DigitSplit } from './data.js';
import { loadSplit, splitTrainVal } from './data.js';
import type { Evaluation } from './evaluate.js';
import { evaluate, percent } from './evaluate.js';
import { modelToOnnx, onnxMetadata, writeOnnxFile } from './export.js';
import { writeRunFigures } from './figures.js';
import { writeMetrics } from './metrics.js';
import { createModel } from './models.js';
import { createProgress, formatCount, formatDuration } from './progress.js';

/** Where a run writes what it says. */
export interface Output {
  /** A line of normal output (stdout). */
  log(line: string): void;
  /** The stream progress bars draw on. */
  stream: NodeJS.WriteStream;
}

/** Options of {@link trainMnist} besides the config. */
export interface RunOptions {
  out: string;
  dataDir?: string | undefined;
  resume: boolean;
  /** Config keys the user set explicitly (compared with the checkpoint's on resume). */
  explicit?: ReadonlySet<keyof TrainConfig>;
  progress: ProgressMode;
  figures: boolean;
  onnx: boolean;
  /** A label for figure titles (default: the model name). */
  title?: string;
  /** Stop (as if interrupted) once this many epochs are done (testing --resume). */
  stopAfter?: number | undefined;
}

/** What a finished run reports. */
export interface RunResult {
  dir: string;
  config: TrainConfig;
  parameters: number;
  history: EpochRecord[];
  test: Evaluation;
  /** Seconds of training (all sessions of a resumed run). */
  trainSeconds: number;
  files: string[];
}

/**
 * Thrown when the loss becomes NaN or infinite; the CLI exits with code 3.
 *
 * @example
 * ```ts
 * throw new NonFiniteLossError('the loss is NaN at step 12', 12);
 * ```
 */
export class NonFiniteLossError extends Error {
  override readonly name = 'NonFiniteLossError';
  constructor(
    message: string,
    readonly step: number,
  ) {
    super(message);
  }
}

/**
 * The optimizer of a config.
 *
 * @example
 * ```ts
 * const optimizer = createOptimizer(config, model.parameters());
 * ```
 */
export function createOptimizer(config: TrainConfig, params: Tensor[]): AnyOptimizer {
  const { lr, weightDecay } = config;
  switch (config.optimizer) {
    case 'sgd':
      return new SGD(params, { lr, weightDecay }) as unknown as AnyOptimizer;
    case 'momentum':
      return new SGD(params, {
        lr,
        momentum: config.momentum,
        weightDecay,
      }) as unknown as AnyOptimizer;
    case 'adam':
      return new Adam(params, { lr, weightDecay }) as unknown as AnyOptimizer;
    case 'adamw':
      return new AdamW(params, { lr, weightDecay }) as unknown as AnyOptimizer;
  }
}

/**
 * The per-batch learning-rate scheduler of a config (null for `none`).
 *
 * @example
 * ```ts
 * const scheduler = createScheduler(config, optimizer, config.epochs * loader.length); // null for 'none'
 * ```
 */
export function createScheduler(
  config: TrainConfig,
  optimizer: AnyOptimizer,
  totalSteps: number,
): CosineAnnealingLR | OneCycleLR | null {
  switch (config.schedule) {
    case 'none':
      return null;
    case 'cosine':
      return new CosineAnnealingLR(optimizer, { tMax: totalSteps });
    case 'onecycle':
      return new OneCycleLR(optimizer, {
        maxLr: config.lr,
        totalSteps,
        // plain SGD has no momentum to cycle
        cycleMomentum: config.optimizer !== 'sgd',
      });
  }
}

function currentLr(optimizer: AnyOptimizer): number {
  return optimizer.paramGroups[0]!.lr;
}

function loaderOf(dataset: DigitSplit['dataset'], batchSize: number, shuffle: boolean) {
  return new DataLoader(dataset, { batchSize, shuffle }) as unknown as Iterable<
    [Tensor, Tensor]
  > & {
    length: number;
  };
}

/** The settings of a checkpoint that the user asked to change (other than --epochs). */
function conflicts(
  saved: TrainConfig,
  asked: TrainConfig,
  explicit: ReadonlySet<keyof TrainConfig>,
) {
  const out: string[] = [];
  for (const key of explicit) {
    if (key === 'epochs') continue;
    if (saved[key] !== asked[key])
      out.push(`${FLAG_OF[key]} ${String(asked[key])} (the run used ${String(saved[key])})`);
  }
  return out;
}

function fmtLoss(x: number | null): string {
  return x === null ? '-' : x.toFixed(4);
}

/**
 * Trains a model on MNIST as `config` says, writing everything into `options.out`. Returns null
 * when `stopAfter` ended the run early.
 *
 * @example
 * ```ts
 * const result = await trainMnist(resolveConfig({ ...DEFAULTS, epochs: 1 }), {
 *   out: 'outputs/train/simple', resume: false, progress: 'auto', figures: true, onnx: true,
 * }, { log: console.log, stream: process.stdout });
 * result.test.accuracy; // ~0.95
 * ```
 */
export async function trainMnist(
  requested: TrainConfig,
  options: RunOptions,
  output: Output,
): Promise<RunResult | null> {
  const dir = resolve(options.out);
  const log = output.log;
  const ckptPath = join(dir, FILES.checkpoint);
  const shown = (p: string) => {
    const r = relative(process.cwd(), p);
    return r && !r.startsWith('..') ? r : p;
  };

  // ---- resume: read the checkpoint first (so a bad one fails before any data is read) -------
  let config = requested;
  let resumed: { state: TrainingState; weights: Record<string, Tensor> } | null = null;
  if (options.resume) {
    if (!existsSync(ckptPath) || !existsSync(join(dir, FILES.state))) {
      throw new UsageError(
        `--resume: no checkpoint in ${dir} (expected ${FILES.checkpoint} and ${FILES.state}); start the run without --resume`,
      );
    }
    const loaded = loadWeights(ckptPath);
    const state = loadTrainingState(dir, loaded.epoch);
    const bad = conflicts(state.config, requested, options.explicit ?? new Set());
    if (bad.length > 0) {
      throw new UsageError(
        `--resume continues the run in ${dir} with its own settings; these flags differ from it: ${bad.join(', ')}`,
      );
    }
    const epochs = (options.explicit ?? new Set()).has('epochs')
      ? requested.epochs
      : state.config.epochs;
    if (epochs < state.epoch) {
      throw new UsageError(
        `--epochs ${epochs}: the checkpoint in ${dir} has already done ${state.epoch} epochs`,
      );
    }
    if (epochs !== state.config.epochs && state.config.schedule !== 'none') {
      throw new UsageError(
        `--epochs ${epochs}: the run's --schedule ${state.config.schedule} spans its ${state.config.epochs} epochs and cannot be stretched; resume with --epochs ${state.config.epochs}`,
      );
    }
    config = { ...state.config, epochs };
    resumed = { state, weights: loaded.model.stateDict() };
  }

  // ---- data --------------------------------------------------------------------------------
  const trainSplit = loadSplit({ dataDir: options.dataDir, train: true, limit: config.limitTrain });
  const testSplit = loadSplit({ dataDir: options.dataDir, train: false, limit: config.limitTest });
  const { train, val } = splitTrainVal(trainSplit.dataset, config.valSplit, config.seed);
  const trainLoader = loaderOf(train, config.batchSize, true);
  const valLoaderSize = val ? val.length : 0;
  const batchesPerEpoch = trainLoader.length;

  // ---- model, optimizer, schedule (same draws from the generator on resume) ----------------
  manualSeed(config.seed);
  const model: Module = createModel(config.model, config.hidden);
  const params = model.parameters();
  const optimizer = createOptimizer(config, params);
  const scheduler = createScheduler(config, optimizer, config.epochs * batchesPerEpoch);
  const criterion = new CrossEntropyLoss();
  const nParams = model.numParameters();

  let startEpoch = 0;
  let step = 0;
  let history: EpochRecord[] = [];
  let lossTrace: [number, number][] = [];
  let trainSeconds = 0;
  if (resumed) {
    const { state } = resumed;
    if (state.batchesPerEpoch !== batchesPerEpoch || state.trainImages !== train.length) {
      throw new UsageError(
        `--resume: the checkpoint in ${dir} was trained on ${state.trainImages} images in ${state.batchesPerEpoch} batches per epoch, now there are ${train.length} in ${batchesPerEpoch}; use the same --data-dir`,
      );
    }
    model.loadStateDict(resumed.weights);
    try {
      optimizer.loadStateDict(state.optimizer as Parameters<AnyOptimizer['loadStateDict']>[0]);
      if (scheduler) scheduler.loadStateDict(state.scheduler as Record<string, unknown>);
    } catch (err) {
      throw new UsageError(`cannot restore ${join(dir, FILES.state)}: ${(err as Error).message}`);
    }
    defaultGenerator.setState(state.rng);
    startEpoch = state.epoch;
    step = state.step;
    history = state.history.slice(0, startEpoch);
    lossTrace = state.lossTrace.filter(([x]) => x <= startEpoch);
    trainSeconds = state.seconds;
  }

  mkdirSync(dir, { recursive: true });
  if (!resumed) {
    // a fresh run replaces whatever a previous run left in the directory
    for (const f of Object.values(FILES)) rmSync(join(dir, f), { force: true });
  }
  writeFileAtomic(
    join(dir, FILES.config),
    `${JSON.stringify(
      {
        ...config,
        dataDir: options.dataDir ? resolve(options.dataDir) : null,
        trainImages: train.length,
        valImages: valLoaderSize,
        testImages: testSplit.dataset.length,
        parameters: nParams,
        batchesPerEpoch,
      },
      null,
      2,
    )}\n`,
  );

  const stateNow = (): TrainingState => ({
    format: 'gd-train-checkpoint',
    version: 1,
    config,
    epoch: startEpoch,
    step,
    batchesPerEpoch,
    trainImages: train.length,
    optimizer: optimizer.stateDict(),
    scheduler: scheduler ? scheduler.stateDict() : null,
    rng: defaultGenerator.getState(),
    history,
    lossTrace,
    seconds: trainSeconds,
  });

  log(
    `${resumed ? 'resuming' : 'training'} ${config.model} (${formatCount(nParams)} parameters) on ${formatCount(train.length)} MNIST images` +
      `${val ? `, validating on ${formatCount(val.length)}` : ''}, testing on ${formatCount(testSplit.dataset.length)}`,
  );
  log(
    `  ${config.optimizer} lr ${config.lr}${config.weightDecay ? ` weight decay ${config.weightDecay}` : ''}` +
      `${config.schedule !== 'none' ? `, ${config.schedule} schedule` : ''}${config.clipGrad ? `, grad clip ${config.clipGrad}` : ''}` +
      `, batch ${config.batchSize}, ${config.epochs} epochs (${batchesPerEpoch} batches each), seed ${config.seed}`,
  );
  if (resumed) log(`  from ${shown(ckptPath)} (epoch ${startEpoch}, step ${step})`);
  if (!resumed) saveCheckpoint(dir, model, stateNow());

  // ---- the epochs ----------------------------------------------------------------------------
  const progress = createProgress(options.progress, output.stream);
  const traceEvery = Math.max(1, Math.floor(batchesPerEpoch / 10));
  const nonFiniteLoss = (what: string, batch: number): NonFiniteLossError => {
    const last = startEpoch;
    return new NonFiniteLossError(
      `the loss ${what} (epoch ${last + 1}, batch ${batch}/${batchesPerEpoch}); stopping.\n` +
        `The last checkpoint is ${shown(ckptPath)} (${last === 0 ? 'the initial weights, before epoch 1' : `after epoch ${last}, step ${last * batchesPerEpoch}`}). ` +
        `Lower --lr${config.clipGrad ? '' : ' or add --clip-grad'} and start again, or resume it with: gd-train mnist --out ${shown(dir)} --resume`,
      step,
    );
  };
  for (let epoch = startEpoch; epoch < config.epochs; epoch++) {
    if (options.stopAfter !== undefined && epoch >= options.stopAfter) break;
    model.train();
    const t0 = performance.now();
    const bar = progress.startEpoch(epoch + 1, config.epochs, batchesPerEpoch);
    const metrics = new BatchMetrics(getBackend().device === true);
    let batch = 0;
    let lr = currentLr(optimizer);
    try {
      for (const [x, y] of trainLoader) {
        const logits = model.call(x);
        const loss = criterion.call(logits, y);
        const n = y.shape[0]!;
        const value = metrics.addLoss(loss, n);
        step += 1;
        batch += 1;
        if (value !== null && !Number.isFinite(value)) {
          throw nonFiniteLoss(`is ${value} at step ${step}`, batch);
        }
        lr = currentLr(optimizer);
        optimizer.zeroGrad();
        loss.backward();
        if (config.clipGrad > 0) utils.clipGradNorm_(params, config.clipGrad);
        optimizer.step();
        if (scheduler) scheduler.step();
        metrics.addCorrect(logits, y);
        if (batch % traceEvery === 0 || batch === batchesPerEpoch) {
          const mean = metrics.trace();
          // Deferred reads (GPU): the guard sees the loss at trace points only.
          if (!Number.isFinite(mean)) throw nonFiniteLoss(`became ${mean} by step ${step}`, batch);
          lossTrace.push([epoch + batch / batchesPerEpoch, mean]);
        }
        const secs = (performance.now() - t0) / 1000;
        const { seen } = metrics;
        bar.update(batch, seen > 0 ? metrics.lossSum / seen : NaN, secs > 0 ? seen / secs : 0);
      }
    } finally {
      bar.stop();
    }
    const seconds = (performance.now() - t0) / 1000;
    const v = val ? evaluate(model, val) : null;
    trainSeconds += (performance.now() - t0) / 1000;
    const record: EpochRecord = {
      epoch: epoch + 1,
      step,
      trainLoss: metrics.lossSum / metrics.seen,
      trainAccuracy: metrics.correct / metrics.seen,
      valLoss: v ? v.loss : null,
      valAccuracy: v ? v.accuracy : null,
      lr,
      seconds,
      imagesPerSecond: metrics.seen / seconds,
    };
    history.push(record);
    startEpoch = epoch + 1;
    saveCheckpoint(dir, model, stateNow());
    writeMetrics(dir, history);
    log(
      `epoch ${epoch + 1}/${config.epochs}  train loss ${fmtLoss(record.trainLoss)} acc ${percent(record.trainAccuracy)}` +
        (record.valAccuracy === null
          ? '  (no validation split)'
          : `  val loss ${fmtLoss(record.valLoss)} acc ${percent(record.valAccuracy)}`) +
        `  lr ${Number(lr.toPrecision(4))}  ${formatDuration(seconds)} (${formatCount(record.imagesPerSecond)} img/s)`,
    );
  }
  writeMetrics(dir, history);
  if (
    options.stopAfter !== undefined &&
    startEpoch >= options.stopAfter &&
    startEpoch < config.epochs
  ) {
    log(
      `stopped after epoch ${startEpoch} as asked; continue with: gd-train mnist --out ${shown(dir)} --resume`,
    );
    return null;
  }

  // ---- test, final outputs -----------------------------------------------------------------
  const test = evaluate(model, testSplit.dataset);
  log(
    `test accuracy ${percent(test.accuracy)} (${test.correct}/${test.total}), loss ${test.loss.toFixed(4)}; ` +
      `trained ${formatDuration(trainSeconds)}`,
  );
  const files: string[] = [];
  const modelPath = join(dir, FILES.model);
  save(model, modelPath, weightsMetadata(config, config.epochs));
  files.push(modelPath);

  const summary = {
    model: config.model,
    parameters: nParams,
    epochs: config.epochs,
    optimizer: config.optimizer,
    lr: config.lr,
    batchSize: config.batchSize,
    schedule: config.schedule,
    weightDecay: config.weightDecay,
    seed: config.seed,
    trainImages: train.length,
    valImages: valLoaderSize,
    testImages: test.total,
    testAccuracy: test.accuracy,
    testLoss: test.loss,
    finalValAccuracy: history.at(-1)?.valAccuracy ?? null,
    trainSeconds: Number(trainSeconds.toFixed(2)),
  };
  writeFileAtomic(
    join(dir, FILES.summary),
    `${JSON.stringify({ ...summary, confusion: test.confusion }, null, 2)}\n`,
  );
  files.push(join(dir, FILES.summary));

  if (options.onnx) {
    const bytes = modelToOnnx(model, onnxMetadata(config.model, summary));
    writeOnnxFile(bytes, join(dir, FILES.onnx));
    files.push(join(dir, FILES.onnx));
  }
  if (options.figures) {
    files.push(
      ...(await writeRunFigures(dir, {
        title: options.title ?? config.model,
        history,
        lossTrace,
        model,
        test,
        testSplit,
      })),
    );
  }
  files.push(
    join(dir, FILES.metricsJsonl),
    join(dir, FILES.metricsCsv),
    join(dir, FILES.config),
    ckptPath,
    join(dir, FILES.state),
  );
  return { dir, config, parameters: nParams, history, test, trainSeconds, files };
}
