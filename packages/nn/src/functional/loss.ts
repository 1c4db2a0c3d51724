/**
 * Loss functions (PyTorch's `torch.nn.functional` losses): regression losses (MSE, L1, Huber,
 * smooth L1), classification losses (cross-entropy, negative log-likelihood) and binary
 * cross-entropy on probabilities or logits, each with `reduction: 'none' | 'mean' | 'sum'`.
 *
 * MSE, Huber, smooth L1 and both binary cross-entropies are single ops with PyTorch's backward
 * formulas (and gradFn names); L1, NLL and cross-entropy are built from differentiable ops
 * (NLL picks the log-probabilities with `gather`), as in PyTorch. Cross-entropy on logits [N, C]
 * with plain class-index targets (no weight, no ignored target, no label smoothing) runs as one
 * fused op, `softmaxCrossEntropy` of @gd/autograd (gradFn `NllLossBackward0`, as PyTorch shows).
 */
import type { NDArray } from '@gd/tensor';
import {
  broadcastShapes,
  formatShape,
  isFloatingDType,
  where as whereArray,
  shapesEqual,
} from '@gd/tensor';
import type { BackwardContext, Tensor } from '@gd/autograd';
import { defineOps, runOp, softmaxCrossEntropy } from '@gd/autograd';
import { NN_KINDS, checkFunctionArgs } from '../checks.js';

/**
 * How a loss combines its per-element values: kept (`'none'`), averaged or summed.
 *
 * @example
 * ```ts
 * const reduction: Reduction = 'sum';
 * F.mseLoss(yPred, y, { reduction });
 * ```
 */
export type Reduction = 'none' | 'mean' | 'sum';

/**
 * The `reduction` option shared by every loss.
 *
 * @example
 * ```ts
 * F.l1Loss(yPred, y, { reduction: 'none' }); // per-element losses
 * ```
 */
export interface ReductionOptions {
  /** `'mean'` (default), `'sum'` or `'none'` (one loss per element / sample). */
  reduction?: Reduction;
}

/**
 * Options of {@link huberLoss}.
 *
 * @example
 * ```ts
 * F.huberLoss(yPred, y, { delta: 0.5, reduction: 'sum' });
 * ```
 */
export interface HuberLossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1; must be positive). */
  delta?: number;
}

/**
 * Options of {@link smoothL1Loss}.
 *
 * @example
 * ```ts
 * F.smoothL1Loss(yPred, y, { beta: 0.1 });
 * ```
 */
export interface SmoothL1LossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1; 0 gives the L1 loss). */
  beta?: number;
}

/**
 * Options of {@link nllLoss}.
 *
 * @example
 * ```ts
 * F.nllLoss(logp, labels, { weight: tensor([1, 5]), ignoreIndex: -1 });
 * ```
 */
export interface NLLLossOptions extends ReductionOptions {
  /** A weight per class ([C]); `'mean'` then divides by the sum of the targets' weights. */
  weight?: Tensor | null;
  /** Targets equal to this class index contribute nothing (default -100). */
  ignoreIndex?: number;
}

/**
 * Options of {@link crossEntropy}.
 *
 * @example
 * ```ts
 * F.crossEntropy(logits, labels, { labelSmoothing: 0.1, reduction: 'sum' });
 * ```
 */
export interface CrossEntropyOptions extends NLLLossOptions {
  /** Mixes the target with the uniform distribution: (1 - ε)·target + ε/C (default 0). */
  labelSmoothing?: number;
}

/**
 * Options of {@link binaryCrossEntropy}.
 *
 * @example
 * ```ts
 * F.binaryCrossEntropy(probs, labels, { weight: mask });
 * ```
 */
export interface BCELossOptions extends ReductionOptions {
  /** A weight per element, broadcast to the input's shape. */
  weight?: Tensor | null;
}

/**
 * Options of {@link binaryCrossEntropyWithLogits}.
 *
 * @example
 * ```ts
 * F.binaryCrossEntropyWithLogits(logits, labels, { posWeight: tensor([4]) });
 * ```
 */
export interface BCEWithLogitsLossOptions extends BCELossOptions {
  /** A weight for the positive term, broadcast to the input (one per class along the last dim). */
  posWeight?: Tensor | null;
}

