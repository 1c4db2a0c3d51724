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
import { save } from '@gd/nn/safetensors';
import type { AnyOptimizer } from '@gd/optim';
import { Adam, AdamW, SGD } from '@gd/optim';
import { CosineAnnealingLR, OneCycleLR } from '@gd/optim/lr-scheduler';
import type { BatchInfo, EpochRecord, Evaluation, TrainerCallback } from '@gd/trainer';
import { NonFiniteLossError, Trainer, evaluate } from '@gd/trainer';
import type { TrainingState } from './checkpoint.js';
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
import { percent } from './evaluate.js';
import { modelToOnnx, onnxMetadata, writeOnnxFile } from './export.js';
import { writeRunFigures } from './figures.js';
import { writeMetrics } from './metrics.js';
import { createModel } from './models.js';
import type { EpochProgress, Progress } from './progress.js';
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

export { NonFiniteLossError };

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

/** Where a run directory's paths are shown relative to the working directory when inside it. */
function shown(p: string): string {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}

/** A checkpoint to continue from: its config (with --epochs applied), state and weights. */
interface Resumed {
  config: TrainConfig;
  state: TrainingState;
  weights: Record<string, Tensor>;
}

/** Reads the checkpoint of `dir` for --resume (before any data, so a bad one fails fast). */
function readResume(dir: string, requested: TrainConfig, options: RunOptions): Resumed {
  const ckptPath = join(dir, FILES.checkpoint);
  if (!existsSync(ckptPath) || !existsSync(join(dir, FILES.state))) {
    throw new UsageError(
      `--resume: no checkpoint in ${dir} (expected ${FILES.checkpoint} and ${FILES.state}); start the run without --resume`,
    );
  }
  const loaded = loadWeights(ckptPath);
  const state = loadTrainingState(dir, loaded.epoch);
  const explicit = options.explicit ?? new Set();
  const bad = conflicts(state.config, requested, explicit);
  if (bad.length > 0) {
    throw new UsageError(
      `--resume continues the run in ${dir} with its own settings; these flags differ from it: ${bad.join(', ')}`,
    );
  }
  const epochs = explicit.has('epochs') ? requested.epochs : state.config.epochs;
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
  return { config: { ...state.config, epochs }, state, weights: loaded.model.stateDict() };
}

/** The run's data: training and validation splits, the test split, the training loader. */
function loadRunData(config: TrainConfig, dataDir: string | undefined) {
  const trainSplit = loadSplit({ dataDir, train: true, limit: config.limitTrain });
  const testSplit = loadSplit({ dataDir, train: false, limit: config.limitTest });
  const { train, val } = splitTrainVal(trainSplit.dataset, config.valSplit, config.seed);
  return { train, val, testSplit, trainLoader: loaderOf(train, config.batchSize, true) };
}

type RunData = ReturnType<typeof loadRunData>;

/** Model, optimizer, schedule and trainer (the same draws from the generator on resume). */
function buildTrainer(config: TrainConfig, batchesPerEpoch: number, callbacks: TrainerCallback[]) {
  manualSeed(config.seed);
  const model: Module = createModel(config.model, config.hidden);
  const optimizer = createOptimizer(config, model.parameters());
  const scheduler = createScheduler(config, optimizer, config.epochs * batchesPerEpoch);
  const trainer = new Trainer({
    model,
    optimizer,
    scheduler,
    epochs: config.epochs,
    clipGradNorm: config.clipGrad,
    callbacks,
  });
  return { model, trainer };
}

/** Loads a checkpoint's weights and state into the trainer, checking the data did not change. */
function restore(dir: string, resumed: Resumed, model: Module, trainer: Trainer, data: RunData) {
  const { state } = resumed;
  const batchesPerEpoch = data.trainLoader.length;
  if (state.batchesPerEpoch !== batchesPerEpoch || state.trainImages !== data.train.length) {
    throw new UsageError(
      `--resume: the checkpoint in ${dir} was trained on ${state.trainImages} images in ${state.batchesPerEpoch} batches per epoch, now there are ${data.train.length} in ${batchesPerEpoch}; use the same --data-dir`,
    );
  }
  model.loadStateDict(resumed.weights);
  try {
    trainer.loadStateDict(state);
  } catch (err) {
    throw new UsageError(`cannot restore ${join(dir, FILES.state)}: ${(err as Error).message}`);
  }
}

