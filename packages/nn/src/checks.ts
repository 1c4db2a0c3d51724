/**
 * What each layer's constructor takes, as one table: its positional parameters (in
 * @gd/tensor's signature notation) and the schema of its options object. Constructors check
 * their arguments from it with @gd/tensor's shared checker, and the misuse tests are generated
 * from it.
 */
import { Tensor } from '@gd/autograd';
import type { ArgKind, ParamSig } from '@gd/tensor';
import { NDArray, checkArgs, checkOptionsSchema, signature } from '@gd/tensor';

/** The kinds nn adds to @gd/tensor's base kinds. */
export const NN_KINDS: Readonly<Record<string, ArgKind>> = {
  tensor: { test: (v) => v instanceof Tensor, accepts: 'a Tensor', wrong: [1] },
  // The input of an F function or a layer: a Tensor, or an NDArray taken as a constant.
  input: {
    test: (v) => v instanceof Tensor || v instanceof NDArray,
    accepts: 'a Tensor (or an NDArray)',
    wrong: [1],
  },
  reduction: {
    test: (v) => v === 'none' || v === 'mean' || v === 'sum',
    accepts: "one of 'none', 'mean', 'sum'",
    wrong: 'avg',
  },
  approximate: {
    test: (v) => v === 'none' || v === 'tanh',
    accepts: "one of 'none', 'tanh'",
    wrong: 'fast',
  },
  padding: {
    test: (v) =>
      v === 'valid' ||
      v === 'same' ||
      Number.isInteger(v) ||
      (Array.isArray(v) && v.length === 2 && v.every(Number.isInteger)),
    accepts: "an integer, a pair of integers, 'valid' or 'same'",
    wrong: 'full',
  },
  adaptive: {
    test: (v) =>
      Number.isInteger(v) ||
      (Array.isArray(v) && v.length === 2 && v.every((e) => e === null || Number.isInteger(e))),
    accepts: 'an integer or a pair of integers (or nulls)',
    wrong: '7',
  },
};

const REDUCTION = { reduction: 'reduction' };
const NLL = { ...REDUCTION, weight: 'tensor|null', ignoreIndex: 'int' };
const BATCH_NORM = {
  args: ['numFeatures:int', 'options?:options'],
  options: {
    eps: 'number',
    momentum: 'number|null',
    affine: 'bool',
    trackRunningStats: 'bool',
    dtype: 'dtype',
  },
};

/** Each layer: positional parameters, and its options' schema when it takes options. */
export const LAYER_SIGNATURES: Readonly<
  Record<string, { args: readonly string[]; options?: Readonly<Record<string, string>> }>
> = {
  Linear: {
    args: ['inFeatures:int', 'outFeatures:int', 'bias?:bool', 'options?:options'],
    options: { dtype: 'dtype' },
  },
  Conv2d: {
    args: ['inChannels:int', 'outChannels:int', 'kernelSize:pair', 'options?:options'],
    options: {
      stride: 'pair',
      padding: 'padding',
      dilation: 'pair',
      groups: 'int',
      bias: 'bool',
      dtype: 'dtype',
    },
  },
  MaxPool2d: {
    args: ['kernelSize:pair', 'options?:options'],
    options: { stride: 'pair|null', padding: 'pair', dilation: 'pair', ceilMode: 'bool' },
  },
  AvgPool2d: {
    args: ['kernelSize:pair', 'options?:options'],
    options: { stride: 'pair|null', padding: 'pair', ceilMode: 'bool', countIncludePad: 'bool' },
  },
  AdaptiveAvgPool2d: { args: ['outputSize:adaptive'] },
  BatchNorm1d: BATCH_NORM,
  BatchNorm2d: BATCH_NORM,
  LayerNorm: {
    args: ['normalizedShape:ints', 'options?:options'],
    options: { eps: 'number', elementwiseAffine: 'bool', bias: 'bool', dtype: 'dtype' },
  },
  Embedding: {
    args: ['numEmbeddings:int', 'embeddingDim:int', 'options?:options'],
    options: {
      paddingIdx: 'int|null',
      maxNorm: 'number|null',
      normType: 'number',
      dtype: 'dtype',
      weight: 'tensor',
    },
  },
  Dropout: { args: ['p?:number'] },
  LeakyReLU: { args: ['negativeSlope?:number'] },
  Softplus: { args: ['beta?:number', 'threshold?:number'] },
  GELU: { args: ['approximate?:approximate'] },
  Softmax: { args: ['dim:dim'] },
  LogSoftmax: { args: ['dim:dim'] },
  Flatten: { args: ['startDim?:dim', 'endDim?:dim'] },
  Unflatten: { args: ['dim:dim', 'sizes:shape'] },
  MSELoss: { args: ['options?:options'], options: REDUCTION },
  L1Loss: { args: ['options?:options'], options: REDUCTION },
  HuberLoss: { args: ['options?:options'], options: { ...REDUCTION, delta: 'number' } },
  SmoothL1Loss: { args: ['options?:options'], options: { ...REDUCTION, beta: 'number' } },
  NLLLoss: { args: ['options?:options'], options: NLL },
  CrossEntropyLoss: { args: ['options?:options'], options: { ...NLL, labelSmoothing: 'number' } },
  BCELoss: { args: ['options?:options'], options: { ...REDUCTION, weight: 'tensor|null' } },
  BCEWithLogitsLoss: {
    args: ['options?:options'],
    options: { ...REDUCTION, weight: 'tensor|null', posWeight: 'tensor|null' },
  },
};