/**
 * Throws PyTorch's error for an unknown reduction. The loss layers call it (a subclass of Loss
 * outside the signature table is checked by it alone); the functions here do not need to, since
 * their rows of FUNCTION_SIGNATURES check `reduction` (kind `reduction`) before anything else.
 *
 * @example
 * ```ts
 * checkReduction('avg'); // RangeError: avg is not a valid value for reduction
 * ```
 */
export function checkReduction(reduction: string): asserts reduction is Reduction {
  // The table's `reduction` kind's test, with PyTorch's message.
  if (!NN_KINDS.reduction!.test(reduction))
    throw new RangeError(`${reduction} is not a valid value for reduction`);
}

/** The per-element losses `t` (an NDArray in an op's forward, a Tensor elsewhere), reduced. */
function reduce<T extends { sum(): T; mean(): T }>(t: T, reduction: Reduction): T {
  return reduction === 'none' ? t : reduction === 'sum' ? t.sum() : t.mean();
}

/** The incoming gradient of a reduced loss, spread back over the unreduced shape. */
function unreduceGrad(g: Tensor, reduction: Reduction, shape: readonly number[]): Tensor {
  if (reduction === 'none') return g;
  // 'mean' divided by the number of elements, the product of the sizes.
  const spread = reduction === 'mean' ? g.div(shape.reduce((n, d) => n * d, 1)) : g;
  return spread.expand(shape);
}

function requireFloatingInput(name: string, input: Tensor): void {
  if (!isFloatingDType(input.dtype))
    throw new TypeError(
      `"${name}" does not support dtype '${input.dtype}': the input must be float32 or float64`,
    );
}

/** log σ(z) = min(z, 0) - log1p(e^-|z|), PyTorch's stable formula. */
function logSigmoid(z: Tensor): Tensor {
  return z.clamp(null, 0).sub(z.abs().neg().exp().log1p());
}

// ---- single-op losses -------------------------------------------------------------------------

/** PyTorch's EPSILON of the BCE backward: 1e-12 held in a C++ float. */
const BCE_EPSILON = Math.fround(1e-12);

interface Reduce {
  reduction: Reduction;
}

/**
 * The gradients [input, target] of a loss of d = input - target whose derivative in the input,
 * per element, is `derivative(d)` (the target's is its negative).
 */
function differenceGrads(
  g: Tensor,
  c: BackwardContext<Reduce>,
  derivative: (d: Tensor) => Tensor,
): [Tensor, Tensor | null] {
  const gx = derivative(c.input(0).sub(c.input(1))).mul(
    unreduceGrad(g, c.attrs.reduction, c.shapes[0]!),
  );
  return [gx, c.needsGrad(1) ? gx.neg() : null];
}

