/** The messages between the page and the training worker. */
import type { BatchInfo, EpochRecord, Evaluation } from '@gd/trainer';

/** The models of the case study (classes of @gd/nn). */
export const MODELS = {
  logistic: 'Logistic regression (784 → 10)',
  simple: 'One hidden layer (784 → 128 → 10)',
  deep: 'Deep network (784 → 512 → 256 → 128 → 10, dropout)',
  cnn: 'CNN (two conv layers, dropout)',
} as const;
export type ModelName = keyof typeof MODELS;

/** The optimizers (classes of @gd/optim) and their usual learning rates. */
export const OPTIMIZERS = {
  sgd: { label: 'SGD', lr: 0.1 },
  momentum: { label: 'SGD + momentum 0.9', lr: 0.05 },
  adam: { label: 'Adam', lr: 0.001 },
  adamw: { label: 'AdamW', lr: 0.001 },
} as const;
export type OptimizerName = keyof typeof OPTIMIZERS;

export const SCHEDULES = ['none', 'cosine', 'onecycle'] as const;

/** Where the worker trains: @gd/tensor's WebAssembly backend or its WebGPU backend. */
export const DEVICES = { wasm: 'WebAssembly (CPU)', webgpu: 'WebGPU (GPU)' } as const;
export type DeviceName = keyof typeof DEVICES;
export type ScheduleName = (typeof SCHEDULES)[number];

/** Mean and standard deviation of the MNIST training pixels in [0, 1] (the lecture's). */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

/** What one training run uses. */
export interface TrainConfig {
  model: ModelName;
  device: DeviceName;
  optimizer: OptimizerName;
  lr: number;
  schedule: ScheduleName;
  batchSize: number;
  /** Training images used (the first ones of the 60,000). */
  trainSize: number;
  /** Test images evaluated after each epoch (the first ones of the 10,000). */
  testSize: number;
  epochs: number;
  seed: number;
  /** Batches between two posts of the first layer's weights. */
  weightsEvery: number;
}

/** The first trainable layer's weights, for the tiles. */
export interface LayerWeights {
  kind: 'linear' | 'conv';
  /** `[out, in]` (Linear) or `[out, in, kh, kw]` (Conv2d). */
  shape: number[];
  data: Float32Array;
  step: number;
}

/** The trained model's outputs on a few test images, to compare with onnxruntime-web. */
export interface ModelCheck {
  /** Normalized inputs `[count, 1, 28, 28]`. */
  inputs: Float32Array;
  /** gd's logits `[count, 10]`. */
  logits: Float32Array;
  labels: number[];
  count: number;
}

export type ToWorker = { type: 'train'; config: TrainConfig } | { type: 'stop' };

export type FromWorker =
  | { type: 'status'; text: string; backend?: string; threads?: number }
  | { type: 'batch'; info: BatchInfo }
  | { type: 'trace'; x: number; loss: number }
  | { type: 'epoch'; record: EpochRecord }
  | { type: 'weights'; weights: LayerWeights }
  | {
      type: 'done';
      stopped: boolean;
      epoch: number;
      step: number;
      seconds: number;
      parameters: number;
      evaluation: Evaluation;
      onnx: Uint8Array;
      safetensors: Uint8Array;
      check: ModelCheck;
    }
  | { type: 'error'; message: string };
