/**
 * Tensor printing, a faithful port of PyTorch's `torch/_tensor_str.py` (the 2.x behaviour).
 *
 * The output is meant to be character-for-character what `repr(t)` gives in PyTorch, so that
 * docs, tests and users can compare gd and PyTorch output directly. The one deliberate change is
 * the dtype suffix, which names gd's dtypes (`dtype=float64`, not `dtype=torch.float64`).
 *
 * This module knows nothing about the tensor class: it reads elements through a callback.
 */

import type { DType } from './dtype.js';
import { contiguousStrides, formatShape } from './shape.js';

/** Options that control how tensors are printed (PyTorch's `torch.set_printoptions`). */
export interface PrintOptions {
  /** Digits after the decimal point (or of the mantissa, in scientific mode). Default 4. */
  precision?: number;
  /** Tensors with more elements than this are summarised with `...`. Default 1000. */
  threshold?: number;
  /** Items shown at each end of every summarised dimension. Default 3. */
  edgeItems?: number;
  /** Characters per line before a row of elements wraps. Default 80. */
  lineWidth?: number;
  /**
   * `true` forces scientific notation, `false` forbids it, `undefined` lets the formatter decide
   * (scientific when max/min > 1000, max > 1e8 or min < 1e-4 over the nonzero finite values).
   */
  sciMode?: boolean | undefined;
}

/** Named presets, as in PyTorch: `short` prints 2 digits and 2 edge items, `full` never summarises. */
export type PrintProfile = 'default' | 'short' | 'full';

/** The complete set of print options in force. */
export interface ResolvedPrintOptions {
  precision: number;
  threshold: number;
  edgeItems: number;
  lineWidth: number;
  sciMode: boolean | undefined;
}

/** Per-call options of {@link formatTensor}. */
export interface FormatTensorOptions extends PrintOptions {
  /** Text before the data; its length is the indentation of continuation lines. Default `'tensor('`. */
  prefix?: string;
  /** Extra `name=value` parts printed after the data and dtype, e.g. `'requires_grad=True'`. */
  suffixes?: readonly string[];
}

const PROFILES: Record<PrintProfile, Omit<ResolvedPrintOptions, 'sciMode'>> = {
  default: { precision: 4, threshold: 1000, edgeItems: 3, lineWidth: 80 },
  short: { precision: 2, threshold: 1000, edgeItems: 2, lineWidth: 80 },
  full: { precision: 4, threshold: Infinity, edgeItems: 3, lineWidth: 80 },
};

let current: ResolvedPrintOptions = { ...PROFILES.default, sciMode: undefined };

/**
 * Sets the global print options, like `torch.set_printoptions`: a `profile` is applied first,
 * then every option given overrides it.
 *
 * As in PyTorch, `sciMode` is always reset: leaving it out returns to automatic choice.
 *
 * @example
 * ```ts
 * setPrintOptions({ precision: 2 });
 * formatTensor([1], () => 1.12345, 'float32'); // 'tensor([1.12])'
 * setPrintOptions({ profile: 'default' });
 * ```
 */
export function setPrintOptions(options: PrintOptions & { profile?: PrintProfile }): void {
  const next: ResolvedPrintOptions = { ...current };
  if (options.profile !== undefined) {
    const preset = PROFILES[options.profile];
    if (preset === undefined) {
      throw new RangeError(
        `unknown print profile ${JSON.stringify(options.profile)}: expected 'default', 'short' or 'full'`,
      );
    }
    Object.assign(next, preset);
  }
  Object.assign(next, checkedOptions(options));
  next.sciMode = options.sciMode;
  current = next;
}

/**
 * The global print options now in force (a copy).
 *
 * @example
 * ```ts
 * getPrintOptions().precision; // 4 by default
 * ```
 */
export function getPrintOptions(): ResolvedPrintOptions {
  return { ...current };
}

