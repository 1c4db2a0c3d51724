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
  /** The tensor's name, by which nodes refer to an initializer. */
  name?: string;
  /** The shape. */
  dims: number[];
  /**
   * The element type, a `TensorProto.DataType` code (1 float32, 6 int32, 7 int64, 9 bool, 11
   * float64).
   */
  data_type: number;
  /** The values as little-endian bytes (what gd writes). */
  raw_data?: Uint8Array;
  /** float32 values, when not in raw_data. */
  float_data?: number[];
  /** int32 (and smaller integer and bool) values, when not in raw_data. */
  int32_data?: number[];
  /** int64 values, when not in raw_data. */
  int64_data?: number[];
  /** float64 values, when not in raw_data. */
  double_data?: number[];
}

/** An `AttributeProto`. */
export interface AttributeProto {
  /** The attribute's name (`axis`, `perm`). */
  name: string;
  /**
   * Which value field is set, an `AttributeProto.AttributeType` code (1 FLOAT, 2 INT, 3 STRING, 4
   * TENSOR, 6 FLOATS, 7 INTS, 8 STRINGS).
   */
  type: number;
  /** A float value. */
  f?: number;
  /** An integer value. */
  i?: number;
  /** A string value, as UTF-8 bytes. */
  s?: Uint8Array;
  /** A tensor value (Constant's `value`). */
  t?: TensorProto;
  /** A list of floats. */
  floats?: number[];
  /** A list of integers. */
  ints?: number[];
  /** A list of strings, as UTF-8 bytes. */
  strings?: Uint8Array[];
}

/** A `NodeProto`. */
export interface NodeProto {
  /** The node's name, unique in the graph. */
  name?: string;
  /** The operator (`Gemm`, `Relu`). */
  op_type: string;
  /** The operator set's domain (empty: the default ONNX domain). */
  domain?: string;
  /** The names of the values it reads, in the operator's input order. */
  input: string[];
  /** The names of the values it writes. */
  output: string[];
  /** The operator's attributes. */
  attribute?: AttributeProto[];
  /** Free text about the node. */
  doc_string?: string;
}

/** One dimension of a `TensorShapeProto`: a number or a symbolic name. */
export interface DimensionProto {
  /** A fixed size. */
  dim_value?: number;
  /** A symbolic size shared by name (`batch`). */
  dim_param?: string;
}

/** A `ValueInfoProto` for a tensor. */
export interface ValueInfoProto {
  /** The value's name in the graph. */
  name: string;
  /** Its type: a tensor of an element type and a shape. */
  type: {
    /** A `TypeProto.Tensor`. */
    tensor_type: {
      /** The element type, a `TensorProto.DataType` code. */
      elem_type: number;
      /** The shape, one entry per dim. */
      shape: {
        /** The dims, outermost first. */
        dim: DimensionProto[];
      };
    };
  };
  /** Free text about the value. */
  doc_string?: string;
}

/** A `GraphProto`. */
export interface GraphProto {
  /** The graph's name. */
  name: string;
  /** The nodes, in topological order. */
  node: NodeProto[];
  /** Constant tensors (the weights), by name. */
  initializer: TensorProto[];
  /** The graph's inputs. */
  input: ValueInfoProto[];
  /** The graph's outputs. */
  output: ValueInfoProto[];
  /** Free text about the graph. */
  doc_string?: string;
}

/** A `StringStringEntryProto`. */
export interface StringStringEntryProto {
  /** The entry's key. */
  key: string;
  /** The entry's value. */
  value: string;
}

/** A `ModelProto`. */
export interface ModelProto {
  /** The version of the ONNX file format. */
  ir_version: number;
  /** The operator sets the graph uses and their versions. */
  opset_import: {
    /** The operator set's domain (empty: the default ONNX domain). */
    domain: string;
    /** Its version (the opset). */
    version: number;
  }[];
  /** The tool that wrote the model (`gd`). */
  producer_name: string;
  /** That tool's version. */
  producer_version: string;
  /** The model's namespace, reverse-DNS style. */
  domain?: string;
  /** The model's own version number. */
  model_version?: number;
  /** Free text about the model. */
  doc_string?: string;
  /** The computation. */
  graph: GraphProto;
  /** Free key-value metadata. */
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
