/**
 * @gd/nn/utils — gradient clipping and parameter/vector conversion (PyTorch's
 * `torch.nn.utils`). An entry point of its own, as `torch.nn.utils` is a module of its own, so
 * that a page that does not clip gradients does not load it; PyTorch's `torch.nn.utils.rnn`
 * (packed sequences) is in `@gd/nn/rnn`.
 *
 * @example
 * ```ts
 * import * as utils from '@gd/nn/utils';
 *
 * loss.backward();
 * utils.clipGradNorm_(model.parameters(), 1.0);
 * optimizer.step();
 * ```
 *
 * @packageDocumentation
 */
import type { Tensor } from '@gd/autograd';
import { cat, noGrad, stack, tensor, Tensor as TensorClass } from '@gd/autograd';
import { describe } from '@gd/tensor';
import { UTILS_SIGNATURES, checkEntryPointRow } from './checks-entry-points.js';

/**
 * One tensor, or any iterable of tensors (such as `model.parameters()`).
 *
 * @example
 * ```ts
 * utils.clipGradValue_(model.parameters(), 1);
 * utils.clipGradValue_(weight, 1);
 * ```
 */
export type Parameters = Tensor | Iterable<Tensor>;

/**
 * Options of {@link clipGradNorm_}.
 *
 * @example
 * ```ts
 * utils.clipGradNorm_(params, 1, { normType: Infinity, errorIfNonfinite: true });
 * ```
 */
export interface ClipGradNormOptions {
  /** The norm's order: any p > 0, or `Infinity` for the largest absolute value. Default 2. */
  normType?: number;
  /** Throw when the total norm is NaN or infinite (instead of scaling by it). Default false. */
  errorIfNonfinite?: boolean;
}

// Checks a call's arguments against its row of UTILS_SIGNATURES.
function checkUtils(fn: string, args: readonly unknown[]): void {
  checkEntryPointRow(`utils.${fn}`, UTILS_SIGNATURES[fn]!, args);
}

// The parameters as a list; an iterable (read only here) must hold Tensors.
function toList(fn: string, parameters: Parameters): Tensor[] {
  const list = parameters instanceof TensorClass ? [parameters] : [...parameters];
  const bad = list.find((p) => !(p instanceof TensorClass));
  if (bad !== undefined)
    throw new TypeError(
      `utils.${fn}: parameters must be a Tensor or an iterable of Tensors, got an iterable holding ${describe(bad)}`,
    );
  return list;
}

/**
 * Scales the gradients of `parameters` in place so that their total norm (the norm of all
 * gradients concatenated) is at most `maxNorm`, and returns that total norm, measured before
 * clipping, as a 0-d tensor. As in PyTorch the scale is `maxNorm / (total + 1e-6)`, clamped to
 * at most 1, so gradients already under the limit are left alone. Parameters without a
 * gradient are skipped.
 *
 * @example
 * ```ts
 * loss.backward();
 * const norm = utils.clipGradNorm_(model.parameters(), 1.0);
 * optimizer.step();
 * ```
 */
export function clipGradNorm_(
  parameters: Parameters,
  maxNorm: number,
  options: ClipGradNormOptions = {},
): Tensor {
  checkUtils('clipGradNorm_', [parameters, maxNorm, options]);
  const { normType = 2, errorIfNonfinite = false } = options;
  if (!(normType > 0))
    throw new RangeError(`clipGradNorm_: normType must be positive or Infinity, got ${normType}`);
  const grads = toList('clipGradNorm_', parameters)
    .map((p) => p.borrowGrad())
    .filter((g): g is Tensor => g !== null);
  if (grads.length === 0) return tensor(0);
  return noGrad(() => {
    const dtype = grads.some((g) => g.dtype === 'float64') ? 'float64' : grads[0]!.dtype;
    let total: Tensor;
    if (normType === Infinity) {
      const norms = grads.map((g) => g.abs().max().to(dtype));
      total = norms.length === 1 ? norms[0]! : stack(norms).max();
    } else {
      total = stack(grads.map((g) => g.norm(normType).to(dtype))).norm(normType);
    }
    if (errorIfNonfinite && !Number.isFinite(total.item())) {
      throw new Error(
        `The total norm of order ${normType} for gradients from \`parameters\` is non-finite, so it cannot be clipped. ` +
          'To disable this error and scale the gradients by the non-finite norm anyway, set `errorIfNonfinite: false`',
      );
    }
    // PyTorch computes `max_norm / (total + 1e-6)` as reciprocal(total + 1e-6) * max_norm, in
    // the norm's dtype.
    const coef = total.add(1e-6).reciprocal().mul(maxNorm).clamp(null, 1);
    for (const g of grads) g.mul_(coef.to(g.dtype));
    return total;
  });
}

/**
 * Clamps every gradient of `parameters` to [-clipValue, clipValue] in place.
 *
 * @example
 * ```ts
 * utils.clipGradValue_(model.parameters(), 0.5);
 * ```
 */
export function clipGradValue_(parameters: Parameters, clipValue: number): void {
  checkUtils('clipGradValue_', [parameters, clipValue]);
  if (!(clipValue >= 0))
    throw new RangeError(`clipGradValue_: clipValue must be non-negative, got ${clipValue}`);
  noGrad(() => {
    for (const p of toList('clipGradValue_', parameters))
      p.borrowGrad()?.clamp_(-clipValue, clipValue);
  });
}

/**
 * All parameters flattened and concatenated into one 1-d tensor (differentiable, like
 * PyTorch's `parameters_to_vector`).
 *
 * @example
 * ```ts
 * const theta = utils.parametersToVector(model.parameters()); // [numParameters]
 * ```
 */
export function parametersToVector(parameters: Parameters): Tensor {
  checkUtils('parametersToVector', [parameters]);
  const list = toList('parametersToVector', parameters);
  if (list.length === 0) throw new RangeError('parametersToVector: no parameters given');
  return cat(list.map((p) => p.reshape(-1)));
}

/**
 * Copies consecutive slices of the 1-d `vec` into `parameters` (the inverse of
 * {@link parametersToVector}). `vec` must have exactly as many elements as the parameters.
 * Unlike PyTorch, which makes each parameter a view of `vec`, the values are copied in place,
 * so the parameters keep their identity and storage (optimizers holding them stay valid).
 *
 * @example
 * ```ts
 * utils.vectorToParameters(theta.mul(0.5), model.parameters());
 * ```
 */
export function vectorToParameters(vec: Tensor, parameters: Parameters): void {
  checkUtils('vectorToParameters', [vec, parameters]);
  if (vec.ndim !== 1)
    throw new RangeError(
      `vectorToParameters: expected a 1-d vector, got shape [${vec.shape.join(', ')}]`,
    );
  const list = toList('vectorToParameters', parameters);
  const needed = list.reduce((n, p) => n + p.numel(), 0);
  if (vec.numel() !== needed) {
    throw new RangeError(
      `vectorToParameters: the vector has ${vec.numel()} elements but the parameters need ${needed}`,
    );
  }
  noGrad(() => {
    let offset = 0;
    for (const p of list) {
      const n = p.numel();
      p.detach().copy_(vec.narrow(0, offset, n).reshape(p.shape));
      offset += n;
    }
  });
}
