/**
 * @gd/nn/init — initialisers (PyTorch's `torch.nn.init`), drawing from the global seeded
 * generator (or an explicit one) in PyTorch's order, so the same seed gives PyTorch's initial
 * weights. They write in place, outside the graph, and return the tensor. An entry point of its
 * own, as `torch.nn.init` is a module of its own: the layers initialise themselves, and a page
 * that does not re-initialise weights does not load it.
 *
 * @example
 * ```ts
 * import { Linear } from '@gd/nn';
 * import * as init from '@gd/nn/init';
 *
 * const fc = new Linear(784, 128);
 * init.xavierUniform_(fc.weight);
 * init.zeros_(fc.bias!);
 * ```
 *
 * @packageDocumentation
 */
import type { Generator } from '@gd/tensor';
import { defaultGenerator, fromTypedArray } from '@gd/tensor';
import type { Tensor } from '@gd/autograd';
import { noGrad, Tensor as TensorClass } from '@gd/autograd';
import { INIT_SIGNATURES, checkEntryPointRow } from './checks-entry-points.js';
import { fanInAndFanOut, fill, fillNormal, fillUniform, leakyReluGain } from './layer-init.js';

/**
 * Nonlinearities known to {@link calculateGain}.
 *
 * @example
 * ```ts
 * const gain = calculateGain('leaky_relu', 0.2);
 * ```
 */
export type Nonlinearity =
  | 'linear'
  | 'conv1d'
  | 'conv2d'
  | 'conv3d'
  | 'conv_transpose1d'
  | 'conv_transpose2d'
  | 'conv_transpose3d'
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leaky_relu'
  | 'selu';

/**
 * Options of the Kaiming initialisers.
 *
 * @example
 * ```ts
 * kaimingUniform_(w, { a: 0, mode: 'fanOut', nonlinearity: 'relu' });
 * ```
 */
export interface KaimingOptions {
  /** Negative slope of the rectifier after this layer (for leaky_relu). */
  a?: number;
  /**
   * Keep the variance of the forward pass (`fanIn`, default) or of the backward pass (`fanOut`).
   */
  mode?: 'fanIn' | 'fanOut';
  /** The activation after the layer, which sets the gain (default `leaky_relu`). */
  nonlinearity?: Nonlinearity;
  /** The generator of the draws (default: the global one). */
  generator?: Generator;
}

// Checks a call's arguments against its row of INIT_SIGNATURES.
function checkInit(fn: string, args: readonly unknown[]): void {
  checkEntryPointRow(`init.${fn}`, INIT_SIGNATURES[fn]!, args);
}

/**
 * The recommended gain for a nonlinearity (PyTorch's `calculate_gain`).
 *
 * @example
 * ```ts
 * calculateGain('relu'); // √2
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  checkInit('calculateGain', [nonlinearity, param]);
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'conv3d':
    case 'conv_transpose1d':
    case 'conv_transpose2d':
    case 'conv_transpose3d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.sqrt(2);
    case 'leaky_relu':
      return leakyReluGain(param ?? 0.01);
    case 'selu':
      return 3 / 4;
    default:
      throw new RangeError(`Unsupported nonlinearity ${JSON.stringify(nonlinearity)}`);
  }
}

/**
 * [fanIn, fanOut] of a weight: dims 1 and 0 times the receptive field (dims 2+).
 *
 * @example
 * ```ts
 * calculateFanInAndFanOut(empty([8, 3, 5, 5])); // [75, 200]
 * ```
 */
export function calculateFanInAndFanOut(tensor: Tensor): [number, number] {
  checkInit('calculateFanInAndFanOut', [tensor]);
  return fanInAndFanOut(tensor);
}

/**
 * Fills with U(a, b).
 *
 * @example
 * ```ts
 * uniform_(layer.weight, -0.1, 0.1);
 * ```
 */
export function uniform_(tensor: Tensor, a = 0, b = 1, generator?: Generator): Tensor {
  checkInit('uniform_', [tensor, a, b, generator]);
  return fillUniform(tensor, a, b, generator);
}

/**
 * Fills with N(mean, std²).
 *
 * @example
 * ```ts
 * normal_(layer.weight, 0, 0.01);
 * ```
 */
export function normal_(tensor: Tensor, mean = 0, std = 1, generator?: Generator): Tensor {
  checkInit('normal_', [tensor, mean, std, generator]);
  return fillNormal(tensor, mean, std, generator);
}

/**
 * Fills with a constant.
 *
 * @example
 * ```ts
 * constant_(layer.bias!, 0.1);
 * ```
 */
export function constant_(tensor: Tensor, value: number): Tensor {
  checkInit('constant_', [tensor, value]);
  return fill(tensor, value);
}

/**
 * Fills with zeros.
 *
 * @example
 * ```ts
 * zeros_(layer.bias!);
 * ```
 */
export function zeros_(tensor: Tensor): Tensor {
  checkInit('zeros_', [tensor]);
  return constant_(tensor, 0);
}

/**
 * Fills with ones.
 *
 * @example
 * ```ts
 * ones_(norm.weight);
 * ```
 */
export function ones_(tensor: Tensor): Tensor {
  checkInit('ones_', [tensor]);
  return constant_(tensor, 1);
}

/**
 * Glorot uniform: U(-a, a) with a = gain·√(6 / (fanIn + fanOut)).
 *
 * @example
 * ```ts
 * xavierUniform_(layer.weight);
 * ```
 */
export function xavierUniform_(tensor: Tensor, gain = 1, generator?: Generator): Tensor {
  checkInit('xavierUniform_', [tensor, gain, generator]);
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = gain * Math.sqrt(2 / (fanIn + fanOut));
  const a = Math.sqrt(3) * std;
  return uniform_(tensor, -a, a, generator);
}