/** Elementwise losses as single ops with PyTorch's forward and backward formulas. */
const LOSS_OPS = defineOps<{
  mseLoss: Reduce;
  huberLoss: Reduce & { delta: number };
  smoothL1Loss: Reduce & { beta: number };
  binaryCrossEntropy: Reduce & { weighted: boolean };
  binaryCrossEntropyWithLogits: Reduce & { weighted: boolean; posWeighted: boolean };
}>({
  mseLoss: {
    saveInputs: () => [0, 1],
    forward: ([x, y], { reduction }) => reduce(x!.sub(y!).square(), reduction),
    backward: (g, c) => differenceGrads(g, c, (d) => d.mul(2)),
  },
  huberLoss: {
    saveInputs: () => [0, 1],
    forward: ([x, y], { reduction, delta }) => {
      const z = x!.sub(y!).abs();
      return reduce(
        whereArray(z.lt(delta), z.mul(0.5).mul(z), z.sub(0.5 * delta).mul(delta)),
        reduction,
      );
    },
    // d/dx = clamp(x - y, -δ, δ)
    backward: (g, c) => {
      const { delta } = c.attrs;
      return differenceGrads(g, c, (d) => d.clamp(-delta, delta));
    },
  },
  smoothL1Loss: {
    saveInputs: () => [0, 1],
    forward: ([x, y], { reduction, beta }) => {
      const z = x!.sub(y!).abs();
      return reduce(
        whereArray(z.lt(beta), z.mul(0.5).mul(z).div(beta), z.sub(0.5 * beta)),
        reduction,
      );
    },
    // d/dx = clamp(x - y, -β, β) / β
    backward: (g, c) => {
      const { beta } = c.attrs;
      return differenceGrads(g, c, (d) => d.clamp(-beta, beta).div(beta));
    },
  },
  // Inputs: [p, y] or [p, y, weight]. The logs are clamped to >= -100 as in PyTorch, so p of
  // exactly 0 or 1 gives a finite loss; the input gradient divides by max((1 - p)·p, ε).
  binaryCrossEntropy: {
    saveInputs: () => [0, 1, 2],
    forward: ([p, y, w], { reduction }) => {
      if (!p!.ge(0).logicalAnd(p!.le(1)).all().item())
        throw new RangeError('all elements of input should be between 0 and 1');
      let loss = y!
        .sub(1)
        .mul(p!.neg().add(1).log().clamp(-100))
        .sub(y!.mul(p!.log().clamp(-100)));
      if (w) loss = loss.mul(w);
      return reduce(loss, reduction);
    },
    backward: (g, c) => {
      const { reduction, weighted } = c.attrs;
      const p = c.input(0);
      const y = c.input(1);
      let scale = unreduceGrad(g, reduction, c.shapes[0]!);
      if (weighted) scale = scale.mul(c.input(2));
      const gp = c.needsGrad(0)
        ? p.sub(y).div(p.neg().add(1).mul(p).clamp(BCE_EPSILON)).mul(scale)
        : null;
      // PyTorch's target gradient: -logit(p) (infinite at p = 0 or 1, as there).
      const gy = c.needsGrad(1) ? p.div(p.neg().add(1)).log().neg().mul(scale) : null;
      return [gp, gy, null];
    },
  },
  // Inputs: [x, y, weight?, posWeight?]. PyTorch 1.13's formula: with m = max(-x, 0),
  // loss = (1 - y)·x + (1 + (pw - 1)·y)·(log(e^-m + e^(-x-m)) + m), times weight.
  binaryCrossEntropyWithLogits: {
    saveInputs: () => [0, 1, 2, 3],
    forward: ([x, y, ...rest], { reduction, weighted, posWeighted }) => {
      const w = weighted ? rest[0]! : null;
      const pw = posWeighted ? rest[weighted ? 1 : 0]! : null;
      const m = x!.neg().clamp(0);
      const logTerm = m.neg().exp().add(x!.neg().sub(m).exp()).log();
      let loss: NDArray;
      if (pw) {
        const logWeight = pw.sub(1).mul(y!).add(1);
        loss = y!
          .neg()
          .add(1)
          .mul(x!)
          .add(logWeight.mul(logTerm.add(m)));
      } else {
        loss = y!.neg().add(1).mul(x!).add(m).add(logTerm);
      }
      if (w) loss = loss.mul(w);
      return reduce(loss, reduction);
    },
    backward: (g, c) => {
      const { reduction, weighted, posWeighted } = c.attrs;
      const x = c.input(0);
      const y = c.input(1);
      const pw = posWeighted ? c.input(weighted ? 3 : 2) : null;
      let scale = unreduceGrad(g, reduction, c.shapes[0]!);
      if (weighted) scale = scale.mul(c.input(2));
      let gx: Tensor | null = null;
      let gy: Tensor | null = null;
      if (c.needsGrad(0)) {
        if (pw) {
          const t = pw.mul(y);
          gx = t.add(1).sub(y).mul(x.sigmoid()).sub(t).mul(scale);
        } else {
          gx = x.sigmoid().sub(y).mul(scale);
        }
      }
      if (c.needsGrad(1)) {
        gy = (pw ? logSigmoid(x.neg()).sub(logSigmoid(x).mul(pw)) : x.neg()).mul(scale);
      }
      return [gx, gy, null, null];
    },
  },
});

// ---- regression losses ------------------------------------------------------------------------

const warned = new Set<string>();

/**
 * Input and target at one shape: a target of another shape is broadcast against the input with
 * PyTorch's warning (once per pair of shapes), and converted to the input's dtype.
 */
function broadcastPair(input: Tensor, target: Tensor): [Tensor, Tensor] {
  // (Tensor.to returns the tensor itself when it already has the dtype, here and below.)
  const t = isFloatingDType(input.dtype) ? target.to(input.dtype) : target;
  if (shapesEqual(input.shape, target.shape)) return [input, t];
  const message = `Using a target size (${formatShape(target.shape)}) that is different to the input size (${formatShape(input.shape)}). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`;
  if (!warned.has(message)) {
    warned.add(message);
    console.warn(`UserWarning: ${message}`);
  }
  const shape = broadcastShapes(input.shape, target.shape);
  return [input.expand(shape), t.expand(shape)];
}

