/**
 * The ONNX protobuf messages, encoded and decoded by protobufjs through the code that the
 * `onnx-proto` package generates from the ONNX schema (nothing of the schema is copied here).
 * The interfaces below type the plain objects this package builds, with the schema's
 * snake_case field names; protobufjs's generated code uses camelCase, so names are mapped at
 * the boundary.
 */
import onnxProto from 'onnx-proto';

/** `TensorProto.DataType` values used by gd's dtypes (and a few more, for decoding). */
export const OnnxDataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  BFLOAT16: 16,
} as const;

/** `AttributeProto.AttributeType` values. */
export const AttributeType = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
} as const;

/** A `TensorProto` (initializers and Constant values use `raw_data`, little-endian). */
export interface TensorProto {
  name?: string;
  dims: number[];
  data_type: number;
  raw_data?: Uint8Array;
  float_data?: number[];
  int32_data?: number[];
  int64_data?: number[];
  double_data?: number[];
}

/** An `AttributeProto`. */
export interface AttributeProto {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: TensorProto;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
}

/** A `NodeProto`. */
export interface NodeProto {
  name?: string;
  op_type: string;
  domain?: string;
  input: string[];
  output: string[];
  attribute?: AttributeProto[];
  doc_string?: string;
}

/** One dimension of a `TensorShapeProto`: a number or a symbolic name. */
export interface DimensionProto {
  dim_value?: number;
  dim_param?: string;
}

/** A `ValueInfoProto` for a tensor. */
export interface ValueInfoProto {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: DimensionProto[] } } };
  doc_string?: string;
}

/** A `GraphProto`. */
export interface GraphProto {
  name: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  doc_string?: string;
}

/** A `StringStringEntryProto`. */
export interface StringStringEntryProto {
  key: string;
  value: string;
}

/** A `ModelProto`. */
export interface ModelProto {
  ir_version: number;
  opset_import: { domain: string; version: number }[];
  producer_name: string;
  producer_version: string;
  domain?: string;
  model_version?: number;
  doc_string?: string;
  graph: GraphProto;
  metadata_props: StringStringEntryProto[];
}

const { ModelProto: ModelMessage } = onnxProto.onnx;

type Plain = { [key: string]: unknown };

// Renames object keys recursively (values that are bytes or scalars are left alone).
function renameKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((v) => renameKeys(v, rename));
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  const out: Plain = {};
  for (const [k, v] of Object.entries(value as Plain)) out[rename(k)] = renameKeys(v, rename);
  return out;
}

const toCamel = (key: string): string =>
  key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const toSnake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Serialises a model to ONNX bytes. */
export function encodeModel(model: ModelProto): Uint8Array {
  const message = ModelMessage.fromObject(renameKeys(model, toCamel) as Plain);
  const bytes = ModelMessage.encode(message).finish();
  // protobufjs hands out a Node Buffer that may be a view into a shared pool: return a plain,
  // exactly sized Uint8Array instead.
  return new Uint8Array(bytes);
}

/**
 * Parses ONNX bytes into plain objects (int64 fields as numbers, bytes as Uint8Array, enums as
 * numbers), with the schema's snake_case field names.
 *
 * @example
 * ```ts
 * const model = decodeOnnx(readFileSync('model.onnx'));
 * console.log(model.graph.node.map((n) => n.op_type)); // ['Flatten', 'Gemm', 'Relu', 'Gemm']
 * ```
 */
export function decodeOnnx(bytes: Uint8Array): ModelProto {
  const message = ModelMessage.decode(bytes);
  const plain = ModelMessage.toObject(message, {
    longs: Number,
    enums: Number,
    arrays: true,
    defaults: false,
  });
  const object = renameKeys(plain, toSnake) as ModelProto;
  const graph = object.graph ?? ({} as GraphProto);
  graph.node ??= [];
  graph.initializer ??= [];
  graph.input ??= [];
  graph.output ??= [];
  for (const n of graph.node) {
    n.input ??= [];
    n.output ??= [];
    n.attribute ??= [];
  }
  object.graph = graph;
  object.metadata_props ??= [];
  object.opset_import ??= [];
  return object;
}
