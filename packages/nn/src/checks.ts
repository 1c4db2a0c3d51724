/**
 * What each layer's constructor takes, as one table: its positional parameters (in
 * @gd/tensor's signature notation) and the schema of its options object. Constructors check
 * their arguments from it with @gd/tensor's shared checker, and the misuse tests are generated
 * from it.
 */
import { Tensor } from '@gd/autograd';
import type { ArgKind, SignatureRow } from '@gd/tensor';
import { NDArray, checkRow as checkTableRow } from '@gd/tensor';

/**
 * Whether `v` is an object literal (not null, an array or another class instance: their
 * prototype is not Object.prototype).
 */
export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/**
 * The kinds nn adds to @gd/tensor's base kinds, for the main entry point's tables (the other
 * entry points' kinds are in checks-entry-points.ts).
 */
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
  stateDict: {
    test: (v) =>
      isPlainObject(v) &&
      Object.values(v).every((t) => t instanceof Tensor || t instanceof NDArray),
    accepts: 'an object of Tensors (a state dict)',
    wrong: [1],
  },
  adaptive: {
    test: (v) =>
      Number.isInteger(v) ||
      (Array.isArray(v) && v.length === 2 && v.every((e) => e === null || Number.isInteger(e))),
    accepts: 'an integer or a pair of integers (or nulls)',
    wrong: '7',
  },
};

// The options schemas a layer shares with its function in F (Conv2d's adds bias and dtype).
const CONV2D = { stride: 'pair', padding: 'padding', dilation: 'pair', groups: 'int' };
const MAX_POOL = { stride: 'pair|null', padding: 'pair', dilation: 'pair', ceilMode: 'bool' };
const AVG_POOL = {
  stride: 'pair|null',
  padding: 'pair',
  ceilMode: 'bool',
  countIncludePad: 'bool',
};
const REDUCTION = { reduction: 'reduction' };
const NLL = { ...REDUCTION, weight: 'tensor|null', ignoreIndex: 'int' };
const BCE = { ...REDUCTION, weight: 'tensor|null' };

/** Each loss: its function in F, its layer (which takes the same options) and their schema. */
const LOSSES: readonly (readonly [fn: string, layer: string, options: Record<string, string>])[] = [
  ['mseLoss', 'MSELoss', REDUCTION],
  ['l1Loss', 'L1Loss', REDUCTION],
  ['huberLoss', 'HuberLoss', { ...REDUCTION, delta: 'number' }],
  ['smoothL1Loss', 'SmoothL1Loss', { ...REDUCTION, beta: 'number' }],
  ['nllLoss', 'NLLLoss', NLL],
  ['crossEntropy', 'CrossEntropyLoss', { ...NLL, labelSmoothing: 'number' }],
  ['binaryCrossEntropy', 'BCELoss', BCE],
  ['binaryCrossEntropyWithLogits', 'BCEWithLogitsLoss', { ...BCE, posWeight: 'tensor|null' }],
];

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
export const LAYER_SIGNATURES: Readonly<Record<string, SignatureRow>> = {
  Linear: {
    args: ['inFeatures:int', 'outFeatures:int', 'bias?:bool', 'options?:options'],
    options: { dtype: 'dtype' },
  },
  Conv2d: {
    args: ['inChannels:int', 'outChannels:int', 'kernelSize:pair', 'options?:options'],
    options: { ...CONV2D, bias: 'bool', dtype: 'dtype' },
  },
  MaxPool2d: { args: ['kernelSize:pair', 'options?:options'], options: MAX_POOL },
  AvgPool2d: { args: ['kernelSize:pair', 'options?:options'], options: AVG_POOL },
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
  ...Object.fromEntries(
    LOSSES.map(([, layer, options]) => [layer, { args: ['options?:options'], options }]),
  ),
};

