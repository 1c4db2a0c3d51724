/** `F`: the functional forms of the layers and losses (PyTorch's `torch.nn.functional`). */
export * from './activation.js';
import { registryFunctions } from './registry.js';
/** The activations generated from the op registry (see `@gd/tensor`'s `UNARY_REGISTRY`). */
export const { elu, selu, celu, mish, hardswish, hardsigmoid, logsigmoid, hardtanh, softshrink } =
  registryFunctions;
export {
  adaptiveAvgPool2d,
  avgPool2d,
  conv1d,
  conv2d,
  convTranspose2d,
  maxPool2d,
} from './conv.js';
export type { AdaptiveSize, Conv1dOptions, ConvTranspose2dOptions } from './conv.js';
export { batchNorm, groupNorm, layerNorm } from './normalization.js';
export type {
  BatchNormFunctionOptions,
  GroupNormFunctionOptions,
  LayerNormFunctionOptions,
} from './normalization.js';
export { pad } from './pad.js';
export type { PadMode } from './pad.js';
export { interpolate } from './interpolate.js';
export type { InterpolateOptions } from './interpolate.js';
export { embedding, oneHot } from './embedding.js';
export { generateSquareSubsequentMask, scaledDotProductAttention } from './attention.js';
export type { ScaledDotProductAttentionOptions } from './attention.js';
export type { EmbeddingFunctionOptions } from './embedding.js';
export {
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  huberLoss,
  l1Loss,
  mseLoss,
  nllLoss,
  smoothL1Loss,
} from './loss.js';
export type {
  BCELossOptions,
  BCEWithLogitsLossOptions,
  CrossEntropyOptions,
  HuberLossOptions,
  NLLLossOptions,
  Reduction,
  ReductionOptions,
  SmoothL1LossOptions,
} from './loss.js';
