/**
 * The shared argument checker: what every public function of gd's packages uses to check what
 * plain JavaScript hands it (TypeScript's types vanish at run time). Each check names the
 * function, the parameter, what was given and what is accepted, and throws a `TypeError` for a
 * wrong kind or a `RangeError` for a value out of range. Checks run once per call, at the
 * public boundary; kernels never check.
 *
 * @example
 * ```ts
 * import { check } from '@gd/tensor';
 * check.int('Linear', 'inFeatures', 3.5, { min: 1 });
 * // TypeError: Linear: inFeatures must be an integer, got number 3.5
 * ```
 */
import { NDArray } from './ndarray.js';
import { formatShape } from './shape.js';

/** A short description of a value for an error message (`the string "a"`, `an object {min}`). */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (v instanceof NDArray) return `an NDArray of shape ${formatShape(v.shape)} (${v.dtype})`;
  if (isAutogradTensor(v)) return 'an autograd Tensor';
  if (Array.isArray(v))
    return `an array [${v
      .slice(0, 4)
      .map((e) => (Array.isArray(e) ? '[...]' : String(e)))
      .join(', ')}${v.length > 4 ? ', ...' : ''}]`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object') return `an object {${Object.keys(v).join(', ')}}`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (typeof v === 'bigint') return `bigint ${String(v)}n`;
  return `${typeof v} ${String(v)}`;
}

/**
 * Whether `v` looks like an @gd/autograd `Tensor` (which wraps an NDArray in `.value`); @gd/tensor
 * cannot import that class, so it recognises the shape instead, to refuse it with advice.
 */
export function isAutogradTensor(v: unknown): v is {
  /** The NDArray the tensor wraps. */
  value: NDArray;
} {
  return (
    typeof v === 'object' &&
    v !== null &&
    !(v instanceof NDArray) &&
    (v as { value?: unknown }).value instanceof NDArray &&
    'gradFn' in v
  );
}