/**
 * Mean squared error: mean((input - target)²). A target of another shape is broadcast (with
 * PyTorch's warning).
 *
 * @example
 * ```ts
 * const loss = F.mseLoss(yPred, y); // scalar
 * F.mseLoss(yPred, y, { reduction: 'none' }); // one value per element
 * ```
 */
export function mseLoss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  [input, target, options] = checkFunctionArgs('mseLoss', [input, target, options]) as [
    never,
    never,
    never,
  ];
  const { reduction = 'mean' } = options;
  requireFloatingInput('mse_loss', input);
  const [x, y] = broadcastPair(input, target);
  return runOp(LOSS_OPS, 'mseLoss', [x, y], { reduction });
}

/**
 * Mean absolute error: mean(|input - target|).
 *
 * @example
 * ```ts
 * F.l1Loss(yPred, y, { reduction: 'sum' });
 * ```
 */
export function l1Loss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
  [input, target, options] = checkFunctionArgs('l1Loss', [input, target, options]) as [
    never,
    never,
    never,
  ];
  const { reduction = 'mean' } = options;
  requireFloatingInput('l1_loss', input);
  const [x, y] = broadcastPair(input, target);
  return reduce(x.sub(y).abs(), reduction);
}

/**
 * Huber loss: ½(x - y)² where |x - y| < delta, delta·(|x - y| - ½delta) elsewhere.
 *
 * @example
 * ```ts
 * F.huberLoss(yPred, y, { delta: 0.5 });
 * ```
 */
export function huberLoss(input: Tensor, target: Tensor, options: HuberLossOptions = {}): Tensor {
  [input, target, options] = checkFunctionArgs('huberLoss', [input, target, options]) as [
    never,
    never,
    never,
  ];
  const { reduction = 'mean', delta = 1 } = options;
  if (!(delta > 0))
    throw new RangeError('huber_loss does not support non-positive values for delta.');
  requireFloatingInput('huber_loss', input);
  const [x, y] = broadcastPair(input, target);
  return runOp(LOSS_OPS, 'huberLoss', [x, y], { reduction, delta });
}

/**
 * Smooth L1 loss: ½(x - y)²/beta where |x - y| < beta, |x - y| - ½beta elsewhere (the L1 loss
 * for beta = 0).
 *
 * @example
 * ```ts
 * F.smoothL1Loss(boxes, targetBoxes, { beta: 1 / 9 });
 * ```
 */
export function smoothL1Loss(
  input: Tensor,
  target: Tensor,
  options: SmoothL1LossOptions = {},
): Tensor {
  [input, target, options] = checkFunctionArgs('smoothL1Loss', [input, target, options]) as [
    never,
    never,
    never,
  ];
  const { reduction = 'mean', beta = 1 } = options;
  if (beta < 0) throw new RangeError('smooth_l1_loss does not support negative values for beta.');
  if (beta === 0) return l1Loss(input, target, { reduction });
  requireFloatingInput('smooth_l1_loss', input);
  const [x, y] = broadcastPair(input, target);
  return runOp(LOSS_OPS, 'smoothL1Loss', [x, y], { reduction, beta });
}

// ---- classification losses --------------------------------------------------------------------

/** Per-target losses of NLL before reduction, and what 'mean' divides by. */
interface NllParts {
  /** -weight[t]·input[t] per target, 0 where ignored. */
  losses: Tensor;
  /** Sum of the weights of the non-ignored targets (their count without weights). */
  totalWeight: Tensor;
  /** True where the target is ignoreIndex (null when none is). */
  ignored: Tensor | null;
  /** The weight, converted to the input's dtype. */
  weight: Tensor | null;
}

function checkClassWeight(weight: Tensor, nClasses: number, prefix = ''): void {
  if (weight.ndim !== 1 || weight.numel() !== nClasses) {
    throw new RangeError(
      `${prefix}weight tensor should be defined either for all ${nClasses} classes or no classes but got weight tensor of shape: ${formatShape(weight.shape)}`,
    );
  }
}

