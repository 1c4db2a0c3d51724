/**
 * Decoding of an Open Inference Protocol v2 infer request into worker tensors, shared by the
 * HTTP (JSON and binary) and gRPC front ends: every check names the field it failed on, in the
 * spelling of the front end that received it.
 */
import { HttpError } from './errors.js';
import type { LoadedModel, TensorSpec } from './runtime.js';
import { DATATYPES, InputError, V2_DATATYPES, fromBytes, numel, toTypedData } from './tensors.js';
import type { TypedData, V2Datatype } from './tensors.js';
import type { WireTensor } from './sessions.js';

/** One input tensor of a request, before any check but its JSON/protobuf shape. */
export interface RequestTensor {
  name: string;
  shape: number[];
  datatype: string;
  /** Elements as JSON (flat row-major or nested); absent when `raw` is given. */
  data?: unknown;
  /** Little-endian bytes (the binary extension, gRPC's raw_input_contents). */
  raw?: Uint8Array;
  /** How the front end names this input in messages, e.g. `inputs[0]`. */
  field: string;
  /** How the front end names `data`, e.g. `inputs[0].data` or `inputs[0].contents.fp32_contents`. */
  dataField: string;
  /** How the front end names `raw`, e.g. `inputs[0] (binary)` or `raw_input_contents[0]`. */
  rawField: string;
}

/** Checks a request's shape against the model's declared shape and batch limit. */
export function checkShape(shape: number[], spec: TensorSpec, m: LoadedModel, field: string): void {
  // Built only for a message: this runs for every request.
  const want = () => `[${spec.shape.map((d) => (d < 0 ? '-1' : String(d))).join(', ')}]`;
  if (shape.length !== spec.shape.length) {
    throw new InputError(
      field,
      `expected ${spec.shape.length} dims ${want()} for input ${spec.name}, got [${shape.join(', ')}]`,
    );
  }
  for (let i = 0; i < spec.shape.length; i++) {
    const d = spec.shape[i] as number;
    const got = shape[i] as number;
    if (d >= 0 && got !== d) {
      throw new InputError(
        `${field}[${i}]`,
        `expected ${d} (input ${spec.name} has shape ${want()}), got ${got}`,
      );
    }
    if (d < 0 && got < 1) throw new InputError(`${field}[${i}]`, `expected at least 1, got ${got}`);
  }
  if (m.maxBatch > 0 && (shape[0] as number) > m.maxBatch) {
    throw new InputError(
      `${field}[0]`,
      `batch of ${shape[0]} exceeds the maximum batch ${m.maxBatch} of model ${m.name}`,
    );
  }
}

/**
 * The index of the first NaN or infinity, or -1. Every binary request's floats pass through
 * here: `v - v` is 0 for a finite value and NaN otherwise, so four independent sums (no branch
 * per element, no dependency chain through one sum) answer whether any is bad in about half the
 * time of testing each element; only then is the element found.
 */
function firstNonFinite(data: Float32Array | Float64Array): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  const whole = data.length - (data.length % 4);
  let i = 0;
  for (; i < whole; i += 4) {
    a += (data[i] as number) - (data[i] as number);
    b += (data[i + 1] as number) - (data[i + 1] as number);
    c += (data[i + 2] as number) - (data[i + 2] as number);
    d += (data[i + 3] as number) - (data[i + 3] as number);
  }
  for (; i < data.length; i++) a += (data[i] as number) - (data[i] as number);
  if (a + b + c + d === 0) return -1;
  for (let k = 0; k < data.length; k++) if (!Number.isFinite(data[k] as number)) return k;
  return -1;
}

function fromRaw(raw: Uint8Array, shape: number[], datatype: V2Datatype, field: string): TypedData {
  const want = numel(shape) * DATATYPES[datatype].bytes;
  if (raw.byteLength !== want) {
    throw new InputError(
      field,
      `expected ${want} bytes for shape [${shape.join(', ')}] ${datatype}, got ${raw.byteLength}`,
    );
  }
  // A copy into a buffer of its own: the request's bytes may sit in a shared pool, and this
  // buffer is transferred (not copied again) to the worker.
  const data = fromBytes(raw, datatype);
  if (data instanceof Float32Array || data instanceof Float64Array) {
    const i = firstNonFinite(data);
    if (i >= 0) {
      throw new InputError(`${field} element ${i}`, `expected a finite number, got ${data[i]}`);
    }
  }
  if (datatype === 'BOOL') {
    for (let i = 0; i < data.length; i++) {
      if (data[i] !== 0 && data[i] !== 1)
        throw new InputError(field, 'expected BOOL bytes of 0 or 1');
    }
  }
  return data;
}

