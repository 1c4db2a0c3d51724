/**
 * Tensor datatypes of the Open Inference Protocol v2 and their onnxruntime and typed-array
 * counterparts, plus the checks that turn a JSON `data` array into a typed array.
 */

/** A v2 protocol datatype name this server can carry (the numeric ones and BOOL). */
export type V2Datatype = 'BOOL' | 'UINT8' | 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FP32' | 'FP64';

/** onnxruntime's element type names for the same datatypes. */
export type OrtType =
  'bool' | 'uint8' | 'int8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float64';

/** The typed array that holds a tensor of each datatype. */
export type TypedData =
  Uint8Array | Int8Array | Int16Array | Int32Array | BigInt64Array | Float32Array | Float64Array;

interface DatatypeInfo {
  ort: OrtType;
  bytes: number;
  /** What a JSON element must be, for messages. */
  expected: string;
  /** The typed array that holds it: `new TypedArray(n)`, or a view of a buffer. */
  TypedArray: {
    new (n: number): TypedData;
    new (buffer: ArrayBuffer, byteOffset: number, n: number): TypedData;
  };
  /** Converts one checked JSON element; returns undefined when it does not fit. */
  convert(v: unknown): number | bigint | undefined;
}

const intIn = (lo: number, hi: number) => (v: unknown) =>
  typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? v : undefined;

/** The one table from v2 datatypes to onnxruntime types and typed arrays. */
export const DATATYPES: Readonly<Record<V2Datatype, DatatypeInfo>> = {
  BOOL: {
    ort: 'bool',
    bytes: 1,
    expected: 'a boolean',
    TypedArray: Uint8Array,
    convert: (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : undefined),
  },
  UINT8: {
    ort: 'uint8',
    bytes: 1,
    expected: 'an integer in [0, 255]',
    TypedArray: Uint8Array,
    convert: intIn(0, 255),
  },
  INT8: {
    ort: 'int8',
    bytes: 1,
    expected: 'an integer in [-128, 127]',
    TypedArray: Int8Array,
    convert: intIn(-128, 127),
  },
  INT16: {
    ort: 'int16',
    bytes: 2,
    expected: 'an integer in [-32768, 32767]',
    TypedArray: Int16Array,
    convert: intIn(-32768, 32767),
  },
  INT32: {
    ort: 'int32',
    bytes: 4,
    expected: 'a 32-bit integer',
    TypedArray: Int32Array,
    convert: intIn(-2147483648, 2147483647),
  },
  INT64: {
    ort: 'int64',
    bytes: 8,
    expected: 'a safe integer',
    TypedArray: BigInt64Array,
    convert: (v) => (typeof v === 'number' && Number.isSafeInteger(v) ? BigInt(v) : undefined),
  },
  FP32: {
    ort: 'float32',
    bytes: 4,
    expected: 'a finite number',
    TypedArray: Float32Array,
    convert: (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined),
  },
  FP64: {
    ort: 'float64',
    bytes: 8,
    expected: 'a finite number',
    TypedArray: Float64Array,
    convert: (v) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined),
  },
};

/** Every datatype name this server accepts, in the order of the table. */
export const V2_DATATYPES = Object.keys(DATATYPES) as V2Datatype[];

/** The v2 name of an onnxruntime element type, or undefined when the server cannot carry it. */
export function v2FromOrt(type: string): V2Datatype | undefined {
  return V2_DATATYPES.find((d) => DATATYPES[d].ort === type);
}

/** An input that failed a check: the field path (as in `inputs[0].data[3]`) and what was expected. */
export class InputError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
    readonly kind = 'invalid_input',
  ) {
    super(`${field}: ${problem}`);
    this.name = 'InputError';
  }
}

/** Shortens a JSON value for an error message. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 20 ? v.slice(0, 20) + '…' : v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

/** Product of a shape's dims (1 for a scalar). */
export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Converts v2 `data` (flat row-major, or nested arrays matching `shape`; or a Float64Array of
 * JSON numbers read straight from a body) to a typed array of `datatype`, checking the element
 * count and every element.
 *
 * @example
 * ```ts
 * const x = toTypedData([[1, 2], [3, 4]], [2, 2], 'FP32', 'inputs[0].data'); // Float32Array [1,2,3,4]
 * ```
 */
export function toTypedData(
  data: unknown,
  shape: readonly number[],
  datatype: V2Datatype,
  field: string,
): TypedData {
  const info = DATATYPES[datatype];
  const n = numel(shape);
  const flatNumbers = data instanceof Float64Array;
  if (!Array.isArray(data) && !flatNumbers)
    throw new InputError(field, `expected an array, got ${describeValue(data)}`);
  const out = requestArray(datatype, n);
  const nested = !flatNumbers && data.length > 0 && Array.isArray(data[0]);
  if (!nested) {
    if (data.length !== n) {
      throw new InputError(
        field,
        `expected ${n} elements for shape [${shape.join(', ')}], got ${data.length}`,
      );
    }
    fill(out, data, 0, info, field);
    return out;
  }
  // Nested: each level must have the length of its dim.
  let pos = 0;
  const walk = (a: unknown, depth: number, path: string): void => {
    const dim = shape[depth];
    if (depth === shape.length - 1 || dim === undefined) {
      if (!Array.isArray(a) || a.length !== dim) {
        throw new InputError(
          path,
          `expected an array of ${dim ?? 0} elements (shape [${shape.join(', ')}]), got ${Array.isArray(a) ? `${a.length} elements` : describeValue(a)}`,
        );
      }
      fill(out, a, pos, info, path);
      pos += a.length;
      return;
    }
    if (!Array.isArray(a) || a.length !== dim) {
      throw new InputError(
        path,
        `expected an array of ${dim} elements (shape [${shape.join(', ')}]), got ${Array.isArray(a) ? `${a.length} elements` : describeValue(a)}`,
      );
    }
    for (let i = 0; i < a.length; i++) walk(a[i], depth + 1, `${path}[${i}]`);
  };
  if (shape.length === 0) throw new InputError(field, 'nested data needs a shape with dims');
  walk(data, 0, field);
  return out;
}