/** Validates shapes, dtypes and target values as PyTorch's nll_loss_nd does, then picks. */
function nllParts(
  input: Tensor,
  target: Tensor,
  weightOption: Tensor | null,
  ignoreIndex: number,
): NllParts {
  if (input.ndim < 1) throw new RangeError(`Expected 1 or more dimensions (got ${input.ndim})`);
  requireFloatingInput('nll_loss', input);
  const batch = target.ndim === 0 ? 0 : target.shape[0]!;
  if (input.ndim !== 1 && input.shape[0] !== batch) {
    throw new RangeError(
      `Expected input batch_size (${input.shape[0]}) to match target batch_size (${batch}).`,
    );
  }
  if (input.ndim <= 2) {
    if (target.ndim > 1)
      throw new RangeError('0D or 1D target tensor expected, multi-target not supported');
    if (input.ndim === 1 && target.ndim !== 0) {
      throw new RangeError(
        `size mismatch (got input: ${formatShape(input.shape)}, target: ${formatShape(target.shape)})`,
      );
    }
  } else {
    const expected = [input.shape[0]!, ...input.shape.slice(2)];
    if (!shapesEqual(expected, target.shape)) {
      throw new RangeError(
        `Expected target size ${formatShape(expected)}, got ${formatShape(target.shape)}`,
      );
    }
  }
  if (target.dtype !== 'int32') {
    throw new TypeError(
      `expected scalar type int32 (class indices, gd's Long) but found ${target.dtype}`,
    );
  }
  const classDim = input.ndim === 1 ? 0 : 1;
  const nClasses = input.shape[classDim]!;
  if (weightOption) checkClassWeight(weightOption, nClasses);
  const weight = weightOption ? weightOption.to(input.dtype) : null;

  // Bounds: every target that is not ignored must be a class.
  const values = target.value.contiguous().data as Int32Array;
  let anyIgnored = false;
  for (let i = 0; i < values.length; i++) {
    const t = values[i]!;
    if (t === ignoreIndex) anyIgnored = true;
    else if (t < 0 || t >= nClasses) throw new RangeError(`Target ${t} is out of bounds.`);
  }

  const ignored = anyIgnored ? target.eq(ignoreIndex) : null;
  const safeTarget = ignored ? target.maskedFill(ignored, 0) : target;
  const picked =
    input.ndim === 1
      ? input.gather(0, safeTarget.reshape([1])).reshape([])
      : input.gather(1, safeTarget.unsqueeze(1)).squeeze(1);
  let losses = picked.neg();
  let totalWeight: Tensor;
  if (weight) {
    let w = weight.indexSelect(0, safeTarget.reshape([-1])).reshape(target.shape);
    if (ignored) w = w.maskedFill(ignored, 0);
    losses = losses.mul(w);
    totalWeight = w.sum();
  } else {
    const count = ignored ? values.length - ignored.value.sum().item() : values.length;
    totalWeight = input.newFull([], count);
  }
  // Masked after the weight multiply, so that ignored targets get exactly zero gradient.
  if (ignored) losses = losses.maskedFill(ignored, 0);
  return { losses, totalWeight, ignored, weight };
}

/** Per-target losses reduced as NLL does: `'mean'` divides their sum by the targets' total weight. */
function reduceNll(losses: Tensor, totalWeight: Tensor, reduction: Reduction): Tensor {
  if (reduction === 'none') return losses;
  const total = losses.sum();
  return reduction === 'sum' ? total : total.div(totalWeight);
}

/**
 * Negative log-likelihood: -input[n, target[n]] (times weight[target[n]]), for input of
 * log-probabilities [N, C], [N, C, d1, ...] or [C] and int32 class-index targets [N],
 * [N, d1, ...] or []. `'mean'` divides by the sum of the weights of the non-ignored targets.
 * Differentiable: the values are picked with `gather`.
 *
 * @example
 * ```ts
 * const logp = F.logSoftmax(logits, 1);
 * F.nllLoss(logp, tensor([2, 0, 1], { dtype: 'int32' }));
 * ```
 */
export function nllLoss(input: Tensor, target: Tensor, options: NLLLossOptions = {}): Tensor {
  [input, target, options] = checkFunctionArgs('nllLoss', [input, target, options]) as [
    never,
    never,
    never,
  ];
  const { weight = null, ignoreIndex = -100, reduction = 'mean' } = options;
  const { losses, totalWeight } = nllParts(input, target, weight, ignoreIndex);
  return reduceNll(losses, totalWeight, reduction);
}

