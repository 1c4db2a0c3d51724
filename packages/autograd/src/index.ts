/**
 * @gd/autograd — PyTorch's autograd in TypeScript: a differentiable `Tensor`, reverse-mode
 * backward with PyTorch's semantics and error messages, grad modes, `grad()` with higher-order
 * gradients and anomaly detection. Two tools have entry points of their own, loaded only where
 * imported: `@gd/autograd/gradcheck` (`gradcheck`, PyTorch's `torch.autograd.gradcheck`) and
 * `@gd/autograd/graph` (pictures of the graph: `toDot`, `renderSvg`).
 *
 * @example
 * ```ts
 * import { tensor } from '@gd/autograd';
 * const x = tensor([0.0], { requiresGrad: true });
 * const y = x.pow(2).sub(x.mul(2)).add(1); // f(x) = x² - 2x + 1
 * y.backward();
 * console.log(x.grad!.item()); // -2
 * ```
 *
 * @packageDocumentation
 */
export { Tensor, gradEdge, where } from './tensor.js';
export type { ClampArgs, TensorIndex, TensorLike, TensorValuesIndices, VarArgs } from './tensor.js';
export { AccumulateGrad, Node, SavedTensor } from './node.js';
export type { GradHook, RemovableHandle } from './node.js';
export {
  OpNode,
  defineOps,
  differentiableOps,
  noGradient,
  runOp,
  runOpOutputs,
} from './function.js';
export { originOf, traceOrigins } from './origins.js';
export type { Origin } from './origins.js';
export type { BackwardContext, ForwardResult, OpSpec, OpTable } from './function.js';
export type { BackwardOptions } from './engine.js';
export { enableGrad, isGradEnabled, noGrad, setGradEnabled } from './grad-mode.js';
export { detectAnomaly, isAnomalyEnabled, setDetectAnomaly } from './anomaly.js';
export { grad } from './grad.js';
export type { GradOptions } from './grad.js';
export * from './creation.js';
export * from './functional.js';
export { manualSeed, Generator } from '@gd/tensor';
export type { DType, NDArray } from '@gd/tensor';