function fill(
  out: TypedData,
  src: ArrayLike<unknown>,
  offset: number,
  info: DatatypeInfo,
  field: string,
): void {
  if (src instanceof Float64Array && (out instanceof Float32Array || out instanceof Float64Array)) {
    // Numbers already (read from the body's bytes): only finiteness is left to check.
    for (let i = 0; i < src.length; i++) {
      const v = src[i] as number;
      if (!Number.isFinite(v)) badElement(field, i, v, info);
      out[offset + i] = v;
    }
    return;
  }
  if (out instanceof BigInt64Array) {
    for (let i = 0; i < src.length; i++) {
      const v = info.convert(src[i]);
      if (v === undefined) badElement(field, i, src[i], info);
      out[offset + i] = v as bigint;
    }
    return;
  }
  for (let i = 0; i < src.length; i++) {
    const v = info.convert(src[i]);
    if (v === undefined) badElement(field, i, src[i], info);
    out[offset + i] = v as number;
  }
}

function badElement(field: string, i: number, v: unknown, info: DatatypeInfo): never {
  throw new InputError(`${field}[${i}]`, `expected ${info.expected}, got ${describeValue(v)}`);
}

/** Converts typed data to plain JSON numbers/booleans for a v2 response. */
export function toJsonData(data: TypedData, datatype: V2Datatype): (number | boolean)[] {
  if (datatype === 'BOOL') return Array.from(data as Uint8Array, (v) => v !== 0);
  if (data instanceof BigInt64Array) return Array.from(data, (v) => Number(v));
  return Array.from(data as Float32Array);
}

/** Request tensors of up to this many bytes are carved from a shared slab (see requestArray). */
const MAX_SLAB_TENSOR = 16 * 1024;
/** The slab's size: a few dozen small request tensors. */
const SLAB_BYTES = 256 * 1024;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabUsed = 0;

/**
 * A fresh, zero-filled typed array for a request's tensor. Small ones are views into a shared
 * slab, carved one after another (a slab is never reused: the garbage collector frees it with
 * its last view), because an ArrayBuffer of its own costs more to allocate than a request's
 * other decoding. Such a view does not own its buffer: see ownsBuffer before transferring it.
 *
 * @example
 * ```ts
 * const x = requestArray('FP32', 784); // Float32Array(784), maybe a view into a slab
 * ```
 */
export function requestArray(datatype: V2Datatype, n: number): TypedData {
  const info = DATATYPES[datatype];
  const bytes = n * info.bytes;
  if (bytes === 0 || bytes > MAX_SLAB_TENSOR) return new info.TypedArray(n);
  let at = (slabUsed + 7) & ~7; // 8-byte aligned for every element type
  if (at + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    at = 0;
  }
  slabUsed = at + bytes;
  return new info.TypedArray(slab, at, n);
}

/**
 * Whether a typed array spans its whole buffer (so transferring the buffer moves only it).
 *
 * @example
 * ```ts
 * ownsBuffer(new Float32Array(4)); // true
 * ownsBuffer(new Float32Array(8).subarray(4)); // false
 * ```
 */
export function ownsBuffer(data: TypedData): boolean {
  return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
}

/** Reads `n` elements of `datatype` from little-endian bytes (the v2 binary data extension). */
export function fromBytes(bytes: Uint8Array, datatype: V2Datatype): TypedData {
  const info = DATATYPES[datatype];
  const n = bytes.byteLength / info.bytes;
  const out = requestArray(datatype, n);
  new Uint8Array(out.buffer, out.byteOffset, out.byteLength).set(bytes);
  return out;
}

/** Views a typed array's elements as little-endian bytes (the platform order, checked at load). */
export function asBytes(data: TypedData): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Writes typed data as the JSON array text of a v2 response, with no intermediate array of
 * numbers: a typed array's `join` formats each element exactly as JSON.stringify does.
 * Non-finite floats become `null` (as JSON.stringify writes them).
 *
 * @example
 * ```ts
 * jsonDataText(Float32Array.of(0.5, -2), 'FP32'); // '[0.5,-2]'
 * jsonDataText(Uint8Array.of(1, 0), 'BOOL');      // '[true,false]'
 * ```
 */
export function jsonDataText(data: TypedData, datatype: V2Datatype): string {
  if (datatype === 'BOOL') {
    let s = '[';
    for (let i = 0; i < data.length; i++) s += (i ? ',' : '') + (data[i] ? 'true' : 'false');
    return s + ']';
  }
  if (data instanceof Float32Array || data instanceof Float64Array) {
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i] as number)) return JSON.stringify(Array.from(data));
    }
  }
  return `[${data.join(',')}]`;
}
