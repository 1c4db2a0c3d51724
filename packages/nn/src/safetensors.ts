/**
 * Weights in the Hugging Face safetensors format, byte for byte as the reference
 * implementation (github.com/huggingface/safetensors) writes them:
 *
 * - 8 bytes: N, the header's length, an unsigned 64-bit little-endian integer;
 * - N bytes: a UTF-8 JSON object `{"__metadata__": {...}, "name": {"dtype": "F32", "shape":
 *   [2, 3], "data_offsets": [begin, end]}, ...}`, padded with spaces to a multiple of 8;
 * - the raw little-endian, row-major data of every tensor, back to back, in the order of the
 *   header: by decreasing dtype (F64, F32, I32, BOOL), then by name.
 *
 * `saveSafetensors`/`loadSafetensors` work on bytes (Node and browsers); `save`/`load` write
 * and read files in Node, atomically. `@gd/nn/safetensors` is an entry point of its own (as
 * `safetensors.torch` is PyTorch's), so that a page that does not read or write weights does
 * not load it.
 *
 * @example
 * ```ts
 * import { Linear } from '@gd/nn';
 * import { loadSafetensors, saveSafetensors } from '@gd/nn/safetensors';
 *
 * const model = new Linear(4, 2);
 * const bytes = saveSafetensors(model.stateDict()); // a Uint8Array PyTorch's safetensors reads
 * model.loadStateDict(loadSafetensors(bytes).tensors);
 * ```
 *
 * @packageDocumentation
 */
import type { DType } from '@gd/tensor';
import type { Tensor } from '@gd/autograd';
import { fromTypedArray, Tensor as TensorClass } from '@gd/autograd';
import { readFileBytes, writeFileAtomic } from '#platform';
import { Module } from './module.js';
import { SAFETENSORS_SIGNATURES, checkEntryPointRow } from './checks-entry-points.js';

/**
 * The dtypes that gd writes (F64, F32, I32, BOOL), and the extra ones it can read (converted on the way in).
 *
 * @example
 * ```ts
 * const dt: SafetensorsDType = 'F32';
 * ```
 */
export type SafetensorsDType =
  'F64' | 'F32' | 'I32' | 'BOOL' | 'I64' | 'I16' | 'I8' | 'U8' | 'F16' | 'BF16';

/**
 * What {@link loadSafetensors} returns.
 *
 * @example
 * ```ts
 * const { tensors, metadata } = loadSafetensors(bytes);
 * ```
 */
export interface SafetensorsContents {
  /** The tensors, in the order of their data in the file. */
  tensors: Record<string, Tensor>;
  /** The `__metadata__` strings, or undefined when the file has none. */
  metadata?: Record<string, string>;
}

/**
 * Options of {@link loadSafetensors}.
 *
 * @example
 * ```ts
 * loadSafetensors(bytes, { name: 'weights.safetensors' });
 * ```
 */
export interface LoadSafetensorsOptions {
  /** The name used in error messages (the file's path). */
  name?: string;
}

/**
 * A malformed safetensors file or an unsupported tensor; the message names the file.
 *
 * @example
 * ```ts
 * try {
 *   load('model.safetensors');
 * } catch (e) {
 *   if (e instanceof SafetensorsError) console.error(e.message);
 * }
 * ```
 */
export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

interface DTypeInfo {
  size: number;
  /** Position in the reference implementation's `Dtype` enum (the serialisation order). */
  rank: number;
  /** The gd dtype it loads as. */
  dtype: DType;
}

const DTYPE_INFO: Record<SafetensorsDType, DTypeInfo> = {
  BOOL: { size: 1, rank: 0, dtype: 'bool' },
  U8: { size: 1, rank: 1, dtype: 'int32' },
  I8: { size: 1, rank: 2, dtype: 'int32' },
  I16: { size: 2, rank: 5, dtype: 'int32' },
  F16: { size: 2, rank: 7, dtype: 'float32' },
  BF16: { size: 2, rank: 8, dtype: 'float32' },
  I32: { size: 4, rank: 9, dtype: 'int32' },
  F32: { size: 4, rank: 11, dtype: 'float32' },
  F64: { size: 8, rank: 12, dtype: 'float64' },
  I64: { size: 8, rank: 13, dtype: 'int32' },
};