/** How the JSON front end names an input's fields in messages. */
export interface InputFields {
  /** `inputs[i]`. */
  field: string;
  /** `inputs[i].data`. */
  dataField: string;
  /** `inputs[i] (binary)`. */
  rawField: string;
}

/** Field names of the first inputs, made once: every request needs them, few messages do. */
const JSON_INPUT_FIELDS: InputFields[] = [];

/**
 * The names of `inputs[i]` and its `data` in JSON messages.
 *
 * @example
 * ```ts
 * jsonInputFields(1).dataField; // 'inputs[1].data'
 * ```
 */
export function jsonInputFields(i: number): InputFields {
  const cached = JSON_INPUT_FIELDS[i];
  if (cached) return cached;
  const field = `inputs[${i}]`;
  const names = { field, dataField: `${field}.data`, rawField: `${field} (binary)` };
  if (i < 64) JSON_INPUT_FIELDS[i] = names;
  return names;
}

/**
 * Checks every input of a request against the model and converts it to a worker tensor; the
 * result is in the model's input order (the batcher concatenates by position).
 */
export function decodeInputs(
  m: LoadedModel,
  inputs: RequestTensor[],
  field = 'inputs',
): WireTensor[] {
  const specs = m.inputs;
  // By the model's input position: each input found once (this runs for every request).
  const feeds: (WireTensor | undefined)[] = [];
  for (let k = 0; k < specs.length; k++) feeds.push(undefined);
  let batch: number | undefined;
  for (const input of inputs) {
    const f = input.field;
    let at = -1;
    for (let k = 0; k < specs.length; k++) {
      if ((specs[k] as TensorSpec).name === input.name) {
        at = k;
        break;
      }
    }
    const spec = specs[at];
    if (!spec) {
      throw new InputError(
        `${f}.name`,
        `unknown input ${JSON.stringify(input.name)}; model ${m.name} takes ${specs.map((s) => JSON.stringify(s.name)).join(', ')}`,
      );
    }
    if (feeds[at] !== undefined)
      throw new InputError(`${f}.name`, `input ${JSON.stringify(input.name)} given twice`);
    if (input.datatype !== spec.datatype) {
      const known = (V2_DATATYPES as string[]).includes(input.datatype);
      throw new InputError(
        `${f}.datatype`,
        `expected ${spec.datatype} (input ${spec.name}), got ${JSON.stringify(input.datatype)}${known ? '' : `; datatypes are ${V2_DATATYPES.join(', ')}`}`,
      );
    }
    checkShape(input.shape, spec, m, `${f}.shape`);
    if (m.maxBatch > 0) {
      const b = input.shape[0] as number;
      if (batch !== undefined && b !== batch) {
        throw new InputError(
          `${f}.shape[0]`,
          `expected batch ${batch} like the other inputs, got ${b}`,
        );
      }
      batch = b;
    }
    const datatype = input.datatype as V2Datatype;
    let data: TypedData;
    if (input.raw !== undefined) data = fromRaw(input.raw, input.shape, datatype, input.rawField);
    else {
      if (input.data === undefined) throw new InputError(input.dataField, 'is required');
      data = toTypedData(input.data, input.shape, datatype, input.dataField);
    }
    feeds[at] = { name: spec.name, type: DATATYPES[datatype].ort, dims: input.shape.slice(), data };
  }
  if (inputs.length !== specs.length) {
    // Every input given was a different one of the model's: some are missing.
    const missing = specs.filter((_, k) => feeds[k] === undefined);
    throw new InputError(
      field,
      `missing input ${missing.map((s) => JSON.stringify(s.name)).join(', ')} of model ${m.name}`,
    );
  }
  return feeds as WireTensor[];
}

/** Checks the outputs a request asks for (all of the model's when it names none). */
export function resolveOutputs(
  m: LoadedModel,
  wanted: readonly { name: string }[] | undefined,
  field = 'outputs',
): string[] {
  if (wanted === undefined) return m.outputs.map((o) => o.name);
  const names: string[] = [];
  wanted.forEach((o, i) => {
    if (!m.outputs.some((s) => s.name === o.name)) {
      throw new InputError(
        `${field}[${i}].name`,
        `unknown output ${JSON.stringify(o.name)}; model ${m.name} gives ${m.outputs.map((s) => JSON.stringify(s.name)).join(', ')}`,
      );
    }
    if (names.includes(o.name))
      throw new InputError(`${field}[${i}].name`, `output ${JSON.stringify(o.name)} asked twice`);
    names.push(o.name);
  });
  return names;
}

/** The output tensor of a result by name (500 when the model did not give it). */
export function outputOf(outputs: readonly WireTensor[], name: string): WireTensor {
  const t = outputs.find((r) => r.name === name);
  if (!t) throw new HttpError(500, 'inference_failed', `the model gave no output ${name}`);
  return t;
}