function checkLabelSmoothing(labelSmoothing: number): void {
  if (labelSmoothing > 1)
    throw new RangeError(`label_smoothing must be between 0.0 and 1.0. Got: ${labelSmoothing}`);
}

/** The weight reshaped to broadcast along the class dim. */
function classWeightView(weight: Tensor, ndim: number, classDim: number): Tensor {
  return weight.reshape(
    Array.from({ length: ndim }, (_, i) => (i === classDim ? weight.numel() : 1)),
  );
}

/**
 * Whether the fused softmax cross-entropy applies: logits [N, C], int32 targets [N], each a
 * class and none equal to `ignoreIndex` (anything else takes the general path, which reports
 * the errors).
 */
function plainTargets(input: Tensor, target: Tensor, ignoreIndex: number): boolean {
  if (input.ndim !== 2 || target.ndim !== 1 || target.dtype !== 'int32') return false;
  if (target.shape[0] !== input.shape[0]) return false;
  const nClasses = input.shape[1]!;
  const values = target.value.data as Int32Array;
  for (let i = 0; i < values.length; i++) {
    const t = values[i]!;
    if (t === ignoreIndex || t < 0 || t >= nClasses) return false;
  }
  return true;
}

/**
 * Cross-entropy between logits and targets, computed stably from `logSoftmax` (logits of ±1000
 * give finite losses and gradients). `input`: [N, C], [N, C, d1, ...] or [C]. `target`: int32
 * class indices ([N], [N, d1, ...] or []) or class probabilities (float, the input's shape).
 * Options as PyTorch: a per-class `weight`, `ignoreIndex` (class-index targets; default -100),
 * `labelSmoothing` and `reduction` (`'mean'` divides by the sum of the weights of the
 * non-ignored targets for class indices, by the number of samples for probabilities).
 *
 * @example
 * ```ts
 * const logits = tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]], { requiresGrad: true });
 * const loss = F.crossEntropy(logits, tensor([0, 2], { dtype: 'int32' }));
 * loss.backward();
 * F.crossEntropy(logits, labels, { labelSmoothing: 0.1, weight: tensor([1, 2, 1]) });
 * ```
 */
export function crossEntropy(
  input: Tensor,
  target: Tensor,
  options: CrossEntropyOptions = {},
): Tensor {
  [input, target, options] = checkFunctionArgs('crossEntropy', [input, target, options]) as [
    never,
    never,
    never,
  ];
  const { weight = null, ignoreIndex = -100, reduction = 'mean', labelSmoothing = 0 } = options;
  if (input.ndim < 1) throw new RangeError(`Expected 1 or more dimensions (got ${input.ndim})`);
  requireFloatingInput('cross_entropy', input);
  const classDim = input.ndim === 1 ? 0 : 1;
  const nClasses = input.shape[classDim]!;

  if (shapesEqual(input.shape, target.shape)) {
    // Class probabilities.
    if (!isFloatingDType(target.dtype)) {
      throw new TypeError(
        `Expected floating point type for target with class probabilities, got ${target.dtype}`,
      );
    }
    if (ignoreIndex >= 0)
      throw new RangeError('ignore_index is not supported for floating point target');
    if (weight) checkClassWeight(weight, nClasses, 'cross_entropy: ');
    const logp = input.logSoftmax(classDim);
    let t = target.to(input.dtype);
    if (labelSmoothing > 0) {
      checkLabelSmoothing(labelSmoothing);
      t = t.mul(1 - labelSmoothing).add(labelSmoothing / nClasses);
    }
    let terms = logp.mul(t);
    if (weight) terms = terms.mul(classWeightView(weight.to(input.dtype), input.ndim, classDim));
    if (reduction === 'none') return terms.sum(classDim).neg();
    const total = terms.sum().neg();
    return reduction === 'sum' ? total : total.div(input.numel() / nClasses);
  }

  if (!weight && !(labelSmoothing > 0) && plainTargets(input, target, ignoreIndex))
    return softmaxCrossEntropy(input, target, reduction);
  const logp = input.logSoftmax(classDim);
  if (!(labelSmoothing > 0)) return nllLoss(logp, target, { weight, ignoreIndex, reduction });

  // Class indices with label smoothing: (1 - ε)·NLL + ε/C · Σ_c -w_c·logp_c.
  checkLabelSmoothing(labelSmoothing);
  const parts = nllParts(logp, target, weight, ignoreIndex);
  const nll = reduceNll(parts.losses, parts.totalWeight, reduction);
  let smooth = (parts.weight ? logp.mul(classWeightView(parts.weight, input.ndim, classDim)) : logp)
    .sum(classDim)
    .neg();
  if (parts.ignored) smooth = smooth.maskedFill(parts.ignored, 0);
  const ret = reduceNll(smooth, parts.totalWeight, reduction);
  return nll.mul(1 - labelSmoothing).add(ret.mul(labelSmoothing / nClasses));
}