const WRITE_DTYPE: Record<DType, SafetensorsDType> = {
  float64: 'F64',
  float32: 'F32',
  int32: 'I32',
  bool: 'BOOL',
};

/** The reference implementation refuses headers over 100 MB. */
const MAX_HEADER_SIZE = 100_000_000;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const encoder = new TextEncoder();

/** Compares strings by their UTF-8 bytes (Rust's `str` order). */
function compareUtf8(a: string, b: string): number {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

// Checks a call's arguments against its row of SAFETENSORS_SIGNATURES.
function checkCall(fn: string, args: readonly unknown[]): void {
  checkEntryPointRow(fn, SAFETENSORS_SIGNATURES[fn]!, args);
}

function fail(name: string, problem: string): never {
  throw new SafetensorsError(`safetensors: ${name}: ${problem}`);
}

/** The little-endian bytes of a tensor's elements in row-major order. */
function tensorBytes(t: Tensor): Uint8Array {
  const data = t.value.data;
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  const size = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (data instanceof Float64Array) view.setFloat64(i * size, v, true);
    else if (data instanceof Float32Array) view.setFloat32(i * size, v, true);
    else if (data instanceof Int32Array) view.setInt32(i * size, v, true);
    else view.setUint8(i, v);
  }
  return out;
}

/**
 * Serialises tensors (and optional string metadata) to safetensors bytes, identical to what the
 * reference implementation writes for the same tensors (metadata keys are written sorted; the
 * reference writes them in hash order). float32/float64/int32/bool tensors are written as
 * F32/F64/I32/BOOL.
 *
 * @example
 * ```ts
 * const bytes = saveSafetensors(model.stateDict(), { format: 'pt' });
 * ```
 */
export function saveSafetensors(
  tensors: Record<string, Tensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  checkCall('saveSafetensors', [tensors, metadata]);
  const entries = Object.entries(tensors);
  for (const [name, t] of entries) {
    if (name === '__metadata__')
      fail('save', 'the tensor name "__metadata__" is reserved for the metadata');
    if (!(t instanceof TensorClass)) fail('save', `"${name}" is not a Tensor`);
  }
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string')
        fail('save', `metadata value of "${k}" must be a string, got ${typeof v}`);
    }
  }
  // Decreasing dtype rank, then by name: the reference implementation's order.
  entries.sort(
    ([a, x], [b, y]) =>
      DTYPE_INFO[WRITE_DTYPE[y.dtype]].rank - DTYPE_INFO[WRITE_DTYPE[x.dtype]].rank ||
      compareUtf8(a, b),
  );
  // The header is assembled by hand: JS objects would put integer-like keys first.
  const parts: string[] = [];
  if (metadata !== undefined) {
    const meta = Object.entries(metadata)
      .sort(([a], [b]) => compareUtf8(a, b))
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
    parts.push(`"__metadata__":{${meta.join(',')}}`);
  }
  const blobs: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of entries) {
    const bytes = tensorBytes(t);
    parts.push(
      `${JSON.stringify(name)}:{"dtype":"${WRITE_DTYPE[t.dtype]}","shape":${JSON.stringify(t.shape)},"data_offsets":[${offset},${offset + bytes.length}]}`,
    );
    offset += bytes.length;
    blobs.push(bytes);
  }
  const json = encoder.encode(`{${parts.join(',')}}`);
  const padded = json.length + ((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + padded);
  let pos = 8 + padded;
  for (const b of blobs) {
    out.set(b, pos);
    pos += b.length;
  }
  return out;
}

interface Entry {
  name: string;
  dt: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
}

