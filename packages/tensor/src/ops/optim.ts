/**
 * Fused optimizer updates: one kernel per parameter where the same update written with
 * elementwise ops runs about ten (PyTorch's fused/foreach paths serve the same purpose).
 */
import { getBackend } from '../backend/backend.js';
import type { AdamStepConfig, SgdStepConfig } from '../backend/reference/optim.js';
import { isFloatingDType } from '../dtype.js';
import type { NDArray } from '../ndarray.js';
import { bumpVersion } from '../ndarray.js';
import { formatShape, shapesEqual } from '../shape.js';

export type { AdamStepConfig, SgdStepConfig } from '../backend/reference/optim.js';

/**
 * One Adam (or AdamW, `decoupled`) update of `param` in place from `grad`, updating the moment
 * buffers `expAvg` and `expAvgSq` (and `maxExpAvgSq` for amsgrad): the formulas of PyTorch's
 * `torch.optim.Adam`, in one pass computed in double. Returns false, having changed nothing,
 * where the active backend has no fused kernel (WebGPU) or an array is not contiguous; the
 * caller then writes the update with elementwise ops.
 *
 * @example
 * ```ts
 * const config = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0,
 *   decoupled: false, maximize: false, step: 1 };
 * adamStep_(param, grad, expAvg, expAvgSq, null, config); // true on the CPU backends
 * ```
 */
export function adamStep_(
  param: NDArray,
  grad: NDArray,
  expAvg: NDArray,
  expAvgSq: NDArray,
  maxExpAvgSq: NDArray | null,
  config: AdamStepConfig,
): boolean {
  const arrays = [param, grad, expAvg, expAvgSq, ...(maxExpAvgSq ? [maxExpAvgSq] : [])];
  checkShapes('adamStep_', param, arrays);
  const backend = getBackend();
  if (!backend.adamStep || !fusable(param, arrays)) return false;
  const data = arrays.map((a) => a.storage.data);
  backend.adamStep(data[0]!, data[1]!, data[2]!, data[3]!, data[4] ?? null, config);
  for (const a of [param, expAvg, expAvgSq, maxExpAvgSq]) if (a) bumpVersion(a);
  return true;
}

/**
 * One SGD update of `param` in place from `grad` (and the momentum buffer, updated, where
 * `config.momentum` is not 0, else null): the formulas of PyTorch's `torch.optim.SGD`, each
 * step rounded as the elementwise ops round it, so the result has the same bits. Returns false,
 * having changed nothing, where the active backend has no fused kernel (WebGPU) or an array is
 * not contiguous; the caller then writes the update with elementwise ops.
 *
 * @example
 * ```ts
 * const config = { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false,
 *   maximize: false, firstStep: true };
 * sgdStep_(param, grad, momentumBuffer, config); // true on the CPU backends
 * ```
 */
export function sgdStep_(
  param: NDArray,
  grad: NDArray,
  momentumBuffer: NDArray | null,
  config: SgdStepConfig,
): boolean {
  const arrays = [param, grad, ...(momentumBuffer ? [momentumBuffer] : [])];
  checkShapes('sgdStep_', param, arrays);
  const backend = getBackend();
  if (!backend.sgdStep || !fusable(param, arrays)) return false;
  backend.sgdStep(
    param.storage.data,
    grad.storage.data,
    momentumBuffer?.storage.data ?? null,
    config,
  );
  bumpVersion(param);
  if (momentumBuffer) bumpVersion(momentumBuffer);
  return true;
}

function checkShapes(name: string, param: NDArray, arrays: readonly NDArray[]): void {
  for (const a of arrays) {
    if (!shapesEqual(a.shape, param.shape))
      throw new RangeError(
        `${name}: every array must have the parameter's shape ${formatShape(param.shape)}, got ${formatShape(a.shape)}`,
      );
  }
}

// Whole, dense arrays of the parameter's floating dtype only (a parameter is one; a view of a
// bigger tensor takes the ops).
function fusable(param: NDArray, arrays: readonly NDArray[]): boolean {
  if (!isFloatingDType(param.dtype)) return false;
  return arrays.every(
    (a) =>
      a.dtype === param.dtype &&
      a.offset === 0 &&
      a.isContiguous() &&
      a.storage.data.length === a.numel(),
  );
}
