/** `F`: the functional forms of the layers and losses (PyTorch's `torch.nn.functional`). */
export * from './activation.js';
import { registryFunctions } from './registry.js';
/** The activations generated from the op registry (see `@gd/tensor`'s `UNARY_REGISTRY`). */
export const { elu, selu, celu, mish, hardswish, hardsigmoid, logsigmoid, hardtanh, softshrink } =
  registryFunctions;
export { adaptiveAvgPool2d, avgPool2d, conv2d, maxPool2d } from './conv.js';
export type { AdaptiveSize } from './conv.js';
export { batchNorm, layerNorm } from './normalization.js';
export type { BatchNormFunctionOptions, LayerNormFunctionOptions } from './normalization.js';
export { embedding, oneHot } from './embedding.js';
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
