/**
 * The settings of a training run: their names, defaults, parsing of command-line values, and
 * the checks that turn bad input into an error naming the flag.
 */

/** The models `gd-train` can train. */
export const MODEL_NAMES = ['logistic', 'simple', 'deep', 'resnet', 'cnn', 'lstm', 'vit'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** The optimizers: plain SGD (the lecture's), SGD with momentum 0.9, Adam, AdamW. */
export const OPTIMIZER_NAMES = ['sgd', 'momentum', 'adam', 'adamw'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

/** Learning-rate schedules, stepped after every batch. */
export const SCHEDULE_NAMES = ['none', 'cosine', 'onecycle'] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

/** How progress is shown: a bar on a terminal, plain lines otherwise (`auto`). */
export const PROGRESS_MODES = ['auto', 'bar', 'plain', 'none'] as const;
export type ProgressMode = (typeof PROGRESS_MODES)[number];

/** Mean and standard deviation of the MNIST training pixels (in [0, 1]), the lecture's `Normalize`. */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;
/** The class labels, by output index. */
export const CLASS_LABELS: readonly string[] = Array.from({ length: 10 }, (_, i) => String(i));

/**
 * Everything that determines a training run's result. Saved as `config.json` and inside each
 * checkpoint, so `--resume` continues with the same settings.
 */
export interface TrainConfig {
  model: ModelName;
  /** Width of the hidden layer of `simple`, of the residual blocks of `resnet`, of `lstm`'s LSTM. */
  hidden: number;
  epochs: number;
  batchSize: number;
  lr: number;
  optimizer: OptimizerName;
  /** SGD momentum (0.9 for `momentum`, else 0). */
  momentum: number;
  schedule: ScheduleName;
  weightDecay: number;
  /** Max total gradient norm; 0 turns clipping off. */
  clipGrad: number;
  seed: number;
  valSplit: number;
  /** First N training images only (null: all). */
  limitTrain: number | null;
  /** First N test images only (null: all). */
  limitTest: number | null;
}

/** The defaults of `gd-train mnist`, as its `--help` states them. */
export const DEFAULTS = {
  model: 'simple' as ModelName,
  hidden: 128,
  epochs: 5,
  batchSize: 128,
  optimizer: 'sgd' as OptimizerName,
  schedule: 'none' as ScheduleName,
  seed: 0,
  valSplit: 0.1,
  progress: 'auto' as ProgressMode,
};

/**
 * The default learning rate of an optimizer: the lecture's 0.1 for SGD, 1e-3 for Adam(W).
 *
 * @example
 * ```ts
 * defaultLr('sgd'); // 0.1
 * defaultLr('adam'); // 0.001
 * ```
 */
export function defaultLr(optimizer: OptimizerName): number {
  return optimizer === 'adam' || optimizer === 'adamw' ? 1e-3 : 0.1;
}

/**
 * The default weight decay of an optimizer: 0.01 for AdamW (PyTorch's default), else 0.
 *
 * @example
 * ```ts
 * defaultWeightDecay('adamw'); // 0.01
 * ```
 */
export function defaultWeightDecay(optimizer: OptimizerName): number {
  return optimizer === 'adamw' ? 0.01 : 0;
}

/**
 * An error in what the user asked for (a flag, a file): printed without a stack, exit code 1.
 *
 * @example
 * ```ts
 * throw new UsageError('--data-dir: /nowhere does not exist');
 * ```
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Parses a positive integer flag value (commander argument parser).
 *
 * @example
 * ```ts
 * parsePositiveInt('128'); // 128
 * parsePositiveInt('0'); // throws: expected a positive integer
 * ```
 */
export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new RangeError('expected a positive integer');
  }
  return n;
}

/**
 * Parses a non-negative integer flag value.
 *
 * @example
 * ```ts
 * parseNonNegativeInt('0'); // 0
 * ```
 */
export function parseNonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n)) {
    throw new RangeError('expected a non-negative integer');
  }
  return n;
}

/**
 * Parses a finite number > 0.
 *
 * @example
 * ```ts
 * parsePositiveNumber('1e-3'); // 0.001
 * ```
 */
export function parsePositiveNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new RangeError('expected a number greater than 0');
  }
  return n;
}

/**
 * Parses a finite number >= 0.
 *
 * @example
 * ```ts
 * parseNonNegativeNumber('0'); // 0
 * ```
 */
export function parseNonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new RangeError('expected a number >= 0');
  }
  return n;
}

/**
 * Parses a fraction in [0, 1).
 *
 * @example
 * ```ts
 * parseFraction('0.1'); // 0.1
 * parseFraction('1'); // throws
 * ```
 */
export function parseFraction(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n >= 1) {
    throw new RangeError('expected a fraction >= 0 and < 1');
  }
  return n;
}