/**
 * A weight of the binary cross-entropies as an input of their op: checked to broadcast to
 * exactly the input's shape, as PyTorch's in-place multiply needs, and in the input's dtype.
 */
function weightInput(weight: Tensor, input: Tensor): Tensor {
  const out = broadcastShapes(input.shape, weight.shape);
  if (!shapesEqual(out, input.shape)) {
    throw new RangeError(
      `output with shape ${formatShape(input.shape)} doesn't match the broadcast shape ${formatShape(out)}`,
    );
  }
  return weight.to(input.dtype);
}

/**
 * Binary cross-entropy between probabilities and targets:
 * -weight·(y·log(p) + (1 - y)·log(1 - p)), with the logs clamped to >= -100 as in PyTorch, so
 * that p = 0 or 1 gives a finite loss (100 when wrong) and a finite gradient (±1e12 when wrong,
 * 0 when right: PyTorch divides by max((1 - p)·p, ε) with ε = float32(1e-12)). Target and input must have the same
 * shape; the input must lie in [0, 1].
 *
 * @example
 * ```ts
 * const p = F.sigmoid(logits);
 * F.binaryCrossEntropy(p, labels.float());
 * ```
 */
export function binaryCrossEntropy(
  input: Tensor,
  target: Tensor,
  options: BCELossOptions = {},
): Tensor {
  [input, target, options] = checkFunctionArgs('binaryCrossEntropy', [input, target, options]) as [
    never,
    never,
    never,
  ];
  const { weight = null, reduction = 'mean' } = options;
  if (!shapesEqual(target.shape, input.shape)) {
    throw new RangeError(
      `Using a target size (${formatShape(target.shape)}) that is different to the input size (${formatShape(input.shape)}) is deprecated. Please ensure they have the same size.`,
    );
  }
  requireFloatingInput('binary_cross_entropy', input);
  const inputs = [input, target.to(input.dtype)];
  if (weight) inputs.push(weightInput(weight, input));
  return runOp(LOSS_OPS, 'binaryCrossEntropy', inputs, { reduction, weighted: weight !== null });
}

/**
 * Binary cross-entropy on logits, σ folded in for stability (PyTorch's formula: logits of
 * ±1000 give finite losses and gradients): with m = max(-x, 0),
 * weight·[(1 - y)·x + (1 + (posWeight - 1)·y)·(log(e^-m + e^(-x-m)) + m)].
 * `posWeight` (one per class, broadcast along the last dim) weighs the positive examples.
 *
 * @example
 * ```ts
 * F.binaryCrossEntropyWithLogits(logits, labels.float(), { posWeight: tensor([3]) });
 * ```
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  options: BCEWithLogitsLossOptions = {},
): Tensor {
  [input, target, options] = checkFunctionArgs('binaryCrossEntropyWithLogits', [
    input,
    target,
    options,
  ]) as [never, never, never];
  const { weight = null, posWeight = null, reduction = 'mean' } = options;
  if (!shapesEqual(target.shape, input.shape)) {
    throw new RangeError(
      `Target size (${formatShape(target.shape)}) must be the same as input size (${formatShape(input.shape)})`,
    );
  }
  requireFloatingInput('binary_cross_entropy_with_logits', input);
  const inputs = [input, target.to(input.dtype)];
  if (weight) inputs.push(weightInput(weight, input));
  if (posWeight) inputs.push(weightInput(posWeight, input));
  return runOp(LOSS_OPS, 'binaryCrossEntropyWithLogits', inputs, {
    reduction,
    weighted: weight !== null,
    posWeighted: posWeight !== null,
  });
}
