/** The workloads every runner implements, with the settings. */
export const BATCH = 128;
export const LR = 0.1;
export const DROPOUT = 0.2;
export const MATMUL_SHAPES: readonly [number, number, number][] = [
  [128, 784, 512],
  [512, 512, 512],
  [1024, 1024, 1024],
  [1, 784, 512],
];
/**
 * The CNN's convolution layers (3x3, padding 1) for the conv layer table: each one's forward,
 * input gradient and weight gradient in GFLOP/s, at the training batch.
 */
export const CONV_LAYERS = [
  { name: 'conv1', input: [BATCH, 1, 28, 28], out: 32 },
  { name: 'conv2', input: [BATCH, 32, 14, 14], out: 64 },
] as const;
/** Training images per CNN epoch (a full MNIST epoch of the CNN takes minutes). */
export const CNN_IMAGES = Number(process.env.CNN_IMAGES ?? 10000);
/** The training workloads: a timed epoch of SGD on MNIST. */
export type EpochWorkload = 'logreg' | 'simple' | 'deep' | 'resnet' | 'cnn';
/**
 * Epochs each side runs per round of `bench:compare` (its table keeps the fastest, and reports
 * the first and the mean beside it). gd's small models keep getting faster for about 2,500
 * steps, while V8's optimizing compiler takes up the ~30 small functions each op goes through,
 * one by one (each after its own count of calls): a logistic-regression epoch ran 0.31, 0.23,
 * 0.18, 0.15, 0.15, 0.15, 0.13 s. PyTorch's epochs are flat from the first. Enough epochs for
 * both to reach their steady state, so the fastest epoch is each side's steady state.
 */
export const EPOCHS: Record<EpochWorkload, number> = {
  logreg: 6,
  simple: 5,
  resnet: 4,
  deep: 3,
  cnn: 2,
};
/**
 * The layer workloads: one SGD training step on fixed random data, same shapes in every runner.
 * lstm: an LSTM(28, 128) over [64, 28, 28] (batch first), Linear(128, 10) on the last step;
 * transformer: 2 post-norm TransformerEncoderLayer(64, 4, dimFeedforward 128, dropout 0) over
 * [32, 16, 64] (batch first), mean over the sequence, Linear(64, 10).
 */
export type StepWorkload = 'lstm' | 'transformer';
export const STEP_SHAPES = {
  lstm: { batch: 64, seq: 28, input: 28, hidden: 128 },
  transformer: { batch: 32, seq: 16, dModel: 64, nhead: 4, ff: 128, layers: 2 },
} as const;
/** Ops in the autograd-overhead chain (on a 16-element tensor). */
export const CHAIN = 1000;

/** One runner's answer for one workload (printed as a JSON line). */
export interface Result {
  framework: string;
  workload: string;
  /** Free-form details: backend, threads, versions. */
  info?: Record<string, string | number>;
  /** Named measurements. */
  values: Record<string, number>;
}