/**
 * Formats a tensor exactly as PyTorch's `repr` does, e.g. `tensor([1.0000, 2.5000])`.
 *
 * Elements are read through `get`, by row-major flat index; bool elements are 0/1. Options given
 * here override the global ones from {@link setPrintOptions} for this call only.
 *
 * The dtype is printed only when it is not implied by the data (float64 always; int32 and bool
 * only for empty tensors, whose dtype cannot be guessed from elements), as PyTorch does with its
 * defaults float32, int64 and bool.
 *
 * @example
 * ```ts
 * const data = [1, 2, 3, 4];
 * formatTensor([2, 2], (i) => data[i]!, 'float64', { suffixes: ['requires_grad=True'] });
 * // 'tensor([[1., 2.],\n        [3., 4.]], dtype=float64, requires_grad=True)'
 * ```
 */
export function formatTensor(
  shape: readonly number[],
  get: (flatIndex: number) => number,
  dtype: DType,
  options: FormatTensorOptions = {},
): string {
  let numel = 1;
  for (const size of shape) {
    if (!Number.isInteger(size) || size < 0) {
      throw new RangeError(
        `invalid shape ${formatShape(shape)}: sizes must be non-negative integers`,
      );
    }
    numel *= size;
  }
  const opts: ResolvedPrintOptions = { ...current, ...checkedOptions(options) };
  if (options.sciMode !== undefined) opts.sciMode = options.sciMode;
  const prefix = options.prefix ?? 'tensor(';
  const indent = prefix.length;

  const suffixes: string[] = [];
  let body: string;
  if (numel === 0) {
    // NumPy-style: the size is shown unless it is the plain (0,).
    if (shape.length !== 1) suffixes.push(`size=${tupleString(shape)}`);
    // No element can hint that the dtype is an integer or bool one, so only float32 goes unsaid.
    if (dtype !== 'float32') suffixes.push(`dtype=${dtype}`);
    body = '[]';
  } else {
    // With no edge items nothing but `...` is printed, so the shape must be said.
    if (opts.edgeItems === 0) suffixes.push(`size=${tupleString(shape)}`);
    if (dtype === 'float64') suffixes.push(`dtype=${dtype}`);
    body = tensorString(shape, numel, get, dtype, opts, indent);
  }
  if (options.suffixes !== undefined) suffixes.push(...options.suffixes);
  return addSuffixes(prefix + body, suffixes, indent, opts.lineWidth);
}

// Validates the numeric options present in `options` and returns just those.
function checkedOptions(options: PrintOptions): Partial<ResolvedPrintOptions> {
  const out: Partial<ResolvedPrintOptions> = {};
  const { precision, threshold, edgeItems, lineWidth } = options;
  if (precision !== undefined) out.precision = checkCount('precision', precision);
  if (edgeItems !== undefined) out.edgeItems = checkCount('edgeItems', edgeItems);
  if (lineWidth !== undefined) out.lineWidth = checkCount('lineWidth', lineWidth);
  if (threshold !== undefined) {
    if (typeof threshold !== 'number' || Number.isNaN(threshold)) {
      throw new RangeError(
        `threshold must be a number (Infinity never summarises), got ${String(threshold)}`,
      );
    }
    out.threshold = threshold;
  }
  return out;
}

