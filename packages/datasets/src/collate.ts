/**
 * `defaultCollate`: PyTorch's `default_collate`, merging a list of samples into a batch.
 */
import { Tensor, fromTypedArray, stack, tensor } from '@gd/autograd';
import { NDArray, stack as stackArrays } from '@gd/tensor';
import type { Image } from './image.js';
import { isImage } from './image.js';

/**
 * The type `defaultCollate` makes of a list of samples of type `T`: tensors, numbers and booleans
 * become one Tensor with a leading batch dim, strings stay a list, and tuples, arrays and plain
 * objects are collated element by element (a tuple stays a tuple).
 *
 * @example
 * ```ts
 * type B = Collated<[Tensor, number]>; // [Tensor, Tensor]
 * ```
 */
export type Collated<T> = T extends Tensor | NDArray | number | boolean
  ? Tensor
  : T extends Float32Array | Float64Array | Int32Array
    ? Tensor
    : T extends string
      ? string[]
      : T extends Image
        ? never
        : T extends readonly unknown[]
          ? { -readonly [K in keyof T]: Collated<T[K]> }
          : T extends object
            ? { [K in keyof T]: Collated<T[K]> }
            : never;

const ERR =
  'defaultCollate: batch must contain tensors, numbers, booleans, strings, typed arrays, arrays or plain objects';

function typeName(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (x instanceof Tensor) return 'Tensor';
  if (Array.isArray(x)) return 'array';
  if (typeof x === 'object') return (x as object).constructor?.name ?? 'object';
  return typeof x;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

function sameKind(batch: readonly unknown[], test: (x: unknown) => boolean, kind: string): void {
  batch.forEach((x, i) => {
    if (!test(x)) {
      throw new TypeError(
        `defaultCollate: sample 0 is ${kind} but sample ${i} is ${typeName(x)}; every sample must have the same structure`,
      );
    }
  });
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function collateAny(batch: readonly unknown[]): unknown {
  const elem = batch[0];
  if (elem instanceof Tensor) {
    sameKind(batch, (x) => x instanceof Tensor, 'a Tensor');
    return stack(batch as Tensor[]);
  }
  if (elem instanceof NDArray) {
    sameKind(batch, (x) => x instanceof NDArray, 'an NDArray');
    return Tensor.fromArray(stackArrays(batch as NDArray[]));
  }
  if (typeof elem === 'number') {
    sameKind(batch, (x) => typeof x === 'number', 'a number');
    const nums = batch as number[];
    const ints = nums.every((v) => Number.isInteger(v));
    if (ints && nums.every((v) => v >= INT32_MIN && v <= INT32_MAX)) {
      return tensor(nums, { dtype: 'int32' });
    }
    return tensor(nums, { dtype: ints ? 'float64' : 'float32' });
  }
  if (typeof elem === 'boolean') {
    sameKind(batch, (x) => typeof x === 'boolean', 'a boolean');
    return tensor(batch as boolean[], { dtype: 'bool' });
  }
  if (typeof elem === 'string') {
    sameKind(batch, (x) => typeof x === 'string', 'a string');
    return [...batch];
  }
  if (elem instanceof Float32Array || elem instanceof Float64Array || elem instanceof Int32Array) {
    const ctor = elem.constructor;
    sameKind(batch, (x) => x instanceof ctor, `a ${ctor.name}`);
    const rows = batch as (Float32Array | Float64Array | Int32Array)[];
    const n = elem.length;
    rows.forEach((r, i) => {
      if (r.length !== n) {
        throw new RangeError(
          `defaultCollate: typed arrays must have equal lengths, got ${n} at sample 0 and ${r.length} at sample ${i}`,
        );
      }
    });
    const out = new (ctor as Float32ArrayConstructor)(rows.length * n);
    rows.forEach((r, i) => out.set(r, i * n));
    return fromTypedArray(out, [rows.length, n]);
  }
  if (isImage(elem)) {
    throw new TypeError(
      'defaultCollate: the samples are raw Images (uint8); add a ToTensor transform to the dataset so that they become tensors',
    );
  }
  if (Array.isArray(elem)) {
    sameKind(batch, (x) => Array.isArray(x), 'an array');
    const rows = batch as unknown[][];
    const size = elem.length;
    if (!rows.every((r) => r.length === size)) {
      throw new RangeError('defaultCollate: each element in list of batch should be of equal size');
    }
    const out: unknown[] = [];
    for (let k = 0; k < size; k++) out.push(collateAny(rows.map((r) => r[k])));
    return out;
  }
  if (isPlainObject(elem)) {
    sameKind(batch, isPlainObject, 'a plain object');
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(elem)) {
      out[key] = collateAny(
        (batch as Record<string, unknown>[]).map((d, i) => {
          if (!(key in d)) {
            throw new TypeError(`defaultCollate: sample ${i} has no key ${JSON.stringify(key)}`);
          }
          return d[key];
        }),
      );
    }
    return out;
  }
  throw new TypeError(`${ERR}; found ${typeName(elem)}`);
}

/**
 * Merges a list of samples into a batch, as PyTorch's `default_collate`: tensors are stacked
 * along a new first dim; numbers become a 1-d tensor (int32 when all are integers in int32's
 * range, float64 for larger integers, float32 otherwise: gd's counterparts of PyTorch's int64
 * and its float64, which gd keeps for explicit requests); booleans a bool tensor; strings stay
 * a list; `Float32Array`/`Float64Array`/`Int32Array` rows are stacked into a 2-d tensor of their
 * dtype; tuples and arrays are collated position by position (all of equal length) and plain
 * objects key by key. Raw {@link Image}s are rejected with a hint to add `ToTensor`.
 *
 * @example
 * ```ts
 * defaultCollate([[tensor([1, 2]), 0], [tensor([3, 4]), 1]]);
 * // [Tensor [[1, 2], [3, 4]], Tensor int32 [0, 1]]
 * ```
 */
export function defaultCollate<T>(samples: readonly T[]): Collated<T> {
  if (!Array.isArray(samples) || samples.length === 0) {
    throw new RangeError('defaultCollate: expected a non-empty array of samples');
  }
  return collateAny(samples) as Collated<T>;
}
