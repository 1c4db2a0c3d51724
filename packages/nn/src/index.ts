/**
 * @gd/nn — modules, layers, losses and the functional forms, with PyTorch's names and
 * semantics. Parts a page may not need are entry points of their own, loaded only where
 * imported: `@gd/nn/init` (PyTorch's `torch.nn.init`), `@gd/nn/utils` (`torch.nn.utils`:
 * gradient clipping), `@gd/nn/rnn` (RNN, LSTM, GRU, their cells and packed sequences),
 * `@gd/nn/transformer` (MultiheadAttention and the Transformer layers), `@gd/nn/safetensors`
 * (weights in the safetensors format: `save`, `load`, `saveSafetensors`, `loadSafetensors`)
 * and `@gd/nn/models` (the lecture's models).
 *
 * @example
 * ```ts
 * import { Linear, ReLU, Sequential } from '@gd/nn';
 * const model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
 * console.log(model.numParameters()); // 101770
 * ```
 *
 * @packageDocumentation
 */
export { Module } from './module.js';
export type { LoadStateDictResult } from './module.js';
export { Parameter } from './parameter.js';
export { ModuleDict, ModuleList, Sequential } from './container.js';
export type { TensorModule } from './container.js';
export { Identity, Linear } from './linear.js';
export type { LayerOptions } from './linear.js';
export type { PReLUOptions } from './activation.js';
export {
  CELU,
  Dropout,
  Dropout2d,
  ELU,
  Flatten,
  GELU,
  Hardsigmoid,
  Hardswish,
  Hardtanh,
  LogSigmoid,
  Mish,
  PReLU,
  SELU,
  Softplus,
  Softshrink,
  LeakyReLU,
  LogSoftmax,
  ReLU,
  SiLU,
  Sigmoid,
  Softmax,
  Tanh,
  Unflatten,
} from './activation.js';
export { Conv1d, Conv2d, ConvTranspose2d } from './conv.js';
export type {
  Conv1dLayerOptions,
  Conv2dLayerOptions,
  ConvTranspose2dLayerOptions,
} from './conv.js';
export { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from './pooling.js';
export type { AvgPool2dLayerOptions, MaxPool2dOptions } from './pooling.js';
export type { AdaptiveSize } from './functional/conv.js';
export { BatchNorm1d, BatchNorm2d, BatchNormBase, GroupNorm, LayerNorm } from './normalization.js';
export type { BatchNormOptions, GroupNormOptions, LayerNormOptions } from './normalization.js';
export { Embedding } from './embedding.js';
export type { EmbeddingOptions, FromPretrainedOptions } from './embedding.js';
export {
  BCELoss,
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  HuberLoss,
  L1Loss,
  Loss,
  MSELoss,
  NLLLoss,
  SmoothL1Loss,
} from './loss.js';
/** `F`: PyTorch's `torch.nn.functional`, the layers and losses as functions (`F.relu(x)`, `F.crossEntropy(logits, y)`). */
export * as F from './functional/index.js';
