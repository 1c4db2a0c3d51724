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
/** Training images per CNN epoch (a full MNIST epoch of the CNN takes minutes). */
export const CNN_IMAGES = Number(process.env.CNN_IMAGES ?? 10000);
/** The training workloads: a timed epoch of SGD on MNIST. */
export type EpochWorkload = 'logreg' | 'simple' | 'deep' | 'cnn';
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