/** The functions of `F` that check their arguments, in the same notation as the layers. */
export const FUNCTION_SIGNATURES: Readonly<Record<string, SignatureRow>> = {
  linear: { args: ['input:input', 'weight:tensor', 'bias?:tensor|null'] },
  dropout: { args: ['input:input', 'p?:number', 'training?:bool'] },
  softmax: { args: ['input:input', 'dim:dim'] },
  logSoftmax: { args: ['input:input', 'dim:dim'] },
  leakyRelu: { args: ['input:input', 'negativeSlope?:number'] },
  softplus: { args: ['input:input', 'beta?:number', 'threshold?:number'] },
  conv2d: {
    args: ['input:input', 'weight:tensor', 'bias?:tensor|null', 'options?:options'],
    options: CONV2D,
  },
  maxPool2d: { args: ['input:input', 'kernelSize:pair', 'options?:options'], options: MAX_POOL },
  avgPool2d: { args: ['input:input', 'kernelSize:pair', 'options?:options'], options: AVG_POOL },
  adaptiveAvgPool2d: { args: ['input:input', 'outputSize:adaptive'] },
  ...Object.fromEntries(
    LOSSES.map(([fn, , options]) => [
      fn,
      { args: ['input:input', 'target:input', 'options?:options'], options },
    ]),
  ),
};

/** The methods of `Module` that take arguments (named `Module.<method>` in errors). */
export const MODULE_SIGNATURES: Readonly<Record<string, SignatureRow>> = {
  train: { args: ['mode?:bool'] },
  zeroGrad: { args: ['setToNone?:bool'] },
  apply: { args: ['fn:function'] },
  requiresGrad_: { args: ['flag?:bool'] },
  namedModules: { args: ['prefix?:string'] },
  namedParameters: { args: ['prefix?:string', 'recurse?:bool'] },
  parameters: { args: ['recurse?:bool'] },
  namedBuffers: { args: ['prefix?:string', 'recurse?:bool'] },
  buffers: { args: ['recurse?:bool'] },
  numParameters: { args: ['onlyTrainable?:bool'] },
  loadStateDict: {
    args: ['stateDict:stateDict', 'options?:options'],
    options: { strict: 'bool' },
  },
};

/**
 * Checks `args` against a row of one of the tables above (kinds of the positional parameters,
 * then the options object's keys and kinds); errors are named `fn`.
 *
 * @example
 * ```ts
 * checkRow('Module.train', MODULE_SIGNATURES.train!, ['yes']);
 * // TypeError: Module.train: mode must be a boolean, got the string "yes"
 * ```
 */
export function checkRow(fn: string, row: SignatureRow, args: ArrayLike<unknown>): void {
  checkTableRow(fn, row, args, NN_KINDS);
}

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
  const sig = checkTableRow(fn, FUNCTION_SIGNATURES[fn]!, args, NN_KINDS);
  return args.map((a, i) =>
    sig[i]?.kind === 'input' && a instanceof NDArray ? Tensor.fromArray(a) : a,
  );
}

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
  checkRow(layer, LAYER_SIGNATURES[layer]!, args);
}

/**
 * Throws a RangeError, named `layer`, for a size that is not a non-negative integer: the table's
 * `int` kind lets negative sizes through, and a layer's subclass outside the table is checked
 * by this alone.
 *
 * @example
 * ```ts
 * checkSizes('Linear', { inFeatures: 784, outFeatures: -1 });
 * // RangeError: Linear: outFeatures must be a non-negative integer, got -1
 * ```
 */
export function checkSizes(layer: string, sizes: Readonly<Record<string, number>>): void {
  for (const [name, v] of Object.entries(sizes)) {
    if (!Number.isInteger(v) || v < 0)
      throw new RangeError(`${layer}: ${name} must be a non-negative integer, got ${v}`);
  }
}

/**
 * Throws PyTorch's error for a dropout probability outside [0, 1] (NaN included).
 *
 * @example
 * ```ts
 * checkDropoutProbability(1.5); // RangeError: dropout probability has to be between 0 and 1, but got 1.5
 * ```
 */
export function checkDropoutProbability(p: number): void {
  if (!(p >= 0 && p <= 1))
    throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
}