const LOSS = ['input:input', 'target:input', 'options?:options'];
const POOL = { stride: 'pair|null', padding: 'pair', dilation: 'pair', ceilMode: 'bool' };

/** The functions of `F` that check their arguments, in the same notation as the layers. */
export const FUNCTION_SIGNATURES: Readonly<
  Record<string, { args: readonly string[]; options?: Readonly<Record<string, string>> }>
> = {
  linear: { args: ['input:input', 'weight:tensor', 'bias?:tensor|null'] },
  dropout: { args: ['input:input', 'p?:number', 'training?:bool'] },
  softmax: { args: ['input:input', 'dim:dim'] },
  logSoftmax: { args: ['input:input', 'dim:dim'] },
  leakyRelu: { args: ['input:input', 'negativeSlope?:number'] },
  softplus: { args: ['input:input', 'beta?:number', 'threshold?:number'] },
  conv2d: {
    args: ['input:input', 'weight:tensor', 'bias?:tensor|null', 'options?:options'],
    options: { stride: 'pair', padding: 'padding', dilation: 'pair', groups: 'int' },
  },
  maxPool2d: { args: ['input:input', 'kernelSize:pair', 'options?:options'], options: POOL },
  avgPool2d: {
    args: ['input:input', 'kernelSize:pair', 'options?:options'],
    options: { stride: 'pair|null', padding: 'pair', ceilMode: 'bool', countIncludePad: 'bool' },
  },
  adaptiveAvgPool2d: { args: ['input:input', 'outputSize:adaptive'] },
  mseLoss: { args: LOSS, options: REDUCTION },
  l1Loss: { args: LOSS, options: REDUCTION },
  huberLoss: { args: LOSS, options: { ...REDUCTION, delta: 'number' } },
  smoothL1Loss: { args: LOSS, options: { ...REDUCTION, beta: 'number' } },
  nllLoss: { args: LOSS, options: NLL },
  crossEntropy: { args: LOSS, options: { ...NLL, labelSmoothing: 'number' } },
  binaryCrossEntropy: { args: LOSS, options: { ...REDUCTION, weight: 'tensor|null' } },
  binaryCrossEntropyWithLogits: {
    args: LOSS,
    options: { ...REDUCTION, weight: 'tensor|null', posWeight: 'tensor|null' },
  },
};

const PARSED_FUNCTIONS = new Map<string, ParamSig[]>(
  Object.entries(FUNCTION_SIGNATURES).map(([k, v]) => [k, signature(v.args)]),
);

/**
 * Checks an `F` function's arguments against its row of {@link FUNCTION_SIGNATURES}, and
 * returns them with NDArray inputs wrapped as constant Tensors.
 *
 * @example
 * ```ts
 * const [input, target] = checkFunctionArgs('mseLoss', [input, target, options]);
 * ```
 */
export function checkFunctionArgs(fn: string, args: unknown[]): unknown[] {
  const row = FUNCTION_SIGNATURES[fn]!;
  const sig = PARSED_FUNCTIONS.get(fn)!;
  checkArgs(fn, sig, args, NN_KINDS);
  const at = sig.findIndex((p) => p.name === 'options');
  if (row.options && at >= 0) checkOptionsSchema(fn, args[at], row.options, NN_KINDS);
  return args.map((a, i) =>
    sig[i]?.kind === 'input' && a instanceof NDArray ? Tensor.fromArray(a) : a,
  );
}

const PARSED = new Map<string, ParamSig[]>(
  Object.entries(LAYER_SIGNATURES).map(([k, v]) => [k, signature(v.args)]),
);

/**
 * Checks a layer constructor's arguments against its row of {@link LAYER_SIGNATURES}: kinds of
 * the positional ones, then the options object's keys and kinds.
 *
 * @example
 * ```ts
 * checkLayerArgs('Linear', [784, '10']);
 * // TypeError: Linear: outFeatures must be an integer, got the string "10"
 * ```
 */
export function checkLayerArgs(layer: string, args: readonly unknown[]): void {
  const row = LAYER_SIGNATURES[layer]!;
  const sig = PARSED.get(layer)!;
  checkArgs(layer, sig, args, NN_KINDS);
  const at = sig.findIndex((p) => p.name === 'options');
  if (row.options && at >= 0) checkOptionsSchema(layer, args[at], row.options, NN_KINDS);
}
