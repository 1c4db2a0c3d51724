/**
 * Reads what onnxruntime's JavaScript API does not expose: the ModelProto's `metadata_props`
 * (key/value strings: normalisation, class labels, training summary) and `producer_name`.
 *
 * A reader of three top-level fields, not an encoder: it walks ModelProto's fields and skips
 * the rest (the graph included) by their length prefixes.
 */

/** The top-level strings of an ONNX model that the server reports. */
export interface OnnxModelInfo {
  producerName: string;
  producerVersion: string;
  metadata: Record<string, string>;
}

// ModelProto field numbers (onnx.proto3).
const PRODUCER_NAME = 2;
const PRODUCER_VERSION = 3;
const METADATA_PROPS = 14;
// StringStringEntryProto.
const KEY = 1;
const VALUE = 2;

class Reader {
  pos = 0;
  constructor(readonly buf: Uint8Array) {}
  varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++] as number;
      // Multiplication, not <<, so lengths above 2^31 stay exact.
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 63) throw new Error('varint longer than 10 bytes');
    }
  }
  bytes(): Uint8Array {
    const len = this.varint();
    if (this.pos + len > this.buf.length)
      throw new Error('length-delimited field runs past the end');
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
  skip(wireType: number): void {
    switch (wireType) {
      case 0:
        this.varint();
        return;
      case 1:
        this.pos += 8;
        return;
      case 2:
        this.bytes();
        return;
      case 5:
        this.pos += 4;
        return;
      default:
        throw new Error(`unsupported wire type ${wireType}`);
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/**
 * Reads producer and metadata props from ONNX model bytes. Throws when the bytes are not a
 * well-formed protobuf message at the top level.
 *
 * @example
 * ```ts
 * const info = readOnnxModelInfo(readFileSync('model.onnx'));
 * console.log(info.metadata['normalize.mean']); // '[0.1307]'
 * ```
 */
export function readOnnxModelInfo(bytes: Uint8Array): OnnxModelInfo {
  const r = new Reader(bytes);
  const info: OnnxModelInfo = { producerName: '', producerVersion: '', metadata: {} };
  while (r.pos < bytes.length) {
    const tag = r.varint();
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 0) throw new Error('field number 0');
    if (wire === 2 && field === PRODUCER_NAME) info.producerName = utf8.decode(r.bytes());
    else if (wire === 2 && field === PRODUCER_VERSION)
      info.producerVersion = utf8.decode(r.bytes());
    else if (wire === 2 && field === METADATA_PROPS) {
      const entry = new Reader(r.bytes());
      let key = '';
      let value = '';
      while (entry.pos < entry.buf.length) {
        const t = entry.varint();
        if ((t & 7) === 2 && t >> 3 === KEY) key = utf8.decode(entry.bytes());
        else if ((t & 7) === 2 && t >> 3 === VALUE) value = utf8.decode(entry.bytes());
        else entry.skip(t & 7);
      }
      info.metadata[key] = value;
    } else r.skip(wire);
  }
  if (r.pos !== bytes.length) throw new Error('the last field runs past the end');
  return info;
}

/** Normalisation and labels the server and the page apply around a model. */
export interface Preprocessing {
  /** Per-channel mean subtracted from pixels in [0, 1]; undefined: none. */
  mean?: number[];
  /** Per-channel standard deviation pixels are divided by; undefined: none. */
  std?: number[];
  /** Class names by output index; undefined: the indices. */
  labels?: string[];
}

/** Metadata keys read for normalisation and labels, in order of preference. */
export const MEAN_KEYS = [
  'normalization_mean',
  'normalization.mean',
  'normalize.mean',
  'normalize_mean',
  'mean',
];
export const STD_KEYS = [
  'normalization_std',
  'normalization.std',
  'normalize.std',
  'normalize_std',
  'std',
];
export const LABEL_KEYS = ['class_labels', 'labels', 'classes'];
/** Keys whose value is a JSON object `{ "mean": [...], "std": [...] }`. */
export const NORMALIZE_OBJECT_KEYS = ['normalize', 'normalization'];

function parseNumbers(s: string): number[] | undefined {
  const t = s.trim();
  let values: unknown;
  if (t.startsWith('[')) {
    try {
      values = JSON.parse(t);
    } catch {
      return undefined;
    }
  } else
    values = t
      .split(/[\s,]+/)
      .filter((x) => x !== '')
      .map(Number);
  if (typeof values === 'number') values = [values];
  if (!Array.isArray(values) || values.length === 0) return undefined;
  return values.every((v) => typeof v === 'number' && Number.isFinite(v))
    ? (values as number[])
    : undefined;
}

function parseLabels(s: string): string[] | undefined {
  const t = s.trim();
  if (t.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(t);
      if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) {
        return v.map(String);
      }
    } catch {
      return undefined;
    }
    return undefined;
  }
  const parts = t.split(',').map((x) => x.trim());
  return parts.length > 1 ? parts : undefined;
}

/**
 * Finds normalisation mean/std and class labels in metadata props. Values may be JSON arrays
 * (`"[0.1307]"`), comma/space separated numbers, or one JSON object under `normalize`.
 *
 * @example
 * ```ts
 * preprocessingFrom({ 'normalize.mean': '[0.1307]', 'normalize.std': '[0.3081]' });
 * // { mean: [0.1307], std: [0.3081] }
 * ```
 */
export function preprocessingFrom(metadata: Record<string, string>): Preprocessing {
  const out: Preprocessing = {};
  const first = (keys: string[]) => keys.map((k) => metadata[k]).find((v) => v !== undefined);
  for (const k of NORMALIZE_OBJECT_KEYS) {
    const v = metadata[k];
    if (v === undefined) continue;
    try {
      const o: unknown = JSON.parse(v);
      if (o && typeof o === 'object') {
        const { mean, std } = o as { mean?: unknown; std?: unknown };
        const m = parseNumbers(JSON.stringify(mean ?? null));
        const s = parseNumbers(JSON.stringify(std ?? null));
        if (m) out.mean = m;
        if (s) out.std = s;
      }
    } catch {
      // not an object: ignored
    }
  }
  const mean = first(MEAN_KEYS);
  const std = first(STD_KEYS);
  if (mean !== undefined && !out.mean) out.mean = parseNumbers(mean);
  if (std !== undefined && !out.std) out.std = parseNumbers(std);
  if (out.mean === undefined) delete out.mean;
  if (out.std === undefined || out.std.some((s) => s === 0)) delete out.std;
  const labels = first(LABEL_KEYS);
  if (labels !== undefined) {
    const l = parseLabels(labels);
    if (l) out.labels = l;
  }
  return out;
}