/** Empties a fresh run's directory of a previous run's files and writes config.json. */
function prepareDir(dir: string, fresh: boolean, config: TrainConfig, info: object): void {
  mkdirSync(dir, { recursive: true });
  // a fresh run replaces whatever a previous run left in the directory
  if (fresh) for (const f of Object.values(FILES)) rmSync(join(dir, f), { force: true });
  writeFileAtomic(join(dir, FILES.config), `${JSON.stringify({ ...config, ...info }, null, 2)}\n`);
}

/** The two lines that open a run. */
function announce(
  log: (line: string) => void,
  config: TrainConfig,
  sizes: RunSizes,
  resumed: boolean,
) {
  const { parameters, train, val, test, batchesPerEpoch } = sizes;
  log(
    `${resumed ? 'resuming' : 'training'} ${config.model} (${formatCount(parameters)} parameters) on ${formatCount(train)} MNIST images` +
      `${val ? `, validating on ${formatCount(val)}` : ''}, testing on ${formatCount(test)}`,
  );
  log(
    `  ${config.optimizer} lr ${config.lr}${config.weightDecay ? ` weight decay ${config.weightDecay}` : ''}` +
      `${config.schedule !== 'none' ? `, ${config.schedule} schedule` : ''}${config.clipGrad ? `, grad clip ${config.clipGrad}` : ''}` +
      `, batch ${config.batchSize}, ${config.epochs} epochs (${batchesPerEpoch} batches each), seed ${config.seed}`,
  );
}

interface RunSizes {
  parameters: number;
  train: number;
  val: number;
  test: number;
  batchesPerEpoch: number;
}

/**
 * What the CLI does around the loop: the progress bar, an atomic checkpoint and the metrics
 * files after every epoch, the epoch's line, and --stop-after.
 */
class CliCallback implements TrainerCallback {
  private bar: EpochProgress | null = null;
  constructor(
    private readonly run: {
      dir: string;
      config: TrainConfig;
      options: RunOptions;
      output: Output;
      progress: Progress;
      batchesPerEpoch: number;
      stateOf: (trainer: Trainer) => TrainingState;
    },
  ) {}

  onFitStart(trainer: Trainer): void {
    const { stopAfter } = this.run.options;
    if (stopAfter !== undefined && trainer.epoch >= stopAfter) trainer.stop();
  }

  onEpochStart(_: Trainer, epoch: number): void {
    this.bar = this.run.progress.startEpoch(
      epoch,
      this.run.config.epochs,
      this.run.batchesPerEpoch,
    );
  }

  onBatchEnd(_: Trainer, b: BatchInfo): void {
    this.bar?.update(b.batch, b.loss ?? NaN, b.seconds > 0 ? b.seen / b.seconds : 0);
    // the bar goes before validation, as the epoch's line replaces it
    if (b.batch === b.batches) this.stopBar();
  }

  onEpochEnd(trainer: Trainer, record: EpochRecord): void {
    const { dir, config, options } = this.run;
    saveCheckpoint(dir, trainer.model, this.run.stateOf(trainer));
    writeMetrics(dir, trainer.history);
    this.run.output.log(
      `epoch ${record.epoch}/${config.epochs}  train loss ${fmtLoss(record.trainLoss)} acc ${percent(record.trainAccuracy)}` +
        (record.valAccuracy === null
          ? '  (no validation split)'
          : `  val loss ${fmtLoss(record.valLoss)} acc ${percent(record.valAccuracy)}`) +
        `  lr ${Number(record.lr.toPrecision(4))}  ${formatDuration(record.seconds)} (${formatCount(record.imagesPerSecond)} img/s)`,
    );
    if (options.stopAfter !== undefined && record.epoch >= options.stopAfter) trainer.stop();
  }