/**
 * Glorot normal: N(0, std²) with std = gain·√(2 / (fanIn + fanOut)).
 *
 * @example
 * ```ts
 * xavierNormal_(layer.weight, calculateGain('tanh'));
 * ```
 */
export function xavierNormal_(tensor: Tensor, gain = 1, generator?: Generator): Tensor {
  checkInit('xavierNormal_', [tensor, gain, generator]);
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  return normal_(tensor, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), generator);
}

function kaimingStd(tensor: Tensor, options: KaimingOptions): number {
  const { a = 0, mode = 'fanIn', nonlinearity = 'leaky_relu' } = options;
  if (mode !== 'fanIn' && mode !== 'fanOut')
    throw new RangeError(`Mode ${String(mode)} not supported, please use one of fanIn, fanOut`);
  if (tensor.numel() === 0) return 0;
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const fan = mode === 'fanIn' ? fanIn : fanOut;
  return calculateGain(nonlinearity, a) / Math.sqrt(fan);
}

/**
 * He uniform: U(-b, b) with b = gain·√(3 / fan). PyTorch's Linear and Conv2d use it with a = √5.
 *
 * @example
 * ```ts
 * kaimingUniform_(conv.weight, { nonlinearity: 'relu' });
 * ```
 */
export function kaimingUniform_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  checkInit('kaimingUniform_', [tensor, options]);
  const bound = Math.sqrt(3) * kaimingStd(tensor, options);
  return uniform_(tensor, -bound, bound, options.generator);
}

/**
 * He normal: N(0, std²) with std = gain / √fan.
 *
 * @example
 * ```ts
 * kaimingNormal_(layer.weight, { mode: 'fanOut', nonlinearity: 'relu' });
 * ```
 */
export function kaimingNormal_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  checkInit('kaimingNormal_', [tensor, options]);
  return normal_(tensor, 0, kaimingStd(tensor, options), options.generator);
}

/**
 * A (semi-)orthogonal matrix scaled by `gain` (from the QR decomposition of a normal matrix,
 * signs fixed by R's diagonal, as PyTorch does); dims after the first are flattened. The
 * normal draws are made in the tensor's dtype, as PyTorch makes them; the QR runs in float64
 * (PyTorch's runs in the tensor's dtype), so float32 results agree with PyTorch's to about 1e-6.
 *
 * @example
 * ```ts
 * orthogonal_(rnnWeight); // rows orthonormal
 * ```
 */
export function orthogonal_(tensor: Tensor, gain = 1, generator?: Generator): Tensor {
  checkInit('orthogonal_', [tensor, gain, generator]);
  if (tensor.ndim < 2) throw new RangeError('Only tensors with 2 or more dimensions are supported');
  if (tensor.numel() === 0) return tensor;
  const rows = tensor.shape[0]!;
  const cols = tensor.numel() / rows;
  // Draw a normal matrix (transposed when rows < cols, as PyTorch does), then Householder QR.
  const [m, n] = rows < cols ? [cols, rows] : [rows, cols];
  // Drawn in the tensor's dtype so the stream matches PyTorch's.
  const draws =
    tensor.dtype === 'float64' ? new Float64Array(rows * cols) : new Float32Array(rows * cols);
  (generator ?? defaultGenerator).normal_(draws);
  const a = new Float64Array(m * n);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = draws[i * cols + j]!;
      if (rows < cols) a[j * n + i] = v;
      else a[i * n + j] = v;
    }
  }
  const q = householderQ(a, m, n);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++)
      out[i * cols + j] = gain * (rows < cols ? q[j * n + i]! : q[i * n + j]!);
  }
  return noGrad(() => tensor.copy_(TensorClass.fromArray(fromTypedArray(out, tensor.shape))));
}

// Q of the thin QR decomposition of the m x n (m >= n) row-major matrix `a`, with the signs
// of R's diagonal made positive.
function householderQ(a: Float64Array, m: number, n: number): Float64Array {
  const r = a;
  const vs: Float64Array[] = [];
  for (let k = 0; k < n; k++) {
    let norm = 0;
    for (let i = k; i < m; i++) norm += r[i * n + k]! ** 2;
    norm = Math.sqrt(norm);
    const v = new Float64Array(m);
    const alpha = r[k * n + k]! >= 0 ? -norm : norm;
    for (let i = k; i < m; i++) v[i] = r[i * n + k]!;
    v[k] = v[k]! - alpha;
    let vnorm = 0;
    for (let i = k; i < m; i++) vnorm += v[i]! ** 2;
    if (vnorm > 0) {
      for (let j = k; j < n; j++) {
        let dot = 0;
        for (let i = k; i < m; i++) dot += v[i]! * r[i * n + j]!;
        const f = (2 * dot) / vnorm;
        for (let i = k; i < m; i++) r[i * n + j] = r[i * n + j]! - f * v[i]!;
      }
    }
    vs.push(vnorm > 0 ? v.map((x) => x / Math.sqrt(vnorm)) : v);
  }
  // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity.
  const q = new Float64Array(m * n);
  for (let j = 0; j < n; j++) q[j * n + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k]!;
    for (let j = 0; j < n; j++) {
      let dot = 0;
      for (let i = k; i < m; i++) dot += v[i]! * q[i * n + j]!;
      for (let i = k; i < m; i++) q[i * n + j] = q[i * n + j]! - 2 * dot * v[i]!;
    }
  }
  // Make R's diagonal positive: flip the matching columns of Q.
  for (let j = 0; j < n; j++) {
    if (r[j * n + j]! < 0) for (let i = 0; i < m; i++) q[i * n + j] = -q[i * n + j]!;
  }
  return q;
}