function parseEntry(file: string, name: string, info: unknown): Entry {
  const where = `tensor ${JSON.stringify(name)}`;
  if (typeof info !== 'object' || info === null || Array.isArray(info))
    fail(file, `${where}: expected an object with dtype, shape and data_offsets`);
  const { dtype, shape, data_offsets: offsets } = info as Record<string, unknown>;
  if (typeof dtype !== 'string') fail(file, `${where}: missing dtype`);
  if (!Object.hasOwn(DTYPE_INFO, dtype)) {
    fail(
      file,
      `${where}: unknown dtype ${JSON.stringify(dtype)} (gd reads ${Object.keys(DTYPE_INFO).join(', ')})`,
    );
  }
  const isIndex = (v: unknown): v is number =>
    typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!Array.isArray(shape) || !shape.every(isIndex))
    fail(
      file,
      `${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`,
    );
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
    fail(
      file,
      `${where}: data_offsets must be [begin, end] with non-negative integers, got ${JSON.stringify(offsets)}`,
    );
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) fail(file, `${where}: data_offsets [${begin}, ${end}] end before they begin`);
  const dt = dtype as SafetensorsDType;
  const numel = (shape as number[]).reduce((a, b) => a * b, 1);
  const need = numel * DTYPE_INFO[dt].size;
  if (need !== end - begin) {
    fail(
      file,
      `${where}: shape [${(shape as number[]).join(', ')}] of ${dt} needs ${need} bytes, but data_offsets [${begin}, ${end}] hold ${end - begin}`,
    );
  }
  return { name, dt, shape: shape as number[], begin, end };
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? Number.NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

function decode(file: string, e: Entry, bytes: Uint8Array): Tensor {
  const n = (e.end - e.begin) / DTYPE_INFO[e.dt].size;
  const view = new DataView(bytes.buffer, bytes.byteOffset + e.begin, e.end - e.begin);
  let data: Float32Array | Float64Array | Int32Array | Uint8Array;
  switch (e.dt) {
    case 'F64':
      data = new Float64Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getFloat64(i * 8, true);
      break;
    case 'F32':
      data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getFloat32(i * 4, true);
      break;
    case 'F16':
      data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = halfToFloat(view.getUint16(i * 2, true));
      break;
    case 'BF16':
      {
        // bfloat16 is the high half of a float32.
        const bits = new Uint32Array(n);
        for (let i = 0; i < n; i++) bits[i] = view.getUint16(i * 2, true) << 16;
        data = new Float32Array(bits.buffer);
      }
      break;
    case 'I32':
      data = new Int32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getInt32(i * 4, true);
      break;
    case 'I64':
      data = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = view.getBigInt64(i * 8, true);
        if (v < -2147483648n || v > 2147483647n)
          fail(file, `tensor ${JSON.stringify(e.name)}: I64 value ${v} does not fit gd's int32`);
        data[i] = Number(v);
      }
      break;
    case 'I16':
      data = new Int32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getInt16(i * 2, true);
      break;
    case 'I8':
      data = new Int32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getInt8(i);
      break;
    case 'U8':
      data = new Int32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getUint8(i);
      break;
    case 'BOOL':
      data = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = view.getUint8(i);
        if (v > 1)
          fail(file, `tensor ${JSON.stringify(e.name)}: BOOL byte ${v} is neither 0 nor 1`);
        data[i] = v;
      }
      break;
  }
  return fromTypedArray(data, e.shape, { dtype: DTYPE_INFO[e.dt].dtype });
}

/**
 * Parses safetensors bytes, checking them as the reference implementation does: the header
 * length fits the file, the header is UTF-8 JSON, every dtype is known, every shape matches its
 * byte range, and the ranges tile the data section exactly (no gap, overlap or trailing byte).
 * F64/F32/I32/BOOL load as float64/float32/int32/bool; F16 and BF16 as float32; I64, I16, I8
 * and U8 as int32 (I64 values must fit).
 *
 * @example
 * ```ts
 * const { tensors, metadata } = loadSafetensors(bytes);
 * model.loadStateDict(tensors);
 * ```
 */