function checkCount(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

// Python's str(tuple(shape)): (), (5,), (2, 3).
function tupleString(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

// PyTorch's _add_suffixes. `lastLineLength` starts 2 too long (it mimics `len - rfind + 1`),
// which PyTorch does too, so a suffix wraps slightly early; kept for identical output.
function addSuffixes(
  text: string,
  suffixes: readonly string[],
  indent: number,
  lineWidth: number,
): string {
  let out = text;
  let lastLineLength = text.length - text.lastIndexOf('\n') + 1;
  for (const suffix of suffixes) {
    if (lastLineLength + suffix.length + 2 > lineWidth) {
      out += ',\n' + ' '.repeat(indent) + suffix;
      lastLineLength = indent + suffix.length;
    } else {
      out += ', ' + suffix;
      lastLineLength += suffix.length + 2;
    }
  }
  return out + ')';
}

// PyTorch's _tensor_str + _tensor_str_with_formatter + _vector_str for a non-empty tensor.
function tensorString(
  shape: readonly number[],
  numel: number,
  get: (flatIndex: number) => number,
  dtype: DType,
  opts: ResolvedPrintOptions,
  indent: number,
): string {
  const ndim = shape.length;
  const summarize = numel > opts.threshold;
  const edge = opts.edgeItems;
  const read = dtype === 'float32' ? (i: number) => Math.fround(get(i)) : get;

  // Row-major strides of the flat index `get` reads (no size is 0 here: numel > 0).
  const strides = contiguousStrides(shape);

  // The indices printed along one dimension, with -1 where the `...` goes.
  const shownIndices = (size: number): number[] => {
    if (summarize && size > 2 * edge) {
      const head = Array.from({ length: edge }, (_, i) => i);
      const tail = Array.from({ length: edge }, (_, i) => size - edge + i);
      return edge === 0 ? [-1] : [...head, -1, ...tail];
    }
    return Array.from({ length: size }, (_, i) => i);
  };

  // The formatter sees only the elements that will be printed (PyTorch's get_summarized_data),
  // so hidden outliers neither widen the columns nor switch on scientific notation.
  const shown: number[] = [];
  const collect = (dim: number, offset: number): void => {
    if (dim === ndim) {
      shown.push(read(offset));
      return;
    }
    for (const i of shownIndices(shape[dim] ?? 0)) {
      if (i >= 0) collect(dim + 1, offset + i * (strides[dim] ?? 0));
    }
  };
  collect(0, 0);
  const formatter = new Formatter(shown, dtype, opts);

  const build = (dim: number, offset: number, depthIndent: number): string => {
    if (ndim === 0) return formatter.format(read(0));
    const size = shape[dim] ?? 0;
    const step = strides[dim] ?? 0;
    if (dim === ndim - 1) {
      // Each element takes its width plus ', '.
      const perLine = Math.max(
        1,
        Math.floor((opts.lineWidth - depthIndent) / (formatter.width + 2)),
      );
      const items = shownIndices(size).map((i) =>
        i < 0 ? (edge === 0 ? '...' : ' ...') : formatter.format(read(offset + i * step)),
      );
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine)
        lines.push(items.slice(i, i + perLine).join(', '));
      return '[' + lines.join(',\n' + ' '.repeat(depthIndent + 1)) + ']';
    }
    const slices = shownIndices(size).map((i) =>
      i < 0 ? '...' : build(dim + 1, offset + i * step, depthIndent + 1),
    );
    // One blank line between blocks per dimension below the innermost two.
    return '[' + slices.join(',' + '\n'.repeat(ndim - dim - 1) + ' '.repeat(depthIndent + 1)) + ']';
  };
  return build(0, 0, indent);
}

// PyTorch's _Formatter: picks one notation and one column width for the whole tensor.
class Formatter {
  declare readonly width: number;
  declare private readonly floating: boolean;
  declare private readonly intMode: boolean;
  declare private readonly sciMode: boolean;
  declare private readonly precision: number;
  declare private readonly dtype: DType;

  constructor(values: readonly number[], dtype: DType, opts: ResolvedPrintOptions) {
    this.width = 1;
    this.floating = dtype === 'float32' || dtype === 'float64';
    this.intMode = true;
    this.sciMode = false;
    this.precision = opts.precision;
    this.dtype = dtype;
    if (!this.floating) {
      for (const v of values) this.width = Math.max(this.width, this.plain(v).length);
      return;
    }
    // Zeros and non-finite values never decide the notation or the width (nan, inf and 0.
    // are short anyway, and padding to their width would be wasted).
    const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
    if (finite.length === 0) return;
    let min = Infinity;
    let max = 0;
    for (const v of finite) {
      const a = Math.abs(v);
      if (a < min) min = a;
      if (a > max) max = a;
      if (v !== Math.ceil(v)) this.intMode = false;
    }
    this.sciMode = opts.sciMode ?? (max / min > 1000 || max > 1e8 || min < 1e-4);
    for (const v of finite) {
      const text = this.sciMode
        ? formatExponential(v, this.precision)
        : this.intMode
          ? formatFixed(v, 0) + '.' // the trailing '.' marks the tensor as floating point
          : formatFixed(v, this.precision);
      this.width = Math.max(this.width, text.length);
    }
  }

  format(value: number): string {
    let text: string;
    if (!this.floating) text = this.plain(value);
    else if (this.sciMode) text = formatExponential(value, this.precision);
    else if (this.intMode) text = formatFixed(value, 0) + (Number.isFinite(value) ? '.' : '');
    else text = formatFixed(value, this.precision);
    return text.padStart(this.width);
  }

  // Python's str() of an int or bool element.
  private plain(value: number): string {
    if (this.dtype === 'bool') return value !== 0 ? 'True' : 'False';
    return String(value);
  }
}

// ---------------------------------------------------------------------------------------------
// Python's float formatting ('{:.Nf}' and '{:.Ne}'). JavaScript's toFixed/toExponential differ:
// they round exact ties away from zero where Python rounds half to even, toFixed switches to
// exponent notation from 1e21, toExponential writes 'e-5' for 'e-05', and toFixed drops the sign
// of -0. So the exact decimal value of the double is computed with BigInt and rounded here.

const scratch = new DataView(new ArrayBuffer(8));
const pow5Cache = new Map<number, bigint>();

function pow5(n: number): bigint {
  let p = pow5Cache.get(n);
  if (p === undefined) {
    p = 5n ** BigInt(n);
    pow5Cache.set(n, p);
  }
  return p;
}

// |x| = digits / 10^scale exactly, for finite x.
function exactDecimal(x: number): { digits: bigint; scale: number } {
  scratch.setFloat64(0, Math.abs(x));
  const hi = scratch.getUint32(0);
  const lo = scratch.getUint32(4);
  const biased = hi >>> 20;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent: number;
  if (biased === 0) {
    exponent = -1074; // subnormal
  } else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  if (mantissa === 0n) return { digits: 0n, scale: 0 };
  // Dropping trailing zero bits keeps the power of five small.
  while (exponent < 0 && (mantissa & 1n) === 0n) {
    mantissa >>= 1n;
    exponent++;
  }
  // m·2^-k = m·5^k / 10^k
  return exponent >= 0
    ? { digits: mantissa << BigInt(exponent), scale: 0 }
    : { digits: mantissa * pow5(-exponent), scale: -exponent };
}

// n / d rounded to the nearest integer, ties to even (n, d > 0).
function divRoundHalfEven(n: bigint, d: bigint): bigint {
  const q = n / d;
  const twice = 2n * (n % d);
  if (twice > d || (twice === d && (q & 1n) === 1n)) return q + 1n;
  return q;
}

function nonFinite(x: number): string | undefined {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return undefined;
}

function signOf(x: number): string {
  return x < 0 || Object.is(x, -0) ? '-' : '';
}

/** Python's `'{:.{precision}f}'.format(x)`. */
function formatFixed(x: number, precision: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const { digits, scale } = exactDecimal(x);
  const scaled =
    scale <= precision
      ? digits * 10n ** BigInt(precision - scale)
      : divRoundHalfEven(digits, 10n ** BigInt(scale - precision));
  const text = scaled.toString().padStart(precision + 1, '0');
  const point = text.length - precision;
  return signOf(x) + text.slice(0, point) + (precision > 0 ? '.' + text.slice(point) : '');
}

/** Python's `'{:.{precision}e}'.format(x)`. */
function formatExponential(x: number, precision: number): string {
  const special = nonFinite(x);
  if (special !== undefined) return special;
  const { digits, scale } = exactDecimal(x);
  const wanted = precision + 1; // significant digits
  let mantissa: bigint;
  let exponent: number;
  if (digits === 0n) {
    mantissa = 0n;
    exponent = 0;
  } else {
    const length = digits.toString().length;
    exponent = length - 1 - scale;
    if (length > wanted) {
      mantissa = divRoundHalfEven(digits, 10n ** BigInt(length - wanted));
      // Rounding up 9.99… gives one digit too many: 10.000 → 1.0000e+1.
      if (mantissa.toString().length > wanted) {
        mantissa /= 10n;
        exponent++;
      }
    } else {
      mantissa = digits * 10n ** BigInt(wanted - length);
    }
  }
  const m = mantissa.toString().padStart(wanted, '0');
  const e = Math.abs(exponent).toString().padStart(2, '0');
  return `${signOf(x)}${m.slice(0, 1)}${precision > 0 ? '.' + m.slice(1) : ''}e${exponent < 0 ? '-' : '+'}${e}`;
}