/**
 * Parses a comma-separated list of model names.
 *
 * @example
 * ```ts
 * parseModelList('logistic,simple'); // ['logistic', 'simple']
 * ```
 */
export function parseModelList(value: string): ModelName[] {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw new RangeError(`expected model names (${MODEL_NAMES.join(', ')})`);
  for (const n of names) {
    if (!(MODEL_NAMES as readonly string[]).includes(n)) {
      throw new RangeError(`unknown model '${n}' (models: ${MODEL_NAMES.join(', ')})`);
    }
  }
  return [...new Set(names)] as ModelName[];
}

/** Raw option values as commander hands them over (undefined: not given and no default). */
export interface TrainFlags {
  model: ModelName;
  hidden: number;
  epochs: number;
  batchSize: number;
  lr?: number;
  optimizer: OptimizerName;
  schedule: ScheduleName;
  weightDecay?: number;
  clipGrad?: number;
  seed: number;
  valSplit: number;
  limitTrain?: number;
  limitTest?: number;
}

/**
 * The full configuration from flags, with the optimizer-dependent defaults filled in.
 *
 * @example
 * ```ts
 * resolveConfig({ ...DEFAULTS, optimizer: 'adam' }).lr; // 0.001
 * ```
 */
export function resolveConfig(flags: TrainFlags): TrainConfig {
  const optimizer = flags.optimizer;
  return {
    model: flags.model,
    hidden: flags.hidden,
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    lr: flags.lr ?? defaultLr(optimizer),
    optimizer,
    momentum: optimizer === 'momentum' ? 0.9 : 0,
    schedule: flags.schedule,
    weightDecay: flags.weightDecay ?? defaultWeightDecay(optimizer),
    clipGrad: flags.clipGrad ?? 0,
    seed: flags.seed,
    valSplit: flags.valSplit,
    limitTrain: flags.limitTrain ?? null,
    limitTest: flags.limitTest ?? null,
  };
}

/** The flag that sets each config key (for messages about conflicts on `--resume`). */
export const FLAG_OF: Record<keyof TrainConfig, string> = {
  model: '--model',
  hidden: '--hidden',
  epochs: '--epochs',
  batchSize: '--batch-size',
  lr: '--lr',
  optimizer: '--optimizer',
  momentum: '--optimizer',
  schedule: '--schedule',
  weightDecay: '--weight-decay',
  clipGrad: '--clip-grad',
  seed: '--seed',
  valSplit: '--val-split',
  limitTrain: '--limit-train',
  limitTest: '--limit-test',
};

const KEYS = Object.keys(FLAG_OF) as (keyof TrainConfig)[];

/**
 * Checks a config read from a file (config.json or a checkpoint): every key present with a
 * value of the right kind. Throws a UsageError naming `source` otherwise.
 *
 * @example
 * ```ts
 * const config = validateConfig(JSON.parse(readFileSync('config.json', 'utf8')), 'config.json');
 * ```
 */
export function validateConfig(raw: unknown, source: string): TrainConfig {
  const fail = (why: string): never => {
    throw new UsageError(`${source}: invalid training config (${why})`);
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('not an object');
  const c = raw as Record<string, unknown>;
  for (const k of KEYS) if (!(k in c)) fail(`missing "${k}"`);
  const isInt = (v: unknown, min: number) => Number.isSafeInteger(v) && (v as number) >= min;
  const isNum = (v: unknown, min: number) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min;
  if (!(MODEL_NAMES as readonly unknown[]).includes(c.model))
    fail(`unknown model ${String(c.model)}`);
  if (!(OPTIMIZER_NAMES as readonly unknown[]).includes(c.optimizer)) fail('bad "optimizer"');
  if (!(SCHEDULE_NAMES as readonly unknown[]).includes(c.schedule)) fail('bad "schedule"');
  for (const k of ['hidden', 'epochs', 'batchSize'] as const)
    if (!isInt(c[k], 1)) fail(`bad "${k}"`);
  if (!isInt(c.seed, 0)) fail('bad "seed"');
  if (!isNum(c.lr, 0) || c.lr === 0) fail('bad "lr"');
  for (const k of ['momentum', 'weightDecay', 'clipGrad'] as const)
    if (!isNum(c[k], 0)) fail(`bad "${k}"`);
  if (!isNum(c.valSplit, 0) || (c.valSplit as number) >= 1) fail('bad "valSplit"');
  for (const k of ['limitTrain', 'limitTest'] as const)
    if (c[k] !== null && !isInt(c[k], 1)) fail(`bad "${k}"`);
  const out = {} as Record<string, unknown>;
  for (const k of KEYS) out[k] = c[k];
  return out as unknown as TrainConfig;
}