export function loadSafetensors(
  bytes: Uint8Array,
  options: LoadSafetensorsOptions = {},
): SafetensorsContents {
  checkCall('loadSafetensors', [bytes, options]);
  const file = options.name ?? '<bytes>';
  if (bytes.length < 8)
    fail(
      file,
      `file is truncated: ${bytes.length} bytes, fewer than the 8 that give the header length`,
    );
  const big = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (big > BigInt(MAX_HEADER_SIZE)) {
    if (big > BigInt(bytes.length - 8))
      fail(
        file,
        `header length ${big} is larger than the file (${bytes.length} bytes): the file is truncated or not a safetensors file`,
      );
    fail(file, `header length ${big} is over the 100 MB limit`);
  }
  const n = Number(big);
  if (8 + n > bytes.length)
    fail(
      file,
      `header length ${n} is larger than the file (${bytes.length} bytes): the file is truncated or not a safetensors file`,
    );
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    fail(file, 'the header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    fail(file, `the header is not valid JSON (${(err as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    fail(file, 'the header must be a JSON object');
  let metadata: Record<string, string> | undefined;
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (
        typeof info !== 'object' ||
        info === null ||
        Array.isArray(info) ||
        !Object.values(info).every((v) => typeof v === 'string')
      ) {
        fail(file, '__metadata__ must map strings to strings');
      }
      metadata = { ...(info as Record<string, string>) };
      continue;
    }
    entries.push(parseEntry(file, name, info));
  }
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  for (const e of entries) {
    if (e.end > dataLength) {
      fail(
        file,
        `tensor ${JSON.stringify(e.name)}: data_offsets [${e.begin}, ${e.end}] are out of range: the data section has ${dataLength} bytes (the file is truncated?)`,
      );
    }
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  let previous: Entry | undefined;
  for (const e of entries) {
    if (e.begin < expected) {
      fail(
        file,
        `tensors ${JSON.stringify(previous!.name)} and ${JSON.stringify(e.name)} overlap: data_offsets [${previous!.begin}, ${previous!.end}] and [${e.begin}, ${e.end}]`,
      );
    }
    if (e.begin > expected)
      fail(
        file,
        `tensor ${JSON.stringify(e.name)}: data_offsets [${e.begin}, ${e.end}] leave a gap: the previous tensor ends at ${expected}`,
      );
    expected = e.end;
    previous = e;
  }
  if (expected !== dataLength)
    fail(file, `the data section has ${dataLength} bytes but the tensors cover ${expected}`);
  const data = bytes.subarray(dataStart);
  const tensors: Record<string, Tensor> = {};
  for (const e of entries) tensors[e.name] = decode(file, e, data);
  return metadata === undefined ? { tensors } : { tensors, metadata };
}

// ---- files (Node; in browsers `#platform` refuses with what to use instead) ------------------

/**
 * Writes a module's state dict (or a record of tensors) to a safetensors file, atomically: the
 * bytes go to a temporary file in the same directory, which is flushed to disk (fsync) and then
 * renamed over `path`, so a crash leaves either the old file or the new one, never a torn one.
 *
 * @example
 * ```ts
 * save(model, 'checkpoints/model.safetensors');
 * model.loadStateDict(load('checkpoints/model.safetensors'));
 * ```
 */
export function save(
  moduleOrTensors: Module<never[], unknown> | Module | Record<string, Tensor>,
  path: string,
  metadata?: Record<string, string>,
): void {
  checkCall('save', [moduleOrTensors, path, metadata]);
  const tensors = moduleOrTensors instanceof Module ? moduleOrTensors.stateDict() : moduleOrTensors;
  const bytes = saveSafetensors(tensors, metadata);
  try {
    writeFileAtomic(path, bytes);
  } catch (err) {
    throw new SafetensorsError(`safetensors: ${path}: could not save (${(err as Error).message})`);
  }
}

/**
 * Reads a safetensors file and returns its tensors (see {@link loadSafetensors} for the checks
 * and dtypes). Restore a model with `model.loadStateDict(load(path))`.
 *
 * @example
 * ```ts
 * const tensors = load('model.safetensors');
 * ```
 */
export function load(path: string): Record<string, Tensor> {
  checkCall('load', [path]);
  return loadFile(path).tensors;
}

/**
 * Reads a safetensors file: its tensors and its metadata.
 *
 * @example
 * ```ts
 * const { tensors, metadata } = loadFile('model.safetensors');
 * ```
 */
export function loadFile(path: string): SafetensorsContents {
  checkCall('loadFile', [path]);
  let bytes: Uint8Array;
  try {
    bytes = readFileBytes(path);
  } catch (err) {
    throw new SafetensorsError(`safetensors: ${path}: could not read (${(err as Error).message})`);
  }
  return loadSafetensors(bytes, { name: path });
}