/** A plain options object (not null, an array, a typed array or a tensor). */
export function isOptionsObject(v: unknown): v is Readonly<Record<string, unknown>> {
  if (typeof v !== 'object' || v === null) return false;
  // Arrays, typed arrays, tensors and other class instances all have another prototype.
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function fail(fn: string, name: string, expected: string, v: unknown, hint = ''): never {
  throw new TypeError(`${fn}: ${name} must be ${expected}, got ${describe(v)}${hint}`);
}

/** Bounds for {@link check.int} and {@link check.number}. */
export interface Bounds {
  /** Smallest value accepted. */
  min?: number;
  /** Largest value accepted. */
  max?: number;
  /** Smallest value, excluded (`exclusiveMin: 0` means positive). */
  exclusiveMin?: number;
}

function inRange(fn: string, name: string, v: number, b: Bounds): number {
  if (b.min !== undefined && !(v >= b.min))
    throw new RangeError(`${fn}: ${name} must be >= ${b.min}, got ${v}`);
  if (b.max !== undefined && !(v <= b.max))
    throw new RangeError(`${fn}: ${name} must be <= ${b.max}, got ${v}`);
  if (b.exclusiveMin !== undefined && !(v > b.exclusiveMin))
    throw new RangeError(`${fn}: ${name} must be > ${b.exclusiveMin}, got ${v}`);
  return v;
}

const NDARRAY_FROM_TENSOR =
  '; an autograd Tensor is converted with t.value (or t.detach().value), an NDArray with Tensor.fromArray(a) or tensor(a) from @gd/autograd';

/** The checks, each returning the checked value so that a call reads `x = check.int(...)`. */
export const check = {
  /** A number (NaN and ±Infinity included unless `bounds` exclude them). */
  number(fn: string, name: string, v: unknown, bounds: Bounds = {}): number {
    if (typeof v !== 'number') fail(fn, name, 'a number', v);
    return inRange(fn, name, v, bounds);
  },
  /** A finite number. */
  finite(fn: string, name: string, v: unknown, bounds: Bounds = {}): number {
    if (typeof v !== 'number') fail(fn, name, 'a finite number', v);
    if (!Number.isFinite(v)) throw new RangeError(`${fn}: ${name} must be finite, got ${v}`);
    return inRange(fn, name, v, bounds);
  },
  /** An integer number. */
  int(fn: string, name: string, v: unknown, bounds: Bounds = {}): number {
    if (typeof v !== 'number' || !Number.isInteger(v)) fail(fn, name, 'an integer', v);
    return inRange(fn, name, v, bounds);
  },
  /** A boolean (PyTorch's positional flags such as `keepdim`). */
  bool(fn: string, name: string, v: unknown): boolean {
    if (typeof v !== 'boolean') fail(fn, name, 'a boolean', v);
    return v;
  },
  /** One of the listed strings. */
  oneOf<T extends string>(fn: string, name: string, v: unknown, accepted: readonly T[]): T {
    if (typeof v !== 'string' || !accepted.includes(v as T))
      fail(fn, name, `one of ${accepted.map((a) => `'${a}'`).join(', ')}`, v);
    return v as T;
  },
  /** A string. */
  string(fn: string, name: string, v: unknown): string {
    if (typeof v !== 'string') fail(fn, name, 'a string', v);
    return v;
  },
  /** A function. */
  func<F>(fn: string, name: string, v: unknown): F {
    if (typeof v !== 'function') fail(fn, name, 'a function', v);
    return v as F;
  },
  /** A dim: an integer (its range is checked against the tensor by the op). */
  dim(fn: string, name: string, v: unknown): number {
    if (typeof v !== 'number' || !Number.isInteger(v))
      fail(fn, name, 'an integer dim', v, Array.isArray(v) ? ' (this op takes one dim)' : '');
    return v;
  },
  /** A dim, a list of dims, or null/undefined for every dim. */
  dims(fn: string, name: string, v: unknown): number | readonly number[] | null | undefined {
    if (v === null || v === undefined) return v;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (Array.isArray(v) && v.every((d) => typeof d === 'number' && Number.isInteger(d)))
      return v as number[];
    return fail(fn, name, 'an integer dim, an array of integer dims, or null', v);
  },
  /** A list of non-negative integer sizes (a shape). */
  shape(fn: string, name: string, v: unknown): readonly number[] {
    if (!Array.isArray(v) || !v.every((d) => typeof d === 'number' && Number.isInteger(d)))
      fail(fn, name, 'an array of integer sizes', v);
    return v as number[];
  },
  /** An NDArray (an autograd Tensor is refused with how to convert it). */
  ndarray(fn: string, name: string, v: unknown): NDArray {
    if (!(v instanceof NDArray))
      fail(fn, name, 'an NDArray', v, isAutogradTensor(v) ? NDARRAY_FROM_TENSOR : '');
    return v;
  },
  /** An NDArray or a JS number/boolean (a "wrapped number"). */
  tensorLike(fn: string, name: string, v: unknown): NDArray | number | boolean {
    if (v instanceof NDArray || typeof v === 'number' || typeof v === 'boolean') return v;
    return fail(
      fn,
      name,
      'an NDArray, a number or a boolean',
      v,
      isAutogradTensor(v) ? NDARRAY_FROM_TENSOR : '',
    );
  },
  /**
   * An options object (or undefined, read as `{}`) whose keys are all in `accepted`.
   *
   * @example
   * ```ts
   * check.options('DataLoader', 'options', { batchsize: 4 }, ['batchSize', 'shuffle']);
   * // TypeError: DataLoader: unknown option 'batchsize' (accepted: batchSize, shuffle)
   * ```
   */
  options<T extends object>(fn: string, name: string, v: unknown, accepted: readonly string[]): T {
    if (v === undefined) return {} as T;
    if (!isOptionsObject(v)) fail(fn, name, 'an options object', v);
    for (const key in v) {
      if (key !== accepted[0] && !accepted.includes(key)) {
        const near = accepted.find((a) => a.toLowerCase() === key.toLowerCase());
        throw new TypeError(
          `${fn}: unknown option '${key}'${near ? ` (did you mean '${near}'?)` : ''} (accepted: ${accepted.join(', ') || 'none'})`,
        );
      }
    }
    return v as T;
  },
  /** At most `max` arguments. */
  arity(fn: string, args: readonly unknown[], max: number): void {
    if (args.length > max)
      throw new TypeError(
        `${fn} takes at most ${max} argument${max === 1 ? '' : 's'}, got ${args.length}: ${args.map(describe).join(', ')}`,
      );
  },
};

/**
 * Reads PyTorch's two call forms of an op with optional trailing parameters: positional
 * (`x.mean(1, true)`) or one options object (`x.mean({ dim: 1, keepdim: true })`, as Python's
 * keyword arguments). Returns the values by name; unknown keys and extra arguments throw.
 *
 * @example
 * ```ts
 * positionalOrOptions('mean', [{ dim: 1 }], ['dim', 'keepdim']); // { dim: 1 }
 * ```
 */
export function positionalOrOptions(
  fn: string,
  args: readonly unknown[],
  names: readonly string[],
): Record<string, unknown> {
  if (args.length >= 1 && isOptionsObject(args[args.length - 1])) {
    const options = check.options<Record<string, unknown>>(
      fn,
      'options',
      args[args.length - 1],
      names,
    );
    const out: Record<string, unknown> = {};
    args.slice(0, -1).forEach((a, i) => {
      if (names[i]! in options)
        throw new TypeError(`${fn}: ${names[i]} given both positionally and as an option`);
      out[names[i]!] = a;
    });
    return Object.assign(out, options);
  }
  check.arity(fn, args, names.length);
  const out: Record<string, unknown> = {};
  args.forEach((a, i) => (out[names[i]!] = a));
  return out;
}

/** Dims of a reduction: one dim, several, or null/undefined for all. */
export type Dims = number | readonly number[] | null | undefined;

/** `{ dim, keepdim }`, the keyword form of a reduction's arguments. */
export interface ReduceOptions {
  /** The dim or dims to reduce (all when omitted). */
  dim?: Dims;
  /** Keep reduced dims as size 1. */
  keepdim?: boolean;
}

/** The arguments of a reduction: `(dim?, keepdim?)`, `(dim, { keepdim })` or `({ dim, keepdim })`. */
export type ReduceArgs =
  | [dim?: Dims, keepdim?: boolean]
  | [options: ReduceOptions]
  | [
      dim: Dims,
      options: {
        /** Keep the reduced dims with size 1 (default false). */
        keepdim?: boolean;
      },
    ];

const REDUCE_NAMES = ['dim', 'keepdim'];

/**
 * Reads and checks a reduction's arguments in any of PyTorch's forms.
 *
 * @example
 * ```ts
 * reduceArgs('mean', [{ dim: 1, keepdim: true }]); // { dim: 1, keepdim: true }
 * ```
 */
export function reduceArgs(
  fn: string,
  args: readonly unknown[],
): {
  /** The dim or dims reduced (null or undefined: all). */
  dim: Dims;
  /** Whether the reduced dims stay, with size 1. */
  keepdim: boolean;
} {
  // The common positional forms skip the generic reader: reductions sit on the training path.
  const a0 = args[0];
  const a1 = args[1];
  if (args.length <= 2 && !isOptionsObject(a0) && !isOptionsObject(a1)) {
    return {
      dim: check.dims(fn, 'dim', a0),
      keepdim: a1 === undefined ? false : check.bool(fn, 'keepdim', a1),
    };
  }
  const o = positionalOrOptions(fn, args, REDUCE_NAMES);
  return {
    dim: check.dims(fn, 'dim', o.dim),
    keepdim: o.keepdim === undefined ? false : check.bool(fn, 'keepdim', o.keepdim),
  };
}

/** Like {@link reduceArgs} for ops over one dim (max/min with indices, argmax, sort, ...). */
export function reduceOneDimArgs(
  fn: string,
  args: readonly unknown[],
): {
  /** The dim reduced (null or undefined: the whole array, flattened). */
  dim: number | null | undefined;
  /** Whether the reduced dim stays, with size 1. */
  keepdim: boolean;
} {
  const { dim, keepdim } = reduceArgs(fn, args);
  if (typeof dim === 'object' && dim !== null)
    throw new TypeError(`${fn}: dim must be one integer dim, got ${describe(dim)}`);
  return { dim, keepdim };
}