  stopBar(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

/** The hint a NaN stop ends with: where the last checkpoint is and how to go on. */
function nonFiniteHint(dir: string, config: TrainConfig, trainer: Trainer, batches: number) {
  const last = trainer.epoch;
  const ckpt = shown(join(dir, FILES.checkpoint));
  const when =
    last === 0
      ? 'the initial weights, before epoch 1'
      : `after epoch ${last}, step ${last * batches}`;
  return (
    `The last checkpoint is ${ckpt} (${when}). ` +
    `Lower --lr${config.clipGrad ? '' : ' or add --clip-grad'} and start again, or resume it with: gd-train mnist --out ${shown(dir)} --resume`
  );
}

/** Runs the trainer, turning a NaN stop into the CLI's message with the way to resume. */
async function fitRun(
  trainer: Trainer,
  cli: CliCallback,
  data: RunData,
  hint: () => string,
): Promise<boolean> {
  try {
    const result = await trainer.fit(data.trainLoader, { val: data.val });
    return result.stopped;
  } catch (err) {
    if (err instanceof NonFiniteLossError)
      throw new NonFiniteLossError(`${err.message}\n${hint()}`, err.step);
    throw err;
  } finally {
    cli.stopBar();
  }
}

/** Test evaluation and the final files: weights, summary, ONNX, figures. */
async function finishRun(
  dir: string,
  config: TrainConfig,
  options: RunOptions,
  trainer: Trainer,
  data: RunData,
  log: (line: string) => void,
): Promise<{ test: Evaluation; files: string[] }> {
  const { model } = trainer;
  const test = evaluate(model, data.testSplit.dataset);
  log(
    `test accuracy ${percent(test.accuracy)} (${test.correct}/${test.total}), loss ${test.loss.toFixed(4)}; ` +
      `trained ${formatDuration(trainer.seconds)}`,
  );
  const files: string[] = [];
  const modelPath = join(dir, FILES.model);
  save(model, modelPath, weightsMetadata(config, config.epochs));
  files.push(modelPath);
  const summary = {
    model: config.model,
    parameters: model.numParameters(),
    epochs: config.epochs,
    optimizer: config.optimizer,
    lr: config.lr,
    batchSize: config.batchSize,
    schedule: config.schedule,
    weightDecay: config.weightDecay,
    seed: config.seed,
    trainImages: data.train.length,
    valImages: data.val ? data.val.length : 0,
    testImages: test.total,
    testAccuracy: test.accuracy,
    testLoss: test.loss,
    finalValAccuracy: trainer.history.at(-1)?.valAccuracy ?? null,
    trainSeconds: Number(trainer.seconds.toFixed(2)),
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
        history: trainer.history,
        lossTrace: trainer.lossTrace as [number, number][],
        model,
        test,
        testSplit: data.testSplit,
      })),
    );
  }
  files.push(
    join(dir, FILES.metricsJsonl),
    join(dir, FILES.metricsCsv),
    join(dir, FILES.config),
    join(dir, FILES.checkpoint),
    join(dir, FILES.state),
  );
  return { test, files };
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
  const resumed = options.resume ? readResume(dir, requested, options) : null;
  const config = resumed ? resumed.config : requested;
  const data = loadRunData(config, options.dataDir);
  const batchesPerEpoch = data.trainLoader.length;
  const stateOf = (t: Trainer): TrainingState => ({
    format: 'gd-train-checkpoint',
    version: 1,
    config,
    batchesPerEpoch,
    trainImages: data.train.length,
    ...t.stateDict(),
  });
  const progress = createProgress(options.progress, output.stream);
  const cli = new CliCallback({ dir, config, options, output, progress, batchesPerEpoch, stateOf });
  const { model, trainer } = buildTrainer(config, batchesPerEpoch, [cli]);
  if (resumed) restore(dir, resumed, model, trainer, data);

  const sizes: RunSizes = {
    parameters: model.numParameters(),
    train: data.train.length,
    val: data.val ? data.val.length : 0,
    test: data.testSplit.dataset.length,
    batchesPerEpoch,
  };
  prepareDir(dir, !resumed, config, {
    dataDir: options.dataDir ? resolve(options.dataDir) : null,
    trainImages: sizes.train,
    valImages: sizes.val,
    testImages: sizes.test,
    parameters: sizes.parameters,
    batchesPerEpoch,
  });
  announce(output.log, config, sizes, resumed !== null);
  const ckptPath = join(dir, FILES.checkpoint);
  if (resumed)
    output.log(`  from ${shown(ckptPath)} (epoch ${trainer.epoch}, step ${trainer.step})`);
  else saveCheckpoint(dir, model, stateOf(trainer));

  const hint = () => nonFiniteHint(dir, config, trainer, batchesPerEpoch);
  const stopped = await fitRun(trainer, cli, data, hint);
  writeMetrics(dir, trainer.history);
  if (stopped && options.stopAfter !== undefined) {
    output.log(
      `stopped after epoch ${trainer.epoch} as asked; continue with: gd-train mnist --out ${shown(dir)} --resume`,
    );
    return null;
  }
  const { test, files } = await finishRun(dir, config, options, trainer, data, output.log);
  return {
    dir,
    config,
    parameters: sizes.parameters,
    history: [...trainer.history],
    test,
    trainSeconds: trainer.seconds,
    files,
  };
}
